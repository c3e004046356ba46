"""Parsing requests as ViciDial's senders really write them, fast when they are well formed.

aiohttp's request parsers answer 400 before any handler runs when the request-target holds a
raw space (PHP's file() sender inserts some values unencoded) or raw non-ASCII or control bytes
(curl in the AGI scripts sends UTF-8 raw; Latin-1 bytes occur too). ViciDial never retries, so
such a refusal is a lost event. ``LenientRequestParser`` repairs each request line before it
is parsed: in the request-target, raw spaces, control bytes and bytes >= 0x80 are
percent-encoded, and nothing else is touched (``%2B`` stays ``%2B``, ``+`` stays ``+``), so
``decoding.decode_query`` reads exactly what the sender substituted. Headers and bodies are
never changed. The repair lives in the parser, where aiohttp knows where each request starts
(after the previous body, chunked or not), so it applies to every request of a keep-alive or
pipelined connection and to request lines that arrive split across many reads.

That parser is aiohttp's pure-Python one. ``FallbackRequestParser`` serves each connection
with aiohttp's C parser, which takes exactly the targets that need no repair, and hands the
connection to the lenient parser at the first request the C parser refuses, replaying the
bytes from the last request boundary it knows of.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from aiohttp.http_exceptions import (
    BadHttpMessage,
    BadHttpMethod,
    BadStatusLine,
    HttpProcessingError,
    InvalidHeader,
    InvalidURLError,
    LineTooLong,
)
from aiohttp.http_parser import HttpRequestParser, HttpRequestParserPy, RawRequestMessage
from aiohttp.streams import EMPTY_PAYLOAD, StreamReader
from aiohttp.web_protocol import MAX_MSG_QUEUE_SIZE

# ViciDial's dispo URL can carry long call notes; the request line may be this long before it
# is refused with 400 (aiohttp's own default, 8190, would refuse some real notes). Header
# lines keep aiohttp's limit.
MAX_REQUEST_LINE = 16 * 1024
# Bytes kept for a replay. Past it (a long run of pipelined requests whose end the fallback
# cannot place) a refusal of the C parser is final: 400, as aiohttp's own server answers.
MAX_REPLAY = 64 * 1024

# What a sender may leave raw in a request-target that aiohttp refuses: space, controls, DEL
# and every byte that is not ASCII. Everything else is left exactly as it came.
_UNSAFE = re.compile(rb"[\x00-\x20\x7f-\xff]")
_VERSION = re.compile(rb" HTTP/[0-9]\.[0-9]\Z")
_PLAIN_REASON = re.compile(r"[A-Za-z '`:,.]{1,80}")

Messages = list[tuple[RawRequestMessage, StreamReader]]
FeedResult = tuple[Messages, bool, bytes]


def _escape(match: re.Match[bytes]) -> bytes:
    return b"%%%02X" % match[0][0]


def repair_request_line(line: bytes) -> bytes:
    """``line`` with its request-target's raw spaces, controls and non-ASCII percent-encoded.

    The target is everything between the method and the last `` HTTP/x.y``; a raw value can
    itself hold `` HTTP/1.1``, but only the last one ends the line. A line that is not
    ``METHOD target HTTP/x.y`` is returned as it is, for aiohttp to refuse.
    """
    method_end = line.find(b" ")
    version = _VERSION.search(line)
    if method_end <= 0 or version is None or version.start() <= method_end:
        return line
    target = line[method_end + 1 : version.start()]
    if _UNSAFE.search(target) is None:
        return line  # the common case: a well-formed line is passed on untouched
    return line[: method_end + 1] + _UNSAFE.sub(_escape, target) + line[version.start() :]


def refusal_reason(error: HttpProcessingError) -> str:
    """What went wrong, in words only.

    aiohttp's messages quote the request line (token included) back to the sender and hold
    digits (limits, "HTTP/1.1"); ViciDial reads any digit in a DID filter answer as a
    decision.
    """
    for kind, reason in _REASONS:
        if isinstance(error, kind):
            return reason
    # aiohttp's plain reasons ("Missing 'Host' header in request.") are kept; anything that
    # could quote the request or hold a digit is not.
    return error.message if _PLAIN_REASON.fullmatch(error.message) else "malformed request"


_REASONS: tuple[tuple[type[HttpProcessingError], str], ...] = (
    (LineTooLong, "request line or header too long"),
    (BadHttpMethod, "bad request method"),
    (InvalidURLError, "bad request target"),
    (BadStatusLine, "bad request line"),
    (InvalidHeader, "bad header"),
)


class LenientRequestParser(HttpRequestParserPy):
    """aiohttp's request parser, repairing each request line and refusing in one clean line."""

    def parse_message(self, lines: list[bytes]) -> RawRequestMessage:
        lines[0] = repair_request_line(lines[0])
        try:
            return super().parse_message(lines)
        except HttpProcessingError:
            raise
        except Exception as exc:
            # yarl or a header decoder failing would escape data_received as a traceback in
            # asyncio's log and a dropped connection; it is a malformed request, answer 400.
            raise BadHttpMessage(f"malformed request ({type(exc).__name__})") from None

    def feed_data(self, data: bytes, *args: Any, **kwargs: Any) -> FeedResult:
        try:
            return super().feed_data(data, *args, **kwargs)
        except HttpProcessingError as exc:
            raise BadHttpMessage(refusal_reason(exc)) from None


