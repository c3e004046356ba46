"""wait_template and wait_for_trigger: what they wait for, their timeouts, the ``wait``
variable, and the run parked meanwhile; all on the manual clock."""

from __future__ import annotations

import json

from rules.records import Outcome, StepOutcome
from tests.rules.conftest import Harness


def messages(h: Harness) -> list[str]:
    return [p.message for p in h.calls.of("notify.log")]  # type: ignore[attr-defined]


async def test_wait_template_goes_on_when_a_state_makes_it_true(harness: Harness) -> None:
    await harness.start(
        """
        - id: back
          triggers: {trigger: webhook, kind: pause_max}
          actions:
            - wait_template: "{{ is_state('agent.' ~ trigger.payload.user, 'READY') }}"
              timeout: 5m
            - action: notify.log
              data: {message: "back {{ wait.completed }} {{ wait.remaining }}"}
        """
    )
    await harness.change("agent.1001", "PAUSED")
    harness.webhook("pause_max", user="1001")
    await harness.settle()
    (run,) = harness.engine.runs
    assert run.parked
    assert run.state.waiting == {
        "step": "actions/0",
        "until": harness.core.clock.time() + 300,
        "for": "template",
    }
    json.dumps(run.state.to_dict())
    await harness.advance(60)
    await harness.change("agent.1002", "READY")  # another agent: still waiting
    assert messages(harness) == []
    await harness.change("agent.1001", "READY")
    assert messages(harness) == ["back True 240.0"]
    assert harness.core.clock.pending == 0  # its timeout is gone
    assert harness.core.bus.listener_count("state_changed") == 1  # the test's own


async def test_wait_template_true_at_once_does_not_wait(harness: Harness) -> None:
    await harness.start(
        """
        - id: now
          triggers: {trigger: webhook, kind: pause_max}
          actions:
            - wait_template: "{{ true }}"
            - action: notify.log
              data: {message: "{{ wait.completed }} {{ wait.remaining }}"}
        """
    )
    harness.webhook("pause_max", user="1")
    await harness.settle()
    assert messages(harness) == ["True None"]


async def test_a_wait_timeout_goes_on_or_stops_the_run(harness: Harness) -> None:
    await harness.start(
        """
        - id: goes_on
          triggers: {trigger: webhook, kind: pause_max}
          actions:
            - wait_template: "{{ false }}"
              timeout: 30
            - action: notify.log
              data: {message: "timed out: {{ not wait.completed }} {{ wait.remaining }}"}
        - id: stops
          triggers: {trigger: webhook, kind: pause_max}
          actions:
            - wait_for_trigger: {trigger: webhook, kind: dispo_callback}
              timeout: 30
              continue_on_timeout: false
            - action: notify.log
              data: {message: never}
        """
    )
    harness.webhook("pause_max", user="1")
    await harness.settle()
    await harness.advance(29)
    assert messages(harness) == []
    await harness.advance(1)
    assert messages(harness) == ["timed out: True 0.0"]
    (goes_on,) = harness.runs("goes_on")
    assert goes_on.steps[0].outcome is StepOutcome.TIMEOUT
    assert goes_on.outcome is Outcome.FINISHED
    (stops,) = harness.runs("stops")
    assert (stops.outcome, stops.reason) == (Outcome.STOPPED, "wait actions/0 timed out")
    assert stops.steps[0].result == {"trigger": None, "timed_out": True, "remaining": 0.0}


async def test_a_failing_wait_template_is_the_runs_error(harness: Harness) -> None:
    await harness.start(
        """
        - id: broken
          triggers: {trigger: webhook, kind: pause_max}
          actions:
            - wait_template: "{{ states('agent.1') == 'READY' and trigger.payload.nothing }}"
        """
    )
    harness.webhook("pause_max", user="1")
    await harness.settle()
    await harness.change("agent.1", "READY")
    (run,) = harness.runs("broken")
    assert run.outcome is Outcome.ERROR
    assert run.error is not None
    assert "nothing" in run.error.message


