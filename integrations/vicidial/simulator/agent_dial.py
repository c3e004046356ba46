"""Agent API: placing calls, previewed leads, and the leads an agent works on."""

from __future__ import annotations

from integrations.vicidial.simulator.agent_steps import (
    agent_name,
    agent_session,
    on_call,
    screen_command,
)
from integrations.vicidial.simulator.configuration import GroupAlias
from integrations.vicidial.simulator.events import SimEventKind
from integrations.vicidial.simulator.lead_entry import insert_lead
from integrations.vicidial.simulator.records import AgentState, Lead, Session
from integrations.vicidial.simulator.state import CallCenter
from integrations.vicidial.simulator.wire import ApiRequest, Handlers

HANDLERS = Handlers()
handles = HANDLERS.add

# The reserved group alias meaning "the campaign's own caller id": never looked up.
DEFAULT_ALIAS = "DEFAULT"
# A group alias's caller id must be at least this (compared as a number, as PHP does).
MIN_ALIAS_CID = 4


def alias_error(center: CallCenter, agent: str, alias: str) -> str | None:
    """The error for a group alias an agent may not dial with, or None."""
    if not alias or alias == DEFAULT_ALIAS:
        return None
    found = center.group_aliases.get(alias)
    if found is None:
        return f"ERROR: group_alias is not valid - {agent}|{alias}\n"
    number = found.caller_id_number
    if (int(number) if number.isdigit() else 0) < MIN_ALIAS_CID:
        return f"ERROR: caller_id_number from group_alias is not valid - {agent}|{alias}|{number}\n"
    return None


def alias_cid(center: CallCenter, alias: str) -> str:
    found: GroupAlias | None = center.group_aliases.get(alias)
    return found.caller_id_number if found else ""


def _may_dial(req: ApiRequest, session: Session) -> str | None:
    """The real server's gate for manual dialing: a paused agent without a lead, allowed to
    dial by hand (a READY agent in an auto-dial campaign is refused, as on a real dialer)."""
    idle = session.status is AgentState.PAUSED and not session.lead_id
    if not idle and not req.get("dial_ingroup"):
        return f"ERROR: agent_user is not paused - {session.user}\n"
    user = req.center.users.get(session.user)
    if user is not None and not user.agentcall_manual:
        return f"ERROR: agent_user is not allowed to place manual dial calls - {session.user}\n"
    return None


@handles("external_dial")
def external_dial(req: ApiRequest) -> str:
    value, lead_text = req.get("value"), req.get("lead_id")
    search, preview, focus = req.get("search"), req.get("preview"), req.get("focus")
    agent_user, alt_user = req.get("agent_user"), req.get("alt_user")
    if (
        (len(value) < 2 and not lead_text)
        or (len(agent_user) < 2 and len(alt_user) < 2)
        or min(len(search), len(preview), len(focus)) < 2
    ):
        fields = [value, req.get("phone_code"), search, preview, focus, lead_text]
        return (
            "ERROR: external_dial not valid - " + "|".join([*fields, agent_user, alt_user]) + "\n"
        )
    session = agent_session(req)
    if isinstance(session, str):
        return session
    refused = _may_dial(req, session)
    if refused:
        return refused
    center, agent = req.center, session.user
    notice = ""
    dial_ingroup = req.get("dial_ingroup")
    if dial_ingroup and dial_ingroup not in center.ingroups:
        notice = f"NOTICE: defined dial_ingroup not found - {dial_ingroup}\n"
    alias = req.get("group_alias")
    refused = alias_error(center, agent, alias)
    if refused:
        return notice + refused
    cid = req.get("outbound_cid")
    if cid and not center.system.outbound_cid_allowed:
        return (
            notice + f"ERROR: outbound_cid is not allowed on this system - {agent}|{cid}|DISABLED\n"
        )
    phone, phone_code = value, req.get("phone_code")
    lead: Lead | None = None
    if lead_text:
        lead = center.leads.get(int(lead_text)) if lead_text.isdigit() else None
        if lead is None:
            return notice + f"ERROR: lead_id is not valid - {agent}|{lead_text}\n"
        alt = req.get("alt_dial")
        phone = {"ALT": lead.alt_phone, "ADDR3": lead.address3}.get(alt, lead.phone_number)
        phone_code = lead.phone_code
        if len(phone) < 2:
            return (
                notice + f"ERROR: phone number is not valid - {agent}|{value}|{lead_text}|{alt}\n"
            )
    lead_id = lead.lead_id if lead else None
    center.emit(SimEventKind.DIAL_REQUESTED, user=agent, phone_number=phone, lead_id=lead_id)
    # The agent screen places the call at once unless the lead is previewed first.
    if preview == "YES" or phone == "MANUALNEXT":
        session.pending_dial = phone
        session.preview_lead_id = lead_id or 0
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
        alias_cid(center, alias),
        req.get("alt_dial"),
    ]
    return notice + "SUCCESS: external_dial function set - " + "|".join(fields) + "\n"


_PREVIEW_ACTIONS = ("SKIP", "DIALONLY", "ALTDIAL", "ADR3DIAL", "FINISH")
_ALT_ACTIONS = ("ALTDIAL", "ADR3DIAL", "FINISH")


