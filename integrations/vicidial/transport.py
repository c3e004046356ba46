"""HTTP transport shared by the agent and admin clients.

ViciDial web servers are fragile, so each host gets one aiohttp session and one limit of
requests in flight, whichever client (agent or admin) sends them. Credentials travel in a POST
form by default so they stay out of URLs and access logs.
"""

from __future__ import annotations

import asyncio
import logging
import random
import ssl as ssl_module
from dataclasses import dataclass
from types import TracebackType
from typing import Literal
from urllib.parse import urlsplit

import aiohttp

from integrations.vicidial.errors import (
    ViciConnectionError,
    ViciTimeoutError,
    ViciValidationError,
)

log = logging.getLogger(__name__)

Method = Literal["GET", "POST"]
DEFAULT_MAX_IN_FLIGHT = 10
DEFAULT_RETRIES = 2
SOURCE_MAX_LENGTH = 20


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


def decode_body(data: bytes) -> str:
    # Many ViciDial databases are latin1; a body that is not UTF-8 is read as Latin-1 rather
    # than refused, so no byte is lost.
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


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
    ) -> None:
        if max_in_flight < 1:
            raise ViciValidationError("max_in_flight must be at least 1", sent=False)
        if retries < 0:
            raise ViciValidationError("retries must not be negative", sent=False)
        self._given_session = session
        self._max_in_flight = max_in_flight
        self._ssl = ssl
        self._retries = retries
        self._backoff = backoff
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
        """Send one call; retry only calls that read, only on transient failures."""
        parts = urlsplit(url)
        host = self._host(f"{parts.scheme}://{parts.netloc}")
        attempts = 1 + (self._retries if reads else 0)
        for attempt in range(attempts):
            try:
                answer = await self._send_once(host, url, params, method, timeout)
            except (TimeoutError, aiohttp.ServerTimeoutError):
                if attempt + 1 < attempts:
                    await self._pause(attempt, function, "timeout")
                    continue
                raise ViciTimeoutError(
                    f"no answer within {timeout:g}s"
                    + ("" if reads else "; the outcome is unknown, the dialer may have acted"),
                    function=function,
                    timeout=timeout,
                    outcome_unknown=not reads,
                ) from None
            except aiohttp.ClientConnectorError as exc:
                if attempt + 1 < attempts:
                    await self._pause(attempt, function, "cannot connect")
                    continue
                raise ViciConnectionError(
                    f"cannot connect to {parts.netloc}: {exc.os_error.strerror or exc}",
                    function=function,
                    sent=False,
                ) from None
            except aiohttp.ClientError as exc:
                if attempt + 1 < attempts:
                    await self._pause(attempt, function, type(exc).__name__)
                    continue
                outcome = "" if reads else "; the outcome is unknown, the dialer may have acted"
                raise ViciConnectionError(
                    f"connection to {parts.netloc} failed: {type(exc).__name__}{outcome}",
                    function=function,
                ) from None
            if answer.status >= 500 and attempt + 1 < attempts:
                await self._pause(attempt, function, f"HTTP {answer.status}")
                continue
            # HTTP errors are the caller's to raise: only it can redact the body.
            return answer
        raise AssertionError("unreachable")  # pragma: no cover

    async def _send_once(
        self, host: _Host, url: str, params: dict[str, str], method: Method, timeout: float
    ) -> HttpAnswer:
        client_timeout = aiohttp.ClientTimeout(total=timeout)
        async with host.limit:
            if method == "POST":
                request = host.session.post(
                    url, data=params, timeout=client_timeout, ssl=self._ssl, allow_redirects=False
                )
            else:
                request = host.session.get(
                    url, params=params, timeout=client_timeout, ssl=self._ssl, allow_redirects=False
                )
            async with request as response:
                data = await response.read()
                return HttpAnswer(
                    response.status, decode_body(data), response.headers.get("Content-Type", "")
                )

    async def _pause(self, attempt: int, function: str, why: str) -> None:
        # Exponential backoff with full jitter, so many clients retrying do not stampede.
        delay = random.uniform(0, self._backoff * (2**attempt))
        log.info("retrying %s after %s (attempt %d) in %.2fs", function, why, attempt + 2, delay)
        await asyncio.sleep(delay)
