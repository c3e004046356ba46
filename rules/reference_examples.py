"""The examples of the rule language reference: one whole rule (or a few) for each part of the
language, keyed by the part (``trigger.state``, ``condition.time``, ``step.repeat``, ...).

Each is written as it would stand under ``rules:`` in a config file, so a reader can copy it
as it is; the page's test loads every one through the rule loader and checker, strictly (a
warning fails too), so an example that stops being valid fails ``make test``. The generator
refuses to write the page while a part has no example here.
"""

from __future__ import annotations

EXAMPLES: dict[str, str] = {
    # -- the rule and its modes ----------------------------------------------------------------
    "rule": """\
- id: pause_max_break
  alias: Over max pause -> tell the agent, set pause code BREAK
  description: Agents of TESTCAMP past the campaign's maximum pause get a nudge and BREAK.
  group: pauses
  variables: {code: BREAK}
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
      data: {agent_user: "{{ trigger.payload.user }}", value: "{{ code }}"}
""",
    "mode": """\
- id: ready_again_reminder
  alias: Remind the supervisors once a minute at most, whatever triggers meanwhile
  mode: single
  max_exceeded: silent
  triggers: {trigger: state, entity_id: "agent.*", to: READY}
  actions:
    - action: notify.log
      data: {message: "{{ trigger.entity_id }} is READY"}
    - delay: 1m
""",
    "concurrency": """\
- id: pause_max_notice
  alias: One notice at a time per agent; agents never wait on each other
  concurrency: {key: "{{ trigger.payload.user }}", mode: single}
  triggers: {trigger: webhook, kind: pause_max}
  actions:
    - action: vicidial.agent.send_notification
      data: {recipient: "{{ trigger.payload.user }}", recipient_type: USER,
             notification_text: Back to work please}
    - delay: 2m
""",
    "cooldown": """\
- id: pause_max_break_once
  alias: BREAK at most once per agent per 10 minutes
  cooldown: {key: "{{ trigger.payload.user }}", for: "00:10:00"}
  triggers: {trigger: webhook, kind: pause_max}
  actions:
    - action: vicidial.agent.pause_code
      data: {agent_user: "{{ trigger.payload.user }}", value: BREAK}
""",
    # -- triggers ------------------------------------------------------------------------------
    "trigger.webhook": """\
- id: sales_to_supervisors
  alias: A SALE in TESTCAMP or a SALES* campaign -> tell the supervisors
  triggers:
    - trigger: webhook
      kind: dispo_callback
      filter: {campaign: [TESTCAMP, "SALES*"], dispo: SALE}
  actions:
    - action: notify.log
      data: {message: "Sale by {{ trigger.payload.user }} in {{ trigger.payload.campaign }}"}
""",
    "trigger.agent_event": """\
- id: customer_hung_up
  alias: The customer hung up on a TESTCAMP agent -> log it
  triggers:
    - trigger: agent_event
      event: [call_dead, customer_gone]
      campaign: TESTCAMP
  actions:
    - action: notify.log
      data: {message: "{{ trigger.push_event }} for agent {{ trigger.payload.user }}"}
""",
    "trigger.state": """\
- id: paused_five_minutes
  alias: An agent PAUSED for 5 minutes -> log it
  mode: parallel
  triggers:
    - trigger: state
      entity_id: "agent.*"
      to: PAUSED
      for: 5m
  actions:
    - action: notify.log
      data: {message: "{{ trigger.entity_id }} paused since {{ trigger.to_state.last_changed }}"}
""",
    "trigger.numeric_state": """\
- id: hopper_low_reset
  alias: Fewer than 50 leads in the TESTCAMP hopper -> reset it
  triggers:
    - trigger: numeric_state
      entity_id: campaign.TESTCAMP
      attribute: hopper_count
      below: 50
  actions:
    - action: vicidial.admin.update_campaign
      data: {campaign_id: TESTCAMP, reset_hopper: "Y"}
""",
    "trigger.event": """\
- id: failed_breaks
  alias: pause_max_break ended in an error -> log it
  triggers:
    - trigger: event
      event_type: rule_finished
      event_data: {rule_id: pause_max_break, outcome: error}
  actions:
    - action: notify.log
      data: {message: "pause_max_break failed: {{ trigger.event.data.error }}"}
""",
    "trigger.time": """\
- id: shift_start
  alias: On weekdays at 08:00 and 13:30 -> log the shift start
  triggers:
    - trigger: time
      at: ["08:00", "13:30"]
      weekday: [mon, tue, wed, thu, fri]
  actions:
    - action: notify.log
      data: {message: "Shift starts ({{ trigger.at }})"}
""",
    "trigger.schedule": """\
- id: hopper_report
  alias: Every 15 minutes, and at 23:30 Paris time -> log the hopper
  triggers:
    - trigger: schedule
      every: 15m
    - trigger: schedule
      cron: "30 23 * * *"
      timezone: Europe/Paris
  actions:
    - action: notify.log
      data: {message: "Hopper: {{ state_attr('campaign.TESTCAMP', 'hopper_count') }}"}
""",
    "trigger.startup": """\
- id: hello
  alias: The daemon started -> log it
  triggers: {trigger: startup}
  actions:
    - action: notify.log
      data: {message: "vicibus started at {{ trigger.event.time_fired }}"}
""",
    "trigger.reload": """\
- id: reloaded
  alias: The config was reloaded -> log it
  triggers: {trigger: reload}
  actions:
    - action: notify.log
      data: {message: "rules reloaded"}
""",
    "trigger.count": """\
- id: drops_per_campaign
  alias: 5 drops within 15 minutes in one campaign -> log it
  triggers:
    - trigger: count
      events: {trigger: webhook, kind: no_agent}
      within: 15m
      threshold: 5
      key: "{{ trigger.payload.campaign }}"
  actions:
    - action: notify.log
      data: {message: "{{ trigger.count }} drops in {{ trigger.key }}"}
""",
    # -- conditions ----------------------------------------------------------------------------
    "condition.and": """\
- id: paused_in_testcamp
  alias: Only when the agent is PAUSED and in TESTCAMP
  triggers: {trigger: webhook, kind: pause_max}
  conditions:
    - condition: and
      conditions:
        - "{{ is_state('agent.' ~ trigger.payload.user, 'PAUSED') }}"
        - "{{ trigger.payload.campaign == 'TESTCAMP' }}"
  actions:
    - action: notify.log
      data: {message: "{{ trigger.payload.user }} over max pause"}
""",
    "condition.or": """\
- id: night_or_testcamp
  alias: At night, or any time in TESTCAMP
  triggers: {trigger: webhook, kind: pause_max}
  conditions:
    - or:
        - "{{ trigger.payload.campaign == 'TESTCAMP' }}"
        - {condition: time, after: "22:00", before: "06:00"}
  actions:
    - action: notify.log
      data: {message: "{{ trigger.payload.user }} over max pause"}
""",
    "condition.not": """\
- id: not_on_a_call
  alias: Unless the agent is on a call, or SALESLINE is empty
  triggers: {trigger: webhook, kind: pause_max}
  conditions:
    - not:
        - "{{ is_state('agent.' ~ trigger.payload.user, 'INCALL') }}"
        - {condition: state, entity_id: ingroup.SALESLINE, state: "0"}
  actions:
    - action: notify.log
      data: {message: "{{ trigger.payload.user }} over max pause"}
""",
    "condition.state": """\
- id: still_paused
  alias: Only when agent 1001 has been PAUSED or in DISPO for 30 seconds
  triggers: {trigger: webhook, kind: pause_max, filter: {user: 1001}}
  conditions:
    - condition: state
      entity_id: agent.1001
      state: [PAUSED, DISPO]
      for: 30s
  actions:
    - action: notify.log
      data: {message: "1001 over max pause"}
""",
    "condition.numeric_state": """\
- id: calls_waiting
  alias: Only while calls wait in SALESLINE (read when the run checks)
  triggers: {trigger: state, entity_id: "agent.*", to: READY}
  conditions:
    - condition: numeric_state
      entity_id: ingroup.SALESLINE
      above: 0
      state_at: now
  actions:
    - action: notify.log
      data: {message: "{{ trigger.entity_id }} is READY, calls wait"}
""",
    "condition.template": """\
- id: long_pause_code
  alias: Only when the pause code is not LUNCH
  triggers: {trigger: state, entity_id: "agent.*", to: PAUSED}
  conditions:
    - condition: template
      value_template: "{{ trigger.to_state.attributes.pause_code != 'LUNCH' }}"
  actions:
    - action: notify.log
      data: {message: "{{ trigger.entity_id }} paused"}
""",
    "condition.time": """\
- id: office_hours
  alias: Only on weekdays from 08:00 to 18:00
  triggers: {trigger: webhook, kind: no_agent}
  conditions:
    - condition: time
      after: "08:00"
      before: "18:00"
      weekday: [mon, tue, wed, thu, fri]
  actions:
    - action: notify.log
      data: {message: "a drop in {{ trigger.payload.campaign }}"}
""",
    "condition.trigger": """\
- id: two_ways_in
  alias: Two triggers, one rule; a condition per trigger id
  triggers:
    - {trigger: webhook, kind: pause_max, id: pause}
    - {trigger: webhook, kind: no_agent, id: drop}
  conditions:
    - or:
        - {condition: trigger, id: pause}
        - "{{ trigger.payload.campaign == 'TESTCAMP' }}"
  actions:
    - action: notify.log
      data: {message: "{{ trigger.id }} from {{ trigger.kind }}"}
""",
    # -- steps ---------------------------------------------------------------------------------
    "step.action": """\
- id: notify_and_keep_the_answer
  alias: Send a notice; log the answer
  triggers: {trigger: webhook, kind: pause_max}
  actions:
    - action: vicidial.agent.send_notification
      data: {recipient: "{{ trigger.payload.user }}", recipient_type: USER,
             notification_text: Back to work please}
      response_variable: sent
      continue_on_error: true
    - action: notify.log
      data: {message: "the dialer said: {{ sent }}"}
""",
    "step.delay": """\
- id: break_after_a_while
  alias: Two minutes after the notice, BREAK
  mode: parallel
  triggers: {trigger: webhook, kind: pause_max}
  actions:
    - delay: {minutes: 2}
    - action: vicidial.agent.pause_code
      data: {agent_user: "{{ trigger.payload.user }}", value: BREAK}
""",
    "step.condition": """\
- id: break_if_still_paused
  alias: Two minutes later, BREAK only if still PAUSED
  mode: parallel
  triggers: {trigger: webhook, kind: pause_max}
  actions:
    - delay: 2m
    - condition: template
      value_template: "{{ is_state('agent.' ~ trigger.payload.user, 'PAUSED') }}"
    - action: vicidial.agent.pause_code
      data: {agent_user: "{{ trigger.payload.user }}", value: BREAK}
""",
    "step.event": """\
- id: tell_other_rules
  alias: Fire supervisor_alert for other rules to act on
  triggers: {trigger: webhook, kind: pause_max}
  actions:
    - event: supervisor_alert
      event_data: {user: "{{ trigger.payload.user }}", reason: pause_max}
- id: on_supervisor_alert
  alias: Log every supervisor_alert
  triggers: {trigger: event, event_type: supervisor_alert}
  actions:
    - action: notify.log
      data: {message: "alert for {{ trigger.event.data.user }}"}
""",
    "step.variables": """\
- id: name_things_once
  alias: Name a value once, use it in later steps
  triggers: {trigger: webhook, kind: pause_max}
  actions:
    - variables:
        agent: "agent.{{ trigger.payload.user }}"
        minutes: "{{ (state_attr(agent, 'seconds_in_state') | int) // 60 }}"
    - action: notify.log
      data: {message: "{{ agent }} paused for {{ minutes }} minutes"}
""",
    "step.stop": """\
- id: stop_when_unknown
  alias: Stop early (as an error) for an agent the store does not know
  triggers: {trigger: webhook, kind: pause_max}
  actions:
    - if: "{{ states('agent.' ~ trigger.payload.user) == 'unknown' }}"
      then:
        - stop: no such agent
          error: true
    - action: notify.log
      data: {message: "{{ trigger.payload.user }} over max pause"}
""",
    "step.sequence": """\
- id: break_and_tell
  alias: Two calls as one step; an error in either ends the sequence, not the run
  triggers: {trigger: webhook, kind: pause_max}
  actions:
    - sequence:
        - action: vicidial.agent.pause_code
          data: {agent_user: "{{ trigger.payload.user }}", value: BREAK}
        - action: vicidial.agent.send_notification
          data: {recipient: "{{ trigger.payload.user }}", recipient_type: USER,
                 notification_text: Set to BREAK}
      continue_on_error: true
""",
    "step.wait_template": """\
- id: wait_for_ready
  alias: BREAK unless the agent is READY within 2 minutes
  mode: parallel
  triggers: {trigger: webhook, kind: pause_max}
  actions:
    - wait_template: "{{ is_state('agent.' ~ trigger.payload.user, 'READY') }}"
      timeout: 2m
    - if: "{{ not wait.completed }}"
      then:
        - action: vicidial.agent.pause_code
          data: {agent_user: "{{ trigger.payload.user }}", value: BREAK}
""",
    "step.wait_for_trigger": """\
- id: queue_cleared
  alias: Calls waiting -> log when the in-group is empty again, or give up after 10 minutes
  triggers: {trigger: numeric_state, entity_id: ingroup.SALESLINE, above: 5}
  actions:
    - wait_for_trigger:
        - trigger: state
          entity_id: ingroup.SALESLINE
          to: "0"
      timeout: 10m
      continue_on_timeout: false
    - action: notify.log
      data: {message: "SALESLINE empty at {{ wait.trigger.to_state.last_changed }}"}
""",
    "step.choose": """\
- id: by_campaign
  alias: A pause code per campaign, BREAK elsewhere
  triggers: {trigger: webhook, kind: pause_max}
  actions:
    - choose:
        - conditions: "{{ trigger.payload.campaign == 'SALES' }}"
          sequence:
            - action: vicidial.agent.pause_code
              data: {agent_user: "{{ trigger.payload.user }}", value: COACH}
        - conditions:
            - condition: time
              after: "12:00"
              before: "14:00"
          sequence:
            - action: vicidial.agent.pause_code
              data: {agent_user: "{{ trigger.payload.user }}", value: LUNCH}
      default:
        - action: vicidial.agent.pause_code
          data: {agent_user: "{{ trigger.payload.user }}", value: BREAK}
""",
    "step.if": """\
- id: tell_or_log
  alias: Tell TESTCAMP agents, log the others
  triggers: {trigger: webhook, kind: pause_max}
  actions:
    - if:
        - "{{ trigger.payload.campaign == 'TESTCAMP' }}"
      then:
        - action: vicidial.agent.send_notification
          data: {recipient: "{{ trigger.payload.user }}", recipient_type: USER,
                 notification_text: Back to work please}
      else:
        - action: notify.log
          data: {message: "{{ trigger.payload.user }} over max pause"}
""",
    "step.repeat": """\
- id: huddle
  alias: Each weekday at 10:55, tell two agents about the huddle
  triggers: {trigger: time, at: "10:55", weekday: [mon, tue, wed, thu, fri]}
  actions:
    - repeat:
        for_each: ["1001", "1002"]
        sequence:
          - action: vicidial.agent.send_notification
            data: {recipient: "{{ repeat.item }}", recipient_type: USER,
                   notification_text: "Huddle in 5 minutes ({{ repeat.index }} of 2)"}
    - repeat:
        until: "{{ is_state('campaign.TESTCAMP', 'ACTIVE') }}"
        sequence:
          - delay: 30s
""",
    "step.parallel": """\
- id: two_at_once
  alias: Wait for the queue and remind at the same time
  triggers: {trigger: time, at: "10:55"}
  actions:
    - parallel:
        - wait_for_trigger: {trigger: state, entity_id: ingroup.SALESLINE, to: "0"}
          timeout: 10m
        - sequence:
            - delay: 30s
            - event: huddle_reminder
""",
    "step.did_filter": """\
- id: known_callers
  alias: Known callers of an active DEMO campaign go on to the DID's route
  triggers: {trigger: webhook, kind: did_filter, filter: {did_pattern: "3125551000"}}
  conditions: "{{ is_state('campaign.DEMO', 'ACTIVE') }}"
  actions:
    - did_filter:
        match: "{{ trigger.payload.phone_number in ['3125550101', '3125550102'] }}"
""",
}
