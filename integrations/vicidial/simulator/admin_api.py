"""vicidial/non_agent_api.php: dispatch, credentials and each function's permission.

The functions live in one module per concept (``admin_monitor``, ``admin_campaigns``,
``admin_lists``, ``admin_users``, ``admin_leads``, ``admin_reports``, ...); all register
into one table here. The real server checks credentials inside each function, so an unknown
function answers ``NO FUNCTION SPECIFIED`` whatever the credentials.
"""

from __future__ import annotations

from collections.abc import Mapping

from integrations.vicidial.admin import ADMIN_FUNCTIONS
from integrations.vicidial.simulator import (
    admin_campaign_settings,
    admin_campaigns,
    admin_dids,
    admin_dnc,
    admin_lead_info,
    admin_leads,
    admin_lists,
    admin_media,
    admin_monitor,
    admin_phones,
    admin_reports,
    admin_users,
)
from integrations.vicidial.simulator.admin_permissions import NEEDS
from integrations.vicidial.simulator.auth import admin_api_allowed, admin_api_login
from integrations.vicidial.simulator.state import CallCenter
from integrations.vicidial.simulator.wire import (
    Answer,
    ApiRequest,
    Handlers,
    respond,
    stamp,
)

# Every function of the real non-agent API (2.14-202): the client's registry, which a test
# holds to exactly the names non_agent_api.php dispatches.
KNOWN_FUNCTIONS = frozenset(ADMIN_FUNCTIONS.names())

HANDLERS = Handlers()
for module in (
    admin_monitor,
    admin_users,
    admin_campaigns,
    admin_lists,
    admin_leads,
    admin_reports,
    admin_phones,
    admin_dids,
    admin_dnc,
    admin_campaign_settings,
    admin_lead_info,
    admin_media,
):
    HANDLERS.update(module.HANDLERS)


def version_text(center: CallCenter) -> str:
    s = center.system
    return (
        f"VERSION: {s.admin_api_version}|BUILD: {s.admin_api_build}|DATE: {stamp(center.now())}|"
        f"EPOCH: {center.clock.epoch()}|DST: {int(s.dst)}|TZ: {s.gmt_offset}|"
        f"TZNOW: {s.gmt_offset}|\n"
    )


def answer(center: CallCenter, params: Mapping[str, str]) -> Answer:
    function = params.get("function", "")
    if function == "version":
        return Answer(version_text(center))
    if function not in KNOWN_FUNCTIONS:
        return Answer("ERROR: NO FUNCTION SPECIFIED\n")
    login = admin_api_login(center, params)
    if isinstance(login, str):
        return Answer(login)
    need = NEEDS[function]
    source = params.get("source", "")
    if need.source and len(source) < 2:
        return Answer(f"ERROR: Invalid Source - {source}\nERROR: Invalid Source: |{source}|\n")
    checks = [admin_api_allowed(login, function), need.refusal(login, function)]
    if need.level_first:
        checks.reverse()
    denied = next((text for text in checks if text), "")
    if denied and not need.late:
        return Answer(denied)
    return respond(HANDLERS[function](ApiRequest(function, params, login, center, denied)))
