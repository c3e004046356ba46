"""The offline harness on a Core the engine-side wiring built as the daemon builds it: every
call validated and recorded with the rule, run and event that made it; stubs, typed errors
and empty successes; the engine's own services called for real; push reaching the agent."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from engine.jsonable import SECRET_MASK
from engine.rule_tests_wiring import RulesSetup
from integrations.vicidial.admin.campaigns import UpdateCampaignResult
from rules.records import NonRunRecord, NotRunReason, Outcome, RunRecord
from rules.testing.empty import empty_result
from rules.testing.harness import Answer, RuleHarness, Stub

START = 1_772_460_000.0  # 2026-03-02 14:00 UTC

RULES = """\
- id: notify_then_pause
  cooldown: {for: 1m}
  triggers: [{trigger: webhook, kind: pause_max}]
  actions:
    - action: vicidial.agent.send_notification
      data: {recipient: "{{ trigger.payload.user }}", recipient_type: USER,
             notification_text: "{{ trigger.payload.campaign }}"}
      response_variable: sent
      continue_on_error: true
    - action: vicidial.agent.pause_code
      data: {agent_user: "{{ trigger.payload.user }}",
             value: "{{ sent.message if sent is defined else 'none' }}"}
- id: new_user
  triggers: [{trigger: event, event_type: new_user}]
  actions:
    - action: vicidial.admin.add_user
      data: {agent_user: "2001", agent_pass: "{{ 'hunter2hunter2' }}", agent_user_level: 1,
             agent_full_name: New, agent_user_group: AGENTS}
- id: bad_value
  triggers: [{trigger: event, event_type: try_bad_value}]
  actions:
    - action: vicidial.agent.send_notification
      data: {recipient: "1001", recipient_type: "{{ 'USR' }}", notification_text: x}
- id: switch_off
  triggers: [{trigger: event, event_type: switch_off}]
  actions:
    - action: rules.disable
      data: {rule_id: notify_then_pause}