@handles("preview_dial_action")
def preview_dial_action(req: ApiRequest) -> str:
    value, agent_user, alt_user = req.get("value"), req.get("agent_user"), req.get("alt_user")
    if value not in _PREVIEW_ACTIONS or (len(agent_user) < 2 and len(alt_user) < 2):
        return f"ERROR: preview_dial_action not valid - {value}||{agent_user}|{alt_user}\n"
    session = agent_session(req)
    if isinstance(session, str):
        return session
    center, agent = req.center, session.user
    if session.status is not AgentState.PAUSED:
        return f"ERROR: agent_user is not paused - {agent}\n"
    user = center.users.get(agent)
    if user is not None and not user.agentcall_manual:
        return f"ERROR: agent_user is not allowed to place manual dial calls - {agent}\n"
    campaign = center.campaigns[session.campaign_id]
    where = f"{agent}|{campaign.campaign_id}"
    if campaign.manual_preview_dial == "DISABLED":
        return f"ERROR: preview dialing not allowed on this campaign - {where}|DISABLED\n"
    if campaign.manual_preview_dial == "PREVIEW_ONLY" and value == "SKIP":
        return f"ERROR: preview dial skipping not allowed on this campaign - {where}|PREVIEW_ONLY\n"
    if not campaign.alt_number_dialing and value in _ALT_ACTIONS:
        return f"ERROR: alt number dialing not allowed on this campaign - {where}|N\n"
    _act_on_preview(center, session, value)
    return f"SUCCESS: preview_dial_action function set - {value}|{agent}|{value}\n"


def _act_on_preview(center: CallCenter, session: Session, action: str) -> None:
    """What the agent screen does with the lead it previews (nothing when it previews none)."""
    screen_command(center, session, "preview_dial_action", action)
    lead = center.leads.get(session.preview_lead_id)
    if lead is None:
        return
    number = {"DIALONLY": lead.phone_number, "ALTDIAL": lead.alt_phone, "ADR3DIAL": lead.address3}
    phone = number.get(action, "")
    session.pending_dial, session.preview_lead_id = "", 0
    if phone:
        center.start_call(phone_number=phone, user=session.user, lead_id=lead.lead_id, manual=True)


@handles("external_add_lead")
def external_add_lead(req: ApiRequest) -> str:
    phone, phone_code = req.get("phone_number"), req.get("phone_code")
    agent_user, alt_user = req.get("agent_user"), req.get("alt_user")
    if (len(agent_user) < 2 and len(alt_user) < 2) or not phone_code or len(phone) < 2:
        return (
            f"ERROR: external_add_lead not valid - {phone}|{phone_code}|{agent_user}|{alt_user}\n"
        )
    session = agent_session(req)
    if isinstance(session, str):
        return session
    center, agent = req.center, session.user
    campaign = center.campaigns[session.campaign_id]
    list_id = campaign.manual_dial_list_id
    where = f"{phone}|{campaign.campaign_id}"
    if list_id not in center.lists:
        return f"ERROR: campaign manual dial list undefined - {where}|{agent}\n"
    if req.flag("dnc_check") and center.is_dnc(phone):
        return f"ERROR: add_lead PHONE NUMBER IN DNC - {phone}|{agent}\n"
    if req.flag("campaign_dnc_check") and center.is_dnc(phone, campaign.campaign_id):
        return f"ERROR: add_lead PHONE NUMBER IN CAMPAIGN DNC - {where}|{agent}\n"
    lead = insert_lead(req, phone, list_id)
    return f"SUCCESS: lead added - {where}|{list_id}|{lead.lead_id}|{agent}\n"


_INBOUND_SEARCH = ("LIVE_CALL_INBOUND", "LIVE_CALL_INBOUND_AND_MANUAL")


@handles("switch_lead")
def switch_lead(req: ApiRequest) -> str:
    lead_text, code = req.get("lead_id"), req.get("vendor_lead_code")
    by_id = lead_text.isdigit() and int(lead_text) > 0
    if (not by_id and not code) or not (req.get("agent_user") or len(req.get("alt_user")) >= 2):
        return f"ERROR: switch_lead not valid - {lead_text}|{code}|{agent_name(req)}\n"
    session = agent_session(req)
    if isinstance(session, str):
        return session
    center, agent = req.center, session.user
    if not on_call(session):
        return f"ERROR: agent_user does not have a live call - {agent}\n"
    if not session.call_id.startswith("Y"):
        # The real server ends this one line without a newline.
        return f"ERROR: agent call is not inbound - {agent}|{session.call_id}"
    campaign = center.campaigns.get(session.campaign_id)
    if campaign is None:
        return f"ERROR: campaign not found - {agent}|{session.campaign_id}\n"
    if campaign.agent_lead_search not in _INBOUND_SEARCH:
        return (
            f"ERROR: campaign does not allow inbound lead search - {agent}|{campaign.campaign_id}\n"
        )
    found = (
        center.leads.get(int(lead_text))
        if by_id
        else next((x for x in center.leads.values() if x.vendor_lead_code == code), None)
    )
    if found is None:
        return f"ERROR: switch-to lead not found - {agent}|{lead_text}|{code}\n"
    previous = session.lead_id
    center.switch_lead(agent, found.lead_id)
    fields = [
        agent,
        str(found.lead_id),
        found.vendor_lead_code,
        campaign.campaign_id,
        str(previous),
    ]
    return "SUCCESS: switch_lead function set - " + "|".join(fields) + "|\n"
