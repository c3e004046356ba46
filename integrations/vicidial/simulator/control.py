"""The control API: tests and demos drive the simulated call center through it.

It lives under its own path and answers only requests bearing its token (``Authorization:
Bearer <token>``), compared in constant time; the token never appears in answers or logs.
Requests and answers are JSON. A request the state does not allow answers 409; a body that
is not JSON, or holds a value the simulator cannot take (a clock speed of 1e308, NaN), answers
422 and changes nothing.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from typing import Any, Literal

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from integrations.vicidial.simulator.chat import chat_snapshot
from integrations.vicidial.simulator.clock import ClockMode, check_speed
from integrations.vicidial.simulator.events import SimEventKind
from integrations.vicidial.simulator.records import CallDirection
from integrations.vicidial.simulator.state import CallCenter, SimStateError
from integrations.vicidial.simulator.wire import stamp

CONTROL_PREFIX = "/simulator/control"
Route = Callable[[web.Request], Awaitable[web.StreamResponse]]


class ControlModel(BaseModel):
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, allow_inf_nan=False)


class LoginRequest(ControlModel):
    user: str
    campaign_id: str
    ingroups: list[str] = Field(default_factory=list)
    blended: bool = False
    paused: bool = True


class UserRequest(ControlModel):
    user: str


class CallRequest(ControlModel):
    phone_number: str
    user: str | None = None
    lead_id: int | None = None
    direction: CallDirection = CallDirection.OUTBOUND
    ingroup: str = ""
    did: str = ""


class EndCallRequest(ControlModel):
    user: str
    how: Literal["hangup", "dead", "dispo"] = "hangup"
    status: str = "A"


class ClockRequest(ControlModel):
    advance_seconds: float = Field(default=0, ge=0)
    mode: ClockMode | None = None
    speed: float | None = Field(default=None, gt=0)


def snapshot(center: CallCenter) -> dict[str, Any]:
    """The live part of the state, as JSON-ready data."""
    return {
        "time": stamp(center.now()),
        "epoch": center.clock.epoch(),
        "clock": {"mode": center.clock.mode.value, "speed": center.clock.speed},
        "agents": [
            {
                "user": s.user,
                "campaign_id": s.campaign_id,
                "session_id": s.session_id,
                "status": s.status.value,
                "pause_code": s.pause_code,
                "lead_id": s.lead_id,
                "call_id": s.call_id,
                "dead": s.dead,
                "ingroups": s.ingroups,
                "calls_today": s.calls_today,
                "notifications": [n.text for n in s.notifications],
            }
            for s in center.sessions.values()
        ],
        "calls": [
            {
                "call_id": c.call_id,
                "lead_id": c.lead_id,
                "phone_number": c.phone_number,
                "direction": c.direction.value,
                "ingroup": c.ingroup,
                "agent": c.agent,
            }
            for c in center.calls.values()
        ],
        "queues": {g.group_id: list(g.queue) for g in center.ingroups.values()},
        "hopper": [{"lead_id": e.lead_id, "campaign_id": e.campaign_id} for e in center.hopper],
        "events": [
            {"kind": e.kind.value, "at": stamp(e.at), "data": dict(e.data)}
            for e in center.events.history
        ],
        "chat": chat_snapshot(center),
    }


def add_control_routes(app: web.Application, center: CallCenter, token: str) -> None:
    expected = f"Bearer {token}".encode()

    def guarded(handler: Callable[[web.Request], Awaitable[dict[str, Any]]]) -> Route:
        async def route(request: web.Request) -> web.StreamResponse:
            given = request.headers.get("Authorization", "").encode()
            if not hmac.compare_digest(given, expected):
                return web.json_response({"error": "missing or wrong control token"}, status=401)
            try:
                return web.json_response(await handler(request))
            except ValidationError as exc:
                problems = [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
                return web.json_response({"error": "; ".join(problems)}, status=422)
            except SimStateError as exc:
                return web.json_response({"error": str(exc)}, status=409)
            except ValueError as exc:  # a value the call center cannot take
                return web.json_response({"error": str(exc)}, status=422)

        return route

    async def body(request: web.Request) -> Any:
        try:
            return await request.json()
        except ValueError:
            raise ValueError("the body must be JSON") from None

    async def state(request: web.Request) -> dict[str, Any]:
        return snapshot(center)

    async def login(request: web.Request) -> dict[str, Any]:
        req = LoginRequest.model_validate(await body(request))
        session = center.login(
            req.user, req.campaign_id, ingroups=req.ingroups, blended=req.blended
        )
        if not req.paused:
            center.resume(req.user)
        return {
            "user": session.user,
            "session_id": session.session_id,
            "status": session.status.value,
        }

    async def logout(request: web.Request) -> dict[str, Any]:
        req = UserRequest.model_validate(await body(request))
        center.logout(req.user)
        return {"user": req.user}

    async def start_call(request: web.Request) -> dict[str, Any]:
        req = CallRequest.model_validate(await body(request))
        call = center.start_call(
            phone_number=req.phone_number,
            user=req.user,
            lead_id=req.lead_id,
            direction=req.direction,
            ingroup=req.ingroup,
            did=req.did,
        )
        return {"call_id": call.call_id, "lead_id": call.lead_id, "agent": call.agent}

    async def answer(request: web.Request) -> dict[str, Any]:
        req = UserRequest.model_validate(await body(request))
        call = center.answer_queued(req.user)
        return {"call_id": call.call_id, "lead_id": call.lead_id, "agent": call.agent}

    async def end_call(request: web.Request) -> dict[str, Any]:
        req = EndCallRequest.model_validate(await body(request))
        if req.how == "dead":
            center.mark_dead(req.user)
        elif req.how == "dispo":
            center.disposition(req.user, req.status)
        else:
            center.end_call(req.user, term_reason="CALLER")
        return {"user": req.user}

    async def clock(request: web.Request) -> dict[str, Any]:
        req = ClockRequest.model_validate(await body(request))
        mode = req.mode or center.clock.mode
        # Checked before anything moves, so a refused request changes nothing.
        if req.speed is not None:
            check_speed(req.speed)
            if mode is ClockMode.REAL:
                raise ValueError("a real clock runs at wall speed: send mode accelerated too")
        if req.advance_seconds:
            center.clock.advance(req.advance_seconds)
            center.emit(SimEventKind.CLOCK_ADVANCED, seconds=req.advance_seconds)
        if req.mode is not None or req.speed is not None:
            center.clock.set_mode(mode, req.speed)
        return {"time": stamp(center.now()), "epoch": center.clock.epoch()}

    routes: list[tuple[str, str, Callable[[web.Request], Awaitable[dict[str, Any]]]]] = [
        ("GET", "/state", state),
        ("POST", "/agents/login", login),
        ("POST", "/agents/logout", logout),
        ("POST", "/calls/start", start_call),
        ("POST", "/calls/answer", answer),
        ("POST", "/calls/end", end_call),
        ("POST", "/clock", clock),
    ]
    for method, path, handler in routes:
        app.router.add_route(method, CONTROL_PREFIX + path, guarded(handler))