async def test_wait_for_trigger_hands_what_it_matched_to_the_next_steps(harness: Harness) -> None:
    await harness.start(
        """
        - id: dispo_after_pause
          mode: parallel
          triggers: {trigger: webhook, kind: pause_max}
          actions:
            - wait_for_trigger:
                - trigger: webhook
                  kind: dispo_callback
                  filter: {user: 1001}
                - trigger: state
                  id: ready
                  entity_id: agent.1002
                  to: READY
                  for: 30
              timeout: 10m
            - action: notify.log
              data:
                message: >-
                  {{ trigger.payload.user }}: {{ wait.trigger.platform }}
                  {{ wait.trigger.id }} {{ wait.remaining }}
        """
    )
    harness.webhook("pause_max", user="1001")
    harness.webhook("pause_max", user="1002")
    await harness.settle()
    assert len(harness.engine.runs) == 2
    harness.webhook("dispo_callback", user="9999")  # filtered out
    await harness.settle()
    assert messages(harness) == []
    await harness.advance(60)
    harness.webhook("dispo_callback", user="1001")
    await harness.settle()
    # Both runs wait for the same triggers: the first event ends both waits.
    assert messages(harness) == ["1001: webhook 0 540.0", "1002: webhook 0 540.0"]


async def test_wait_for_a_state_held_for_a_while(harness: Harness) -> None:
    await harness.start(
        """
        - id: settled
          triggers: {trigger: webhook, kind: pause_max}
          actions:
            - wait_for_trigger:
                trigger: state
                id: ready
                entity_id: agent.1002
                to: READY
                for: 30
            - action: notify.log
              data: {message: "{{ wait.trigger.id }} {{ wait.trigger.for }} {{ wait.remaining }}"}
        """
    )
    harness.webhook("pause_max", user="1")
    await harness.settle()
    await harness.change("agent.1002", "READY")
    await harness.advance(20)
    await harness.change("agent.1002", "PAUSED")  # broken before 30 s
    await harness.advance(60)
    assert messages(harness) == []
    await harness.change("agent.1002", "READY")
    await harness.advance(30)
    assert messages(harness) == ["ready 30.0 None"]
    assert harness.core.clock.pending == 0


async def test_wait_for_a_time_of_day(harness: Harness) -> None:
    await harness.start(
        """
        - id: at_ten
          triggers: {trigger: webhook, kind: pause_max}
          actions:
            - wait_for_trigger: {trigger: time, at: "10:00"}
            - action: notify.log
              data: {message: "{{ wait.trigger.now.isoformat() }}"}
        """
    )
    harness.webhook("pause_max", user="1")  # at 09:00
    await harness.settle()
    await harness.advance(3599)
    assert messages(harness) == []
    await harness.advance(1)
    assert messages(harness) == ["2026-03-02T10:00:00+01:00"]
    assert harness.core.clock.pending == 0  # the schedule ended with the wait


async def test_a_run_cancelled_while_waiting_leaves_no_listener(harness: Harness) -> None:
    await harness.start(
        """
        - id: waits
          mode: restart
          triggers: {trigger: webhook, kind: pause_max}
          actions:
            - wait_for_trigger: {trigger: event, event_type: rule_finished}
              timeout: 1h
        """
    )
    harness.webhook("pause_max", user="1")
    await harness.settle()
    harness.webhook("pause_max", user="2")
    await harness.settle()
    first, second = harness.runs("waits")
    assert (first.outcome, first.reason) == (Outcome.CANCELLED, "restart")
    # The first run's end fired rule_finished; the second run, waiting for it, took it.
    assert second.outcome is Outcome.FINISHED
    assert harness.core.bus.listener_count("rule_finished") == 1  # the test's own
    assert harness.core.clock.pending == 0
