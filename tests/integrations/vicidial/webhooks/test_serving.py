"""The serving path: raw bytes as ViciDial's senders write them -> start_receiver -> payload."""

from __future__ import annotations

import asyncio
import re

import pytest
from aiohttp.base_protocol import BaseProtocol
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.web_protocol import RequestPayloadError
from hypothesis import given
from hypothesis import strategies as st

from integrations.vicidial.webhooks.decoding import decode_query
from integrations.vicidial.webhooks.payloads import (
    DidFilterPayload,
    DispoCallbackPayload,
    NvaCallPayload,
)
from integrations.vicidial.webhooks.request_parser import (
    MAX_REQUEST_LINE,
    LenientRequestParser,
    repair_request_line,
)

from .conftest import TOKEN, MakeReceiver, Served, ServeReceiver
from .senders import exchange, request, responses, send

DISPO = b"/webhooks/dispo_callback?token=" + TOKEN.encode()


@pytest.mark.parametrize(
    ("line", "repaired"),
    [
        (b"GET /w?x=a b HTTP/1.1", b"GET /w?x=a%20b HTTP/1.1"),
        (b"GET /w?x=M\xc3\xbcller HTTP/1.1", b"GET /w?x=M%C3%BCller HTTP/1.1"),
        (b"GET /w?x=M\xfcller HTTP/1.0", b"GET /w?x=M%FCller HTTP/1.0"),
        (b"GET /w?x=a\tb\x7f HTTP/1.1", b"GET /w?x=a%09b%7F HTTP/1.1"),
        # already valid characters are never touched, whatever they mean
        (b"GET /w?x=%2B+1 b&y=100% HTTP/1.1", b"GET /w?x=%2B+1%20b&y=100% HTTP/1.1"),
        # a raw value may itself hold " HTTP/1.1": only the last one ends the target
        (b"GET /w?x=a HTTP/1.1 b HTTP/1.1", b"GET /w?x=a%20HTTP/1.1%20b HTTP/1.1"),
    ],
)
def test_repair_request_line(line: bytes, repaired: bytes) -> None:
    assert repair_request_line(line) == repaired


@pytest.mark.parametrize(
    "line",
    [
        b"GET /webhooks/dispo_callback?token=t&lead_id=1 HTTP/1.1",  # valid: the same object
        b"GET /w?x=a b",  # no version: aiohttp refuses it
        b"\x16\x03\x01\x02\x00 HTTP/1.1",  # TLS on the HTTP port: no method
        b"",
    ],
)
def test_lines_that_are_no_repairable_request_line_pass_unchanged(line: bytes) -> None:
    assert repair_request_line(line) is line


_TARGET_BYTES = st.lists(
    st.one_of(
        st.binary(max_size=4).map(lambda b: b.replace(b"\r", b"").replace(b"\n", b"")),
        st.sampled_from([b" ", b"%", b"%2", b"%2B", b"+", b"&", b"=", b"\xc3\xbc", b"\xfc"]),
        st.sampled_from([b" HTTP/1.1", b"\x00", b"\x7f", b"token=", b"a"]),
    ),
    max_size=30,
).map(b"".join)


@given(_TARGET_BYTES)
def test_repair_keeps_what_the_decoder_reads(query: bytes) -> None:
    line = repair_request_line(b"GET /webhooks/dispo_callback?" + query + b" HTTP/1.1")
    target = line[len(b"GET ") : -len(b" HTTP/1.1")]
    assert re.fullmatch(rb"[\x21-\x7e]+", target)
    assert decode_query(target.partition(b"?")[2]) == decode_query(query)


_WIRE = st.lists(
    st.one_of(
        st.binary(max_size=12),
        st.sampled_from([b" HTTP/1.1\r\n", b"Host: v\r\n", b"\r\n", b"Content-Length: 3\r\n"]),
        st.sampled_from([b"Transfer-Encoding: chunked\r\n", b"GET /w?x=a b", b"\xfc", b"\n"]),
    ),
    max_size=12,
)


