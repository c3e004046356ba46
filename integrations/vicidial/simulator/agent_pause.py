"""Agent API: pausing, pause codes, dispositions and logging out."""

from __future__ import annotations

from integrations.vicidial.simulator.agent_steps import agent_name, agent_session
from integrations.vicidial.simulator.records import AgentState
from integrations.vicidial.simulator.wire import ApiRequest, Handlers

HANDLERS = Handlers()
handles = HANDLERS.add


@handles("external_status")
def external_status(req: ApiRequest) -> str:
    value = req.get("value")
    if not value:
        return f"ERROR: external_status not valid - |{agent_name(req)}\n"
    session = agent_session(req)
    if isinstance(session, str):
        return session
    callback = [req.get(k) for k in ("callback_datetime", "callback_type", "callback_comments")]
    qm = req.get("qm_dispo_code")
    shown = value
    if any(callback) or qm:
        shown = "!".join([value, *callback, qm])
    center = req.center
    if session.lead_id:
        if any(callback):
            center.callbacks.append(
                {
                    "lead_id": str(session.lead_id),
                    "user": session.user,
                    "status": value,
                    "callback_datetime": callback[0],
                    "callback_type": callback[1] or "ANYONE",
                    "comments": callback[2],
                }
            )
        center.disposition(session.user, value, callback_datetime=callback[0])
    return f"SUCCESS: external_status function set - {shown}|{session.user}\n"


@handles("external_pause")
def external_pause(req: ApiRequest) -> str:
    value = req.get("value")
    if value not in ("PAUSE", "RESUME"):
        return f"ERROR: external_pause not valid - {value}|{agent_name(req)}\n"
    session = agent_session(req)
    if isinstance(session, str):
        return session
    if value == "RESUME":
        if session.status is not AgentState.PAUSED:
            return f"ERROR: external_pause agent is not paused - RESUME|{session.user}\n"
        req.center.resume(session.user)
    else:
        req.center.pause(session.user)
    epoch = req.center.clock.epoch()
    return f"SUCCESS: external_pause function set - {value}|{epoch}|{session.user}\n"


@handles("logout")
def logout(req: ApiRequest) -> str:
    value = req.get("value")
    if value != "LOGOUT":
        return f"ERROR: logout not valid - {value}|{agent_name(req)}\n"
    session = agent_session(req)
    if isinstance(session, str):
        return session
    req.center.logout(session.user)
    return f"SUCCESS: logout function set - LOGOUT|{req.center.clock.epoch()}|{session.user}\n"


@handles("pause_code")
def pause_code(req: ApiRequest) -> str:
    session = agent_session(req)
    if isinstance(session, str):
        return session
    value = req.get("value")
    if not value or len(value) > 6:
        return f"ERROR: pause_code not valid - {value}|{session.user}\n"
    if session.status is not AgentState.PAUSED:
        return f"ERROR: pause_code error - agent is not paused - {session.user}\n"
    req.center.set_pause_code(session.user, value)
    return f"SUCCESS: pause_code function sent - {session.user}\n"
