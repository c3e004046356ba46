"""Every trigger type, through a real engine on a manual clock."""

from __future__ import annotations

from datetime import datetime

from engine.context import Context, Origin
from engine.events import VICIBUS_RELOADED, VICIBUS_STARTED, webhook_event_type
from tests.rules.conftest import TZ, Harness

NOTE = """
    actions:
      - action: notify.log
        data: {message: "{{ trigger.platform }} {{ trigger.id }}"}
"""


def logged(h: Harness) -> list[str]:
    return [p.message for p in h.calls.of("notify.log")]  # type: ignore[attr-defined]


async def test_webhook_filters_by_equality_list_and_glob(harness: Harness) -> None:
    await harness.start(
        """
        - id: by_campaign
          triggers: {trigger: webhook, kind: pause_max, filter: {campaign: TESTCAMP}}
          actions: [{action: notify.log, data: {message: "a {{ trigger.payload.user }}"}}]
        - id: by_list
          mode: parallel
          triggers: {trigger: webhook, kind: pause_max, filter: {user: [1001, 1002]}}
          actions: [{action: notify.log, data: {message: "b {{ trigger.payload.user }}"}}]
        - id: by_glob
          triggers: {trigger: webhook, kind: pause_max, filter: {campaign: "SALES*"}}
          actions: [{action: notify.log, data: {message: "c {{ trigger.payload.user }}"}}]
        """
    )
    harness.webhook("pause_max", user="1001", campaign="TESTCAMP")
    harness.webhook("pause_max", user="1002", campaign="SALESWEST")
    harness.webhook("pause_max", user="1003", campaign="OTHER")
    harness.webhook("dispo_callback", user="1001", campaign="TESTCAMP")
    await harness.settle()
    assert sorted(logged(harness)) == ["a 1001", "b 1001", "b 1002", "c 1002"]


async def test_webhook_trigger_variables(harness: Harness) -> None:
    await harness.start(
        """
        - id: vars
          triggers:
            - trigger: webhook
              id: over_max
              kind: pause_max
              variables: {who: "{{ trigger.payload.user }}"}
          actions:
            - action: notify.log
              data:
                message: >-
                  {{ trigger.id }}/{{ trigger.idx }}/{{ trigger.platform }}/{{ trigger.kind }}/
                  {{- who }}/{{ trigger.event.event_type }}/{{ trigger.payload.kind }}
        """
    )
    harness.webhook("pause_max", user="1001", campaign="X")
    await harness.settle()
    assert logged(harness) == ["over_max/0/webhook/pause_max/1001/vicidial_pause_max/pause_max"]


async def test_agent_event_by_name_user_and_the_agents_campaign(harness: Harness) -> None:
    await harness.start(
        """
        - id: dead
          triggers:
            trigger: agent_event
            event: [call_dead, customer_gone]
            user: "1001"
            campaign: TESTCAMP
          actions: [{action: notify.log, data: {message: "{{ trigger.push_event }}"}}]
        """
    )
    await harness.change("agent.1001", "INCALL", campaign="TESTCAMP")
    await harness.change("agent.1002", "INCALL", campaign="TESTCAMP")
    for user, event in [("1001", "call_dead"), ("1001", "logged_in"), ("1002", "call_dead")]:
        harness.webhook("agent_event", user=user, event=event)
    await harness.change("agent.1001", "INCALL", campaign="OTHER")
    harness.webhook("agent_event", user="1001", event="customer_gone")
    await harness.settle()
    assert logged(harness) == ["call_dead"]


async def test_state_trigger_from_to_and_their_negations(harness: Harness) -> None:
    await harness.start(
        """
        - id: to_paused
          triggers: {trigger: state, entity_id: "agent.*", to: PAUSED}
          actions: [{action: notify.log, data: {message: "to {{ trigger.entity_id }}"}}]
        - id: from_ready_not_to_paused
          triggers: {trigger: state, entity_id: agent.1001, from: READY, not_to: PAUSED}
          actions:
            - action: notify.log
              data: {message: "from {{ trigger.from_state.state }}>{{ trigger.to_state.state }}"}
        """
    )
    await harness.change("agent.1001", "READY")
    await harness.change("agent.1001", "PAUSED")
    await harness.change("agent.1001", "READY")
    await harness.change("agent.1001", "INCALL")
    await harness.change("agent.1002", "PAUSED")
    await harness.settle()
    assert logged(harness) == ["to agent.1001", "from READY>INCALL", "to agent.1002"]


