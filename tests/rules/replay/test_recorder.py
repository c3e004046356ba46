"""The rules' part of the recording: each call a run made, with its rendered data (masked) and
its answer, keyed by the run and its triggering event; the time events that started runs."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from pydantic import BaseModel, SecretStr

from engine.context import Origin
from engine.logs import Redactor
from engine.rule_tests_wiring import RulesSetup
from engine.services import Service, ServiceCall
from engine.storage.record_lines import LineProblem, RecordedCall, RecordedEvent, read_lines
from engine.storage.recording import Recording, RecordSettings
from rules.engine import RuleEngine
from rules.masking import mask
from rules.records import MemoryRecorder
from rules.replay.recorder import CallRecorder, Recorders

T0 = 1_894_006_800.0

RULES = """\
- id: lookup
  triggers: [{trigger: event, event_type: lookup_asked}]
  actions:
    - action: test.lookup
      data: {phone: "{{ trigger.event.data.phone }}", password: hunter2-secret}
      response_variable: found
    - action: test.lookup
      data: {phone: refuse, password: hunter2-secret}
      continue_on_error: true
    - action: notify.log
      data: {message: "found {{ found.name }}"}
- id: every_minute
  triggers: [{trigger: schedule, every: 1m}]
  actions:
    - action: notify.log
      data: {message: tick}
"""


class LookupParams(BaseModel):
    phone: str
    password: SecretStr


class LookupResult(BaseModel):
    name: str


class RefusedError(Exception):
    pass


async def _lookup(params: LookupParams, call: ServiceCall) -> LookupResult:
    if params.phone == "refuse":
        raise RefusedError("refused: no such phone")
    return LookupResult(name=f"caller {params.phone}")


async def test_each_call_is_a_line_keyed_by_run_and_event_with_its_answer(
    tmp_path: Path,
) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES)
    setup = RulesSetup.from_file(rules)
    core = setup.build(start=T0).core
    core.services.register(Service("test.lookup", LookupParams, _lookup, "a lookup", LookupResult))
    loaded = setup.load_rules(core)
    assert loaded.errors == ()
    path = tmp_path / "recording.jsonl"
    recording = Recording(
        RecordSettings(path), mask=partial(mask, secret=frozenset()), redact=Redactor()
    )
    memory = MemoryRecorder()
    engine = RuleEngine(core, loaded.rules, recorder=Recorders(memory, CallRecorder(recording)))
    await core.start()
    await recording.start()
    await engine.start()
    asked = core.fire("lookup_asked", {"phone": "5551234"}, origin=Origin.API)
    await engine.advance(61)
    await engine.stop()
    await recording.stop()
    await core.stop()

    problems: list[LineProblem] = []
    lines = [line.record for line in read_lines(path, problems)]
    assert problems == []
    calls = [line for line in lines if isinstance(line, RecordedCall)]
    (run,) = memory.runs("lookup")
    found, refused, logged = (c for c in calls if c.rule_id == "lookup")
    for call in (found, refused, logged):
        assert (call.run_id, call.event_id, call.event) == (
            run.run_id,
            asked.context.id,
            asked.context.id,
        )
    assert (found.path, found.service, found.outcome) == ("actions/0", "test.lookup", "ok")
    assert found.data == {"phone": "5551234", "password": "**********"}
    assert found.result == {"name": "caller 5551234"}
    assert refused.outcome == "error"
    assert refused.error is not None
    assert (refused.error.type, refused.error.message) == ("RefusedError", "refused: no such phone")
    assert logged.data == {"message": "found caller 5551234"}
    assert "hunter2-secret" not in path.read_text()

    # The schedule's run: its event is recorded (it never went through the bus), and its call
    # is keyed by that event's type and due time, as replay names it.
    (tick,) = memory.runs("every_minute")
    (schedule,) = [
        e for e in lines if isinstance(e, RecordedEvent) and e.context.id == tick.event_context.id
    ]
    assert schedule.context.origin is Origin.SCHEDULE
    assert schedule.time_fired == T0 + 60
    (tick_call,) = [c for c in calls if c.rule_id == "every_minute"]
    assert tick_call.event == f"schedule@{T0 + 60:.3f}"
