"""The values ViciDial has at hand when it substitutes a callback URL, read from the state.

A general kind (start call, dispo, no agent, dead call, enter in-group, API new lead) knows
every variable name of the webhooks vocabulary plus the lead's list's custom fields: what
has no data becomes empty. The restricted kinds (pause max, in-group add lead, waiting call,
NVA call, DID filter) know only their own names, so any other placeholder stays literal;
that is ``KINDS[kind].provides``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from integrations.vicidial.simulator.clock import to_epoch
from integrations.vicidial.simulator.records import LEAD_COLUMNS, Call, Lead
from integrations.vicidial.simulator.state import CallCenter
from integrations.vicidial.simulator.wire import stamp
from integrations.vicidial.webhooks.kinds import KINDS, Kind
from integrations.vicidial.webhooks.variables import VARIABLES

_CUSTOM = ("one", "two", "three", "four", "five")


# A copy of the live call taken when it was seen: the dialer remembers a call after it left
# the live tables.
CallFacts = Call


def restrict(kind: Kind, values: Mapping[str, str]) -> dict[str, str]:
    """Only the names ``kind`` fills (all of them for a general kind)."""
    provides = KINDS[kind].provides
    if provides is None:
        return dict(values)
    return {name: values.get(name, "") for name in provides}


def everything_empty() -> dict[str, str]:
    return dict.fromkeys(VARIABLES, "")


def time_values(center: CallCenter, at: datetime | None = None) -> dict[str, str]:
    moment = at or center.now()
    return {"SQLdate": stamp(moment), "epoch": str(int(to_epoch(moment)))}


def lead_values(center: CallCenter, lead: Lead | None) -> dict[str, str]:
    if lead is None:
        return {}
    values = {column: lead.column(column) for column in LEAD_COLUMNS}
    values["vendor_id"] = lead.vendor_lead_code
    values["entry_date"] = stamp(lead.entry_date)
    values["modify_date"] = stamp(lead.modify_date)
    values["called_since_last_reset"] = "Y" if lead.called_since_last_reset else "N"
    values["rank"] = str(lead.rank)
    lst = center.lists.get(lead.list_id)
    if lst is not None:
        values["list_name"] = lst.name
        values["list_description"] = lst.description
        # A list's custom fields are variables too, named by their labels.
        values.update({label: lead.custom.get(label, "") for label in lst.custom_fields})
    return values


def agent_values(center: CallCenter, user_id: str) -> dict[str, str]:
    user = center.users.get(user_id)
    if user is None:
        return {"user": user_id}
    values = {
        "user": user.user,
        "fullname": user.full_name,
        "user_group": user.user_group,
        "agent_email": user.email,
        "phone_login": user.phone_login,
    }
    values |= {f"user_custom_{n}": user.custom.get(n, "") for n in _CUSTOM}
    session = center.sessions.get(user_id)
    if session is not None:
        values["session_id"] = session.session_id
        values["server_ip"] = session.server_ip
        values["campaign"] = session.campaign_id
        phone = center.phones.get(user.phone_login)
        values["SIPexten"] = phone.extension if phone else user.phone_login
    return values


def did_values(center: CallCenter, pattern: str) -> dict[str, str]:
    did = center.dids.get(pattern)
    if did is None:
        return {}
    return {
        "did_id": str(did.did_id),
        "did_extension": did.pattern,
        "did_pattern": did.pattern,
        "did_description": did.description,
    }


def call_values(center: CallCenter, call: CallFacts) -> dict[str, str]:
    group = call.ingroup or call.campaign_id
    values = {
        "call_id": call.call_id,
        "uniqueid": call.uniqueid,
        "group": group,
        "channel_group": group,
        "dialed_number": call.phone_number,
        "dialed_label": "MAIN",
        "server_ip": center.system.server_ip,
        "closecallid": str(call.closecallid) if call.closecallid else "",
    }
    if call.campaign_id:
        # A queued inbound call has no campaign until an agent takes it (the agent's then).
        values["campaign"] = call.campaign_id
    return values | did_values(center, call.did)


def general(
    center: CallCenter, call: CallFacts | None, user: str = "", lead_id: int = 0
) -> dict[str, str]:
    """Every variable a general kind knows: lead, agent, call and time, empty where unknown."""
    values = everything_empty()
    lead = center.leads.get(call.lead_id if call is not None else lead_id)
    values |= lead_values(center, lead)
    if user:
        values |= agent_values(center, user)
    if call is not None:
        values |= call_values(center, call)
    return values | time_values(center)
