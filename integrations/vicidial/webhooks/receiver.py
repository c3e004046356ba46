"""The aiohttp sub-application that receives ViciDial's callback requests.

Mount it with ``app.add_subapp("/webhooks", create_receiver(...))``. It never answers 500:
every refusal is a status with a one-line reason, and the reasons hold no digits because
ViciDial reads any digit in a DID filter answer as a decision.
"""

from __future__ import annotations

import asyncio
import hmac
import logging

from aiohttp import web

from .config import ReceiverConfig
from .decoding import decode_query
from .errors import UnknownKindError
from .handoff import DidDecider, Handoff
from .kinds import Kind, kind_from_name
from .parser import build_payload
from .payloads import DidFilterPayload, WebhookPayload

logger = logging.getLogger(__name__)

_REJECTED_BODIES = ("multipart/", "application/json")


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

    def __repr__(self) -> str:
        return f"WebhookReceiver(tokens={len(self._tokens)}, body_limit={self._config.body_limit})"

    async def handle(self, request: web.Request) -> web.Response:
        try:
            return await self._serve(request)
        except _RefusedError as refusal:
            logger.info(
                "webhook refused from %s: %s %s", request.remote, refusal.status, refusal.reason
            )
            return web.Response(status=refusal.status, text=refusal.reason + "\n")
        except Exception as exc:
            # A defect of ours must not become a 500 with a traceback holding the request line.
            logger.error("webhook receiver failed: %s", type(exc).__name__)
            return web.Response(status=503, text="event not accepted: receiver error\n")

    async def _serve(self, request: web.Request) -> web.Response:
        if not self._config.allows(request.remote):
            raise _RefusedError(403, "source address not allowed")
        query = request.raw_path.partition("?")[2].encode("utf-8", "surrogateescape")
        decoded = [decode_query(query)]
        if request.method == "POST":
            decoded.append(decode_query(await self._read_body(request)))
        pairs = [pair for part in decoded for pair in part.pairs]
        self._check_token([value for name, value in pairs if name == "token"])
        kind = self._kind(request, pairs)
        payload = build_payload(kind, pairs, latin1=any(part.latin1 for part in decoded))
        await self._deliver(payload)
        if isinstance(payload, DidFilterPayload):
            return web.Response(text="1" if await self._decide(payload) else "0")
        return web.Response(text="OK")

    async def _read_body(self, request: web.Request) -> bytes:
        limit = self._config.body_limit
        if request.content_length is not None and request.content_length > limit:
            raise _RefusedError(413, "body is larger than the receiver's limit")
        if request.content_type.startswith(_REJECTED_BODIES):
            raise _RefusedError(400, "body must be a form or a query string, not multipart or JSON")
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.content.iter_any():
            size += len(chunk)
            if size > limit:
                raise _RefusedError(413, "body is larger than the receiver's limit")
            chunks.append(chunk)
        return b"".join(chunks)

    def _check_token(self, given: list[str]) -> None:
        if not given or not given[0]:
            raise _RefusedError(401, "token missing: add ?token=... to the URL")
        if len(set(given)) > 1:
            raise _RefusedError(400, "token given more than once with different values")
        candidate = given[0].encode("utf-8", "surrogateescape")
        # Compare against every configured token, without stopping early, in constant time.
        matches = [hmac.compare_digest(candidate, token) for token in self._tokens]
        if not any(matches):
            raise _RefusedError(403, "token not accepted")

    @staticmethod
    def _kind(request: web.Request, pairs: list[tuple[str, str]]) -> Kind:
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
        except Exception as exc:
            # A lost event must be visible: say so in the log and to the sender.
            logger.error("webhook hand-off failed for %s: %s", payload.kind.value, exc)
            raise _RefusedError(503, "event not accepted: the hand-off failed") from None
        logger.debug("webhook accepted: %s", payload.dedupe_key)

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
            logger.error("DID filter decision failed (%s), answering the fallback", exc)
        return fallback


def create_receiver(
    config: ReceiverConfig, handoff: Handoff, did_decider: DidDecider | None = None
) -> web.Application:
    """The sub-application: ``/<kind>`` and the generic ``?kind=<kind>`` route, GET and POST."""
    receiver = WebhookReceiver(config, handoff, did_decider)
    app = web.Application()
    for path in ("", "/", "/{kind}"):
        app.router.add_route("GET", path, receiver.handle)
        app.router.add_route("POST", path, receiver.handle)
    return app
