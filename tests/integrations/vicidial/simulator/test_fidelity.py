"""Fidelity: every captured request, sent through real HTTP to the simulator.

The built-in scenario is the captured dialer; each fixture's request is sent to a fresh
simulator whose clock stands one second after the capture began, after the requests the
capture session had sent before it where it depends on them (capture_sequence). The answer
must equal the
real body byte for byte, except for the differences listed in ``ALLOWED`` (values that the
dialer's history at capture time made different: ids handed out, epochs and dates). For
those, the answer must still have the same line kinds, reasons and columns, and parse to the
same typed result shape with both clients' registries.
"""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient, TestServer

from integrations.vicidial.admin.functions import ADMIN_FUNCTIONS
from integrations.vicidial.agent.functions import AGENT_FUNCTIONS
from integrations.vicidial.client import parse_answer
from integrations.vicidial.errors import ViciError
from integrations.vicidial.lines import classify, parse_result_line, split_lines
from integrations.vicidial.registry import Registry
from integrations.vicidial.simulator import admin_api, agent_api
from integrations.vicidial.simulator.server import Simulator
from tests.integrations.vicidial.replay import Fixture, load_fixtures
from tests.integrations.vicidial.simulator.capture_sequence import prepare
from tests.integrations.vicidial.simulator.conftest import fixture_center

ID = "ids handed out by the real dialer during the capture session"
EPOCH = "the capture's clock had moved on"
# fixture key -> why its values may differ (structure must still match).
ALLOWED: dict[str, str] = {
    "version/basic": EPOCH,
    "version/basic_POST": EPOCH,
    "external_dial/err_bad_group_alias_cid": EPOCH,
    "external_pause/err_unknown_user": EPOCH,
    "update_lead/callback": EPOCH,
    "send_notification/campaign_full": ID + " (notification id)",
    "add_lead/minimal": ID + " (lead id)",
    "external_add_lead/all_fields": ID + " (lead id)",
    "blind_monitor/barge": ID + " (monitor session id)",
    "blind_monitor/monitor": ID + " (monitor session id)",
    "webphone_url/display": EPOCH + " (the session's name holds its login time)",
    "webphone_url/launch": EPOCH + " (the session's name holds its login time)",
    "add_lead/hopper": ID + " (lead id)",
    "update_lead/insert_if_not_found": ID + " (lead id)",
    "update_lead/system_no_update_hopper": ID + " (hopper id)",
    "agent_stats_export/tab_group_by_campaign": (
        "grouped by campaign the real server split dispo time differently (logs before capture)"
    ),
}

AUTH_CASES = (
    "err_agent_creds",
    "err_locked_user",
    "err_unknown_user",
    "err_missing_source",
    "err_no_permission",
    "err_function_not_allowed",
    "err_agent_creds_no_api_access",
    "err_no_function",
    "err_unknown_function",
)


def simulated(item: Fixture) -> bool:
    handlers = agent_api.HANDLERS if item.api == "agent" else admin_api.HANDLERS
    return item.function in handlers or item.function == "version" or item.case in AUTH_CASES


CASES = [f for f in load_fixtures() if simulated(f)]


def registry(item: Fixture) -> Registry:
    return AGENT_FUNCTIONS if item.api == "agent" else ADMIN_FUNCTIONS


def shape(body: str) -> list[tuple[str, str, int]]:
    """Per line: its kind, its reason (result lines) and its number of columns."""
    out: list[tuple[str, str, int]] = []
    for line in split_lines(body):
        kind = classify(line)
        if kind.value in ("SUCCESS", "NOTICE", "ERROR", "VERSION"):
            result = parse_result_line(line)
            out.append((kind.value, result.reason, len(result.data)))
        else:
            out.append((kind.value, "", max(line.count("|"), line.count(","), line.count("\t"))))
    return out


def typed(item: Fixture, body: str) -> str:
    """The typed outcome's shape: result class and fields set, or the error class."""
    spec = registry(item).get(item.function)
    if spec is None or item.function not in registry(item).names():
        return "no spec"
    params = {
        k: v
        for k, v in item.expected_params().items()
        if k not in ("user", "pass", "source", "function")
    }
    try:
        model = spec.params.model_validate(params)
        result = parse_answer(spec, model, body)
    except ViciError as exc:
        return type(exc).__name__
    except ValueError:
        return "params not valid for the client"
    return f"{type(result).__name__}:{sorted(result.model_fields_set)}"


@pytest.mark.parametrize("item", CASES, ids=lambda f: f"{f.api}:{f.key}")
async def test_simulator_answers_like_the_real_server(item: Fixture) -> None:
    center = fixture_center()
    prepare(center, item.key)
    async with TestClient(TestServer(Simulator(center).app())) as client:
        if item.method == "POST":
            response = await client.post(item.path, data=item.expected_params())
        else:
            response = await client.get(item.path, params=item.expected_params())
        body = await response.text()
    assert response.status == item.http_status
    if item.key not in ALLOWED:
        assert body == item.text
        return
    assert body != item.text, f"{item.key} now matches exactly: drop it from ALLOWED"
    assert body.endswith("\n") == item.text.endswith("\n")
    assert shape(body) == shape(item.text)
    assert typed(item, body) == typed(item, item.text)


def test_every_simulated_function_has_a_fixture_checked() -> None:
    checked = {(f.api, f.function) for f in CASES}
    agent = {("agent", name) for name in agent_api.HANDLERS}
    admin = {("non_agent", name) for name in admin_api.HANDLERS}
    assert agent - checked == set()
    assert admin - checked == set()
