"""Every condition type, and which state a condition reads."""

from __future__ import annotations

from rules.records import NotRunReason, Outcome
from tests.rules.conftest import Harness

RULE = """
- id: c
  mode: parallel
  triggers: {{trigger: webhook, kind: pause_max, id: over}}
  conditions:
{conditions}
  actions: [{{action: notify.log, data: {{message: ran}}}}]
"""


async def ran(h: Harness, conditions: str, **payload: str) -> bool:
    """Whether rule ``c`` with these conditions runs for one pause_max webhook."""
    if not h.engine.rules:
        indented = "\n".join("    " + line for line in conditions.strip().splitlines())
        await h.start(RULE.format(conditions=indented))
    before = len(h.runs("c"))
    h.webhook("pause_max", **{"user": "1001", "campaign": "TESTCAMP", **payload})
    await h.settle()
    return len(h.runs("c")) > before


async def test_state_condition_with_attribute_for_and_match(harness: Harness) -> None:
    await harness.change("agent.1001", "PAUSED", pause_code="BREAK")
    await harness.change("agent.1002", "READY")
    conditions = """
- condition: state
  entity_id: agent.1001
  state: [PAUSED, DISPO]
  for: 10s
- {condition: state, entity_id: agent.1001, attribute: pause_code, state: BREAK}
- {condition: state, entity_id: [agent.1001, agent.1002], state: READY, match: any}
"""
    assert not await ran(harness, conditions)  # not paused for 10 s yet
    await harness.advance(10)
    assert await ran(harness, conditions)
    await harness.change("agent.1002", "PAUSED", pause_code="")
    assert not await ran(harness, conditions)  # neither is READY any more


async def test_state_condition_on_a_glob_needs_every_entity(harness: Harness) -> None:
    await harness.change("agent.1001", "PAUSED")
    await harness.change("agent.1002", "PAUSED")
    conditions = "- {condition: state, entity_id: 'agent.*', state: PAUSED}"
    assert await ran(harness, conditions)
    await harness.change("agent.1003", "READY")
    assert not await ran(harness, conditions)


async def test_numeric_state_condition(harness: Harness) -> None:
    await harness.change("campaign.TESTCAMP", "ACTIVE", hopper_count=5)
    conditions = """
- condition: numeric_state
  entity_id: campaign.TESTCAMP
  attribute: hopper_count
  above: 2
  below: 10
- condition: numeric_state
  entity_id: campaign.TESTCAMP
  value_template: "{{ state.attributes.hopper_count + 100 }}"
  above: 104
"""
    assert await ran(harness, conditions)
    await harness.change("campaign.TESTCAMP", "ACTIVE", hopper_count="unknown")
    assert not await ran(harness, conditions)


async def test_and_or_not_and_the_shorthand(harness: Harness) -> None:
    conditions = """
- or:
    - "{{ trigger.payload.user == '9999' }}"
    - and:
        - "{{ trigger.payload.campaign == 'TESTCAMP' }}"
        - not:
            - condition: template
              value_template: "{{ trigger.payload.user == '1002' }}"
"""
    assert await ran(harness, conditions, user="1001")
    assert not await ran(harness, conditions, user="1002")
    assert await ran(harness, conditions, user="9999", campaign="OTHER")
    assert not await ran(harness, conditions, user="1001", campaign="OTHER")


async def test_time_condition_across_midnight_and_weekdays(harness: Harness) -> None:
    conditions = """
- {condition: time, after: "22:00", before: "06:00"}
- {condition: time, weekday: [mon, tue]}
"""
    assert not await ran(harness, conditions)  # Monday 09:00
    await harness.advance(14 * 3600)  # Monday 23:00
    assert await ran(harness, conditions)
    await harness.advance(6 * 3600)  # Tuesday 05:00
    assert await ran(harness, conditions)
    await harness.advance(24 * 3600)  # Wednesday 05:00
    assert not await ran(harness, conditions)


async def test_trigger_condition_selects_by_trigger_id(harness: Harness) -> None:
    assert await ran(harness, "- {condition: trigger, id: [other, over]}")
    harness.engine.rules  # noqa: B018
    (run,) = harness.runs("c")
    assert run.conditions[-1].result is True


async def test_a_condition_that_fails_is_a_recorded_non_run(harness: Harness) -> None:
    assert not await ran(harness, "- \"{{ trigger.payload.user == 'nobody' }}\"")
    (record,) = harness.recorder.not_runs("c")
    assert record.reason is NotRunReason.CONDITIONS
    assert [(c.path, c.result) for c in record.conditions] == [
        ("conditions/0", False),
        ("conditions", False),
    ]


async def test_an_undefined_name_is_an_error_on_record_never_a_silent_false(
    harness: Harness,
) -> None:
    await ran(harness, '- "{{ trigger.payload.lead_id == 5 }}"')
    assert harness.calls.of("notify.log") == []
    (run,) = harness.runs("c")
    assert run.outcome is Outcome.ERROR
    assert run.error is not None
    assert run.error.type == "TemplateRenderError"
    assert "pause_max payload has no field 'lead_id'" in run.error.message


async def test_conditions_read_the_state_as_of_the_triggering_event(harness: Harness) -> None:
    """The webhook is queued while a newer poll changes the agent; the rule still sees the
    state the agent was in when the webhook came (and ``state_at: now`` sees the newer)."""
    await harness.start(
        """
        - id: as_of_trigger
          triggers: {trigger: webhook, kind: pause_max}
          conditions:
            - {condition: state, entity_id: agent.1001, state: PAUSED}
            - "{{ is_state('agent.1001', 'PAUSED') }}"
          actions: [{action: notify.log, data: {message: trigger}}]
        - id: as_of_now
          triggers: {trigger: webhook, kind: pause_max}
          conditions:
            - {condition: state, entity_id: agent.1001, state: READY, state_at: now}
            - condition: template
              value_template: "{{ is_state('agent.1001', 'READY') }}"
              state_at: now
          actions: [{action: notify.log, data: {message: now}}]
        """
    )
    await harness.change("agent.1001", "PAUSED")
    harness.webhook("pause_max", user="1001")  # queued on the bus, not yet delivered
    harness.set("agent.1001", "READY")  # a newer poll, before the rules see the webhook
    await harness.settle()
    assert [p.message for p in harness.calls.of("notify.log")] == ["trigger", "now"]  # type: ignore[attr-defined]


async def test_condition_step_reads_now_by_default(harness: Harness) -> None:
    await harness.start(
        """
        - id: still_paused
          triggers: {trigger: state, entity_id: agent.1001, to: PAUSED}
          actions:
            - delay: 60
            - {condition: state, entity_id: agent.1001, state: PAUSED}
            - action: notify.log
              data: {message: still}
        """
    )
    await harness.change("agent.1001", "PAUSED")
    await harness.advance(30)
    await harness.change("agent.1001", "READY")
    await harness.advance(30)
    (run,) = harness.runs("still_paused")
    assert run.outcome is Outcome.FINISHED
    assert run.reason == "condition actions/1 did not hold"
    assert [s.outcome.value for s in run.steps if s.outcome] == ["ok", "false"]
    assert harness.calls.of("notify.log") == []
