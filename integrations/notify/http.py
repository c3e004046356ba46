"""The ``http`` platform: POST (or PUT) a notification to a URL: JSON, a chat service's
incoming-webhook message, or the target's own template.

Each attempt has the target's timeout. A connection error (nothing answered) and a 5xx answer
are tried again, ``retries`` times, after 1 s, 2 s, 4 s, ... (at most 30 s) on the engine's
clock; a 4xx or a redirect is the receiver's refusal and is not; a timeout after the request
went out is not either, since the receiver may have taken it (a chat message posted twice).
The URL and the headers are never logged nor put in an error: an incoming-webhook URL is
the credential itself.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
from collections.abc import Callable

import aiohttp

from engine.clock import Clock
from engine.services import ServiceCall
from integrations.notify.bodies import (
    Body,
    json_body,
    mattermost_body,
    slack_body,
    teams_body,
    template_body,
)
from integrations.notify.config import HttpTarget
from integrations.notify.errors import (
    NotifyNotStartedError,
    NotifyRejectedError,
    NotifyTimeoutError,
    NotifyTlsError,
    NotifyUnavailableError,
    quoted_reply,
    secret_pieces,
)
from integrations.notify.models import ChatParams, DataParams, HttpResult, NotifyParams
from integrations.notify.templates import TargetTemplate

logger = logging.getLogger(__name__)

BACKOFF = 1.0  # seconds before the first retry; doubled for each further one
MAX_BACKOFF = 30.0
# Enough of an error answer to quote its first line; the rest is not read.
_REPLY_BYTES = 4096

Sessions = Callable[[], aiohttp.ClientSession | None]

_FORMATS: dict[str, tuple[type[NotifyParams], Callable[..., Body]]] = {
    "json": (DataParams, json_body),
    "slack": (ChatParams, slack_body),
    "mattermost": (ChatParams, mattermost_body),
    "teams": (NotifyParams, teams_body),
}


def backoff(attempt: int) -> float:
    """The wait after failed attempt number ``attempt`` (1, 2, ...)."""
    return min(MAX_BACKOFF, BACKOFF * 2.0 ** (attempt - 1))


class _RetryableError(Exception):
    """One attempt failed in a way worth trying again."""

    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


class HttpNotifier:
    platform = "http"
    result = HttpResult

    def __init__(self, target: HttpTarget, clock: Clock, sessions: Sessions) -> None:
        self.target = target
        self.name = target.name
        self._clock = clock
        self._sessions = sessions
        self._template = (
            TargetTemplate(target.name, "body", target.body) if target.body is not None else None
        )
        self.params: type[NotifyParams]
        self.body: Callable[..., Body]
        if self._template is not None:
            self.params, self.body = DataParams, self._templated
        else:
            self.params, self.body = _FORMATS[target.format]
        secrets = [value.get_secret_value() for value in target.headers.values()]
        self._pieces = secret_pieces(secrets, url=target.url.get_secret_value())
        self._ssl: ssl.SSLContext | bool = True

    def __repr__(self) -> str:
        return f"HttpNotifier({self.name!r}, {self._shape})"

    @property
    def _shape(self) -> str:
        return "a templated body" if self._template is not None else self.target.format

    @property
    def description(self) -> str:
        return f"send a notification over HTTP ({self._shape})"

    async def start(self) -> None:
        if self.target.ca_file is not None:
            # Reading the file is blocking I/O: off the loop, like every send's work.
            self._ssl = await asyncio.to_thread(
                ssl.create_default_context, cafile=str(self.target.ca_file)
            )

    def _templated(self, params: DataParams) -> Body:
        assert self._template is not None
        return template_body(self._template, params, self.name)

    async def send(self, params: NotifyParams, call: ServiceCall) -> HttpResult:
        body = self.body(params)  # a template error, before anything is sent
        session = self._sessions()
        if session is None:
            raise NotifyNotStartedError(self.name, "the notify integration is not started")
        headers = {name: value.get_secret_value() for name, value in self.target.headers.items()}
        if not any(name.lower() == "content-type" for name in headers):
            headers["Content-Type"] = body.content_type
        attempts = 1 + self.target.retries
        for attempt in range(1, attempts + 1):
            try:
                status = await self._attempt(session, body.data, headers, attempt)
            except _RetryableError as retry:
                if attempt == attempts:
                    raise NotifyUnavailableError(
                        self.name, retry.reason, status=retry.status, attempts=attempt
                    ) from None
                delay = backoff(attempt)
                logger.warning(
                    "notify.%s: %s; trying again in %gs (attempt %d of %d)",
                    self.name,
                    retry.reason,
                    delay,
                    attempt + 1,
                    attempts,
                )
                await self._clock.sleep(delay)
                continue
            return HttpResult(target=self.name, status=status, attempts=attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _attempt(
        self, session: aiohttp.ClientSession, data: bytes, headers: dict[str, str], attempt: int
    ) -> int:
        """One request: its 2xx status, or _RetryableError, or the error that ends the call. The
        exceptions' own texts are never used: aiohttp's quote the URL."""
        target = self.target
        try:
            async with session.request(
                target.method,
                target.url.get_secret_value(),
                data=data,
                headers=headers,
                timeout=aiohttp.ClientTimeout(total=target.timeout),
                ssl=self._ssl,
                allow_redirects=False,
            ) as response:
                status = response.status
                reply = b"" if status < 300 else await response.content.read(_REPLY_BYTES)
        except aiohttp.ConnectionTimeoutError:
            # Nothing was sent: as safe to try again as a refused connection.
            raise _RetryableError(f"cannot connect within {target.timeout:g}s") from None
        except TimeoutError:
            raise NotifyTimeoutError(self.name, target.timeout, attempts=attempt) from None
        except aiohttp.ClientConnectorCertificateError as exc:
            why = getattr(exc.certificate_error, "verify_message", None)
            raise NotifyTlsError.untrusted(self.name, why) from None
        except aiohttp.ClientSSLError as exc:
            why = getattr(exc.os_error, "reason", None) or type(exc.os_error).__name__
            raise NotifyTlsError(self.name, f"TLS failed: {why}") from None
        except aiohttp.ClientConnectorError as exc:
            why = exc.os_error.strerror or type(exc.os_error).__name__
            raise _RetryableError(f"cannot connect ({why})") from None
        except aiohttp.ClientError as exc:
            raise _RetryableError(f"the connection failed ({type(exc).__name__})") from None
        if status < 300:
            return status
        quoted = quoted_reply(reply.decode("utf-8", "replace"), self._pieces)
        why = f"HTTP {status}" + (f" ({quoted})" if quoted else "")
        if status >= 500:
            raise _RetryableError(why, status)
        if status < 400:
            why += ": a redirect, not followed; configure the URL it points at"
        raise NotifyRejectedError(self.name, why, status=status)
