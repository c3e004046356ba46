"""HTTP transport shared by the agent and admin clients.

ViciDial web servers are fragile, so each host gets one aiohttp session and one limit of
requests in flight, whichever client (agent or admin) sends them. Credentials travel in a POST
form by default so they stay out of URLs and access logs.

What a misbehaving server can cost is bounded: a call's timeout covers all its attempts and
the pauses between them, and an answer is read only up to ``max_answer_bytes`` (counted after
gzip or deflate is undone, so a small compressed bomb is caught as it expands).
"""

from __future__ import annotations

import asyncio
import logging
import math
import random
import ssl as ssl_module
from dataclasses import dataclass
from types import TracebackType
from typing import Literal
from urllib.parse import urlsplit

import aiohttp

from integrations.vicidial.errors import (
    ViciConnectionError,
    ViciProtocolError,
    ViciTimeoutError,
    ViciValidationError,
)

log = logging.getLogger(__name__)

Method = Literal["GET", "POST"]
DEFAULT_MAX_IN_FLIGHT = 10
DEFAULT_RETRIES = 2
# Large enough for a day's reports of a big call center, small enough that an endless or
# decompression-bomb answer cannot take the host's memory.
DEFAULT_MAX_ANSWER_BYTES = 64 * 1024 * 1024
SOURCE_MAX_LENGTH = 20
_READ_CHUNK = 64 * 1024
_UNKNOWN_OUTCOME = "; the outcome is unknown, the dialer may have acted"


@dataclass(frozen=True, slots=True)
class HttpAnswer:
    status: int
    body: str
    content_type: str


def check_source(source: str) -> str:
    if not source or len(source) > SOURCE_MAX_LENGTH:
        raise ViciValidationError(
            f"source must be 1 to {SOURCE_MAX_LENGTH} characters, got {len(source)}", sent=False
        )
    return source


def check_timeout(timeout: float, *, function: str | None = None) -> float:
    """A timeout in seconds: a finite number above zero, else a ViciValidationError."""
    if (
        isinstance(timeout, bool)
        or not isinstance(timeout, int | float)
        or not math.isfinite(timeout)
        or timeout <= 0
    ):
        raise ViciValidationError(
            f"timeout must be a number of seconds above zero, got {timeout!r}",
            function=function,
            sent=False,
        )
    return float(timeout)


def decode_body(data: bytes | bytearray) -> str:
    # Many ViciDial databases are latin1; a body that is not UTF-8 is read as Latin-1 rather
    # than refused, so no byte is lost.
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


_NO_ANSWER = HttpAnswer(0, "", "")


def _attempts(made: int) -> str:
    return f"{made} attempt" + ("s" if made != 1 else "")


class _Host:
    __slots__ = ("limit", "owned", "session")

    def __init__(self, session: aiohttp.ClientSession, owned: bool, max_in_flight: int) -> None:
        self.session = session
        self.owned = owned
        self.limit = asyncio.Semaphore(max_in_flight)


