"""Rules part 2 end to end against the simulated dialer: dry runs call nothing, the kill
switch through the daemon's API (and its hold across a reload), refused calls as typed errors
in the run, and a wait on the dialer's state; effects read back from the simulator."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from tests.rules.e2e.conftest import Daemon

Start = Callable[..., Any]
ServerFactory = Callable[..., Awaitable[TestServer]]

PAUSE_MAX = """
- id: pause_max_break
  group: pauses
  triggers: {trigger: webhook, kind: pause_max}
  actions:
    - action: vicidial.agent.pause_code
      data: {agent_user: "{{ trigger.payload.user }}", value: BREAK}
"""


class Hook:
    """A chat service's incoming webhook on loopback: what notify.http sent it."""

    def __init__(self) -> None:
        self.received: list[Any] = []

    async def handle(self, request: web.Request) -> web.Response:
        self.received.append(await request.json())
        return web.json_response({"ok": True})


@pytest.fixture
async def hook(aiohttp_server: ServerFactory) -> tuple[Hook, str]:
    target = Hook()
    app = web.Application()
    app.router.add_post("/hook", target.handle)
    server = await aiohttp_server(app)
    return target, str(server.make_url("/hook"))


async def pause(d: Daemon, user: str) -> None:
    """Log ``user`` in paused, and let the demo campaign's pause maximum pass."""
    d.center.login(user, "DEMO")
    await d.advance(61)


async def test_a_dry_run_records_its_services_with_their_data_and_calls_none(
    daemon: Start, hook: tuple[Hook, str]
) -> None:
    target, url = hook
    notify = f"notify:\n  - {{name: supervisors, platform: http, url: '{url}'}}\n"
    rehearsal = """
        - id: rehearsal
          dry_run: true
          triggers: {trigger: webhook, kind: pause_max}
          actions:
            - action: vicidial.agent.pause_code
              data: {agent_user: "{{ trigger.payload.user }}", value: BREAK}
            - action: notify.supervisors
              data: {message: "{{ trigger.payload.user }} paused too long"}
        """
    d: Daemon = await daemon(rehearsal, extra=notify)
    await pause(d, "1001")
    assert (await d.agent("1001"))["pause_code"] == "LOGIN"  # not called
    assert target.received == []
    (end,) = d.ends("rehearsal")
    trace = await d.trace(end.run_id)
    steps = [(s["service"], s["outcome"], s["data"]) for s in trace["steps"]]
    assert steps == [
        ("vicidial.agent.pause_code", "dry_run", {"agent_user": "1001", "value": "BREAK"}),
        ("notify.supervisors", "dry_run", {"message": "1001 paused too long"}),
    ]
    # The same rule live calls both.
    await d.reload(rehearsal.replace("dry_run: true", "dry_run: false"), extra=notify)
    await pause(d, "1002")
    assert (await d.agent("1002"))["pause_code"] == "BREAK"
    assert [body["message"] for body in target.received] == ["1002 paused too long"]


async def test_the_kill_switch_through_the_api_holds_across_a_reload(daemon: Start) -> None:
    d: Daemon = await daemon(PAUSE_MAX)
    status, body = await d.api("POST", "/api/rules/pause_max_break/disable")
    assert (status, body["by"]) == (200, "api:api")
    await pause(d, "1001")
    assert (await d.agent("1001"))["pause_code"] == "LOGIN"
    await d.reload(PAUSE_MAX.replace("value: BREAK", "value: LUNCH"))
    await pause(d, "1002")
    assert (await d.agent("1002"))["pause_code"] == "LOGIN"
    status, _ = await d.api("POST", "/api/rule_groups/pauses/enable")
    assert status == 200
    await pause(d, "1003")
    assert (await d.agent("1003"))["pause_code"] == "LUNCH"
    status, listing = await d.api("GET", "/api/rules")
    assert [(c["who"], c["enabled"]) for c in listing["switched"]] == [
        ("api:api", False),
        ("api:api", True),
    ]


