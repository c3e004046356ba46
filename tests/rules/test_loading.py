"""Each load-time check, reported at its file:line:column."""

from __future__ import annotations

import pytest

from tests.rules.conftest import Harness, rules_file


def found(h: Harness, text: str, *, strict: bool = False) -> list[str]:
    return [str(p) for p in h.load(text, strict=strict).problems]


def at(text: str, needle: str, nth: int = 1) -> str:
    """``rules.yaml:LINE:COL`` of the ``nth`` ``needle`` in the file the harness writes."""
    for number, line in enumerate(rules_file(text).splitlines(), 1):
        column = line.find(needle)
        while column >= 0:
            nth -= 1
            if nth == 0:
                return f"rules.yaml:{number}:{column + 1}"
            column = line.find(needle, column + 1)
    raise AssertionError(f"{needle!r} is not in the text")


def test_a_good_rule_loads_with_no_problem(harness: Harness) -> None:
    loaded = harness.load(
        """
        - id: pause_max_break
          alias: Over max pause -> tell the agent, set pause code BREAK
          triggers:
            - trigger: webhook
              kind: pause_max
              filter: {campaign: TESTCAMP}
          conditions:
            - "{{ states('agent.' ~ trigger.payload.user) == 'PAUSED' }}"
          actions:
            - action: vicidial.agent.send_notification
              data: {recipient: "{{ trigger.payload.user }}", recipient_type: USER,
                     notification_text: "You have been paused too long"}
            - action: vicidial.agent.pause_code
              data: {agent_user: "{{ trigger.payload.user }}", value: BREAK}
        """
    )
    assert loaded.problems == ()
    assert [r.id for r in loaded.rules] == ["pause_max_break"]


def test_the_old_spellings_load_as_the_new(harness: Harness) -> None:
    loaded = harness.load(
        """
        - id: old
          trigger:
            platform: webhook
            kind: pause_max
          condition: "{{ true }}"
          action:
            - service: notify.log
              data: {message: hi}
        """
    )
    assert loaded.problems == ()
    (rule,) = loaded.rules
    assert rule.model.triggers[0].trigger == "webhook"
    assert rule.model.actions[0].action == "notify.log"  # type: ignore[union-attr]


