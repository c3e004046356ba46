"""Every step type, continue_on_error, dry runs, and what a failed step records."""

from __future__ import annotations

import json

from engine.context import Context, Origin
from engine.events import webhook_event_type
from engine.jsonable import SECRET_MASK
from rules.records import Outcome, StepOutcome
from tests.rules.conftest import Harness, NotifyParams, payload


def messages(h: Harness) -> list[str]:
    return [p.message for p in h.calls.of("notify.log")]  # type: ignore[attr-defined]


async def test_service_step_with_templated_data_and_its_response(harness: Harness) -> None:
    await harness.start(
        """
        - id: pause_max_break
          triggers: {trigger: webhook, kind: pause_max, filter: {campaign: TESTCAMP}}
          actions:
            - action: vicidial.agent.send_notification
              data:
                recipient: "{{ trigger.payload.user }}"
                recipient_type: USER
                notification_text: You have been paused too long
              response_variable: sent
            - action: notify.log
              data: {message: "{{ sent.notification_id }} to {{ sent.recipient }}"}
        """
    )
    harness.webhook("pause_max", user="1001", campaign="TESTCAMP")
    await harness.settle()
    (notify,) = harness.calls.of("vicidial.agent.send_notification")
    assert notify == NotifyParams(
        recipient="1001",
        recipient_type="USER",
        notification_text="You have been paused too long",
    )
    assert messages(harness) == ["1 to 1001"]
    (run,) = harness.runs("pause_max_break")
    assert run.outcome is Outcome.FINISHED
    assert run.steps[0].data == {
        "recipient": "1001",
        "recipient_type": "USER",
        "notification_text": "You have been paused too long",
    }
    assert run.steps[0].result == {"notification_id": 1, "recipient": "1001"}


async def test_delay_waits_on_the_clock_with_its_due_time_on_record(harness: Harness) -> None:
    await harness.start(
        """
        - id: later
          triggers: {trigger: webhook, kind: pause_max}
          actions:
            - delay: {minutes: "{{ 1 + 1 }}", seconds: 30}
            - action: notify.log
              data: {message: done}
        """
    )
    harness.webhook("pause_max", user="1001")
    await harness.settle()
    (run,) = harness.engine.runs
    assert run.parked
    assert run.state.waiting == {
        "step": "actions/0",
        "until": harness.core.clock.time() + 150,
        "for": "delay",
    }
    json.dumps(run.state.to_dict())  # the journal's unit is plain data
    await harness.advance(149)
    assert messages(harness) == []
    await harness.advance(1)
    assert messages(harness) == ["done"]
    assert harness.runs("later")[0].steps[0].data == {"seconds": 150.0}


async def test_event_step_fires_with_the_runs_context(harness: Harness) -> None:
    await harness.start(
        """
        - id: announce
          triggers: {trigger: webhook, kind: pause_max}
          actions:
            - event: agent_overdue
              event_data: {user: "{{ trigger.payload.user }}", level: 2}
        - id: listen
          triggers: {trigger: event, event_type: agent_overdue, event_data: {level: 2}}
          actions: [{action: notify.log, data: {message: "{{ trigger.event.data.user }}"}}]
        """
    )
    webhook = harness.webhook("pause_max", user="1001")
    await harness.settle()
    assert messages(harness) == ["1001"]
    (fired,) = harness.of_type("agent_overdue")
    assert fired.data == {"user": "1001", "level": 2}
    (announce,) = harness.runs("announce")
    assert fired.context.id == announce.context.id
    assert announce.context.parent_id == webhook.context.id


async def test_variables_stop_and_its_response(harness: Harness) -> None:
    await harness.start(
        """
        - id: did
          variables: {known: ["0611223344"]}
          triggers: {trigger: webhook, kind: did_filter}
          actions:
            - variables:
                caller: "{{ trigger.payload.phone_number }}"
                match: "{{ caller in known }}"
            - stop: decided
              response: {match: "{{ match }}", caller: "{{ caller }}"}
            - action: notify.log
              data: {message: never}
        """
    )
    # A decider hands the event to the rules itself and waits on the runs it started.
    event = harness.core.event(
        webhook_event_type("did_filter"),
        payload("did_filter", phone_number="0611223344"),
        Context(Origin.WEBHOOK),
    )
    (run,) = harness.engine.handle(event)
    record = await run.done
    assert record.outcome is Outcome.STOPPED
    assert record.reason == "decided"
    assert record.response == {"match": True, "caller": "0611223344"}
    assert messages(harness) == []
    await harness.settle()
    (finished,) = harness.of_type("rule_finished")
    assert finished.data.response == {"match": True, "caller": "0611223344"}


