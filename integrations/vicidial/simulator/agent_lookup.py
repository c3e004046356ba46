"""Agent API: what the real server tells about itself and its agents (webserver, queue
counts, and the CRM look-ups by alternate user id)."""

from __future__ import annotations

from integrations.vicidial.simulator.agent_steps import agent_name, agent_session, by_alt_id, named
from integrations.vicidial.simulator.wire import ApiRequest, Handlers

HANDLERS = Handlers()
handles = HANDLERS.add


@handles("webserver")
def webserver(req: ApiRequest) -> str:
    settings = "".join(f"{key}: {value}\n" for key, value in req.center.system.webserver.items())
    return f"<PRE>Webserver Data:\n{settings}</PRE>\n"


@handles("calls_in_queue_count")
def calls_in_queue_count(req: ApiRequest) -> str:
    value = req.get("value")
    if value != "DISPLAY" or not named(req):
        return f"ERROR: calls_in_queue_count not valid - {value}|{agent_name(req)}\n"
    session = agent_session(req)
    if isinstance(session, str):
        return session
    count = len(req.center.waiting_calls(session.ingroups))
    # The real server prints no newline after the count.
    return f"SUCCESS: calls_in_queue_count - {count}"


def _crm_user(req: ApiRequest) -> str:
    """The user of a CRM look-up (value: its custom_three), or the error line."""
    value, vendor = req.get("value"), req.get("vendor_id")
    if not value or not vendor:
        return f"ERROR: {req.function} not valid - {value}|{vendor}\n"
    if req.denied:
        return req.denied
    user = by_alt_id(req.center, value)
    if user is None:
        return f"ERROR: no user found - {value}\n"
    return user.user


@handles("st_login_log")
def st_login_log(req: ApiRequest) -> str:
    found = _crm_user(req)
    if found.startswith("ERROR"):
        return found
    return f"SUCCESS: st_login_log user found - {found}\n"


@handles("st_get_agent_active_lead")
def st_get_agent_active_lead(req: ApiRequest) -> str:
    found = _crm_user(req)
    if found.startswith("ERROR"):
        return found
    session = req.center.session(found)
    if session is None:
        return f"ERROR: user not logged in - {found}\n"
    lead = req.center.leads.get(session.lead_id)
    if lead is None:
        return f"ERROR: no active lead found - {found}\n"
    fields = [
        found,
        lead.phone_number,
        str(lead.lead_id),
        lead.vendor_lead_code,
        lead.province,
        lead.security_phrase,
        lead.source_id,
    ]
    return "SUCCESS: st_get_agent_active_lead lead found - " + "|".join(fields) + "\n"
