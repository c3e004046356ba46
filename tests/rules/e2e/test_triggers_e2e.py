"""One rule per trigger type against the simulated dialer, end to end: the simulator's own
callbacks (or its state, polled) start the rule, the rule calls the dialer's APIs over HTTP,
and each effect is read back from the simulator's own state."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from integrations.vicidial.simulator.records import CallDirection
from tests.rules.e2e.conftest import Daemon

Start = Callable[..., Any]


async def logged_in(d: Daemon, user: str, *, paused: bool = True) -> None:
    d.center.login(user, "DEMO", ingroups=["DEMOIN"])
    if not paused:
        d.center.resume(user)
    await d.poll()  # the next poll sees the agent


async def test_a_pause_max_webhook_sets_the_agents_pause_code(daemon: Start) -> None:
    d: Daemon = await daemon(
        """
        - id: pause_max_break
          triggers: {trigger: webhook, kind: pause_max, filter: {campaign: DEMO}}
          conditions:
            - "{{ is_state('agent.' ~ trigger.payload.user, 'PAUSED') }}"
          actions:
            - action: vicidial.agent.send_notification
              data: {recipient: "{{ trigger.payload.user }}", recipient_type: USER,
                     notification_text: You have been paused too long}
            - action: vicidial.agent.pause_code
              data: {agent_user: "{{ trigger.payload.user }}", value: BREAK}
        """
    )
    await logged_in(d, "1001")
    assert (await d.agent("1001"))["pause_code"] == "LOGIN"
    await d.advance(61)  # past the demo campaign's pause maximum: the simulator calls back
    agent = await d.agent("1001")
    assert agent["pause_code"] == "BREAK"
    assert agent["notifications"] == ["You have been paused too long"]
    (end,) = d.ends("pause_max_break")
    assert end.outcome == "finished"


async def test_a_state_held_for_a_while_pauses_a_ready_agent(daemon: Start) -> None:
    d: Daemon = await daemon(
        """
        - id: idle_too_long
          triggers:
            trigger: state
            entity_id: "agent.*"
            to: READY
            for: 2m
          actions:
            - action: vicidial.agent.external_pause
              data: {agent_user: "{{ trigger.to_state.object_id }}", value: PAUSE}
        """
    )
    await logged_in(d, "1002", paused=False)
    assert (await d.agent("1002"))["status"] == "READY"
    await d.poll(24)  # every 5 s for 115 s
    assert (await d.agent("1002"))["status"] == "READY"
    await d.advance(5)  # two minutes after the poll that saw READY
    assert (await d.agent("1002"))["status"] == "PAUSED"


async def test_a_campaign_attribute_below_a_threshold_resets_its_hopper(daemon: Start) -> None:
    d: Daemon = await daemon(
        """
        - id: hopper_low
          triggers:
            trigger: numeric_state
            entity_id: campaign.DEMO
            attribute: hopper_count
            below: 2
          actions:
            - action: vicidial.admin.update_campaign
              data: {campaign_id: "{{ trigger.entity_id.split('.')[1] }}", reset_hopper: "Y"}
        """
    )
    center = d.center
    assert len(d.ends("hopper_low")) == 1  # the first poll found it empty
    for lead_id in (1, 2, 3):
        center.add_to_hopper(lead_id, "DEMO")
    await d.poll()  # three in the hopper: out of the range
    assert len(d.ends("hopper_low")) == 1
    center.hopper = center.hopper[:1]
    await d.poll()  # the poll reads one lead in it: below 2
    state = await d.state()
    assert [h for h in state["hopper"] if h["campaign_id"] == "DEMO"] == []
    resets = [e for e in state["events"] if e["kind"] == "hopper_changed"]
    assert resets[-1]["data"] == {"campaign_id": "DEMO", "reset": True}
    assert len(d.ends("hopper_low")) == 2


async def test_an_event_fired_by_one_rule_starts_another(daemon: Start) -> None:
    d: Daemon = await daemon(
        """
        - id: dead_call_seen
          triggers: {trigger: webhook, kind: dead_call}
          actions:
            - event: supervisor_alert
              event_data: {user: "{{ trigger.payload.user }}", why: dead call}
        - id: tell_the_agent
          triggers: {trigger: event, event_type: supervisor_alert, event_data: {why: dead call}}
          actions:
            - action: vicidial.agent.send_notification
              data: {recipient: "{{ trigger.event.data.user }}", recipient_type: USER,
                     notification_text: "{{ trigger.event.data.why }}: hang up please"}
        """
    )
    await logged_in(d, "1001", paused=False)
    d.center.start_call(
        phone_number="3125550101", user="1001", lead_id=1, direction=CallDirection.OUTBOUND
    )
    d.center.mark_dead("1001")
    await d.advance(20)  # the demo campaign's dead call trigger after 15 s
    assert (await d.agent("1001"))["notifications"] == ["dead call: hang up please"]


async def test_time_and_schedule_triggers_follow_the_clock(daemon: Start) -> None:
    d: Daemon = await daemon(
        """
        - id: morning_break
          triggers: {trigger: time, at: "09:30"}
          actions:
            - action: vicidial.agent.pause_code
              data: {agent_user: "1001", value: TRAIN}
        - id: every_ten_minutes
          triggers: {trigger: schedule, every: 10m}
          actions:
            - action: vicidial.agent.send_notification
              data: {recipient: "1001", recipient_type: USER,
                     notification_text: "{{ trigger.now.strftime('%H:%M') }} check"}
        """
    )
    assert datetime.fromtimestamp(d.app.core.clock.time()).minute == 0  # 09:00 in the demo
    await logged_in(d, "1001")
    await d.advance(29 * 60)
    agent = await d.agent("1001")
    assert agent["pause_code"] == "LOGIN"
    assert agent["notifications"] == ["09:10 check", "09:20 check"]
    await d.advance(60)
    assert (await d.agent("1001"))["pause_code"] == "TRAIN"


async def test_a_startup_rule_adds_a_lead(daemon: Start) -> None:
    d: Daemon = await daemon(
        """
        - id: seed_lead
          triggers: {trigger: startup}
          actions:
            - action: vicidial.admin.add_lead
              data: {phone_number: "3125557777", phone_code: "1", list_id: 1000,
                     first_name: Started}
        """
    )
    added = [lead for lead in d.center.leads.values() if lead.phone_number == "3125557777"]
    assert [lead.first_name for lead in added] == ["Started"]


async def test_no_agent_drops_counted_per_campaign_alert_the_agents(daemon: Start) -> None:
    d: Daemon = await daemon(
        """
        - id: drop_alert
          triggers:
            trigger: count
            events: {trigger: webhook, kind: no_agent}
            within: 15m
            threshold: 3
            key: "{{ trigger.payload.campaign }}"
          actions:
            - action: vicidial.agent.send_notification
              data: {recipient: "{{ trigger.payload.campaign }}", recipient_type: CAMPAIGN,
                     notification_text: "{{ trigger.count }} calls dropped in 15 minutes"}
        """
    )
    await logged_in(d, "1003")
    center = d.center
    for minute in range(4):
        call = center.dial_unanswered("DEMO", minute + 1)
        center.drop_call(call.call_id, status="DROP", term_reason="ABANDON")
        await d.advance(60)
    assert (await d.agent("1003"))["notifications"] == ["3 calls dropped in 15 minutes"]
    assert d.app.rules.runtime("drop_alert").to_dict()["counts"]["0"]["DEMO"]["fired"]


async def test_a_did_filter_answered_by_a_rule(daemon: Start) -> None:
    d: Daemon = await daemon(
        """
        - id: known_callers
          triggers: {trigger: webhook, kind: did_filter}
          conditions: "{{ is_state('campaign.DEMO', 'ACTIVE') }}"
          actions:
            - variables:
                known: "{{ trigger.payload.phone_number in ['3125550101', '3125550102'] }}"
            - did_filter: {match: "{{ known }}"}
        """
    )
    embedded = d.app.vicidial.embedded
    assert embedded is not None
    assert embedded.simulation is not None
    callbacks = embedded.simulation.callbacks
    # The simulator asks the DID's filter URL, as ViciDial does for an inbound call.
    assert await callbacks.did_filter("3125551000", "3125550101", "1893456.101") is True
    assert await callbacks.did_filter("3125551000", "3125559999", "1893456.102") is False
    assert [e.response for e in d.ends("known_callers")] == [{"match": True}, {"match": False}]


async def test_an_agent_push_event_and_a_reload(daemon: Start) -> None:
    rules = """
        - id: welcome
          triggers: {trigger: agent_event, event: logged_in, user: "1001"}
          actions:
            - action: vicidial.agent.send_notification
              data: {recipient: "{{ trigger.payload.user }}", recipient_type: USER,
                     notification_text: "welcome ({{ trigger.push_event }})"}
        - id: after_reload
          triggers: {trigger: reload}
          actions:
            - action: vicidial.agent.pause_code
              data: {agent_user: "1001", value: TRAIN}
        """
    d: Daemon = await daemon(rules)
    d.center.login("1001", "DEMO")
    await d.advance(1)  # the agent screen pushes logged_in to the daemon's receiver
    assert (await d.agent("1001"))["notifications"] == ["welcome (logged_in)"]
    await d.reload(rules)
    assert (await d.agent("1001"))["pause_code"] == "TRAIN"
