"""A small call center wired to a loopback receiver, for the callback tests."""

from __future__ import annotations

from datetime import datetime

from integrations.vicidial.simulator.clock import ClockMode, SimClock
from integrations.vicidial.simulator.rawhttp import RawHttp
from integrations.vicidial.simulator.records import AltUrl
from integrations.vicidial.simulator.runtime import Simulation
from integrations.vicidial.simulator.scenario import build_center, parse
from integrations.vicidial.simulator.state import CallCenter
from integrations.vicidial.webhooks.kinds import KINDS, Kind
from integrations.vicidial.webhooks.urls import build_url

from .conftest import CALLBACK_TOKEN, Receiving

START = datetime(2030, 1, 7, 9, 0, 0)
# The agent screen deletes ':' from the push URL, so the receiver is reached on port 80 of
# this name, mapped to the loopback receiver like a hosts entry plus a port forward.
HOST = "vicibus.test"
BASE = f"http://{HOST}"

SCENARIO = """
name: callbacks
user_groups: [{group: AGENTS, name: Agents}, {group: ADMIN, name: Admin}]
users:
  - {user: "6666", password: "1234", user_level: 9, user_group: ADMIN, api_access: true,
     permissions: all}
  - {user: "2001", password: "x", full_name: "Ann O'Neil", user_group: AGENTS,
     phone_login: "2001", email: ann+vb@example.com, custom: {one: "tier 1"}}
  - {user: "2002", password: "x", full_name: Bob, user_group: AGENTS, phone_login: "2002"}
campaigns:
  - campaign_id: CBCAMP
    name: Callbacks
    dial_statuses: NEW
    pause_codes: {BREAK: Break}
    max_pause_seconds: 30
    dead_trigger_seconds: 10
    statuses: {CALLBK: "Call Back + soon", SALE: Sale Made}
    ingroups: CBIN
lists:
  - {list_id: 501, name: Spring List, description: "Leads & more", campaign_id: CBCAMP,
     custom_fields: {favorite_color: TEXT}}
  - {list_id: 502, name: Other, campaign_id: CBCAMP}
  - {list_id: 998, name: Inbound new, campaign_id: CBCAMP}
ingroups:
  - {group_id: CBIN, name: Callback In, drop_call_seconds: 60}
dids:
  - {pattern: "3125551000", description: "Main + line", ingroup: CBIN, list_id: 998}
phones:
  - {extension: "2001", login: "2001"}
leads:
  - lead_id: 501
    list_id: 501
    phone_number: "3125550501"
    vendor_lead_code: "V 501"
    first_name: Zoë Anne
    last_name: D'Souza
    city: Saint John's
    address1: Tom & Jerry St
    comments: "line one\\nline two"
    custom: {favorite_color: sky blue}
  - {lead_id: 502, list_id: 502, phone_number: "3125550502", first_name: Li}
"""


def center() -> CallCenter:
    return build_center(parse(SCENARIO, "<callbacks>"), SimClock(START, mode=ClockMode.MANUAL))


def url(kind: Kind, *extra: str, group: str | None = None) -> str:
    variables = KINDS[kind].defaults + extra
    return build_url(kind, BASE, CALLBACK_TOKEN, variables=variables, group=group)


def wire(center: CallCenter) -> None:
    """Every callback setting of the small call center, pointed at the receiver."""
    campaign = center.campaigns["CBCAMP"]
    campaign.callback_urls = {
        "start_call_url": url(Kind.START_CALL, "first_name", "comments", "city"),
        "dispo_call_url": url(Kind.DISPO_CALLBACK, "dispo_name")
        + "&favorite_color=--A--favorite_color--B--",
        "na_call_url": url(Kind.NO_AGENT, "city", "address1"),
        "dead_trigger_url": url(Kind.DEAD_CALL),
        "pause_max_url": url(Kind.PAUSE_MAX, "agent_email", "user_custom_one", "lead_id"),
    }
    group = center.ingroups["CBIN"]
    group.callback_urls = {
        "start_call_url": "CAMP",
        "dispo_call_url": "CAMP",
        "na_call_url": "ALT",
        "enter_ingroup_url": url(Kind.ENTER_INGROUP, "group"),
        "waiting_call_url_on": url(Kind.WAITING_CALL_ON, "lead_id", group="CBIN"),
        "waiting_call_url_off": url(Kind.WAITING_CALL_OFF, group="CBIN"),
        "add_lead_url": url(
            Kind.ADD_LEAD, "list_name", "did_description", "closecallid", "first_name"
        ),
    }
    # Requested in rank order, whatever order they were entered in; inactive ones never.
    group.alt_urls = {
        "na_call_url": [
            AltUrl(url(Kind.NO_AGENT) + "&alt=1", rank=1),
            AltUrl(url(Kind.NO_AGENT) + "&alt=2", rank=2, statuses=("SALE",)),
            AltUrl(url(Kind.NO_AGENT) + "&alt=3", rank=3, active=False),
        ]
    }
    center.lists[502].callback_urls = {"na_call_url": url(Kind.NO_AGENT) + "&from=list"}
    center.dids["3125551000"].filter_url = url(Kind.DID_FILTER)
    center.phones["2001"].nva_call_url = url(Kind.NVA_CALL, "first_name", "last_name")
    center.system.apinewlead_url = url(Kind.API_NEW_LEAD, "epoch", "SQLdate", "first_name")
    center.system.agent_push_events = True
    center.system.agent_push_url = url(Kind.AGENT_EVENT)


def simulation(receiver: Receiving, call_center: CallCenter | None = None) -> Simulation:
    call_center = call_center or center()
    wire(call_center)
    transport = RawHttp(timeout=5, resolve={(HOST, 80): (receiver.host, receiver.port)})
    return Simulation(call_center, transport=transport)