class FallbackRequestParser:
    """aiohttp's C parser, and the lenient parser from the first request it would misread.

    It stands in for the parser of aiohttp's ``RequestHandler`` (the methods that class
    calls). Replaying needs the bytes since a request boundary: they are kept until the
    delivered requests are known to end exactly where the bytes end, which is the case after
    nearly every read (one request per connection, or each request in one read).
    """

    __slots__ = (
        "_after_space",
        "_carry",
        "_fast",
        "_fast_pending",
        "_last",
        "_lenient",
        "_make_lenient",
        "_since",
    )

    def __init__(
        self, fast: HttpRequestParser, make_lenient: Callable[[], LenientRequestParser]
    ) -> None:
        self._fast = fast
        self._make_lenient = make_lenient
        self._lenient: LenientRequestParser | None = None
        # Bytes since the last known boundary; None once too many were kept to replay them.
        self._carry: bytes | None = b""
        self._since = 0  # requests delivered since that boundary
        self._fast_pending = 0  # requests the C parser delivered that are not consumed yet
        self._last: tuple[RawRequestMessage, StreamReader] | None = None
        self._after_space = False  # the last byte given to the C parser was a space

    @property
    def lenient(self) -> bool:
        """Whether the connection has been handed to the lenient parser."""
        return self._lenient is not None

    def feed_data(self, data: bytes) -> FeedResult:
        if self._lenient is not None:
            return self._lenient.feed_data(data)
        if b"  " not in data and not (self._after_space and data[:1] == b" "):
            return self._feed_fast(data)  # the common case
        return self._feed_spaced(data)

    def _feed_spaced(self, data: bytes) -> FeedResult:
        cut = self._two_spaces(data)
        messages: Messages = []
        while True:
            if self._lenient is not None:
                batch, upgraded, tail = self._lenient.feed_data(data)
                messages.extend(batch)
                return messages, upgraded, tail
            if cut is None:
                batch, upgraded, tail = self._feed_fast(data)
                messages.extend(batch)
                return messages, upgraded, tail
            # The C parser reads spaces before the version as one, losing a value's trailing
            # spaces that the lenient parser keeps: it takes over there, unless a body is
            # still being read (then the spaces are in it, or come after it).
            batch, upgraded, tail = self._feed_fast(data[:cut])
            messages.extend(batch)
            data = data[cut:]
            if upgraded:
                return messages, upgraded, tail + data
            if self._lenient is None and self._carry is not None and self._body_done():
                batch, upgraded, tail = self._replay(self._carry)
                messages.extend(batch)
            cut = self._two_spaces(data)

    def _two_spaces(self, data: bytes) -> int | None:
        """Where in ``data`` two spaces are, just after the first one; None without them."""
        if self._after_space and data[:1] == b" ":
            return 0  # the first one ended the previous read
        found = data.find(b"  ")
        return None if found < 0 else found + 1

    def _feed_fast(self, data: bytes) -> FeedResult:
        carry = self._carry
        if carry is not None and data:
            carry = carry + data if carry else data
        try:
            messages, upgraded, tail = self._fast.feed_data(data)
        except HttpProcessingError as exc:
            if carry is None or not self._body_done():
                # A refusal inside a body, or of bytes no longer kept: it stands.
                raise BadHttpMessage(refusal_reason(exc)) from None
            return self._replay(carry)
        if messages:
            self._since += len(messages)
            self._fast_pending += len(messages)
            self._last = messages[-1]
        if data:
            self._after_space = data[-1] == 0x20
        self._carry = None if upgraded else self._keep(carry)
        return messages, upgraded, tail

    def _body_done(self) -> bool:
        return self._last is None or self._last[1].is_eof()

    def _keep(self, carry: bytes | None) -> bytes | None:
        """The bytes to keep for a replay: none once the requests delivered since the
        boundary end exactly where ``carry`` ends.

        Below the queue limit the C parser holds nothing back, so after a request without a
        body, bytes ending in an empty line are that request's head (a later head ending so
        would have been delivered). A single request with a body is measured.
        """
        if not carry:
            return carry
        if self._since and self._fast_pending < MAX_MSG_QUEUE_SIZE:
            assert self._last is not None
            if self._last[1] is EMPTY_PAYLOAD:
                ends = carry.endswith(b"\r\n\r\n")  # the common case
            else:
                ends = self._ends_after_body(carry)
            if ends:
                self._since = 0
                return b""
        return carry if len(carry) <= MAX_REPLAY else None

    def _ends_after_body(self, carry: bytes) -> bool:
        assert self._last is not None
        message, payload = self._last
        if self._since != 1 or message.chunked or not payload.is_eof():
            return False
        length = message.headers.get("Content-Length", "")
        if not (length.isascii() and length.isdigit()) or carry[:1] in (b"\r", b"\n"):
            return False
        return carry.find(b"\r\n\r\n") + 4 + int(length) == len(carry)

    def _replay(self, carry: bytes) -> FeedResult:
        """Hand the connection to the lenient parser, which reads ``carry`` again."""
        lenient = self._lenient = self._make_lenient()
        skip = self._since
        messages: Messages = []
        batch, upgraded, tail = lenient.feed_data(carry)
        while True:
            for item in batch:
                if skip:
                    # Delivered by the C parser already: parsed again only to find its end.
                    skip -= 1
                    lenient.message_consumed()
                else:
                    messages.append(item)
            if not skip or not batch:
                break
            # The lenient parser stops at its queue limit; the skipped requests freed it.
            batch, upgraded, tail = lenient.feed_data(b"")
        if skip:
            raise BadHttpMessage("malformed request")
        return messages, upgraded, tail

    def message_consumed(self) -> None:
        if self._fast_pending:
            self._fast_pending -= 1
            if self._lenient is None:
                self._fast.message_consumed()
        elif self._lenient is not None:
            self._lenient.message_consumed()

    def set_upgraded(self, value: bool) -> None:
        (self._lenient or self._fast).set_upgraded(value)

    def pause_reading(self) -> None:
        (self._lenient or self._fast).pause_reading()

    def feed_eof(self) -> Any:
        return (self._lenient or self._fast).feed_eof()
