"""vicidial/non_agent_api.php: dispatch, credentials and each function's permission.

The functions live in one module per concept (``admin_monitor``, ``admin_campaigns``,
``admin_lists``, ``admin_users``, ``admin_leads``, ``admin_reports``, ...); all register
into one table here. The real server checks credentials inside each function, so an unknown function
answers ``NO FUNCTION SPECIFIED`` whatever the credentials.
"""

from __future__ import annotations

from collections.abc import Mapping

from integrations.vicidial.admin import ADMIN_FUNCTIONS
from integrations.vicidial.simulator import (
    admin_campaigns,
    admin_leads,
    admin_lists,
    admin_monitor,
    admin_reports,
    admin_users,
)
from integrations.vicidial.simulator.auth import admin_api_allowed, admin_api_login
from integrations.vicidial.simulator.records import User
from integrations.vicidial.simulator.state import CallCenter
from integrations.vicidial.simulator.wire import (
    Answer,
    ApiRequest,
    Handlers,
    respond,
    stamp,
    unsupported,
)

# Every function of the real non-agent API (2.14-202): the client's registry, which a test
# holds to exactly the names non_agent_api.php dispatches.
KNOWN_FUNCTIONS = frozenset(ADMIN_FUNCTIONS.names())

# function -> (minimum user level, permission needed, what the refusal names)
REQUIREMENTS: dict[str, tuple[int, str, str]] = {
    "agent_status": (7, "view_reports", "GET AGENT INFO"),
    "logged_in_agents": (7, "view_reports", "GET AGENT INFO"),
    "user_group_status": (7, "view_reports", "GET USER GROUP INFO"),
    "in_group_status": (7, "view_reports", "GET IN-GROUP INFO"),
    "campaigns_list": (8, "view_reports", "GET CAMPAIGN INFO"),
    "hopper_list": (8, "view_reports", "GET CAMPAIGN INFO"),
    "hopper_bulk_insert": (8, "modify_campaigns", "ADD LEADS TO THE HOPPER"),
    "add_lead": (8, "modify_leads", "ADD LEADS TO THE SYSTEM"),
    "update_lead": (8, "modify_leads", "UPDATE LEADS IN THE SYSTEM"),
    "batch_update_lead": (8, "modify_leads", "UPDATE LEADS IN THE SYSTEM"),
    "lead_all_info": (7, "modify_leads", "GET LEAD INFO"),
    "lead_search": (7, "view_reports", "SEARCH FOR LEADS"),
    "lead_status_search": (7, "modify_leads", "GET LEAD INFO"),
    "list_info": (8, "modify_lists", "MODIFY LISTS"),
    "update_list": (8, "modify_lists", "UPDATE LISTS"),
    "update_campaign": (8, "modify_campaigns", "UPDATE CAMPAIGNS"),
    "add_dnc_phone": (8, "modify_lists", "ADD DNC NUMBERS"),
    "delete_dnc_phone": (8, "modify_lists", "DELETE DNC NUMBERS"),
    "user_details": (7, "view_reports", "GET USER DETAILS"),
    "agent_stats_export": (7, "view_reports", "GET AGENT INFO"),
    "call_status_stats": (8, "view_reports", "VIEW STATS"),
    "recording_lookup": (7, "view_reports", "GET RECORDING INFO"),
    "phone_number_log": (7, "view_reports", "GET CALL LOG INFO"),
    "did_log_export": (7, "view_reports", "GET DID INFO"),
}

HANDLERS = Handlers()
for module in (
    admin_monitor,
    admin_users,
    admin_campaigns,
    admin_lists,
    admin_leads,
    admin_reports,
):
    HANDLERS.update(module.HANDLERS)


def version_text(center: CallCenter) -> str:
    s = center.system
    return (
        f"VERSION: {s.admin_api_version}|BUILD: {s.admin_api_build}|DATE: {stamp(center.now())}|"
        f"EPOCH: {center.clock.epoch()}|DST: {int(s.dst)}|TZ: {s.gmt_offset}|"
        f"TZNOW: {s.gmt_offset}|\n"
    )


def refusal(user: User, function: str) -> str | None:
    need = REQUIREMENTS.get(function)
    if need is None:
        return None
    level, permission, what = need
    if user.user_level >= level and permission in user.permissions:
        return None
    return f"ERROR: {function} USER DOES NOT HAVE PERMISSION TO {what} - {user.user}|0\n"


def answer(center: CallCenter, params: Mapping[str, str]) -> Answer:
    function = params.get("function", "")
    if function == "version":
        return Answer(version_text(center))
    if function not in KNOWN_FUNCTIONS:
        return Answer("ERROR: NO FUNCTION SPECIFIED\n")
    login = admin_api_login(center, params)
    if isinstance(login, str):
        return Answer(login)
    denied = admin_api_allowed(login, function) or refusal(login, function)
    if denied:
        return Answer(denied)
    handler = HANDLERS.get(function)
    if handler is None:
        return Answer(unsupported(function))
    return respond(handler(ApiRequest(function, params, login, center)))