@given(_WIRE)
def test_the_parser_refuses_only_with_an_http_error(chunks: list[bytes]) -> None:
    # Anything else would escape data_received: a traceback in asyncio's log, no answer.
    loop = asyncio.new_event_loop()
    try:
        parser = LenientRequestParser(
            BaseProtocol(loop), loop, payload_exception=RequestPayloadError
        )
        for chunk in [b"GET /w?x=", *chunks]:
            parser.feed_data(chunk)
    except HttpProcessingError:
        pass
    finally:
        loop.close()


async def test_php_raw_space_and_utf8(serve_receiver: ServeReceiver) -> None:
    r = await serve_receiver()
    target = DISPO + "&campaign=TEST CAMP&user=jürgen&dispo=SALE&lead_id=10".encode()
    assert (await send(r, "GET", target)) == (200, "OK")
    [payload] = r.received
    assert isinstance(payload, DispoCallbackPayload)
    assert (payload.campaign, payload.user, payload.lead_id) == ("TEST CAMP", "jürgen", 10)
    assert payload.values["campaign"] == "TEST CAMP"
    assert not payload.latin1


async def test_raw_latin1_byte_is_read_as_latin1_and_flagged(serve_receiver: ServeReceiver) -> None:
    r = await serve_receiver()
    assert (await send(r, "GET", DISPO + b"&user=M\xfcller&dispo=A B")) == (200, "OK")
    [payload] = r.received
    assert isinstance(payload, DispoCallbackPayload)
    assert (payload.user, payload.dispo, payload.latin1) == ("Müller", "A B", True)


async def test_encoded_characters_keep_their_meaning(serve_receiver: ServeReceiver) -> None:
    # The raw space makes the line need repair; %2B, + and a lone % must come out as before.
    r = await serve_receiver()
    target = DISPO + b"&x=%2B&y=a+b&z=100%&w=a b&dispo_name=Call%252BBack"
    assert (await send(r, "GET", target)) == (200, "OK")
    [payload] = r.received
    assert isinstance(payload, DispoCallbackPayload)
    assert payload.extra == {"x": "+", "y": "a b", "z": "100%", "w": "a b"}
    assert payload.dispo_name == "Call+Back"  # encoded twice by PHP, decoded twice by us


async def test_curl_did_filter_with_a_raw_utf8_caller_name(serve_receiver: ServeReceiver) -> None:
    async def match(payload: DidFilterPayload) -> bool:
        return payload.phone_number == "José Müller"

    r = await serve_receiver(did_decider=match)
    target = f"/webhooks/did_filter?token={TOKEN}&phone_number=José+Müller&uniqueid=17.5"
    assert (await send(r, "GET", target.encode())) == (200, "1")


async def test_a_request_line_split_into_single_bytes(serve_receiver: ServeReceiver) -> None:
    r = await serve_receiver()
    raw = request("GET", f"/webhooks/nva_call?token={TOKEN}&user=Zoë Ünal&lead_id=7".encode())
    answer = await exchange(r, [bytes((b,)) for b in raw], pause=0.001)
    assert responses(answer) == [(200, "OK")]
    [payload] = r.received
    assert isinstance(payload, NvaCallPayload)
    assert (payload.user, payload.lead_id) == ("Zoë Ünal", 7)


async def test_a_long_request_line_within_the_limit(serve_receiver: ServeReceiver) -> None:
    # Call notes can be long; aiohttp's own limit (8190) would refuse this line.
    r = await serve_receiver()
    notes = "x" * 12_000
    assert (await send(r, "GET", DISPO + f"&call_notes={notes} end".encode())) == (200, "OK")
    assert r.received[0].values["call_notes"] == notes + " end"


async def test_an_endless_request_line_gets_a_clean_400(serve_receiver: ServeReceiver) -> None:
    r = await serve_receiver()
    chunks = [b"GET " + DISPO + b"&call_notes="] + [b"y" * 4096] * 5  # no CRLF, over 16 KiB
    assert sum(map(len, chunks)) > MAX_REQUEST_LINE
    [(status, body)] = responses(await exchange(r, chunks))
    assert (status, body) == (400, "request line or header too long\n")
    assert r.received == []