async def test_stop_with_error_and_sequence(harness: Harness) -> None:
    await harness.start(
        """
        - id: seq
          triggers: {trigger: webhook, kind: pause_max}
          actions:
            - sequence:
                - action: notify.log
                  data: {message: one}
                - sequence:
                    - action: notify.log
                      data: {message: two}
                    - stop: gave up
                      error: true
            - action: notify.log
              data: {message: never}
        """
    )
    harness.webhook("pause_max", user="1")
    await harness.settle()
    assert messages(harness) == ["one", "two"]
    (run,) = harness.runs("seq")
    assert run.outcome is Outcome.ERROR
    assert run.error is not None
    assert run.error.message == "gave up"
    assert [s.path for s in run.steps] == [
        "actions/0",
        "actions/0/sequence/0",
        "actions/0/sequence/1",
        "actions/0/sequence/1/sequence/0",
        "actions/0/sequence/1/sequence/1",
    ]


async def test_disabled_steps_are_skipped_and_recorded(harness: Harness) -> None:
    await harness.start(
        """
        - id: skip
          triggers: {trigger: webhook, kind: pause_max}
          actions:
            - {action: notify.log, data: {message: off}, enabled: false}
            - {condition: template, value_template: "{{ false }}", enabled: false}
            - {action: notify.log, data: {message: on}, alias: the one that runs}
        """
    )
    harness.webhook("pause_max", user="1")
    await harness.settle()
    assert messages(harness) == ["on"]
    (run,) = harness.runs("skip")
    assert [(s.outcome, s.alias) for s in run.steps] == [
        (StepOutcome.SKIPPED, None),
        (StepOutcome.SKIPPED, None),
        (StepOutcome.OK, "the one that runs"),
    ]


async def test_a_failed_step_records_its_typed_error_and_data_without_secrets(
    harness: Harness,
) -> None:
    await harness.start(
        """
        - id: fails
          triggers: {trigger: webhook, kind: pause_max}
          actions:
            - action: vicidial.agent.pause_code
              data: {agent_user: "{{ trigger.payload.user }}", value: BREAK, pass: Sup3rS3cret}
            - action: notify.log
              data: {message: never}
        """
    )
    harness.calls.refuse.add("1001")
    harness.webhook("pause_max", user="1001")
    await harness.settle()
    (run,) = harness.runs("fails")
    assert run.outcome is Outcome.ERROR
    step = run.steps[0]
    assert step.outcome is StepOutcome.ERROR
    assert step.data == {"agent_user": "1001", "value": "BREAK", "pass": SECRET_MASK}
    assert step.error is not None
    assert step.error.type == "ServiceRefusedError"
    assert step.error.message == f"ERROR: agent 1001 not paused {SECRET_MASK}"
    assert "Sup3rS3cret" not in repr(run) + json.dumps(run.state.to_dict())
    assert messages(harness) == []


async def test_a_refused_parameter_is_a_step_error_naming_the_field(harness: Harness) -> None:
    await harness.start(
        """
        - id: bad_value
          triggers: {trigger: webhook, kind: pause_max}
          actions:
            - action: vicidial.agent.send_notification
              data:
                recipient: "1"
                recipient_type: "{{ trigger.payload.user_group }}"
                notification_text: hi
        """
    )
    harness.webhook("pause_max", user="1", user_group="ADMIN")
    await harness.settle()
    (run,) = harness.runs("bad_value")
    assert run.error is not None
    assert run.error.type == "ServiceValidationError"
    assert [f for f, _ in run.error.fields] == ["recipient_type"]
    assert harness.calls.made == []


