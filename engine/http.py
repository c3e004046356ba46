"""The daemon's HTTP API: liveness, readiness, states, services, the event stream, the clock.

``/healthz`` and ``/readyz`` are open (a load balancer or systemd asks them); every ``/api``
route wants ``Authorization: Bearer <http.api_token>``: 401 without one, 403 with a wrong one,
compared in constant time against the token(s) of the current config (a reload rotates them).
Errors are JSON ``{"error": {"type": ..., "message": ...}}`` in our own words.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import math
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from engine.clock import ClockError, ClockMode
from engine.context import Context, Origin
from engine.core import Core
from engine.errors import ServiceNotFoundError, ServiceValidationError
from engine.events import Event, is_valid_event_type
from engine.health import HealthMonitor
from engine.jsonable import to_jsonable

logger = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
# A client of /api/events that reads slower than events come loses the oldest ones: the bus
# must never wait for an outside reader.
SSE_QUEUE = 1000
# The largest clock advance one call may ask for: a year.
MAX_ADVANCE = 366 * 86400.0

# A failed service call's HTTP status, by the error's class name (the ViciDial client's
# classes and the integrations' refusals; anything else is 502: the dialer failed us).
ERROR_STATUS = {
    "ViciValidationError": 422,
    "ViciNotFoundError": 404,
    "ViciStateError": 409,
    "ViciPermissionError": 403,
    "ViciAuthError": 502,
    "ViciRateLimitedError": 429,
    "ViciCircuitOpenError": 503,
    "ViciTimeoutError": 504,
    "NotStartedError": 503,
}


# Who a guarded request comes from: the name of its API token (for logs and the kill switch).
CALLER = web.RequestKey("vicibus_caller", str)


def caller_of(request: web.Request) -> str:
    """``api:<token name>``, the caller of a guarded route."""
    return f"api:{request[CALLER]}"


@dataclass(frozen=True, slots=True)
class ApiToken:
    name: str  # who asked, for the log: "api" (the config's), or a named token
    value: str


def error_response(status: int, kind: str, message: str, **extra: Any) -> web.Response:
    return web.json_response({"error": {"type": kind, "message": message, **extra}}, status=status)


def error_body(exc: BaseException) -> dict[str, Any]:
    """A typed error as JSON-ready data: its class, message and the client's fields."""
    body: dict[str, Any] = {"type": type(exc).__name__, "message": str(exc)}
    for field in ("function", "reason", "details", "sent", "outcome_unknown", "status_code"):
        value = getattr(exc, field, None)
        if value is not None:
            body[field] = to_jsonable(value)
    return body