async def test_keep_alive_repairs_every_request(serve_receiver: ServeReceiver) -> None:
    # ViciDial's senders use one request per connection; other clients may not.
    r = await serve_receiver()
    first = request("GET", DISPO + b"&lead_id=1&campaign=A B", close=False)
    second = request("GET", DISPO + b"&lead_id=2&campaign=C \xc3\xa9")
    answer = await exchange(r, [first, second], pause=0.05)
    assert responses(answer) == [(200, "OK"), (200, "OK")]
    assert [(p.values["lead_id"], p.values["campaign"]) for p in r.received] == [
        ("1", "A B"),
        ("2", "C é"),
    ]


async def test_pipelined_after_a_body_and_after_a_chunked_body(
    serve_receiver: ServeReceiver,
) -> None:
    # The body looks like a request line; it is a body, left untouched, and the request after
    # it is repaired: the boundary comes from aiohttp's parser, not from a guess.
    r = await serve_receiver()
    form = request("POST", DISPO, b"lead_id=1&call_notes=GET /x y HTTP/1.1", close=False)
    chunked = (
        b"POST " + DISPO + b" HTTP/1.1\r\nHost: vicidial\r\nTransfer-Encoding: chunked\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n\r\n"
        b"9\r\nlead_id=2\r\n0\r\n\r\n"
    )
    last = request("GET", DISPO + b"&lead_id=3&campaign=X Y")
    answer = await exchange(r, [form + chunked + last])
    assert responses(answer) == [(200, "OK")] * 3
    assert [p.values["lead_id"] for p in r.received] == ["1", "2", "3"]
    assert r.received[0].values["call_notes"] == "GET /x y HTTP/1.1"
    assert r.received[2].values["campaign"] == "X Y"


@pytest.mark.parametrize(
    "raw",
    [
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n",  # TLS on the HTTP port
        b"GET /webhooks/dispo_callback?token=" + TOKEN.encode() + b" HTTP/1.1\r\n\r\n",  # no Host
        b"GET\r\n\r\n",
        b"GET /w HTTP/1.1\r\nHost: v\r\nContent-Length: x\r\n\r\n",
        b"GET /webhooks/did_filter?token=" + TOKEN.encode() + b" HTTP/1.1\r\n\r\n",
        b"GET /w HTTP/1.1\r\nHost: v\r\nX: " + b"1" * 9000 + b"\r\n\r\n",
    ],
)
async def test_garbage_gets_a_400_and_no_traceback(
    serve_receiver: ServeReceiver, raw: bytes
) -> None:
    r = await serve_receiver()
    [(status, body)] = responses(await exchange(r, [raw]))
    assert status == 400
    # one line in words: no digit (a DID filter reads any digit as its answer), no token
    assert re.fullmatch(r"[A-Za-z '`:,.]+\n", body), body
    assert r.received == []


async def test_token_is_redacted_in_the_access_log(
    serve_receiver: ServeReceiver, caplog: pytest.LogCaptureFixture
) -> None:
    r = await serve_receiver()
    await send(r, "GET", DISPO + b"&campaign=A B")
    [line] = [rec.getMessage() for rec in caplog.records if rec.name == "aiohttp.access.webhooks"]
    assert "token=REDACTED&campaign=A%20B" in line
    # the fixture then asserts that no record anywhere holds the token


async def test_the_plain_aiohttp_server_refuses_what_start_receiver_accepts(
    make_receiver: MakeReceiver, serve_receiver: ServeReceiver
) -> None:
    # Why the serving path exists; if aiohttp ever accepts these lines, it may be retired.
    line = DISPO + "&campaign=A B&user=jürgen".encode()
    plain = await make_receiver()
    assert plain.client.port is not None
    raw = await exchange(Served(plain.client.host, plain.client.port), [request("GET", line)])
    assert responses(raw)[0][0] == 400
    served = await serve_receiver()
    assert (await send(served, "GET", line)) == (200, "OK")