class Transport:
    """Sends requests to one or more ViciDial hosts.

    Pass one Transport to several clients (``ViciAgent(..., transport=t)``,
    ``ViciAdmin(..., transport=t)``) and they share each host's session and in-flight limit.
    """

    def __init__(
        self,
        *,
        session: aiohttp.ClientSession | None = None,
        max_in_flight: int = DEFAULT_MAX_IN_FLIGHT,
        ssl: ssl_module.SSLContext | bool = True,
        retries: int = DEFAULT_RETRIES,
        backoff: float = 0.5,
        user_agent: str = "vicibus",
        max_answer_bytes: int = DEFAULT_MAX_ANSWER_BYTES,
    ) -> None:
        if max_in_flight < 1:
            raise ViciValidationError("max_in_flight must be at least 1", sent=False)
        if retries < 0:
            raise ViciValidationError("retries must not be negative", sent=False)
        if not math.isfinite(backoff) or backoff < 0:
            raise ViciValidationError("backoff must be a number of seconds, 0 or more", sent=False)
        if isinstance(max_answer_bytes, bool) or max_answer_bytes < 1:
            raise ViciValidationError("max_answer_bytes must be at least 1", sent=False)
        self._given_session = session
        self._max_in_flight = max_in_flight
        self._ssl = ssl
        self._retries = retries
        self._backoff = backoff
        self.max_answer_bytes = max_answer_bytes
        self._user_agent = user_agent
        self._hosts: dict[str, _Host] = {}
        self._users = 0

    def _host(self, origin: str) -> _Host:
        host = self._hosts.get(origin)
        if host is None:
            if self._given_session is not None:
                host = _Host(self._given_session, False, self._max_in_flight)
            else:
                session = aiohttp.ClientSession(headers={"User-Agent": self._user_agent})
                host = _Host(session, True, self._max_in_flight)
            self._hosts[origin] = host
        return host

    def acquire(self) -> None:
        self._users += 1

    async def release(self) -> None:
        self._users -= 1
        if self._users <= 0:
            await self.close()

    async def close(self) -> None:
        hosts, self._hosts = self._hosts, {}
        for host in hosts.values():
            if host.owned:
                await host.session.close()

    async def __aenter__(self) -> Transport:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def send(
        self,
        url: str,
        params: dict[str, str],
        *,
        function: str,
        method: Method,
        timeout: float,
        reads: bool,
    ) -> HttpAnswer:
        """Send one call; retry only calls that read, only on transient failures.

        ``timeout`` bounds the whole call: every attempt and every pause between them.
        """
        timeout = check_timeout(timeout, function=function)
        parts = urlsplit(url)
        host = self._host(f"{parts.scheme}://{parts.netloc}")
        attempts = 1 + (self._retries if reads else 0)
        made, last = 0, ""
        try:
            async with asyncio.timeout(timeout):
                while True:
                    made += 1
                    answer, failure = await self._attempt(host, url, params, method, function)
                    if failure is None and answer.status < 500:
                        # HTTP errors are the caller's to raise: only it can redact the body.
                        return answer
                    last = failure.reason if failure is not None else f"HTTP {answer.status}"
                    if made >= attempts:
                        break
                    await self._pause(made - 1, function, last)
        except TimeoutError:
            cause = f"; the last failed: {last}" if last else ""
            raise ViciTimeoutError(
                f"no answer within {timeout:g}s ({_attempts(made)}{cause})"
                + ("" if reads else _UNKNOWN_OUTCOME),
                function=function,
                timeout=timeout,
                outcome_unknown=not reads,
            ) from None
        if failure is None:
            return answer  # a 5xx after the last attempt
        # A refused connection sent nothing; a broken one may have carried the request.
        unknown = "" if reads or not failure.sent else _UNKNOWN_OUTCOME
        raise ViciConnectionError(
            f"{failure.reason} ({_attempts(made)}){unknown}", function=function, sent=failure.sent
        )

    async def _attempt(
        self, host: _Host, url: str, params: dict[str, str], method: Method, function: str
    ) -> tuple[HttpAnswer, ViciConnectionError | None]:
        """One request: its answer, or the connection failure a retry may mend."""
        netloc = urlsplit(url).netloc
        try:
            return await self._send_once(host, url, params, method, function), None
        except aiohttp.ClientConnectorError as exc:
            reason = f"cannot connect to {netloc}: {exc.os_error.strerror or exc}"
            return _NO_ANSWER, ViciConnectionError(reason, function=function, sent=False)
        except aiohttp.ClientError as exc:
            reason = f"connection to {netloc} failed: {type(exc).__name__}"
            return _NO_ANSWER, ViciConnectionError(reason, function=function)

    async def _send_once(
        self, host: _Host, url: str, params: dict[str, str], method: Method, function: str
    ) -> HttpAnswer:
        # The call's own deadline bounds the request; aiohttp's timeouts would only cut it
        # shorter, or, from a shared session, longer.
        no_timeout = aiohttp.ClientTimeout()
        async with host.limit:
            if method == "POST":
                request = host.session.post(
                    url, data=params, timeout=no_timeout, ssl=self._ssl, allow_redirects=False
                )
            else:
                request = host.session.get(
                    url, params=params, timeout=no_timeout, ssl=self._ssl, allow_redirects=False
                )
            async with request as response:
                data = await self._read_body(response, function)
                return HttpAnswer(
                    response.status, decode_body(data), response.headers.get("Content-Type", "")
                )

    async def _read_body(self, response: aiohttp.ClientResponse, function: str) -> bytearray:
        """The body, refused as soon as it passes ``max_answer_bytes``.

        aiohttp undoes gzip and deflate as the body arrives, a bounded piece at a time, so the
        count is of the answer itself and a compressed bomb stops at the limit.
        """
        limit = self.max_answer_bytes
        data = bytearray()
        async for chunk in response.content.iter_chunked(_READ_CHUNK):
            data += chunk
            if len(data) > limit:
                raise ViciProtocolError(
                    f"answer larger than {limit:,} bytes (max_answer_bytes); not read further",
                    function=function,
                )
        return data

    async def _pause(self, attempt: int, function: str, why: str) -> None:
        # Exponential backoff with full jitter, so many clients retrying do not stampede.
        delay = random.uniform(0, self._backoff * (2**attempt))
        log.info("retrying %s after %s (attempt %d) in %.2fs", function, why, attempt + 2, delay)
        await asyncio.sleep(delay)