SCHEMA_ERRORS = [
    (
        """
        - id: a
          triggers: {trigger: webhok, kind: pause_max}
          actions: [{action: notify.log, data: {message: x}}]
        """,
        "{trigger: webhok",
        "unknown trigger 'webhok'; did you mean 'webhook'?",
    ),
    (
        """
        - id: a
          triggers:
            - trigger: state
              entity_id: agent.1001
              for: 5 minutes
          actions: [{action: notify.log, data: {message: x}}]
        """,
        "5 minutes",
        "'5 minutes' is no duration; a duration is seconds (90), HH:MM:SS,"
        " compact (90s, 5m, 1h30m) or {minutes: 5}",
    ),
    (
        """
        - id: a
          triggers: {trigger: schedule, cron: "61 * * * *"}
          actions: [{action: notify.log, data: {message: x}}]
        """,
        '"61',
        "bad cron expression '61 * * * *': Error validating expression"
        " '61': the last value (61) is higher than the maximum value (59)",
    ),
    (
        """
        - id: a
          triggers: {trigger: webhook, kind: pause_max}
          actions:
            - dealy: 5
        """,
        "dealy",
        "a step needs a step key; did you mean 'delay'?",
    ),
    (
        """
        - id: a
          triggers: {trigger: webhook, kind: pause_max}
          conditions:
            - {condition: state, entitiy_id: agent.1, state: PAUSED}
          actions: [{delay: 1}]
        """,
        "entitiy_id",
        "unknown key 'entitiy_id'; did you mean 'entity_id'?",
    ),
    (
        """
        - id: a
          triggers: {trigger: webhook, platform: state, kind: pause_max}
          actions: [{delay: 1}]
        """,
        "{trigger: webhook",
        "write trigger or platform, not both",
    ),
    (
        """
        - id: a
          triggers: {trigger: webhook, kind: pause_max}
          trigger: {trigger: webhook, kind: no_agent}
          actions: [{delay: 1}]
        """,
        "id: a",
        "write triggers or trigger, not both",
    ),
    (
        """
        - id: a
          triggers: {trigger: webhook, kind: pause_max}
          actions:
            - {action: notify.log, service: vicidial.agent.pause_code, data: {message: x}}
        """,
        "{action: notify.log",
        "write action or service, not both",
    ),
    (
        """
        - id: a
          triggers: {trigger: webhook, kind: pause_max}
          actions:
            - choose:
                - {conditions: "{{ true }}", condition: "{{ false }}", sequence: [{delay: 1}]}
        """,
        '{conditions: "',
        "write conditions or condition, not both",
    ),
    (
        """
        - id: a
          triggers: {trigger: webhook, kind: pause_max}
          actions:
            - {delay: 1, data: {}}
        """,
        "data:",
        "unknown key 'data' here",
    ),
    (
        """
        - id: a
          triggers: {trigger: webhook, kind: pause_max}
          conditions:
            - {condition: numeric_state, entity_id: campaign.X, above: 5, below: 2}
          actions: [{delay: 1}]
        """,
        "{condition: numeric_state",
        "above 5 and below 2 never both hold",
    ),
    (
        """
        - id: a
          triggers: {trigger: webhook, kind: pause_max}
          actions:
            - {condition: state, state: PAUSED}
        """,
        "{condition: state",
        "entity_id is required",
    ),
    (
        """
        - id: a
          triggers: {trigger: webhook, kind: pause_max}
          actions: [{repeat: {count: 2, until: "{{ true }}", sequence: [{delay: 1}]}}]
        """,
        "{count",
        "a repeat has one of count, for_each, while or until",
    ),
    (
        """
        - id: has space
          triggers: {trigger: agent_event, event: [call_dead, 5.5]}
          actions: [{delay: 1}]
        """,
        "has space",
        "'has space' is no rule id: letters, digits, _ . - (at most 128, no spaces)",
    ),
    (
        """
        - id: a
          trigger: {platform: event, event_type: x, event_data: {a: {b: c}}}
          action: [{service: notify.log, data: {message: x}, continue_on_error: maybe}]
        """,
        "maybe",
        "Input should be a valid boolean, unable to interpret input",
    ),
]


@pytest.mark.parametrize(("text", "needle", "message"), SCHEMA_ERRORS)
def test_every_schema_error_at_its_place(
    harness: Harness, text: str, needle: str, message: str
) -> None:
    assert f"{at(text, needle)}: {message}" in found(harness, text)


def test_all_schema_errors_of_all_rules_at_once(harness: Harness) -> None:
    text = """
        - id: a
          triggers: {trigger: time, at: "25:00"}
          actions: [{delay: -1}]
        - id: b
          triggers: []
          actions: [{delay: 1}]
        - id: c
          triggers: {trigger: event, event_type: x, event_data: {a: {b: c}}}
          actions: [{delay: 1}]
        """
    time_at = at(text, '"25:00')
    assert found(harness, text) == [
        f"{time_at}: '25:00' is no time of day; write HH:MM or HH:MM:SS (08:30:00)",
        f"{at(text, '-1')}: a duration is zero or more seconds, not -1",
        f"{at(text, '[]')}: Value should have at least 1 item after validation, not 0",
        f"{at(text, '{b: c}')}: a filter value is text or a number, or a list of them",
    ]


def test_duplicate_rule_ids(harness: Harness) -> None:
    text = """
        - id: twice
          triggers: {trigger: webhook, kind: pause_max}
          actions: [{delay: 1}]
        - id: twice
          triggers: {trigger: webhook, kind: pause_max}
          actions: [{delay: 1}]
        """
    assert found(harness, text) == [
        f"{at(text, 'twice', 2)}: duplicate rule id 'twice' (first given to rules[0])"
    ]


