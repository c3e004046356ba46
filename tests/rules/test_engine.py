"""The engine: modes, reloads, shutdown, and the run's position as plain data."""

from __future__ import annotations

import json
import logging

import pytest

from rules.records import NotRunReason, Outcome
from tests.rules.conftest import Harness

SLOW = """
- id: slow
  mode: {mode}
  max: {max}
  triggers: {{trigger: webhook, kind: pause_max}}
  actions:
    - delay: 60
    - action: notify.log
      data: {{message: "{{{{ trigger.payload.user }}}}"}}
"""


def messages(h: Harness) -> list[str]:
    return [p.message for p in h.calls.of("notify.log")]  # type: ignore[attr-defined]


async def burst(h: Harness, mode: str, max_runs: int = 10) -> None:
    await h.start(SLOW.format(mode=mode, max=max_runs))
    for user in ("1", "2", "3"):
        h.webhook("pause_max", user=user)
        await h.settle()
        await h.advance(10)
    await h.advance(300)


async def test_single_drops_and_records_the_second(harness: Harness) -> None:
    await burst(harness, "single")
    assert messages(harness) == ["1"]
    reasons = [r.reason for r in harness.recorder.not_runs("slow")]
    assert reasons == [NotRunReason.SINGLE, NotRunReason.SINGLE]


async def test_restart_cancels_the_running_run(harness: Harness) -> None:
    await burst(harness, "restart")
    assert messages(harness) == ["3"]
    outcomes = [(r.outcome, r.reason) for r in harness.runs("slow")]
    assert outcomes == [
        (Outcome.CANCELLED, "restart"),
        (Outcome.CANCELLED, "restart"),
        (Outcome.FINISHED, ""),
    ]


async def test_queued_runs_one_after_the_other_up_to_max(harness: Harness) -> None:
    await burst(harness, "queued", 2)
    assert messages(harness) == ["1", "2"]
    assert [r.reason for r in harness.recorder.not_runs("slow")] == [NotRunReason.MAX]
    first, second = harness.runs("slow")
    assert second.started >= (first.ended or 0)


async def test_parallel_up_to_max(harness: Harness) -> None:
    await burst(harness, "parallel", 2)
    assert messages(harness) == ["1", "2"]
    assert [r.reason for r in harness.recorder.not_runs("slow")] == [NotRunReason.MAX]


async def test_reload_keeps_unchanged_rules_running_and_cancels_the_others(
    harness: Harness,
) -> None:
    rules = """
- id: kept
  triggers: {trigger: webhook, kind: pause_max}
  actions: [{delay: 60}, {action: notify.log, data: {message: kept}}]
- id: changed
  triggers: {trigger: webhook, kind: pause_max}
  actions: [{delay: 60}, {action: notify.log, data: {message: changed}}]
- id: removed
  triggers: {trigger: webhook, kind: pause_max}
  actions: [{delay: 60}, {action: notify.log, data: {message: removed}}]
- id: held
  triggers: {trigger: state, entity_id: agent.1001, to: PAUSED, for: 60}
  actions: [{action: notify.log, data: {message: held}}]
"""
    await harness.start(rules)
    harness.webhook("pause_max", user="1")
    await harness.change("agent.1001", "PAUSED")
    await harness.advance(30)
    await harness.reload(
        rules.replace("message: changed", "message: changed now").replace(
            "- id: removed", "- id: other"
        )
    )
    await harness.advance(30)
    assert sorted(messages(harness)) == ["held", "kept"]
    assert [(r.outcome, r.reason) for r in harness.runs("changed")] == [
        (Outcome.CANCELLED, "rule_changed")
    ]
    assert [(r.outcome, r.reason) for r in harness.runs("removed")] == [
        (Outcome.CANCELLED, "rule_removed")
    ]
    harness.webhook("pause_max", user="2")
    await harness.advance(60)
    assert sorted(messages(harness)) == ["changed now", "held", "kept", "kept", "removed"]


async def test_a_reload_that_changes_the_listened_types_moves_the_listeners(
    harness: Harness,
) -> None:
    await harness.start(
        """
        - id: r
          triggers: {trigger: webhook, kind: pause_max}
          actions: [{action: notify.log, data: {message: pause}}]
        """
    )
    await harness.reload(
        """
        - id: r
          triggers: {trigger: webhook, kind: dispo_callback}
          actions: [{action: notify.log, data: {message: dispo}}]
        """
    )
    harness.webhook("pause_max", user="1")
    harness.webhook("dispo_callback", user="1")
    await harness.settle()
    assert messages(harness) == ["dispo"]
    assert harness.core.bus.listener_count("vicidial_pause_max") == 1  # the test's own


async def test_stop_cancels_running_runs_as_shutdown(harness: Harness) -> None:
    await harness.start(SLOW.format(mode="single", max=10))
    harness.webhook("pause_max", user="1")
    await harness.settle()
    await harness.engine.stop()
    (run,) = harness.runs("slow")
    assert (run.outcome, run.reason) == (Outcome.CANCELLED, "shutdown")
    assert harness.core.clock.pending == 0


