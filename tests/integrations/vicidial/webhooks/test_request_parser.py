"""The C-first parser reads every request exactly as the lenient parser alone reads it."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import TypeVar

import pytest
from aiohttp.base_protocol import BaseProtocol
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.http_parser import HttpRequestParser
from aiohttp.streams import StreamReader
from aiohttp.web_protocol import MAX_MSG_QUEUE_SIZE, RequestPayloadError
from hypothesis import given
from hypothesis import strategies as st

from integrations.vicidial.webhooks.decoding import DecodedQuery, decode_query
from integrations.vicidial.webhooks.request_parser import (
    MAX_REPLAY,
    MAX_REQUEST_LINE,
    FallbackRequestParser,
    LenientRequestParser,
)

Parser = FallbackRequestParser | LenientRequestParser
P = TypeVar("P", HttpRequestParser, LenientRequestParser)
# What one request reads as: method, its query decoded, its body.
Read = tuple[str, DecodedQuery, bytes]


@pytest.fixture
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


def _parser(kind: type[P], loop: asyncio.AbstractEventLoop) -> P:
    """A parser made as the server makes its own."""
    return kind(
        BaseProtocol(loop),
        loop,
        2**16,
        max_line_size=MAX_REQUEST_LINE,
        payload_exception=RequestPayloadError,
        max_msg_queue_size=MAX_MSG_QUEUE_SIZE,
    )


def _lenient(loop: asyncio.AbstractEventLoop) -> LenientRequestParser:
    return _parser(LenientRequestParser, loop)


def _fallback(loop: asyncio.AbstractEventLoop) -> FallbackRequestParser:
    return FallbackRequestParser(_parser(HttpRequestParser, loop), lambda: _lenient(loop))


def _read(parser: Parser, chunks: list[bytes]) -> tuple[list[Read], bool]:
    """Every request parsed from ``chunks`` (each consumed at once, then the parser resumed,
    as a server does), and whether the parser refused the stream."""
    messages = []
    try:
        for chunk in chunks:
            batch, _, _ = parser.feed_data(chunk)
            while batch:
                for message in batch:
                    parser.message_consumed()
                    messages.append(message)
                batch, _, _ = parser.feed_data(b"")  # parsers stop at a full queue
    except HttpProcessingError:
        refused = True
    else:
        refused = False
    read = [
        (message.method, decode_query(message.path.partition("?")[2]), _body(payload))
        for message, payload in messages
    ]
    return read, refused


def _body(payload: StreamReader) -> bytes:
    try:
        return payload.read_nowait(-1)
    except RequestPayloadError:
        return b"(refused)"


def _request(
    method: str, query: bytes, body: bytes | None, chunked: bool, header: bytes = b""
) -> bytes:
    head = method.encode() + b" /webhooks/dispo_callback?" + query + b" HTTP/1.1\r\nHost: v\r\n"
    head += header
    if body is None:
        return head + b"\r\n"
    if chunked:
        parts = [part for part in (body[:3], body[3:]) if part]
        framed = b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in parts)
        return head + b"Transfer-Encoding: chunked\r\n\r\n" + framed + b"0\r\n\r\n"
    return head + b"Content-Length: %d\r\n\r\n" % len(body) + body


_QUERY = st.lists(
    st.one_of(
        st.sampled_from([b"lead_id=1", b"&", b"=", b"%", b"%2B", b"+", b"a b", b"%C3%A9", b"  "]),
        st.sampled_from([b"J\xc3\xbcrgen", b"M\xfcller", b"\x00", b"\t", b"\x7f", b"token=t"]),
        st.binary(max_size=4).map(lambda b: b.replace(b"\r", b"").replace(b"\n", b"")),
    ),
    max_size=8,
).map(b"".join)
_REQUEST = st.builds(
    _request,
    st.sampled_from(["GET", "POST"]),
    _QUERY,
    st.one_of(st.none(), st.binary(min_size=1, max_size=20)),
    st.booleans(),
    st.sampled_from([b"", b"X-Note:  two  spaces\r\n"]),
)


def _split(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(data) + 1) for c in cuts})
    return [data[a:b] for a, b in zip([0, *points], [*points, len(data)], strict=True)]


@given(st.lists(_REQUEST, min_size=1, max_size=5), st.lists(st.integers(0, 10_000), max_size=6))
def test_the_fast_path_and_the_lenient_path_read_alike(
    requests: list[bytes], cuts: list[int]
) -> None:
    # Pipelined requests, well formed or needing repair, with bodies or without, split
    # anywhere: the C parser takes what it can and the lenient parser the rest, as if the
    # lenient parser had read it all.
    loop = asyncio.new_event_loop()
    try:
        chunks = _split(b"".join(requests), cuts)
        assert _read(_fallback(loop), chunks) == _read(_lenient(loop), chunks)
    finally:
        loop.close()


def _good(n: int) -> bytes:
    return _request("GET", b"lead_id=%d" % n, None, False)


def _raw(n: int) -> bytes:
    return _request("GET", b"lead_id=%d&campaign=A B" % n, None, False)


@pytest.mark.parametrize(
    ("stream", "lenient"),
    [
        ([_good(1), _good(2)], False),  # the C parser serves it all
        ([_raw(1), _good(2)], True),  # a connection's first request needs repair
        ([_good(1) + _request("POST", b"lead_id=2", b"x=1", False) + _raw(3)], True),
        ([_good(1), _request("POST", b"lead_id=2", b"abcdef", True), _raw(3)], True),
        ([_good(1)[:9], _good(1)[9:] + _raw(2)[:20], _raw(2)[20:]], True),
        # spaces the C parser would drop: a value's trailing ones, before the version
        ([_good(1), _request("GET", b"lead_id=2&dispo=SALE  ", None, False)], True),
    ],
)
def test_each_request_is_read_once_in_order(
    loop: asyncio.AbstractEventLoop, stream: list[bytes], lenient: bool
) -> None:
    parser = _fallback(loop)
    read, refused = _read(parser, stream)
    assert not refused
    assert [dict(q.pairs)["lead_id"] for _, q, _ in read] == ["1", "2", "3"][: len(read)]
    assert len(read) == sum(s.count(b" HTTP/1.1\r\n") for s in stream)
    assert parser.lenient is lenient


@pytest.mark.parametrize("cut", [0, 45, 46, 47, 48])
def test_a_trailing_space_before_the_version_is_kept(
    loop: asyncio.AbstractEventLoop, cut: int
) -> None:
    # "dispo=A " as PHP inserts it raw; the C parser would read "A". Split anywhere, also
    # between the two spaces.
    raw = _request("GET", b"lead_id=1&dispo=A ", None, False)
    assert raw.index(b"A  HTTP") == 45
    [(_, query, _)], refused = _read(_fallback(loop), [raw[:cut], raw[cut:]])
    assert dict(query.pairs)["dispo"] == "A "
    assert not refused


def test_bytes_past_the_replay_limit_make_a_refusal_final(
    loop: asyncio.AbstractEventLoop,
) -> None:
    # Chunked bodies, whose end the fallback does not measure, in a run longer than it keeps.
    body = b"x" * 1000
    run = [_request("POST", b"lead_id=%d" % n, body, True) for n in range(MAX_REPLAY // 1000 + 2)]
    stream = [b"".join(run)[:-1], b"".join(run)[-1:] + _raw(99)]
    parser = _fallback(loop)
    read, refused = _read(parser, stream)
    assert refused
    assert len(read) == len(run)
    assert not parser.lenient


def test_a_refusal_inside_a_body_stands(loop: asyncio.AbstractEventLoop) -> None:
    head = _request("POST", b"lead_id=1", b"x", True)[: -len(b"1\r\nx\r\n0\r\n\r\n")]
    parser = _fallback(loop)
    read, refused = _read(parser, [head, b"zz-not-a-size\r\n"])
    assert refused
    assert len(read) == 1
