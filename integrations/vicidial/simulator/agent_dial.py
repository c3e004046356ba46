"""Agent API: placing calls and the leads they are for."""

from __future__ import annotations

from integrations.vicidial.simulator.agent_steps import YES_NO, agent_name, agent_session
from integrations.vicidial.simulator.events import SimEventKind
from integrations.vicidial.simulator.wire import ApiRequest, Handlers

HANDLERS = Handlers()
handles = HANDLERS.add


@handles("external_dial")
def external_dial(req: ApiRequest) -> str:
    value, lead_text = req.get("value"), req.get("lead_id")
    search, preview, focus = req.get("search"), req.get("preview"), req.get("focus")
    if (
        not (value or lead_text)
        or search not in YES_NO
        or preview not in YES_NO
        or focus not in YES_NO
    ):
        return (
            f"ERROR: external_dial not valid - {value}|{req.get('phone_code')}|{search}|"
            f"{agent_name(req)}\n"
        )
    session = agent_session(req)
    if isinstance(session, str):
        return session
    center, agent = req.center, session.user
    alias = req.get("group_alias")
    if alias and alias not in center.group_aliases:
        return f"ERROR: group_alias is not valid - {agent}|{alias}\n"
    cid = req.get("outbound_cid")
    if cid and not center.system.outbound_cid_allowed:
        return f"ERROR: outbound_cid is not allowed on this system - {agent}|{cid}|DISABLED\n"
    phone, phone_code = value, req.get("phone_code")
    lead_id: int | None = None
    if lead_text:
        lead = center.leads.get(int(lead_text)) if lead_text.isdigit() else None
        if lead is None:
            return f"ERROR: lead_id is not valid - {agent}|{lead_text}\n"
        lead_id = lead.lead_id
        alt = req.get("alt_dial")
        phone = {"ALT": lead.alt_phone, "ADDR3": lead.address3}.get(alt, lead.phone_number)
        phone_code = lead.phone_code
    center.emit(SimEventKind.DIAL_REQUESTED, user=agent, phone_number=phone, lead_id=lead_id)
    # The agent screen places the call at once unless it is busy or the lead is previewed.
    if session.call_id or preview == "YES" or phone == "MANUALNEXT":
        session.pending_dial = phone
    else:
        center.start_call(phone_number=phone, user=agent, lead_id=lead_id, manual=True)
    fields = [
        phone,
        agent,
        phone_code,
        search,
        preview,
        focus,
        req.get("vendor_id"),
        str(center.clock.epoch()),
        req.get("dial_prefix"),
        alias,
        center.group_aliases.get(alias, ""),
        req.get("alt_dial"),
    ]
    return "SUCCESS: external_dial function set - " + "|".join(fields) + "\n"