class HttpApi:
    def __init__(
        self,
        core: Core,
        health: HealthMonitor,
        *,
        tokens: Callable[[], list[ApiToken]],
        readiness: Callable[[], dict[str, bool]],
        advance: Callable[[float], Awaitable[None]] | None = None,
    ) -> None:
        self._core = core
        # How the clock API moves time: the rule engine's advance settles runs between timers.
        self._advance = advance or core.advance
        self._health = health
        self._tokens = tokens
        self._readiness = readiness
        self._streams: set[asyncio.Queue[Event[Any] | None]] = set()

    def __repr__(self) -> str:
        return f"HttpApi({len(self._streams)} event streams)"

    def routes(self, app: web.Application) -> None:
        app.router.add_get("/healthz", self.healthz)
        app.router.add_get("/readyz", self.readyz)
        guarded = self.guarded
        app.router.add_get("/api/states", guarded(self.states))
        app.router.add_get("/api/states/{entity_id}", guarded(self.state))
        app.router.add_get("/api/services", guarded(self.services))
        app.router.add_post("/api/services/{domain}/{service}", guarded(self.call_service))
        app.router.add_get("/api/events", guarded(self.events))
        app.router.add_post("/api/clock", guarded(self.clock))

    # -- open routes --------------------------------------------------------------------------

    async def healthz(self, request: web.Request) -> web.Response:
        liveness = self._health.check()
        if liveness.alive:
            return web.json_response({"status": "ok"})
        return web.json_response({"status": "stalled", "reason": liveness.reason}, status=503)

    async def readyz(self, request: web.Request) -> web.Response:
        checks = self._readiness()
        failing = [name for name, ok in checks.items() if not ok]
        body = {"ready": not failing, "checks": checks, "failing": failing}
        return web.json_response(body, status=503 if failing else 200)

    # -- authentication -----------------------------------------------------------------------

    def guarded(self, handler: Handler) -> Handler:
        async def route(request: web.Request) -> web.StreamResponse:
            header = request.headers.get("Authorization", "")
            scheme, _, given = header.partition(" ")
            if scheme.lower() != "bearer" or not given.strip():
                return error_response(
                    401, "Unauthorized", "send Authorization: Bearer <http.api_token>"
                )
            who = self._who(given.strip())
            if who is None:
                return error_response(403, "Forbidden", "the API token is not accepted")
            request[CALLER] = who
            return await handler(request)

        return route

    def _who(self, given: str) -> str | None:
        candidate = given.encode("utf-8", "surrogateescape")
        found = None
        # Compared with every token, without stopping at a match, in constant time.
        for token in self._tokens():
            if hmac.compare_digest(candidate, token.value.encode()):
                found = token.name
        return found

    # -- states and services ------------------------------------------------------------------

    async def states(self, request: web.Request) -> web.Response:
        pattern = request.query.get("entity_id", "*")
        now = self._core.clock.time()
        found = sorted(self._core.states.glob(pattern), key=lambda s: s.entity_id)
        return web.json_response([s.as_dict(now) for s in found])

    async def state(self, request: web.Request) -> web.Response:
        entity_id = request.match_info["entity_id"]
        state = self._core.states.get(entity_id)
        if state is None:
            return error_response(404, "NotFound", f"no entity {entity_id}")
        return web.json_response(state.as_dict(self._core.clock.time()))

    async def services(self, request: web.Request) -> web.Response:
        registry = self._core.services
        return web.json_response([registry.describe(name) for name in registry.names()])

    async def call_service(self, request: web.Request) -> web.Response:
        name = f"{request.match_info['domain']}.{request.match_info['service']}"
        try:
            data = await request.json() if request.can_read_body else {}
        except ValueError:
            return error_response(400, "BadRequest", "the body must be a JSON object")
        if not isinstance(data, Mapping):
            return error_response(400, "BadRequest", "the body must be a JSON object")
        caller = caller_of(request)
        context = Context(Origin.API, user=caller)
        logger.info("service %s called by %s", name, caller)
        try:
            result = await self._core.services.call(name, data, context=context, caller=caller)
        except ServiceNotFoundError as exc:
            return error_response(404, "ServiceNotFoundError", str(exc))
        except ServiceValidationError as exc:
            problems = [{"field": p.field, "message": p.message} for p in exc.problems]
            return error_response(422, "ServiceValidationError", str(exc), problems=problems)
        except Exception as exc:
            status = ERROR_STATUS.get(type(exc).__name__, 502)
            logger.info("service %s failed: %s", name, type(exc).__name__)
            return web.json_response({"error": error_body(exc)}, status=status)
        return web.json_response({"result": to_jsonable(result), "context": context.as_dict()})

    # -- the event stream ---------------------------------------------------------------------

    async def events(self, request: web.Request) -> web.StreamResponse:
        wanted = {t for t in request.query.get("type", "").split(",") if t}
        unknown = [t for t in wanted if not is_valid_event_type(t)]
        if unknown:
            return error_response(400, "BadRequest", f"not an event type: {unknown[0]!r}")
        queue: asyncio.Queue[Event[Any] | None] = asyncio.Queue(SSE_QUEUE)
        dropped = 0

        def listener(event: Event[Any]) -> None:
            nonlocal dropped
            if queue.full():
                dropped += 1
                with contextlib.suppress(asyncio.QueueEmpty):
                    queue.get_nowait()
            queue.put_nowait(event)

        response = web.StreamResponse(
            headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"}
        )
        await response.prepare(request)
        filter_ = (lambda e: e.type in wanted) if wanted else None
        unsubscribe = self._core.bus.subscribe(None, listener, filter=filter_, name="api.events")
        self._streams.add(queue)
        try:
            await response.write(b": vicibus event stream\n\n")
            while (event := await queue.get()) is not None:
                if dropped:
                    await response.write(f": {dropped} events dropped (read faster)\n\n".encode())
                    dropped = 0
                payload = json.dumps(event.as_dict(), ensure_ascii=False)
                await response.write(f"event: {event.type}\ndata: {payload}\n\n".encode())
        except (ConnectionResetError, asyncio.CancelledError):
            pass
        finally:
            unsubscribe()
            self._streams.discard(queue)
        return response

    def close_streams(self) -> None:
        """End every event stream (the daemon stops)."""
        for queue in self._streams:
            with contextlib.suppress(asyncio.QueueFull):
                queue.put_nowait(None)

    # -- the clock ----------------------------------------------------------------------------

    async def clock(self, request: web.Request) -> web.Response:
        clock = self._core.clock
        if clock.mode is not ClockMode.MANUAL:
            return error_response(
                409, "ClockError", f"the clock is {clock.mode.value}; only a manual one moves"
            )
        try:
            body = await request.json()
            seconds = float(body["advance_seconds"])
        except (ValueError, KeyError, TypeError):
            return error_response(
                422, "BadRequest", 'the body must be {"advance_seconds": <seconds>}'
            )
        if not math.isfinite(seconds) or not 0 <= seconds <= MAX_ADVANCE:
            return error_response(
                422, "BadRequest", f"advance_seconds must be from 0 to {MAX_ADVANCE:g}"
            )
        try:
            await self._advance(seconds)
        except ClockError as exc:
            return error_response(409, "ClockError", str(exc))
        now = clock.now()
        return web.json_response({"time": now.isoformat(), "epoch": clock.time()})