def test_template_syntax_errors_each_at_its_template(harness: Harness) -> None:
    text = """
        - id: broken
          triggers: {trigger: webhook, kind: pause_max}
          conditions: ["{{ trigger.payload.user == }}"]
          actions:
            - action: notify.log
              data:
                message: |
                  first line
                  {{ trigger.payload.user | no_such_filter }}
        """
    condition_at = at(text, '"{{')
    assert found(harness, text) == [
        f"{condition_at}: template: unexpected 'end of print statement'",
        f"{at(text, '|')}: template: No filter named 'no_such_filter'. (template line 2)",
    ]


def test_the_mapping_form_of_stop_is_checked_at_its_own_keys(harness: Harness) -> None:
    text = """
        - id: a
          triggers: {trigger: webhook, kind: did_filter}
          actions:
            - stop: {reason: answered, error: maybe}
        - id: b
          triggers: {trigger: webhook, kind: did_filter}
          actions:
            - stop: {reason: answered, response: {match: "{{ 1 + }}"}}
        """
    problems = found(harness, text)
    assert f"{at(text, 'maybe')}: Input should be a valid boolean, unable to interpret input" in (
        problems
    )
    template_at = at(text, '"{{ 1')
    assert f"{template_at}: template: unexpected 'end of print statement'" in problems


def test_services_their_parameters_and_literal_values(harness: Harness) -> None:
    text = """
        - id: calls
          triggers: {trigger: webhook, kind: pause_max}
          actions:
            - action: vicidial.agent.send_notifcation
            - action: vicidial.agent.pause_code
              data: {agent_usr: "{{ trigger.payload.user }}", value: BREAK}
            - action: vicidial.agent.send_notification
              data:
                recipient: "{{ trigger.payload.user }}"
                recipient_type: USR
                notification_text: "{{ 'templated values are checked when they run' }}"
        """
    assert found(harness, text) == [
        f"{at(text, 'vicidial.agent.send_notifcation')}: no service"
        " 'vicidial.agent.send_notifcation'; did you mean 'vicidial.agent.send_notification'?",
        f"{at(text, '{agent_usr')}: vicidial.agent.pause_code: agent_user: Field required",
        f"{at(text, 'agent_usr')}: vicidial.agent.pause_code takes no parameter 'agent_usr';"
        " did you mean 'agent_user'?",
        f"{at(text, 'USR')}: vicidial.agent.send_notification: recipient_type: Input should"
        " be 'USER', 'CAMPAIGN' or 'USER_GROUP'",
    ]


def test_a_field_the_trigger_cannot_provide_warns_and_strict_refuses(harness: Harness) -> None:
    text = """
        - id: lead
          triggers: {trigger: webhook, kind: pause_max}
          actions:
            - action: notify.log
              data: {message: "{{ trigger.payload.lead_id }} {{ trigger.to_state }} {{ nope }}"}
        """
    where = at(text, '"{{')
    expected = [
        f"{where}: warning: template reads 'nope', which is never set",
        f"{where}: warning: trigger.payload.lead_id: pause_max carries no lead_id",
        f"{where}: warning: trigger.to_state: no trigger of this rule sets it",
    ]
    loaded = harness.load(text)
    assert [str(p) for p in loaded.problems] == expected
    assert len(loaded.rules) == 1
    strict = harness.load(text, strict=True)
    assert [str(p) for p in strict.problems] == [e.replace("warning: ", "") for e in expected]
    assert strict.rules == ()


def test_a_webhook_field_read_through_trigger_event_data_is_checked_too(
    harness: Harness,
) -> None:
    text = """
        - id: pause_lead
          triggers: {trigger: webhook, kind: pause_max}
          actions:
            - action: notify.log
              data: {message: "{{ trigger.event.data.user }} {{ trigger.event.data.lead_id }}"}
        """
    where = at(text, '"{{')
    assert found(harness, text) == [
        f"{where}: warning: trigger.event.data.lead_id: pause_max carries no lead_id"
    ]


