"""The aiohttp sub-application that receives ViciDial's callback requests.

Mount it with ``app.add_subapp("/webhooks", create_receiver(...))`` and serve it with
``serving.start_receiver``. It never answers 500: every refusal is a status with a one-line
reason (``refusals``), a client's bad request is a 4xx and an INFO line, and the lines that
outside requests cause share a log budget.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from typing import cast

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.web_protocol import RequestPayloadError

from .config import ReceiverConfig
from .decoding import decode_query
from .errors import HandoffRefusedError, UnknownKindError
from .handoff import DidDecider, Handoff
from .kinds import Kind, kind_from_name
from .log_limit import LogLimiter
from .parser import build_payload
from .payloads import DidFilterPayload, WebhookPayload
from .redaction import printable
from .refusals import refusal

logger = logging.getLogger(__name__)

# Where create_receiver records its config, for serving.start_receiver to find.
RECEIVER_CONFIG = web.AppKey("receiver_config", ReceiverConfig)
_METHODS = ("GET", "POST")
_ALLOW = {"Allow": ", ".join(_METHODS)}
_REJECTED_BODIES = ("multipart/", "application/json")
_OK = b"OK"


class _RefusedError(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class WebhookReceiver:
    def __init__(
        self, config: ReceiverConfig, handoff: Handoff, did_decider: DidDecider | None = None
    ) -> None:
        self._config = config
        self._handoff = handoff
        self._did_decider = did_decider
        self._tokens = tuple(t.get_secret_value().encode() for t in config.tokens)
        self._log = LogLimiter(config.log_lines_per_minute)

    def __repr__(self) -> str:
        return f"WebhookReceiver(tokens={len(self._tokens)}, body_limit={self._config.body_limit})"

    async def handle(self, request: web.Request) -> web.Response:
        # One coroutine for the whole request: this runs for every webhook.
        try:
            if request.method not in _METHODS:
                raise _RefusedError(405, "method not allowed: use GET or POST")
            config = self._config
            if config.allowed_networks is not None and not config.allows(request.remote):
                raise _RefusedError(403, "source address not allowed")
            query = decode_query(request.raw_path.partition("?")[2])
            pairs = query.pairs
            latin1 = query.latin1
            if request.method == "POST":
                form = decode_query(await self._read_body(request))
                pairs += form.pairs
                latin1 = latin1 or form.latin1
            self._check_token([value for name, value in pairs if name == "token"])
            kind = self._kind(request, pairs)
            payload = build_payload(kind, pairs, latin1=latin1)
            await self._deliver(payload)
            if kind is Kind.DID_FILTER:
                decided = await self._decide(cast(DidFilterPayload, payload))
                return web.Response(text="1" if decided else "0")
            return web.Response(body=_OK, content_type="text/plain")
        except _RefusedError as refused:
            return self._refuse(request, refused)
        except Exception as exc:
            # A defect of ours must not become a 500 with a traceback holding the request line.
            self._log.log(logger, logging.ERROR, "webhook receiver failed: %s", type(exc).__name__)
            return refusal(503, "event not accepted: receiver error")

    async def unknown_path(self, request: web.Request) -> web.Response:
        """Any deeper path: refused here, not by aiohttp's router (whose answer holds digits)."""
        return self._refuse(request, _RefusedError(404, "no such path: use /webhooks/<kind>"))

    def _refuse(self, request: web.Request, refused: _RefusedError) -> web.Response:
        self._log.log(
            logger,
            logging.INFO,
            "webhook refused from %s: %s %s",
            request.remote,
            refused.status,
            refused.reason,
        )
        return refusal(refused.status, refused.reason, _ALLOW if refused.status == 405 else None)

    async def _read_body(self, request: web.Request) -> bytes:
        limit = self._config.body_limit
        if request.content_length is not None and request.content_length > limit:
            raise _RefusedError(413, "body is larger than the receiver's limit")
        if request.content_type.startswith(_REJECTED_BODIES):
            raise _RefusedError(400, "body must be a form or a query string, not multipart or JSON")
        chunks: list[bytes] = []
        size = 0
        try:
            async with asyncio.timeout(self._config.body_timeout):
                async for chunk in request.content.iter_any():
                    size += len(chunk)
                    if size > limit:
                        raise _RefusedError(413, "body is larger than the receiver's limit")
                    chunks.append(chunk)
        except TimeoutError:
            raise _RefusedError(408, "body too slow") from None
        except (RequestPayloadError, HttpProcessingError):
            raise _RefusedError(400, "body could not be read: bad encoding or framing") from None
        except ConnectionError:
            raise _RefusedError(400, "body cut off: the client closed the connection") from None
        return b"".join(chunks)

    def _check_token(self, given: list[str]) -> None:
        if not given or not given[0]:
            raise _RefusedError(401, "token missing: add ?token=... to the URL")
        if len(given) > 1 and len(set(given)) > 1:
            raise _RefusedError(400, "token given more than once with different values")
        candidate = given[0].encode("utf-8", "surrogateescape")
        # Compare against every configured token, without stopping early, in constant time.
        matches = [hmac.compare_digest(candidate, token) for token in self._tokens]
        if not any(matches):
            raise _RefusedError(403, "token not accepted")

    @staticmethod
    def _kind(request: web.Request, pairs: tuple[tuple[str, str], ...]) -> Kind:
        named = request.match_info.get("kind")
        if named is None:
            given = {value for name, value in pairs if name == "kind"}
            if len(given) != 1:
                raise _RefusedError(404, "name one webhook kind: /webhooks/<kind> or ?kind=<kind>")
            named = given.pop()
        try:
            return kind_from_name(named)
        except UnknownKindError:
            raise _RefusedError(404, "unknown webhook kind; `vicibus urls` lists them") from None

    async def _deliver(self, payload: WebhookPayload) -> None:
        try:
            await self._handoff(payload)
        except HandoffRefusedError as declined:
            raise _RefusedError(503, f"event not accepted: {declined.reason}") from None
        except Exception as exc:
            # A lost event must be visible: say so in the log and to the sender.
            self._log.log(
                logger,
                logging.ERROR,
                "webhook hand-off failed for %s: %s",
                payload.kind.value,
                printable(f"{type(exc).__name__}: {exc}"),
            )
            raise _RefusedError(503, "event not accepted: the hand-off failed") from None
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("webhook accepted: %s", printable(payload.dedupe_key))

    async def _decide(self, payload: DidFilterPayload) -> bool:
        fallback = self._config.did_filter_fallback
        if self._did_decider is None:
            return fallback
        try:
            async with asyncio.timeout(self._config.did_filter_timeout):
                return await self._did_decider(payload)
        except TimeoutError:
            logger.warning("DID filter decision too slow, answering the fallback")
        except Exception as exc:
            logger.error(
                "DID filter decision failed (%s), answering the fallback",
                printable(f"{type(exc).__name__}: {exc}"),
            )
        return fallback


def create_receiver(
    config: ReceiverConfig, handoff: Handoff, did_decider: DidDecider | None = None
) -> web.Application:
    """The sub-application: ``/<kind>`` and the generic ``?kind=<kind>`` route, GET and POST.

    Every other method and path is refused by the receiver itself, so that no answer holds a
    digit.
    """
    receiver = WebhookReceiver(config, handoff, did_decider)
    app = web.Application()
    app[RECEIVER_CONFIG] = config
    # "/{kind}" first: aiohttp tries the routes under one prefix in this order, each an await.
    for path in ("/{kind}", "", "/"):
        app.router.add_route("*", path, receiver.handle)
    app.router.add_route("*", "/{path:.+}", receiver.unknown_path)
    return app