async def test_the_kill_switch_as_a_service_of_the_api(daemon: Start) -> None:
    d: Daemon = await daemon(PAUSE_MAX)
    status, body = await d.api(
        "POST", "/api/services/rules/disable", json={"group": "pauses", "stop_actions": True}
    )
    assert status == 200, body
    assert body["result"]["rules"] == [
        {"rule_id": "pause_max_break", "group": "pauses", "enabled": False}
    ]
    status, refused = await d.api("POST", "/api/services/rules/enable", json={"rule_id": "nope"})
    assert status == 422
    assert refused["error"]["problems"] == [{"field": "rule_id", "message": "no rule 'nope'"}]
    await pause(d, "1001")
    assert (await d.agent("1001"))["pause_code"] == "LOGIN"


async def test_a_call_the_rate_limit_refuses_is_a_typed_error_in_the_run(daemon: Start) -> None:
    d: Daemon = await daemon(
        """
        - id: twice
          triggers: {trigger: webhook, kind: pause_max}
          actions:
            - action: vicidial.agent.pause_code
              data: {agent_user: "{{ trigger.payload.user }}", value: BREAK}
            - action: vicidial.agent.pause_code
              data: {agent_user: "{{ trigger.payload.user }}", value: LUNCH}
              continue_on_error: true
            - action: vicidial.agent.send_notification
              data: {recipient: "{{ trigger.payload.user }}", recipient_type: USER,
                     notification_text: the second pause code was refused}
        """,
        vicidial="rate_limits: {functions: {pause_code: {rate: 0.001, burst: 1}}}\n",
    )
    await pause(d, "1001")
    agent = await d.agent("1001")
    assert agent["pause_code"] == "BREAK"  # the second call never reached the dialer
    assert agent["notifications"] == ["the second pause code was refused"]
    (end,) = d.ends("twice")
    trace = await d.trace(end.run_id)
    refused = trace["steps"][1]
    assert (refused["outcome"], refused["error"]["type"]) == ("error", "ViciRateLimitedError")
    assert end.outcome == "finished"


async def test_a_call_the_open_breaker_refuses_is_a_typed_error_in_the_run(
    daemon: Start,
) -> None:
    d: Daemon = await daemon(
        """
        - id: dialer_down
          triggers: {trigger: webhook, kind: pause_max}
          actions:
            - action: vicidial.agent.pause_code
              data: {agent_user: "{{ trigger.payload.user }}", value: BREAK}
              continue_on_error: true
            - action: vicidial.agent.pause_code
              data: {agent_user: "{{ trigger.payload.user }}", value: LUNCH}
              continue_on_error: true
        """,
        vicidial="breaker: {failures: 1, reset_after: 600}\n",
    )
    embedded = d.app.vicidial.embedded
    assert embedded is not None
    d.center.login("1001", "DEMO")
    # The dialer's APIs go away; its callbacks still come (they are sent from elsewhere).
    await embedded.simulator.stop()
    await d.advance(61)
    (end,) = d.ends("dialer_down")
    trace = await d.trace(end.run_id)
    errors = [step["error"]["type"] for step in trace["steps"]]
    assert errors == ["ViciConnectionError", "ViciCircuitOpenError"]
    assert d.center.sessions["1001"].pause_code == "LOGIN"


async def test_a_wait_on_each_agents_state_then_a_pause_code(daemon: Start) -> None:
    d: Daemon = await daemon(
        """
        - id: nudge_then_code
          concurrency: {key: "{{ trigger.payload.user }}", mode: single}
          triggers: {trigger: webhook, kind: pause_max}
          actions:
            - action: vicidial.agent.send_notification
              data: {recipient: "{{ trigger.payload.user }}", recipient_type: USER,
                     notification_text: back to work please}
            - wait_template: "{{ is_state('agent.' ~ trigger.payload.user, 'READY') }}"
              timeout: 2m
            - if: "{{ not wait.completed }}"
              then:
                - action: vicidial.agent.pause_code
                  data: {agent_user: "{{ trigger.payload.user }}", value: BREAK}
        """
    )
    d.center.login("1001", "DEMO")
    d.center.login("1002", "DEMO")
    await d.advance(61)
    d.center.resume("1002")
    await d.poll()  # 1002 is READY: its wait ends; 1001's goes on
    await d.advance(120)
    assert (await d.agent("1001"))["pause_code"] == "BREAK"
    assert (await d.agent("1002"))["pause_code"] != "BREAK"
    assert sorted(e.outcome for e in d.ends("nudge_then_code")) == ["finished", "finished"]
