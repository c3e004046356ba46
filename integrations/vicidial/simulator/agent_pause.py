"""Agent API: pausing, pause codes, dispositions and logging out."""

from __future__ import annotations

import re

from integrations.vicidial.simulator.agent_steps import agent_name, agent_session, named
from integrations.vicidial.simulator.records import AgentState
from integrations.vicidial.simulator.wire import ApiRequest, Handlers

HANDLERS = Handlers()
handles = HANDLERS.add

# The real server looks for these words anywhere in the value (a PHP preg_match).
_PAUSE_OR_RESUME = re.compile("PAUSE|RESUME")


@handles("external_status")
def external_status(req: ApiRequest) -> str:
    value = req.get("value")
    if not value or not named(req):
        return f"ERROR: external_status not valid - {value}|{agent_name(req)}\n"
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
            center.schedule_callback(
                session.lead_id,
                campaign_id=session.campaign_id,
                user=session.user,
                when=callback[0],
                status=value,
                recipient=callback[1] or "ANYONE",
                comments=callback[2],
            )
        center.disposition(session.user, value, callback_datetime=callback[0])
    return f"SUCCESS: external_status function set - {shown}|{session.user}\n"


@handles("external_pause")
def external_pause(req: ApiRequest) -> str:
    value = req.get("value")
    if not _PAUSE_OR_RESUME.search(value) or not (req.get("agent_user") or req.get("alt_user")):
        return f"ERROR: external_pause not valid - {value}|{agent_name(req)}\n"
    session = agent_session(req)
    if isinstance(session, str):
        return session
    if "RESUME" in value:
        if session.status is not AgentState.PAUSED:
            return f"ERROR: external_pause agent is not paused - {value}|{session.user}\n"
        req.center.resume(session.user)
    else:
        req.center.pause(session.user)
    epoch = req.center.clock.epoch()
    return f"SUCCESS: external_pause function set - {value}|{epoch}|{session.user}\n"


@handles("logout")
def logout(req: ApiRequest) -> str:
    value = req.get("value")
    if "LOGOUT" not in value or not (req.get("agent_user") or req.get("alt_user")):
        return f"ERROR: logout not valid - {value}|{agent_name(req)}\n"
    session = agent_session(req)
    if isinstance(session, str):
        return session
    req.center.logout(session.user)
    return f"SUCCESS: logout function set - {value}|{req.center.clock.epoch()}|{session.user}\n"


@handles("pause_code")
def pause_code(req: ApiRequest) -> str:
    value = req.get("value")
    if not value or len(value) > 6 or not named(req):
        return f"ERROR: pause_code not valid - {value}|{agent_name(req)}\n"
    session = agent_session(req)
    if isinstance(session, str):
        return session
    if session.status is not AgentState.PAUSED:
        return f"ERROR: pause_code error - agent is not paused - {session.user}\n"
    req.center.set_pause_code(session.user, value)
    return f"SUCCESS: pause_code function sent - {session.user}\n"