async def test_state_trigger_attribute_and_attribute_only_changes(harness: Harness) -> None:
    await harness.start(
        """
        - id: any_change
          triggers: {trigger: state, entity_id: agent.1001}
          actions: [{action: notify.log, data: {message: "any"}}]
        - id: state_only
          triggers: {trigger: state, entity_id: agent.1001, to: null}
          actions: [{action: notify.log, data: {message: "state"}}]
        - id: pause_code
          triggers: {trigger: state, entity_id: agent.1001, attribute: pause_code, to: BREAK}
          actions: [{action: notify.log, data: {message: "code"}}]
        """
    )
    await harness.change("agent.1001", "PAUSED", pause_code="")
    await harness.change("agent.1001", "PAUSED", pause_code="BREAK")
    await harness.change("agent.1001", "READY", pause_code="BREAK")
    await harness.settle()
    assert sorted(logged(harness)) == ["any", "any", "any", "code", "state", "state"]


async def test_state_for_fires_when_held_and_is_cancelled_by_a_change(harness: Harness) -> None:
    await harness.start(
        """
        - id: paused_long
          mode: parallel
          triggers: {trigger: state, entity_id: "agent.*", to: PAUSED, for: "00:05:00"}
          actions:
            - action: notify.log
              data: {message: "{{ trigger.entity_id }} {{ trigger.for }}"}
        """
    )
    await harness.change("agent.1001", "PAUSED")
    await harness.change("agent.1002", "PAUSED")
    await harness.advance(120)
    await harness.change("agent.1002", "READY")  # broken before five minutes
    await harness.change(
        "agent.1001", "PAUSED", pause_code="LUNCH"
    )  # still paused: the wait goes on
    await harness.advance(179)
    assert logged(harness) == []
    await harness.advance(1)
    assert logged(harness) == ["agent.1001 300.0"]
    assert harness.engine.runtime("paused_long").to_dict()["for"] == []


async def test_numeric_state_crosses_into_range_and_holds(harness: Harness) -> None:
    await harness.start(
        """
        - id: hopper_low
          triggers:
            trigger: numeric_state
            entity_id: campaign.TESTCAMP
            attribute: hopper_count
            below: 10
          actions:
            - action: notify.log
              data: {message: "low {{ trigger.to_state.attributes.hopper_count }}"}
        - id: waiting_held
          triggers:
            trigger: numeric_state
            entity_id: ingroup.SALESLINE
            above: 2
            for: 1m
          actions: [{action: notify.log, data: {message: "waiting {{ trigger.to_state.state }}"}}]
        - id: templated
          triggers:
            trigger: numeric_state
            entity_id: campaign.TESTCAMP
            value_template: "{{ state.attributes.hopper_count * 2 }}"
            above: 100
          actions: [{action: notify.log, data: {message: "double"}}]
        """
    )
    for count in (50, 9, 8, 20, 5):
        await harness.change("campaign.TESTCAMP", "ACTIVE", hopper_count=count)
    await harness.change("ingroup.SALESLINE", "3")
    await harness.advance(30)
    await harness.change("ingroup.SALESLINE", "1")
    await harness.change("ingroup.SALESLINE", "4")
    await harness.advance(59)
    await harness.change("ingroup.SALESLINE", "5")  # still above: the wait goes on
    await harness.advance(1)
    # The trigger variables are those of the change that started the wait.
    assert logged(harness) == ["low 9", "low 5", "waiting 4"]
    assert harness.runs("templated") == []
    await harness.change("campaign.TESTCAMP", "ACTIVE", hopper_count=60)
    await harness.settle()
    assert logged(harness)[-1] == "double"


