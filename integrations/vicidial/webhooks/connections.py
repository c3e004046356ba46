"""Connections that slow, idle or hostile clients cannot pile up.

aiohttp waits about an hour for an idle connection and accepts connections until the process
runs out of file descriptors; then every webhook is lost and asyncio logs a traceback per
failed accept. Here every connection of one server shares a ``ConnectionGuard``:
- a request head must arrive within ``head_timeout`` of the connection's opening or of its
  first byte (408 when part of it came, else the connection just closes);
- a kept-alive connection waits ``keepalive_timeout`` for its next request;
- at most ``max_connections`` are open: a new one closes the longest idle connection (one
  that is waiting for a request or still receiving its head), or is refused with 503 when
  every connection is busy with a request, so idle sockets can never lock real senders out;
- what aiohttp would log with a traceback, or answer with a digit, is one line in words,
  within the server's log budget.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any, cast

from aiohttp import web
from aiohttp.helpers import DEFAULT_CHUNK_SIZE
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.web_protocol import MAX_MSG_QUEUE_SIZE, RequestHandler, RequestPayloadError

from .config import ReceiverConfig
from .log_limit import LogLimiter
from .redaction import Redactor, printable
from .refusals import digit_free, plain_http_error, raw_refusal, refusal, status_phrase
from .request_parser import MAX_REQUEST_LINE, FallbackRequestParser, LenientRequestParser

_TOO_SLOW = raw_refusal(408, "request head too slow")
_LINGER = 1.0  # seconds a refused connection still reads (and drops) what its client sends
_ALL_BUSY = raw_refusal(503, "too many connections: try again")
# Errors a client causes (a malformed or cut-off request): INFO, not ERROR.
_CLIENT_ERRORS = (HttpProcessingError, RequestPayloadError, ConnectionError)


@dataclass
class ConnectionGuard:
    """The limits, redaction and log budget shared by every connection of one server."""

    config: ReceiverConfig
    redactor: Redactor
    limiter: LogLimiter
    logger: logging.Logger
    _open: dict[GuardedRequestHandler, None] = field(default_factory=dict, repr=False)

    @property
    def open_connections(self) -> int:
        return len(self._open)

    @property
    def busy_connections(self) -> int:
        """Open connections with a request being handled."""
        return sum(not handler.idle for handler in self._open)

    def admit(self, handler: GuardedRequestHandler) -> bool:
        """Make room for ``handler`` under the limit; False when every connection is busy."""
        if len(self._open) >= self.config.max_connections:
            idle = [h for h in self._open if h.idle]
            if not idle:
                self.log(logging.WARNING, "connection refused: all %d are busy", len(self._open))
                return False
            # The one aiohttp's timer would close first: idle longest, or slowest with its head.
            longest = min(idle, key=lambda h: h._next_keepalive_close_time)
            self.log(logging.WARNING, "connection limit reached: closed the longest idle one")
            self.release(longest)
            longest.force_close()
        self._open[handler] = None
        return True

    def release(self, handler: GuardedRequestHandler) -> None:
        self._open.pop(handler, None)

    def log(self, level: int, message: str, *args: object) -> None:
        self.limiter.log(self.logger, level, message, *args)


class GuardedRequestHandler(RequestHandler):
    """aiohttp's connection protocol under a ``ConnectionGuard``, parsing leniently."""

    __slots__ = ("_auto_decompress", "_head_bytes", "_head_open", "_lingering", "guard")

    def __init__(
        self,
        manager: web.Server,
        *,
        loop: asyncio.AbstractEventLoop,
        guard: ConnectionGuard,
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
            keepalive_timeout=guard.config.keepalive_timeout,
            # After a refusal aiohttp reads the rest of a body (so the sender can read the
            # answer) for this long; a body that was too slow gets no longer than it had.
            lingering_time=guard.config.body_timeout,
            max_line_size=max_line_size,
            max_field_size=max_field_size,
            max_headers=max_headers,
            read_bufsize=read_bufsize,
            auto_decompress=auto_decompress,
            **kwargs,
        )
        # The fallback parser offers the methods RequestHandler calls on its parser.
        self._parser = cast(Any, FallbackRequestParser(cast(Any, self._parser), self._lenient))
        self._auto_decompress = auto_decompress
        self.guard = guard
        self._head_open = False  # a head is being waited for, under head_timeout
        self._head_bytes = False  # and some of it arrived
        self._lingering = False  # refused: what still arrives is read and dropped

    def _lenient(self) -> LenientRequestParser:
        """The parser for the rest of a connection the C parser refused, made as
        RequestHandler makes its own; most connections never need one."""
        return LenientRequestParser(
            self,
            self._loop,
            self._read_bufsize,
            max_line_size=self.max_line_size,
            max_field_size=self.max_field_size,
            max_headers=self.max_headers,
            payload_exception=RequestPayloadError,
            auto_decompress=self._auto_decompress,
            max_msg_queue_size=MAX_MSG_QUEUE_SIZE,
        )

    @property
    def idle(self) -> bool:
        """No request is being handled: the connection waits for one or for its head, or it
        is so new that its task has not run yet (a burst of connections is accepted in one
        turn of the loop, before any of their tasks starts)."""
        if self._force_close:
            return False
        waiter = self._waiter  # aiohttp's loop waits on it for the next parsed request
        if waiter is not None:
            return not waiter.done()
        return self._request_count == 0 and not self._messages

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        if not self.guard.admit(self):
            # Before aiohttp's setup: no task, no timer, nothing to clean up but the socket.
            cast(asyncio.Transport, transport).write(_ALL_BUSY)
            transport.close()
            return
        super().connection_made(transport)
        self._head_open = True
        self._arm(self.guard.config.head_timeout)

    def connection_lost(self, exc: BaseException | None) -> None:
        self.guard.release(self)
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._lingering:
            return
        if data:
            if not self._head_open and self.idle:
                # A kept-alive connection's next request: its head has head_timeout from now.
                self._head_open = True
                self._arm(self.guard.config.head_timeout)
            self._head_bytes = self._head_open
        parsed = self._request_count
        super().data_received(data)
        if self._request_count != parsed:
            self._head_open = self._head_bytes = False

    def _arm(self, seconds: float) -> None:
        """Close the connection ``seconds`` from now unless a request arrives (aiohttp's
        keep-alive timer, which checks this time again before it closes)."""
        close_time = self._loop.time() + seconds
        self._next_keepalive_close_time = close_time
        handle = cast("asyncio.TimerHandle | None", self._keepalive_handle)
        if handle is None or handle.when() > close_time:
            if handle is not None:
                handle.cancel()
            self._keepalive_handle = self._loop.call_at(close_time, self._process_keepalive)

    def _process_keepalive(self) -> None:
        waiting = self._waiter is not None and not self._waiter.done()
        late = self._loop.time() >= self._next_keepalive_close_time
        if self._head_bytes and waiting and late and not self._force_close:
            self._keepalive_handle = None
            self.guard.log(logging.INFO, "request head from %s too slow: closed", self._peer())
            transport = self.transport
            if transport is not None and transport.can_write_eof():
                # A lingering close: the 408 and our end of the stream go out, and what the
                # client still sends is read and dropped for a moment. Closing at once with
                # its bytes unread would reset the connection, and the client could lose the
                # 408 it was sent.
                transport.write(_TOO_SLOW)
                transport.write_eof()
                self._lingering = True
                self._loop.call_later(_LINGER, self.force_close)
                return
            if transport is not None:
                transport.write(_TOO_SLOW)
            self.force_close()
            return
        super()._process_keepalive()

    def _peer(self) -> str:
        peer = self.peername
        return str(peer[0]) if isinstance(peer, tuple) else str(peer)

    def finish_response(
        self, request: web.BaseRequest, resp: web.StreamResponse, start_time: float | None
    ) -> Coroutine[Any, Any, tuple[web.StreamResponse, bool]]:
        # Not a coroutine of its own: this runs for every response.
        return super().finish_response(request, plain_http_error(resp), start_time)

    def handle_error(
        self,
        request: web.BaseRequest,
        status: int = 500,
        exc: BaseException | None = None,
        message: str | None = None,
    ) -> web.StreamResponse:
        if request.writer.output_size > 0:
            # As aiohttp: part of an answer went out, no other answer can follow.
            raise ConnectionError("response already started, cannot answer the error")
        if status < 500:
            reason = digit_free(message, status) if message else status_phrase(status)
            self.guard.log(
                logging.INFO, "request from %s refused: %s %s", request.remote, status, reason
            )
        else:
            reason = status_phrase(status)
            self.guard.log(
                logging.ERROR,
                "request from %s failed: %s",
                request.remote,
                _describe(exc, self.guard),
            )
        response = refusal(status, reason)
        response.force_close()
        return response

    def log_exception(self, *args: Any, **kwargs: Any) -> None:
        # aiohttp logs here with a traceback (a payload error found while draining a body,
        # a handler's defect); one line instead, at INFO when the client caused it.
        error = kwargs.get("exc_info")
        try:
            what = str(args[0]) % args[1:] if args else "error"
        except (TypeError, ValueError):  # a message holding a '%' of its own
            what = str(args[0])
        level = logging.INFO if isinstance(error, _CLIENT_ERRORS) else logging.ERROR
        what = printable(self.guard.redactor.text(what))
        self.guard.log(level, "%s: %s", what, _describe(error, self.guard))


def _describe(error: object, guard: ConnectionGuard) -> str:
    if not isinstance(error, BaseException):
        return "no details"
    text = " ".join(str(error).split())
    return printable(guard.redactor.text(f"{type(error).__name__}: {text}"))
