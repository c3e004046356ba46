"""The kill switch: rules.enable / rules.disable by rule id and by group, called by a rule or
by the API; who asked is logged; the switch holds across a reload."""

from __future__ import annotations

import logging

import pytest

from engine.context import Context, Origin
from engine.errors import ServiceValidationError
from rules.records import Outcome, StepOutcome
from tests.rules.conftest import Harness


def messages(h: Harness) -> list[str]:
    return [p.message for p in h.calls.of("notify.log")]  # type: ignore[attr-defined]


RULES = """
- id: pause_alert
  group: alerts
  triggers: {trigger: webhook, kind: pause_max}
  actions:
    - delay: 60
    - action: notify.log
      data: {message: "pause {{ trigger.payload.user }}"}
- id: drop_alert
  group: alerts
  triggers: {trigger: webhook, kind: no_agent}
  actions: [{action: notify.log, data: {message: drop}}]
- id: nightly
  triggers: {trigger: time, at: "10:00"}
  actions: [{action: notify.log, data: {message: nightly}}]
- id: off_in_config
  enabled: false
  triggers: {trigger: webhook, kind: no_agent}
  actions: [{action: notify.log, data: {message: was off}}]
- id: incident
  triggers: {trigger: event, event_type: incident}
  actions:
    - action: rules.disable
      data: {group: "{{ trigger.event.data.group }}"}
      response_variable: switched
    - action: notify.log
      data: {message: "{{ switched.rules | map(attribute='rule_id') | join(',') }}"}
"""


async def call(h: Harness, service: str, **data: object) -> object:
    return await h.core.services.call(
        service, data, context=Context(Origin.API, user="api:ops"), caller="api:ops"
    )


async def test_disable_by_id_cancels_its_runs_and_stops_its_triggers(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    await harness.start(RULES)
    harness.webhook("pause_max", user="1001")
    await harness.settle()
    with caplog.at_level(logging.WARNING, logger="rules"):
        await call(harness, "rules.disable", rule_id=["pause_alert", "nightly"])
    assert "rules switched off by api:ops: pause_alert, nightly" in caplog.text
    await harness.settle()
    (run,) = harness.runs("pause_alert")
    assert (run.outcome, run.reason) == (Outcome.CANCELLED, "rule_disabled")
    harness.webhook("pause_max", user="1002")
    await harness.advance(3600)  # past 10:00 and the delay: nothing of either rule
    assert messages(harness) == []
    await call(harness, "rules.enable", rule_id="pause_alert")
    harness.webhook("pause_max", user="1003")
    await harness.advance(60)
    assert messages(harness) == ["pause 1003"]
    (change_off, change_on) = harness.engine.switch.history
    assert (change_off.who, change_off.enabled, change_off.rule_ids) == (
        "api:ops",
        False,
        ("pause_alert", "nightly"),
    )
    assert (change_on.who, change_on.enabled) == ("api:ops", True)


async def test_disable_without_stopping_actions_lets_runs_finish(harness: Harness) -> None:
    await harness.start(RULES)
    harness.webhook("pause_max", user="1001")
    await harness.settle()
    await call(harness, "rules.disable", rule_id="pause_alert", stop_actions=False)
    await harness.advance(60)
    assert messages(harness) == ["pause 1001"]


async def test_a_rule_switches_a_group_off_and_who_asked_is_the_rule(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    await harness.start(RULES)
    with caplog.at_level(logging.WARNING, logger="rules"):
        harness.core.fire("incident", {"group": "alerts"})
        await harness.settle()
    assert messages(harness) == ["pause_alert,drop_alert"]
    assert "rules switched off by rule:incident: group alerts" in caplog.text
    harness.webhook("no_agent", campaign="TESTCAMP")
    harness.webhook("pause_max", user="1")
    await harness.advance(120)
    assert messages(harness) == ["pause_alert,drop_alert"]
    states = {r.rule_id: r.enabled for r in map(harness.engine.rule_state, ("drop_alert",))}
    assert states == {"drop_alert": False}


async def test_the_last_word_wins_between_a_group_and_its_rules(harness: Harness) -> None:
    await harness.start(RULES)
    await call(harness, "rules.enable", rule_id="drop_alert")
    await call(harness, "rules.disable", group="alerts")
    assert not harness.engine.rule_state("drop_alert").enabled  # the group came last
    await call(harness, "rules.enable", rule_id="drop_alert")
    assert harness.engine.rule_state("drop_alert").enabled
    assert not harness.engine.rule_state("pause_alert").enabled


async def test_a_rule_off_in_the_config_can_be_switched_on(harness: Harness) -> None:
    await harness.start(RULES)
    await call(harness, "rules.enable", rule_id="off_in_config")
    harness.webhook("no_agent", campaign="TESTCAMP")
    await harness.settle()
    assert sorted(messages(harness)) == ["drop", "was off"]


async def test_the_switch_holds_across_a_reload(harness: Harness) -> None:
    await harness.start(RULES)
    await call(harness, "rules.disable", group="alerts")
    # A reload that changes a rule of the group: the new version is switched off too.
    await harness.reload(RULES.replace("message: drop", "message: dropped"))
    harness.webhook("no_agent", campaign="TESTCAMP")
    await harness.settle()
    assert messages(harness) == []
    assert not harness.engine.rule_state("drop_alert").enabled


async def test_unknown_rules_and_groups_are_refused_by_name(harness: Harness) -> None:
    await harness.start(RULES)
    with pytest.raises(ServiceValidationError) as refused:
        await call(harness, "rules.disable", rule_id="pause_alrt", group="alert")
    problems = [(p.field, p.message) for p in refused.value.problems]
    assert problems == [
        ("rule_id", "no rule 'pause_alrt'; did you mean 'pause_alert'?"),
        ("group", "no group 'alert'; did you mean 'alerts'?"),
    ]
    with pytest.raises(ServiceValidationError, match="name a rule_id or a group"):
        await call(harness, "rules.enable")
    assert harness.engine.switch.history == type(harness.engine.switch.history)(maxlen=100)


async def test_a_dry_run_rule_does_not_switch_rules(harness: Harness) -> None:
    await harness.start(RULES.replace("- id: incident\n", "- id: incident\n  dry_run: true\n"))
    harness.core.fire("incident", {"group": "alerts"})
    await harness.settle()
    (run,) = harness.runs("incident")
    assert run.steps[0].outcome is StepOutcome.DRY_RUN
    assert run.steps[0].data == {"group": "alerts"}
    assert harness.engine.rule_state("pause_alert").enabled


async def test_numeric_ids_and_groups_switch_as_the_rules_read_them(harness: Harness) -> None:
    """YAML reads ``id: 2024`` and ``rule_id: 2024`` as numbers; the rule's id is its text,
    and the switch names it the same way (a list too), at load and when called."""
    text = """
    - id: 2024
      group: 7
      triggers: {trigger: webhook, kind: no_agent}
      actions: [{action: notify.log, data: {message: numbered}}]
    - id: switcher
      triggers: {trigger: event, event_type: incident}
      actions:
        - action: rules.disable
          data: {rule_id: [2024]}
    """
    await harness.start(text)  # no load error
    harness.core.fire("incident", {})
    await harness.settle()
    assert not harness.engine.rule_state("2024").enabled
    await call(harness, "rules.enable", group=7)
    assert harness.engine.rule_state("2024").enabled
