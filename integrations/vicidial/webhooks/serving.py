"""Serving the receiver so that aiohttp does not refuse what ViciDial's senders really send.

aiohttp's request parsers answer 400 before any handler runs when the request-target holds a
raw space (PHP's file() sender inserts some values unencoded) or raw non-ASCII or control bytes
(curl in the AGI scripts sends UTF-8 raw; Latin-1 bytes occur too). ViciDial never retries, so
such a refusal is a lost event. Here each request line is repaired before it is parsed: in the
request-target, raw spaces, control bytes and bytes >= 0x80 are percent-encoded, and nothing
else is touched (``%2B`` stays ``%2B``, ``+`` stays ``+``), so ``decoding.decode_query`` reads
exactly what the sender substituted. Headers and bodies are never changed.

The repair lives in the parser itself, where aiohttp knows where each request starts (after
the previous body, chunked or not), so it applies to every request of a keep-alive or
pipelined connection and to request lines that arrive split across many reads. This parser is
aiohttp's pure-Python one; the benchmark measures what that costs against the C parser.

``start_receiver`` is the one entry point: the daemon and the tests serve through it.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Iterable
from typing import Any

from aiohttp import web, web_protocol
from aiohttp.helpers import DEFAULT_CHUNK_SIZE
from aiohttp.http_exceptions import (
    BadHttpMessage,
    BadHttpMethod,
    BadStatusLine,
    HttpProcessingError,
    InvalidHeader,
    InvalidURLError,
    LineTooLong,
)
from aiohttp.http_parser import HttpRequestParserPy, RawRequestMessage
from aiohttp.streams import StreamReader
from aiohttp.web_protocol import RequestHandler, RequestPayloadError
from pydantic import SecretStr

from .redaction import RedactingAccessLogger, RedactingFilter

# ViciDial's dispo URL can carry long call notes; the request line may be this long before it
# is refused with 400 (aiohttp's own default, 8190, would refuse some real notes). Header
# lines keep aiohttp's limit.
MAX_REQUEST_LINE = 16 * 1024
SERVER_LOGGER = "aiohttp.server.webhooks"
ACCESS_LOGGER = "aiohttp.access.webhooks"

# What a sender may leave raw in a request-target that aiohttp refuses: space, controls, DEL
# and every byte that is not ASCII. Everything else is left exactly as it came.
_UNSAFE = re.compile(rb"[\x00-\x20\x7f-\xff]")
_VERSION = re.compile(rb" HTTP/[0-9]\.[0-9]\Z")
_PLAIN_REASON = re.compile(r"[A-Za-z '`:,.]{1,80}")


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

    def feed_data(
        self, data: bytes, *args: Any, **kwargs: Any
    ) -> tuple[list[tuple[RawRequestMessage, StreamReader]], bool, bytes]:
        try:
            return super().feed_data(data, *args, **kwargs)
        except HttpProcessingError as exc:
            # aiohttp's messages quote the request line (token included) back to the sender
            # and hold digits (limits, "HTTP/1.1"); ViciDial reads any digit in a DID filter
            # answer as a decision, so a refusal says what went wrong in words only.
            raise BadHttpMessage(_reason(exc)) from None


def _reason(error: HttpProcessingError) -> str:
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


class LenientRequestHandler(RequestHandler):
    """aiohttp's connection protocol with ``LenientRequestParser`` in place of the C parser."""

    def __init__(
        self,
        manager: web.Server,
        *,
        loop: asyncio.AbstractEventLoop,
        max_line_size: int = MAX_REQUEST_LINE,
        max_headers: int = 128,
        max_field_size: int = 8190,
        read_bufsize: int = DEFAULT_CHUNK_SIZE,
        auto_decompress: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            manager,
            loop=loop,
            max_line_size=max_line_size,
            max_headers=max_headers,
            max_field_size=max_field_size,
            read_bufsize=read_bufsize,
            auto_decompress=auto_decompress,
            **kwargs,
        )
        # The arguments RequestHandler gives its own parser. aiohttp 3.14 bounds how many
        # parsed requests may queue on a connection; earlier versions have no such argument.
        queue: dict[str, Any] = {}
        if hasattr(web_protocol, "MAX_MSG_QUEUE_SIZE"):
            queue["max_msg_queue_size"] = web_protocol.MAX_MSG_QUEUE_SIZE
        self._parser = LenientRequestParser(
            self,
            loop,
            read_bufsize,
            max_line_size=max_line_size,
            max_field_size=max_field_size,
            max_headers=max_headers,
            payload_exception=RequestPayloadError,
            auto_decompress=auto_decompress,
            **queue,
        )


class LenientServer(web.Server):
    """An aiohttp low-level server whose connections use ``LenientRequestHandler``."""

    def __call__(self) -> RequestHandler:
        return LenientRequestHandler(self, loop=self._loop, **self._kwargs)


class LenientAppRunner(web.AppRunner):
    """An ``AppRunner`` serving through ``LenientServer``, logging with tokens redacted.

    aiohttp's server and access records go to child loggers of ``aiohttp.server`` and
    ``aiohttp.access`` (so their configuration still applies), each with a ``RedactingFilter``
    that masks the tokens and reduces a traceback to one line.
    """

    def __init__(
        self, app: web.Application, *, secrets: Iterable[str | SecretStr] = (), **kwargs: Any
    ) -> None:
        plain = [s.get_secret_value() if isinstance(s, SecretStr) else s for s in secrets]
        self._redacting = RedactingFilter(plain)
        self._loggers = (logging.getLogger(SERVER_LOGGER), logging.getLogger(ACCESS_LOGGER))
        kwargs.setdefault("access_log_class", RedactingAccessLogger)
        kwargs.setdefault("access_log", self._loggers[1])  # None turns the access log off
        super().__init__(app, logger=self._loggers[0], **kwargs)

    async def setup(self) -> None:
        for logger in self._loggers:
            logger.addFilter(self._redacting)
        await super().setup()

    async def cleanup(self) -> None:
        try:
            await super().cleanup()
        finally:
            for logger in self._loggers:
                logger.removeFilter(self._redacting)

    async def _make_server(self) -> web.Server:
        plain = await super()._make_server()
        # AppRunner builds a plain Server from the app; the same one, lenient.
        return LenientServer(
            plain.request_handler,
            request_factory=plain.request_factory,
            handler_cancellation=plain.handler_cancellation,
            loop=plain._loop,
            **plain._kwargs,
        )


async def start_receiver(
    app: web.Application,
    host: str,
    port: int,
    *,
    secrets: Iterable[str | SecretStr] = (),
    **runner_settings: Any,
) -> LenientAppRunner:
    """Serve ``app`` (the receiver mounted at /webhooks) on ``host``:``port`` leniently.

    ``secrets`` are the receiver's tokens, masked in every aiohttp log line besides any
    ``token=`` parameter. ``runner_settings`` go to ``aiohttp.web.AppRunner`` (for example
    ``keepalive_timeout``; ``max_line_size`` defaults to ``MAX_REQUEST_LINE``). Port 0 picks a
    free port: read it from ``runner.addresses``. Stop with ``await runner.cleanup()``.
    """
    runner = LenientAppRunner(app, secrets=secrets, **runner_settings)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
    except BaseException:
        await runner.cleanup()
        raise
    return runner