def test_a_field_some_trigger_provides_is_fine(harness: Harness) -> None:
    loaded = harness.load(
        """
        - id: either
          triggers:
            - {trigger: webhook, kind: pause_max}
            - {trigger: webhook, kind: dispo_callback}
          variables: {lead: "{{ trigger.payload.lead_id }}"}
          actions:
            - action: notify.log
              data: {message: "{{ lead }} {{ trigger.payload.values }}"}
        """
    )
    assert loaded.problems == ()


def test_unknown_kind_push_event_event_type_and_entity_domain(harness: Harness) -> None:
    text = """
        - id: vocabulary
          triggers:
            - {trigger: webhook, kind: pause_maxx}
            - {trigger: webhook, kind: dispo_callback, filter: {campain: TESTCAMP}}
            - {trigger: agent_event, event: [call_dead, call_deadd]}
            - {trigger: event, event_type: shift_startd}
            - {trigger: state, entity_id: "ingrup.*"}
          conditions:
            - {condition: state, entity_id: agnt.1001, state: PAUSED}
          actions:
            - event: shift_started
            - event: state_changed
        """
    glob_at = at(text, '"ingrup')
    assert found(harness, text) == [
        f"{at(text, 'pause_maxx')}: unknown webhook kind 'pause_maxx'; did you mean 'pause_max'?",
        f"{at(text, 'campain')}: dispo_callback carries no field 'campain'; did you mean"
        " 'campaign'?",
        f"{at(text, 'call_deadd')}: unknown push event 'call_deadd'; did you mean 'call_dead'?",
        f"{at(text, 'shift_startd')}: warning: no integration or rule fires 'shift_startd';"
        " did you mean 'shift_started'?",
        f"{glob_at}: no entity kind matches 'ingrup.*'; did you mean 'ingroup'?",
        f"{at(text, 'agnt')}: no entity kind matches 'agnt.1001'; did you mean 'agent'?",
        f"{at(text, 'state_changed')}: a rule may not fire 'state_changed': the engine fires it",
    ]


def test_cooldown_and_concurrency_load_without_a_warning(harness: Harness) -> None:
    text = """
        - id: keyed
          cooldown: {for: 10m, key: "{{ trigger.payload.user }}"}
          concurrency: {key: "{{ trigger.payload.user }}", mode: queued, max: 3}
          triggers: {trigger: webhook, kind: pause_max}
          actions: [{delay: 1}]
        """
    assert found(harness, text) == []


def test_mode_and_concurrency_together_are_an_error(harness: Harness) -> None:
    text = """
        - id: both
          mode: parallel
          concurrency: {key: "{{ trigger.payload.user }}"}
          triggers: {trigger: webhook, kind: pause_max}
          actions: [{delay: 1}]
        """
    assert found(harness, text) == [
        f"{at(text, 'id: both')}: a rule has mode/max or concurrency, not both"
    ]


def test_steps_inside_branches_loops_and_parallel_are_checked_at_their_place(
    harness: Harness,
) -> None:
    text = """
        - id: nested
          triggers: {trigger: webhook, kind: pause_max}
          actions:
            - choose:
                - conditions: "{{ trigger.payload.user == '1' }}"
                  sequence:
                    - action: notify.lgo
                      data: {message: a}
              default:
                - if: {condition: state, entity_id: agnt.1, state: PAUSED}
                  then:
                    - repeat:
                        count: 2
                        sequence:
                          - parallel:
                              - action: notify.log
                                data: {mesage: b}
                  else:
                    - wait_for_trigger: {trigger: webhook, kind: pause_mx}
        """
    problems = found(harness, text)
    assert f"{at(text, 'notify.lgo')}: no service 'notify.lgo'; did you mean 'notify.log'?" in (
        problems
    )
    assert any(p.startswith(f"{at(text, 'agnt.1')}: no entity kind matches") for p in problems)
    mesage = f"{at(text, 'mesage')}: notify.log takes no parameter"
    assert any(p.startswith(mesage) for p in problems)
    assert any(p.startswith(f"{at(text, 'pause_mx')}: unknown webhook kind") for p in problems)
    assert any(p.endswith("notify.log: message: Field required") for p in problems)
    assert len(problems) == 5, problems