async def test_event_trigger_with_event_data(harness: Harness) -> None:
    await harness.start(
        """
        - id: custom
          mode: parallel
          triggers:
            trigger: event
            event_type: [shift_started, shift_ended]
            event_data: {site: [LYON, "PA*"]}
          actions:
            - action: notify.log
              data: {message: "{{ trigger.event.event_type }} {{ trigger.event.data.site }}"}
        """
    )
    harness.core.fire("shift_started", {"site": "LYON"})
    harness.core.fire("shift_ended", {"site": "PARIS"})
    harness.core.fire("shift_ended", {"site": "NANTES"})
    harness.core.fire("other", {"site": "LYON"})
    await harness.settle()
    assert logged(harness) == ["shift_started LYON", "shift_ended PARIS"]


async def test_time_trigger_at_times_on_weekdays_in_the_centers_zone(harness: Harness) -> None:
    await harness.start(
        """
        - id: morning
          mode: parallel
          triggers: {trigger: time, at: ["09:30", "18:00:15"], weekday: [mon, wed]}
          actions: [{action: notify.log, data: {message: "{{ trigger.now.isoformat() }}"}}]
        """
    )
    await harness.advance(3 * 86400)  # Monday 09:00 to Thursday 09:00
    assert logged(harness) == [
        "2026-03-02T09:30:00+01:00",
        "2026-03-02T18:00:15+01:00",
        "2026-03-04T09:30:00+01:00",
        "2026-03-04T18:00:15+01:00",
    ]


async def test_schedule_cron_in_its_own_zone_and_every(harness: Harness) -> None:
    await harness.start(
        """
        - id: cron
          triggers: {trigger: schedule, cron: "30 3 * * *", timezone: America/New_York}
          actions: [{action: notify.log, data: {message: "cron {{ trigger.now.isoformat() }}"}}]
        - id: every
          mode: parallel
          triggers: {trigger: schedule, every: 20m}
          actions: [{action: notify.log, data: {message: "every {{ trigger.every }}"}}]
        """
    )
    schedule = harness.engine.runtime("cron").schedules[0]
    assert schedule.next_fire is not None
    assert schedule.next_fire.astimezone(TZ) == datetime(2026, 3, 2, 9, 30, tzinfo=TZ)
    await harness.advance(3600)
    assert logged(harness) == [
        "every 1200.0",
        "cron 2026-03-02T03:30:00-05:00",
        "every 1200.0",
        "every 1200.0",
    ]
    await harness.advance(86400)
    assert logged(harness).count("cron 2026-03-03T03:30:00-05:00") == 1


async def test_startup_and_reload(harness: Harness) -> None:
    await harness.start(
        """
        - id: started
          mode: queued
          triggers: [{trigger: startup}, {trigger: reload, id: again}]
          actions: [{action: notify.log, data: {message: "{{ trigger.platform }}"}}]
        """
    )
    harness.core.fire(VICIBUS_STARTED)
    harness.core.fire(VICIBUS_RELOADED)
    await harness.settle()
    assert logged(harness) == ["startup", "reload"]
    assert [r.trigger_id for r in harness.runs("started")] == ["0", "again"]


async def test_disabled_trigger_and_rule_are_not_listening(harness: Harness) -> None:
    await harness.start(
        """
        - id: off
          enabled: false
          triggers: {trigger: webhook, kind: pause_max}
          actions: [{action: notify.log, data: {message: "off"}}]
        - id: half
          triggers:
            - {trigger: webhook, kind: pause_max, enabled: false}
            - {trigger: webhook, kind: dispo_callback}
          actions: [{action: notify.log, data: {message: "half"}}]
        """
    )
    harness.webhook("pause_max", user="1")
    harness.webhook("dispo_callback", user="1")
    await harness.settle()
    assert logged(harness) == ["half"]
    assert harness.engine.stats.checks == 1


async def test_a_webhook_run_traces_back_to_the_webhook(harness: Harness) -> None:
    await harness.start(
        """
        - id: traced
          triggers: {trigger: webhook, kind: pause_max}
          actions: [{action: notify.log, data: {message: x}}]
        """
    )
    event = harness.core.fire(
        webhook_event_type("pause_max"), {"user": "1"}, context=Context(Origin.WEBHOOK)
    )
    await harness.settle()
    (run,) = harness.runs("traced")
    call = harness.calls.made[0][2]
    assert call.context.parent_id == event.context.id
    assert call.context.origin is Origin.RULE
    assert call.context.id == run.context.id
    assert call.caller == "rule:traced"
    assert run.event_context.id == event.context.id