async def test_continue_on_error_on_the_step_and_on_a_sequence(harness: Harness) -> None:
    await harness.start(
        """
        - id: goes_on
          triggers: {trigger: webhook, kind: pause_max}
          actions:
            - action: vicidial.agent.pause_code
              data: {agent_user: "1001", value: BREAK}
              continue_on_error: true
            - sequence:
                - action: vicidial.agent.pause_code
                  data: {agent_user: "1001", value: LUNCH}
                - action: notify.log
                  data: {message: skipped with the rest of the sequence}
              continue_on_error: true
            - action: notify.log
              data: {message: after}
        """
    )
    harness.calls.refuse.add("1001")
    harness.webhook("pause_max", user="1001")
    await harness.settle()
    assert messages(harness) == ["after"]
    (run,) = harness.runs("goes_on")
    assert run.outcome is Outcome.FINISHED
    assert [(s.path, s.outcome.value) for s in run.steps if s.outcome] == [
        ("actions/0", "error"),
        ("actions/1", "ok"),
        ("actions/1/sequence/0", "error"),
        ("actions/2", "ok"),
    ]


async def test_continue_on_error_does_not_hide_a_template_mistake(harness: Harness) -> None:
    await harness.start(
        """
        - id: mistake
          triggers: {trigger: webhook, kind: pause_max}
          actions:
            - action: notify.log
              data: {message: "{{ trigger.payload.nothing_here }}"}
              continue_on_error: true
            - action: notify.log
              data: {message: never}
        """
    )
    harness.webhook("pause_max", user="1")
    await harness.settle()
    (run,) = harness.runs("mistake")
    assert run.outcome is Outcome.ERROR
    assert run.error is not None
    assert run.error.type == "TemplateRenderError"
    assert messages(harness) == []


async def test_dry_run_records_side_effects_instead_of_calling(harness: Harness) -> None:
    await harness.start(
        """
        - id: rehearsal
          dry_run: true
          triggers: {trigger: webhook, kind: pause_max}
          actions:
            - action: vicidial.agent.pause_code
              data: {agent_user: "{{ trigger.payload.user }}", value: BREAK}
            - action: notify.log
              data: {message: "logged for real: no side effects"}
        """
    )
    harness.webhook("pause_max", user="1001")
    await harness.settle()
    assert harness.calls.of("vicidial.agent.pause_code") == []
    assert messages(harness) == ["logged for real: no side effects"]
    (run,) = harness.runs("rehearsal")
    assert run.steps[0].outcome is StepOutcome.DRY_RUN
    assert run.steps[0].data == {"agent_user": "1001", "value": "BREAK"}


async def test_rule_events_bracket_each_run(harness: Harness) -> None:
    await harness.start(
        """
        - id: bracketed
          alias: With an alias
          triggers: {trigger: webhook, kind: pause_max}
          actions: [{action: notify.log, data: {message: x}}]
        """
    )
    harness.webhook("pause_max", user="1")
    await harness.settle()
    (triggered,) = harness.of_type("rule_triggered")
    (finished,) = harness.of_type("rule_finished")
    (run,) = harness.runs("bracketed")
    assert (triggered.data.rule_id, triggered.data.run_id, triggered.data.alias) == (
        "bracketed",
        run.run_id,
        "With an alias",
    )
    assert (finished.data.outcome, finished.data.run_id) == ("finished", run.run_id)
    assert triggered.context.id == finished.context.id == run.context.id


async def test_this_names_the_rule_and_its_last_run(harness: Harness) -> None:
    await harness.start(
        """
        - id: me
          alias: Myself
          group: supervisors
          triggers: {trigger: webhook, kind: pause_max}
          actions:
            - action: notify.log
              data:
                message: >-
                  {{ this.id }} {{ this.alias }} {{ this.group }} {{ this.last_triggered }}
                  {{ this.last_run.outcome if this.last_run else '' }}
        """
    )
    harness.webhook("pause_max", user="1")
    await harness.settle()
    await harness.advance(60)
    harness.webhook("pause_max", user="1")
    await harness.settle()
    assert messages(harness) == [
        "me Myself supervisors None ",
        "me Myself supervisors 2026-03-02 09:00:00+01:00 finished",
    ]