def test_a_did_filter_step_without_a_did_filter_trigger_is_warned_of(harness: Harness) -> None:
    text = """
        - id: lost
          triggers: {trigger: webhook, kind: pause_max}
          actions: [{did_filter: true}]
        """
    (problem,) = found(harness, text)
    assert problem.startswith(f"{at(text, 'did_filter')}: warning: no trigger of this rule")


def test_a_count_trigger_is_checked_through_to_what_it_counts(harness: Harness) -> None:
    text = """
        - id: drops
          triggers:
            trigger: count
            events: {trigger: webhook, kind: no_agnet}
            within: 15m
            threshold: 3
          actions:
            - action: notify.log
              data: {message: "{{ trigger.count }} {{ trigger.payload.lead_id }}"}
        """
    (problem,) = found(harness, text)
    assert problem.startswith(f"{at(text, 'no_agnet')}: unknown webhook kind 'no_agnet'")
    refused = """
        - id: refused
          triggers:
            trigger: count
            events: {trigger: webhook, kind: no_agent, id: inner}
            within: 15m
            threshold: 2
          actions: [{delay: 1}]
        """
    assert found(harness, refused) == [
        f"{at(refused, 'trigger: count')}: give id and variables to the count trigger,"
        " not to its events"
    ]
    assert found(harness, refused.replace(", id: inner", "").replace("15m", '"{{ 5 }}"')) == [
        f"{at(refused, 'trigger: count')}: within takes a fixed duration longer than zero"
    ]


def test_a_rule_with_an_error_is_left_out_the_others_load(harness: Harness) -> None:
    loaded = harness.load(
        """
        - id: good
          triggers: {trigger: webhook, kind: pause_max}
          actions: [{delay: 1}]
        - id: bad
          triggers: {trigger: webhook, kind: pause_maxx}
          actions: [{delay: 1}]
        """
    )
    assert [r.id for r in loaded.rules] == ["good"]
    assert len(loaded.errors) == 1


def test_fields_of_engine_events_are_known(harness: Harness) -> None:
    text = """
        - id: after
          triggers: {trigger: event, event_type: rule_finished}
          actions:
            - action: notify.log
              data: {message: "{{ trigger.event.data.outcme }}"}
        """
    where = at(text, '"{{')
    assert found(harness, text) == [
        f"{where}: warning: trigger.event.data.outcme: rule_finished carries no outcme"
    ]


def test_an_event_data_field_the_event_never_carries(harness: Harness) -> None:
    """As a webhook's filter: an event_data field that no event of the trigger's types has
    keeps the trigger from ever firing, so it is an error; events of no fixed shape (a rule's
    own) are not judged."""
    text = """
        - id: after
          triggers:
            - {trigger: event, event_type: rule_finished, event_data: {rule_idd: other}}
            - {trigger: event, event_type: rule_finished, event_data: {rule_id: other}}
            - {trigger: event, event_type: shift_started, event_data: {anything: x}}
          actions: [{event: shift_started}]
        """
    assert found(harness, text) == [
        f"{at(text, 'rule_idd')}: rule_finished carries no field 'rule_idd'; did you mean"
        " 'rule_id'?"
    ]


def test_a_trigger_condition_naming_no_trigger_of_the_rule(harness: Harness) -> None:
    """``condition: trigger`` selects by trigger id (by default the trigger's position); an id
    no trigger of the rule has never holds, wherever the condition is (beside ids that can
    hold, it is only dead: a warning)."""
    text = """
        - id: picky
          triggers:
            - {trigger: webhook, kind: pause_max, id: paused}
            - {trigger: webhook, kind: no_agent}
          conditions:
            - {condition: trigger, id: [paused, "1"]}
          actions:
            - if: [{condition: trigger, id: pasued}]
              then: [{delay: 1}]
            - if: [{condition: trigger, id: [paused, other]}]
              then: [{delay: 1}]
        """
    assert found(harness, text) == [
        f"{at(text, 'pasued')}: no trigger of this rule has id 'pasued'; did you mean 'paused'?",
        f"{at(text, 'other')}: warning: no trigger of this rule has id 'other'; known: paused, 1",
    ]
