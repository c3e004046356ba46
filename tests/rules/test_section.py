"""The rules section through the config loader, as ``vicibus check`` and the daemon load it."""

from __future__ import annotations

import pytest

from engine.config.errors import ConfigError
from engine.config.loader import load_document
from engine.config.validate import validate
from rules.section import RULES, rules_section
from tests.rules.conftest import Harness

BROKEN = """\
rules:
  - id: a
    triggers: [{trigger: state, entity_id: agent.1001, for: 5 minutes}]
    conditions:
      - {condition: state, state: PAUSED}
      - {condition: state, entitiy_id: agent.1, state: PAUSED}
    actions:
      - {condition: state, state: PAUSED}
      - {event: 5, event_data: 3}
  - id: b
    trigger: {platform: event, event_type: x}
    action: [{service: notify.log, data: {message: x}, continue_on_error: maybe}]
"""


def test_schema_errors_are_reported_with_the_other_sections(harness: Harness) -> None:
    with pytest.raises(ConfigError) as caught:
        validate(load_document("c.yaml", text=BROKEN), [rules_section(harness.core).section])
    assert [str(p) for p in caught.value.problems] == [
        "c.yaml:3:61: rules[0].triggers[0].for: '5 minutes' is no duration; a duration is"
        " seconds (90), HH:MM:SS, compact (90s, 5m, 1h30m) or {minutes: 5}",
        "c.yaml:5:9: rules[0].conditions[0]: entity_id is required",
        "c.yaml:6:9: rules[0].conditions[1]: entity_id is required",
        "c.yaml:6:28: rules[0].conditions[1].entitiy_id: unknown key 'entitiy_id'; did you"
        " mean 'entity_id'?",
        "c.yaml:8:9: rules[0].actions[0]: entity_id is required",
        "c.yaml:9:17: rules[0].actions[1].event: Input should be a valid string",
        "c.yaml:9:32: rules[0].actions[1].event_data: Input should be a valid dictionary",
        "c.yaml:12:75: rules[1].action[0].continue_on_error: Input should be a valid boolean,"
        " unable to interpret input",
    ]


CHECKED = """\
rules:
  - id: a
    triggers: {trigger: webhook, kind: pause_maxx}
    actions: [{action: notify.log, data: {message: hi}}]
  - id: b
    triggers: {trigger: webhook, kind: pause_max}
    actions: [{action: notify.log, data: {message: "{{ trigger.payload.lead_id }}"}}]
"""


def test_the_check_hook_uses_the_cores_vocabulary_and_services(harness: Harness) -> None:
    section = rules_section(harness.core)
    with pytest.raises(ConfigError) as caught:
        validate(load_document("c.yaml", text=CHECKED), [section.section])
    assert [str(p) for p in caught.value.problems] == [
        "c.yaml:3:40: unknown webhook kind 'pause_maxx'; did you mean 'pause_max'?",
        "c.yaml:7:52: warning: trigger.payload.lead_id: pause_max carries no lead_id",
    ]


async def test_the_daemon_starts_the_rules_its_check_compiled(harness: Harness) -> None:
    section = rules_section(harness.core)
    config = validate(
        load_document("c.yaml", text=CHECKED.replace("pause_maxx", "dispo_callback")),
        [section.section],
    )
    assert [str(w) for w in config.warnings] == [
        "c.yaml:7:52: warning: trigger.payload.lead_id: pause_max carries no lead_id"
    ]
    value = config.section(section.section)
    compiled = section.compiled(value)
    assert section.compiled(value) is compiled
    await harness.engine.reload(compiled)
    await harness.engine.start()
    harness.webhook("dispo_callback", user="1")
    await harness.settle()
    assert len(harness.runs("a")) == 1


def test_the_plain_section_validates_only() -> None:
    config = validate(load_document("c.yaml", text=CHECKED), [RULES])
    assert [rule.id for _, rule in config.section(RULES).rules] == ["a", "b"]