"""

Make = Callable[..., Any]


@pytest.fixture
async def make(tmp_path: Path) -> AsyncIterator[Make]:
    (tmp_path / "rules.yaml").write_text(RULES)
    setup = RulesSetup.from_file(tmp_path / "rules.yaml")
    made: list[RuleHarness] = []

    async def build(stubs: Mapping[str, Stub] | None = None) -> RuleHarness:
        harnessed = setup.harness(setup.build(start=START), stubs=stubs)
        # Warnings only: nothing but these tests fires the rules' own event types.
        assert not [p for p in harnessed.problems if p.is_error], harnessed.problems
        harness = harnessed.harness
        made.append(harness)
        await harness.start({"agent.1001": ("PAUSED", {"pause_code": ""})})
        return harness

    yield build
    for harness in made:
        await harness.stop()


async def test_each_call_is_recorded_with_its_rule_run_event_and_step(make: Make) -> None:
    harness = await make({"vicidial.agent.send_notification": Stub({"message": "SENT"})})
    harness.step = "first"
    event = await harness.webhook("pause_max", {"user": "1001", "campaign": "DEMO"})
    notify, pause = harness.calls
    run = harness.runs("notify_then_pause")[0]
    for call in (notify, pause):
        assert (call.rule_id, call.run_id, call.event_id) == (
            "notify_then_pause",
            run.run_id,
            event.context.id,
        )
        assert call.step == "first"
        assert call.time == START
    assert notify.answer is Answer.STUB
    assert notify.result["message"] == "SENT"  # laid over the result type's empty success
    assert notify.result["notification_id"] is None
    # The stub's result became the response variable the next step rendered from.
    assert pause.data == {"agent_user": "1001", "value": "SENT"}
    assert pause.answer is Answer.UNSTUBBED
    assert harness.unstubbed == [pause]


async def test_secrets_are_masked_in_the_recorded_calls(make: Make) -> None:
    harness = await make()
    await harness.fire("new_user")
    (call,) = harness.calls
    assert call.data["agent_pass"] == SECRET_MASK
    assert "hunter2hunter2" not in repr(harness.calls)
    assert "hunter2hunter2" not in repr(harness.timeline)


async def test_a_stubbed_typed_error_is_the_clients_class_and_continue_on_error_goes_on(
    make: Make,
) -> None:
    harness = await make(
        {"vicidial.agent.send_notification": Stub(error="ViciStateError", message="not here")}
    )
    await harness.webhook("pause_max", {"user": "1001", "campaign": "DEMO"})
    notify, pause = harness.calls
    assert notify.answer is Answer.ERROR
    assert (notify.error.type, notify.error.message) == ("ViciStateError", "not here")
    run = harness.runs("notify_then_pause")[0]
    assert run.outcome is Outcome.FINISHED
    assert run.steps[0].error is not None
    assert run.steps[0].error.type == "ViciStateError"
    assert pause.data["value"] == "none"  # no response variable from the failed step


async def test_data_is_validated_against_the_real_parameter_model(make: Make) -> None:
    harness = await make()
    await harness.fire("try_bad_value")
    (call,) = harness.calls
    assert call.answer is Answer.ERROR
    assert call.error is not None
    assert call.error.type == "ServiceValidationError"
    assert call.error.fields[0][0] == "recipient_type"
    assert harness.runs("bad_value")[0].outcome is Outcome.ERROR


async def test_the_engines_own_services_are_called_for_real(make: Make) -> None:
    harness = await make()
    await harness.fire("switch_off")
    assert harness.calls[0].answer is Answer.LIVE
    assert harness.calls[0].result["rules"][0] == {
        "rule_id": "notify_then_pause",
        "group": None,
        "enabled": False,
    }
    await harness.webhook("pause_max", {"user": "1001", "campaign": "DEMO"})
    assert len(harness.calls) == 1


async def test_the_timeline_keeps_runs_and_non_runs_in_order_with_their_step(
    make: Make,
) -> None:
    harness = await make()
    harness.step = "one"
    await harness.webhook("pause_max", {"user": "1001", "campaign": "DEMO"})
    harness.step = "two"
    await harness.advance(30)
    await harness.webhook("pause_max", {"user": "1001", "campaign": "DEMO"})
    await harness.advance(30)
    harness.step = "three"
    await harness.webhook("pause_max", {"user": "1001", "campaign": "DEMO"})
    kinds = [
        (type(r).__name__, r.reason if isinstance(r, NonRunRecord) else None, harness.step_of(r))
        for r in harness.timeline
    ]
    assert kinds == [
        ("RunRecord", None, "one"),
        ("NonRunRecord", NotRunReason.COOLDOWN, "two"),
        ("RunRecord", None, "three"),
    ]
    assert isinstance(harness.timeline[0], RunRecord)
    assert isinstance(harness.not_runs("notify_then_pause")[0], NonRunRecord)


async def test_push_reaches_the_agent_through_the_integrations_listener(make: Make) -> None:
    harness = await make()
    await harness.push({"user": "1001", "event": "dispo_set", "lead_id": "42"})
    state = harness.core.states.get("agent.1001")
    assert state is not None
    assert (state.attributes["last_push_event"], state.attributes["lead_id"]) == ("dispo_set", 42)


async def test_a_bad_webhook_kind_or_field_is_a_typed_error(make: Make) -> None:
    harness = await make()
    with pytest.raises(ValueError, match="did you mean 'user'"):
        await harness.webhook("pause_max", {"usr": "1001"})
    with pytest.raises(Exception, match="pause_maxx") as raised:
        await harness.webhook("pause_maxx", {})
    assert type(raised.value).__name__ == "UnknownKindError"


async def test_stub_problems_name_the_service_error_and_field(make: Make) -> None:
    harness = await make()
    problems = harness.caller.problems
    assert problems("vicidial.agent.pause_cod", Stub()) == ["no service 'vicidial.agent.pause_cod'"]
    assert problems("vicidial.agent.pause_code", Stub(error="ViciStateErr")) == [
        "no error class 'ViciStateErr'; did you mean 'ViciStateError'?"
    ]
    assert problems("vicidial.agent.pause_code", Stub({"pause_cod": "x"})) == [
        "vicidial.agent.pause_code results have no field 'pause_cod'"
    ]


def test_every_registered_services_result_has_an_empty_success(tmp_path: Path) -> None:
    (tmp_path / "rules.yaml").write_text("[]\n")
    core = RulesSetup.from_file(tmp_path / "rules.yaml").build(start=START).core
    results = [s.result for s in core.services.services()]
    assert len(results) > 90  # every function of both APIs, notify.log
    for result in results:
        empty = empty_result(result)
        fields = getattr(result, "model_fields", None)
        if fields is None:
            assert empty is None
        else:
            assert set(empty) == set(fields)  # every field there, required ones too
    assert empty_result(UpdateCampaignResult)["outcomes"] == []
