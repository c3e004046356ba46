"""The rules' routes of the HTTP API (engine/api_rules.py) in process: the kill switch by
rule and by group, who asked, and what each rule is doing; behind the API token."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from engine.api_rules import RulesApi
from engine.health import HealthMonitor
from engine.http import ApiToken, HttpApi
from tests.rules.conftest import Harness

TOKEN = "rules-api-test-token-0123456789ab"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
ClientFactory = Callable[..., Awaitable[TestClient[Any, Any]]]

RULES = """
- id: pause_alert
  group: alerts
  cooldown: {for: 10m, key: "{{ trigger.payload.user }}"}
  triggers: {trigger: webhook, kind: pause_max}
  actions: [{action: notify.log, data: {message: "pause {{ trigger.payload.user }}"}}]
- id: drop_alert
  group: alerts
  triggers: {trigger: webhook, kind: no_agent}
  actions: [{action: notify.log, data: {message: drop}}]
"""


@pytest.fixture
async def client(harness: Harness, aiohttp_client: ClientFactory) -> TestClient[Any, Any]:
    http = HttpApi(
        harness.core,
        HealthMonitor(harness.core.bus),
        tokens=lambda: [ApiToken("ops", TOKEN)],
        readiness=lambda: {"config": True},
    )
    app = web.Application()
    http.routes(app)
    RulesApi(harness.engine).routes(app, http.guarded)
    await harness.start(RULES)
    return await aiohttp_client(TestServer(app))


def messages(h: Harness) -> list[str]:
    return [p.message for p in h.calls.of("notify.log")]  # type: ignore[attr-defined]


async def test_the_routes_want_the_token(client: TestClient[Any, Any]) -> None:
    assert (await client.post("/api/rules/pause_alert/disable")).status == 401
    wrong = {"Authorization": "Bearer nope"}
    assert (await client.post("/api/rule_groups/alerts/disable", headers=wrong)).status == 403
    assert (await client.get("/api/rules")).status == 401


async def test_disable_and_enable_a_rule_logged_with_the_tokens_name(
    client: TestClient[Any, Any], harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="rules"):
        answer = await client.post("/api/rules/pause_alert/disable", headers=AUTH)
        assert answer.status == 200
        assert await answer.json() == {
            "rules": [{"rule_id": "pause_alert", "group": "alerts", "enabled": False}],
            "by": "api:ops",
        }
        harness.webhook("pause_max", user="1001")
        await harness.settle()
        assert messages(harness) == []
        answer = await client.post("/api/rules/pause_alert/enable", headers=AUTH)
        assert (await answer.json())["rules"][0]["enabled"] is True
    assert "rules switched off by api:ops: pause_alert" in caplog.text
    assert "rules switched on by api:ops: pause_alert" in caplog.text
    harness.webhook("pause_max", user="1001")
    await harness.settle()
    assert messages(harness) == ["pause 1001"]


async def test_a_group_switched_off_and_what_the_rules_say(
    client: TestClient[Any, Any], harness: Harness
) -> None:
    answer = await client.post(
        "/api/rule_groups/alerts/disable", headers=AUTH, json={"stop_actions": False}
    )
    assert [r["enabled"] for r in (await answer.json())["rules"]] == [False, False]
    listing = await (await client.get("/api/rules", headers=AUTH)).json()
    assert [(r["rule_id"], r["enabled"], r["configured_enabled"]) for r in listing["rules"]] == [
        ("pause_alert", False, True),
        ("drop_alert", False, True),
    ]
    (change,) = listing["switched"]
    assert (change["who"], change["enabled"], change["groups"]) == ("api:ops", False, ["alerts"])
    await client.post("/api/rule_groups/alerts/enable", headers=AUTH)
    harness.webhook("pause_max", user="1001")
    harness.webhook("pause_max", user="1001")
    await harness.settle()
    one = await (await client.get("/api/rules/pause_alert", headers=AUTH)).json()
    assert one["rule_run_dropped"] == {"cooldown": 1}
    assert list(one["cooldowns"]) == ["1001"]
    assert (await client.get("/api/rules", headers=AUTH)).status == 200


async def test_unknown_names_and_bad_bodies(client: TestClient[Any, Any]) -> None:
    answer = await client.post("/api/rules/pause_alrt/disable", headers=AUTH)
    assert answer.status == 404
    assert (await answer.json())["error"]["message"] == (
        "no rule 'pause_alrt'; did you mean 'pause_alert'?"
    )
    assert (await client.post("/api/rule_groups/nope/enable", headers=AUTH)).status == 404
    assert (await client.get("/api/rules/nope", headers=AUTH)).status == 404
    bad = await client.post(
        "/api/rules/pause_alert/disable", headers=AUTH, json={"stop_actions": "yes"}
    )
    assert bad.status == 400