async def test_the_run_state_is_plain_data_at_every_step(harness: Harness) -> None:
    await harness.start(
        """
        - id: state
          variables: {limit: 3}
          triggers: {trigger: webhook, kind: pause_max}
          actions:
            - variables: {seen: "{{ now() }}"}
            - sequence:
                - delay: 5
                - action: vicidial.agent.send_notification
                  data: {recipient: "1", recipient_type: USER, notification_text: hi}
                  response_variable: sent
            - delay: 5
        """
    )
    harness.webhook("pause_max", user="1001", campaign="TESTCAMP")
    await harness.settle()
    (run,) = harness.engine.runs
    first = run.state.to_dict()
    # Entering the sequence moved the outer frame past it; its own frame is at its delay.
    assert first["frames"] == [
        {"block": "actions", "index": 2, "owner": None, "loop": None},
        {"block": "actions/1/sequence", "index": 0, "owner": "actions/1", "loop": None},
    ]
    assert first["waiting"]["step"] == "actions/1/sequence/0"
    assert first["variables"]["seen"] == "2026-03-02T09:00:00+01:00"
    assert first["variables"]["trigger"]["payload"]["user"] == "1001"
    await harness.advance(5)
    second = run.state.to_dict()
    assert second["frames"] == [{"block": "actions", "index": 2, "owner": None, "loop": None}]
    assert second["waiting"]["step"] == "actions/2"
    assert second["variables"]["sent"] == {"notification_id": 1, "recipient": "1"}
    assert json.loads(json.dumps(second)) == second
    await harness.advance(5)
    assert harness.engine.runs == []


@pytest.mark.parametrize("count", [10_000])
async def test_ten_thousand_rules_on_one_kind_cost_one_check_per_event(
    harness: Harness, count: int
) -> None:
    rules = [
        {
            "id": f"r{i}",
            "triggers": {
                "trigger": "webhook",
                "kind": "pause_max",
                "filter": {"campaign" if i % 2 else "user": f"V{i}"},
            },
            "actions": [{"action": "notify.log", "data": {"message": str(i)}}],
        }
        for i in range(count)
    ]
    await harness.start(rules)
    harness.webhook("pause_max", user="V4", campaign="X")
    harness.webhook("pause_max", user="X", campaign="V9999")
    harness.webhook("pause_max", user="none", campaign="none")
    await harness.settle()
    assert messages(harness) == ["4", "9999"]
    assert harness.engine.stats.events == 3
    assert harness.engine.stats.checks == 2


async def test_state_triggers_are_found_by_entity_id_and_by_domain(harness: Harness) -> None:
    rules = [
        {
            "id": f"agent_{i}",
            "triggers": {"trigger": "state", "entity_id": f"agent.{i}", "to": "PAUSED"},
            "actions": [{"action": "notify.log", "data": {"message": str(i)}}],
        }
        for i in range(2_000)
    ]
    rules.append(
        {
            "id": "campaigns",
            "triggers": {"trigger": "state", "entity_id": "campaign.*"},
            "actions": [{"action": "notify.log", "data": {"message": "campaign"}}],
        }
    )
    await harness.start(rules)
    await harness.change("agent.7", "PAUSED")
    await harness.change("campaign.TESTCAMP", "ACTIVE")
    await harness.change("ingroup.SALES", "2")
    assert messages(harness) == ["7", "campaign"]
    assert harness.engine.stats.checks == 2


async def test_a_rule_can_follow_another_rules_runs(harness: Harness) -> None:
    await harness.start(
        """
        - id: first
          triggers: {trigger: webhook, kind: pause_max}
          actions: [{stop: done, response_variable: note}]
          variables: {note: {checked: true}}
        - id: second
          triggers: {trigger: event, event_type: rule_finished, event_data: {rule_id: first}}
          actions:
            - action: notify.log
              data:
                message: "{{ trigger.event.data.outcome }} {{ trigger.event.data.response }}"
        """
    )
    harness.webhook("pause_max", user="1")
    await harness.settle()
    assert messages(harness) == ["stopped {'checked': True}"]


async def test_a_queued_run_cancelled_before_its_turn_is_on_record(harness: Harness) -> None:
    await harness.start(SLOW.format(mode="queued", max=3))
    harness.webhook("pause_max", user="1")
    harness.webhook("pause_max", user="2")
    await harness.settle()
    await harness.reload(SLOW.format(mode="queued", max=3).replace("delay: 60", "delay: 5"))
    outcomes = [(r.outcome, r.reason) for r in harness.runs("slow")]
    assert outcomes == [
        (Outcome.CANCELLED, "rule_changed"),
        (Outcome.CANCELLED, "rule_changed"),
    ]
    assert len(harness.of_type("rule_finished")) == 2
    assert harness.engine.runs == []


@pytest.mark.parametrize(
    ("max_exceeded", "logged"),
    [("silent", []), ("info", ["INFO"]), ("error", ["ERROR"]), (None, ["WARNING"])],
)
async def test_max_exceeded_is_the_log_level_of_a_dropped_run(
    harness: Harness, caplog: pytest.LogCaptureFixture, max_exceeded: str | None, logged: list[str]
) -> None:
    caplog.set_level(logging.DEBUG, logger="rules")
    text = SLOW.format(mode="single", max=10)
    if max_exceeded is not None:
        text = text.replace("  max: 10\n", f"  max_exceeded: {max_exceeded}\n")
    await harness.start(text)
    for user in ("1", "2"):
        harness.webhook("pause_max", user=user)
        await harness.settle()
    dropped = [r.levelname for r in caplog.records if "not run (single)" in r.getMessage()]
    assert dropped == logged
    assert harness.engine.dropped() == {"single": 1}  # counted whatever the level
