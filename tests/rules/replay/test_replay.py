"""Replay of hand-written recordings: the pseudo clock (cooldowns, ``for:``), the store rebuilt
from recorded changes, answers from the recording or by default, the window, what is left out,
the diff of two rule sets, and ``vicibus replay`` on bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from engine.cli import main
from engine.context import Context, Origin
from engine.events import Event
from engine.replay_cli import replay_rules
from engine.rule_tests_wiring import WEBHOOK_PAYLOADS, RulesSetup
from engine.storage.record_lines import encode, event_line
from rules.replay.recorded import Recording, read_recording
from rules.replay.replayer import Window, window
from rules.replay.report import NOT_RUN, Ran, diff

T0 = 1_894_006_800.0  # 2030-01-07 09:00 UTC, a Monday

RULES = """\
- id: pause_max_break
  cooldown: {for: 10m, key: "{{ trigger.payload.user }}"}
  triggers: [{trigger: webhook, kind: pause_max}]
  actions:
    - action: vicidial.agent.pause_code
      data: {agent_user: "{{ trigger.payload.user }}", value: BREAK}
      continue_on_error: true
    - action: notify.log
      data: {message: "paused {{ trigger.payload.user }}"}
- id: ready_long
  triggers: [{trigger: state, entity_id: "agent.*", to: READY, for: "00:01:00"}]
  conditions: [{condition: state, entity_id: campaign.DEMO, state: ACTIVE}]
  actions:
    - action: notify.log
      data: {message: "{{ trigger.entity_id }} READY"}
- id: alerts
  triggers: [{trigger: event, event_type: supervisor_alert}]
  actions:
    - action: notify.log
      data: {message: "alert {{ trigger.event.data.user }}"}
"""


class Lines:
    """A recording written by hand, line by line, as the daemon writes it."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def event(self, event_type: str, data: Any, at: float, origin: Origin) -> Context:
        context = Context(origin)
        self.lines.append(encode(event_line(Event(event_type, data, T0 + at, context), data)))
        return context

    def started(self, at: float = 0.0) -> None:
        self.event("vicibus_started", None, at, Origin.SYSTEM)

    def webhook(self, kind: str, at: float, **fields: Any) -> Context:
        payload = WEBHOOK_PAYLOADS.webhook(kind, fields).model_dump(mode="json")
        return self.event(f"vicidial_{kind}", payload, at, Origin.WEBHOOK)

    def state(self, entity_id: str, state: str, at: float, **attributes: Any) -> Context:
        new = {"entity_id": entity_id, "state": state, "attributes": attributes}
        data = {"entity_id": entity_id, "old_state": None, "new_state": new}
        return self.event("state_changed", data, at, Origin.POLL)

    def call(self, rule_id: str, event: Context, service: str, at: float, **answer: Any) -> None:
        line: dict[str, Any] = {
            "record": "call",
            "time": T0 + at,
            "rule_id": rule_id,
            "run_id": "live-run",
            "event_id": event.id,
            "event_type": "vicidial_pause_max",
            "event": event.id,
            "path": "actions/0",
            "service": service,
            "data": {},
            "outcome": "error" if "error" in answer else "ok",
            "result": answer.get("result"),
            "error": answer.get("error"),
        }
        self.lines.append(json.dumps(line))

    def write(self, path: Path, tail: str = "") -> Path:
        path.write_text("\n".join(self.lines) + "\n" + tail)
        return path


def _rules(tmp_path: Path, text: str = RULES, name: str = "rules.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


async def _replay(
    tmp_path: Path, lines: Lines, *, since: float | None = None, rules: str = RULES
) -> list[Ran]:
    recording = read_recording([lines.write(tmp_path / "events.jsonl")])
    assert recording.problems == []
    span = window(recording, None if since is None else T0 + since, None)
    assert span is not None
    outcome = await replay_rules(RulesSetup.from_file(_rules(tmp_path, rules)), recording, span)
    return outcome.runs


def _of(runs: list[Ran], rule_id: str) -> list[Ran]:
    return [ran for ran in runs if ran.rule_id == rule_id]


async def test_cooldowns_follow_the_recorded_times_and_answers_come_from_the_recording(
    tmp_path: Path,
) -> None:
    lines = Lines()
    lines.started()
    first = lines.webhook("pause_max", 10, user="1001", campaign="DEMO")
    lines.call(
        "pause_max_break",
        first,
        "vicidial.agent.pause_code",
        10.2,
        error={"type": "ViciStateError", "message": "agent 1001 is not paused"},
    )
    kept = lines.webhook("pause_max", 310, user="1001", campaign="DEMO")
    again = lines.webhook("pause_max", 700, user="1001", campaign="DEMO")
    runs = _of(await _replay(tmp_path, lines), "pause_max_break")

    assert [(ran.event, ran.outcome, ran.reason) for ran in runs] == [
        (first.id, "finished", ""),
        (kept.id, NOT_RUN, "cooldown"),
        (again.id, "finished", ""),
    ]
    pause, log = runs[0].actions
    assert (pause.service, pause.outcome, pause.answer) == (
        "vicidial.agent.pause_code",
        "error",
        "recorded",
    )
    assert pause.data == {"agent_user": "1001", "value": "BREAK"}
    assert (log.data, log.answer) == ({"message": "paused 1001"}, "default")
    assert [action.answer for action in runs[2].actions] == ["default", "default"]
    assert runs[0].time == T0 + 10


async def test_a_for_trigger_fires_on_the_pseudo_clock_from_the_recorded_change(
    tmp_path: Path,
) -> None:
    lines = Lines()
    lines.state("campaign.DEMO", "ACTIVE", 0)  # before the rules started: how things stood
    lines.started(1)
    held = lines.state("agent.1001", "READY", 5)
    lines.state("agent.1002", "READY", 8)
    lines.state("agent.1002", "INCALL", 30)  # READY for 22 s only: no run
    lines.webhook("pause_max", 200, user="1009", campaign="DEMO")
    runs = _of(await _replay(tmp_path, lines), "ready_long")

    assert [(ran.event, ran.time, ran.outcome) for ran in runs] == [(held.id, T0 + 65, "finished")]
    assert runs[0].actions[0].data == {"message": "agent.1001 READY"}


async def test_a_rule_that_switches_rules_replays_its_switch(tmp_path: Path) -> None:
    # rules.disable is the harness engine's own service: the rules load once it exists.
    rules = (
        RULES
        + """\
- id: silence
  triggers: [{trigger: event, event_type: supervisor_alert}]
  actions: [{action: rules.disable, data: {rule_id: pause_max_break}}]
"""
    )
    lines = Lines()
    lines.started(0)
    lines.event("supervisor_alert", {"user": "1001"}, 10, Origin.API)
    lines.webhook("pause_max", 20, user="1001", campaign="DEMO")
    runs = await _replay(tmp_path, lines, rules=rules)

    assert [ran.outcome for ran in _of(runs, "silence")] == ["finished"]
    assert _of(runs, "pause_max_break") == []  # switched off before its pause_max


async def test_what_came_before_the_window_is_the_store_and_runs_nothing(
    tmp_path: Path,
) -> None:
    lines = Lines()
    lines.started()
    lines.webhook("pause_max", 10, user="1001", campaign="DEMO")
    lines.state("campaign.DEMO", "ACTIVE", 20)
    lines.state("agent.1001", "READY", 40)  # its for: would end inside the window
    later = lines.state("agent.1002", "READY", 200)
    lines.webhook("pause_max", 400, user="1002", campaign="DEMO")
    runs = await _replay(tmp_path, lines, since=100)

    # The store held campaign.DEMO ACTIVE (the condition holds) and agent.1001 READY, but
    # as it stood, not as a change: its for: never started.
    assert [(ran.rule_id, ran.event) for ran in runs if ran.rule_id == "ready_long"] == [
        ("ready_long", later.id)
    ]
    assert [ran.time for ran in _of(runs, "pause_max_break")] == [T0 + 400]


async def test_events_a_run_or_the_clock_made_are_left_to_the_replay_to_make(
    tmp_path: Path,
) -> None:
    lines = Lines()
    lines.started()
    lines.event("supervisor_alert", {"user": "1001"}, 5, Origin.RULE)
    lines.event("supervisor_alert", {"user": "1002"}, 6, Origin.SCHEDULE)
    outside = lines.event("supervisor_alert", {"user": "1003"}, 7, Origin.API)
    runs = _of(await _replay(tmp_path, lines), "alerts")
    assert [(ran.event, ran.actions[0].data["message"]) for ran in runs] == [
        (outside.id, "alert 1003")
    ]


async def test_a_candidate_rule_set_is_compared_action_by_action(tmp_path: Path) -> None:
    lines = Lines()
    lines.started()
    lines.state("campaign.DEMO", "ACTIVE", 0)
    first = lines.webhook("pause_max", 10, user="1001", campaign="DEMO")
    lines.webhook("pause_max", 20, user="1002", campaign="DEMO")
    lines.state("agent.1001", "READY", 30)
    recording = read_recording([lines.write(tmp_path / "events.jsonl")])
    span = window(recording, None, None)
    assert span == Window(T0, T0 + 30, 0)
    candidate = RULES.replace("value: BREAK", "value: LUNCH") + (
        "- id: drops_too\n"
        "  triggers: [{trigger: webhook, kind: pause_max, filter: {user: '1001'}}]\n"
        "  actions: [{action: notify.log, data: {message: second}}]\n"
    )
    configured = await replay_rules(RulesSetup.from_file(_rules(tmp_path)), recording, span)
    tried = await replay_rules(
        RulesSetup.from_file(_rules(tmp_path, candidate, "other.yaml")), recording, span
    )
    changes = diff(configured.runs, tried.runs)
    assert changes.summary() == "2 actions would change, 1 would be new, 0 would be gone, " + (
        "2 stay the same"
    )
    changed = [c for c in changes.changes if c.kind == "changed"]
    assert next((c.rule_id, c.event, c.before, c.after) for c in changed) == (
        "pause_max_break",
        first.id,
        {"agent_user": "1001", "value": "BREAK"},
        {"agent_user": "1001", "value": "LUNCH"},
    )
    (new,) = [c for c in changes.changes if c.kind == "new"]
    assert (new.rule_id, new.after) == ("drops_too", {"message": "second"})


def test_an_empty_window_has_no_span(tmp_path: Path) -> None:
    lines = Lines()
    lines.started()
    lines.webhook("pause_max", 10, user="1001")
    recording = read_recording([lines.write(tmp_path / "events.jsonl")])
    assert window(recording, T0 + 20, None) is None
    assert window(Recording(), None, None) is None


# -- vicibus replay ----------------------------------------------------------------------------


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["replay", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_command_prints_runs_non_runs_and_actions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = Lines()
    lines.started()
    lines.webhook("pause_max", 10, user="1001", campaign="DEMO")
    lines.webhook("pause_max", 20, user="1001", campaign="DEMO")
    events = lines.write(tmp_path / "events.jsonl")
    code, out, err = _cli(capsys, str(_rules(tmp_path)), "--events", str(events))
    assert (code, err) == (0, "")
    assert "replayed 2030-01-07 09:00:00 to 2030-01-07 09:00:20" in out
    assert "pause_max_break: matched, not run: cooldown (vicidial_pause_max" in out
    assert (
        '    vicidial.agent.pause_code {"agent_user": "1001", "value": "BREAK"} -> ok, '
        "default answer" in out
    )
    assert out.rstrip().endswith("1 runs, 1 matched but did not run, 2 actions (2 default)")


def test_a_bad_line_is_named_the_rest_replayed_and_the_status_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = Lines()
    lines.started()
    lines.webhook("pause_max", 10, user="1001", campaign="DEMO")
    lines.lines.insert(1, '{"record": "event", "event_type": "x"')
    events = lines.write(tmp_path / "events.jsonl")
    code, out, err = _cli(capsys, str(_rules(tmp_path)), "--events", str(events), "--json")
    assert code == 1
    assert f"{events}:2: not JSON" in err
    report = json.loads(out)
    assert [ran["rule_id"] for ran in report["runs"]] == ["pause_max_break"]
    assert report["problems"][0].startswith(f"{events}:2: ")


def test_a_cut_short_last_line_is_left_out_without_failing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = Lines()
    lines.started()
    lines.webhook("pause_max", 10, user="1001", campaign="DEMO")
    events = lines.write(tmp_path / "events.jsonl", tail='{"record": "ev')
    code, out, err = _cli(capsys, str(_rules(tmp_path)), "--events", str(events))
    assert code == 0
    assert f"{events}:3: not JSON" in err
    assert "1 runs" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--events", "missing.jsonl"], "missing.jsonl: no such recording"),
        (["--from", "yesterday"], "--from is epoch seconds or an ISO time"),
        (["--from", "2031-01-01T00:00"], "the recording has no events in that window"),
    ],
)
def test_bad_arguments_are_one_line_and_status_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    lines = Lines()
    lines.started()
    events = lines.write(tmp_path / "events.jsonl")
    if "--events" not in args:
        args = ["--events", str(events), *args]
    code, _, err = _cli(capsys, str(_rules(tmp_path)), *args)
    assert code == 1
    assert message in err
    assert "Traceback" not in err


def test_an_event_whose_data_does_not_fit_its_type_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = Lines()
    lines.started()
    bad = lines.event("vicidial_pause_max", {"kind": "pause_max", "values": 5}, 3, Origin.WEBHOOK)
    events = lines.write(tmp_path / "events.jsonl")
    code, _, err = _cli(capsys, str(_rules(tmp_path)), "--events", str(events))
    assert code == 1
    assert f"the vicidial_pause_max event {bad.id} does not fit its type: values: " in err
    assert "Traceback" not in err


def test_a_state_change_of_no_entity_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = Lines()
    lines.started()
    bad = lines.state("not an entity", "READY", 3)
    events = lines.write(tmp_path / "events.jsonl")
    code, _, err = _cli(capsys, str(_rules(tmp_path)), "--events", str(events))
    assert code == 1
    assert f"the state change {bad.id}: bad entity id 'not an entity'" in err


def test_rules_that_do_not_load_are_named_at_their_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = Lines()
    lines.started()
    events = lines.write(tmp_path / "events.jsonl")
    broken = _rules(tmp_path, RULES.replace("notify.log", "notify.lgo"), "broken.yaml")
    code, _, err = _cli(capsys, str(broken), "--events", str(events))
    assert code == 1
    assert "broken.yaml:" in err
    assert "notify.lgo" in err


def test_the_command_with_a_candidate_says_which_actions_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = Lines()
    lines.started()
    lines.webhook("pause_max", 10, user="1001", campaign="DEMO")
    events = lines.write(tmp_path / "events.jsonl")
    other = _rules(tmp_path, RULES.replace("value: BREAK", "value: LUNCH"), "other.yaml")
    code, out, err = _cli(
        capsys, str(_rules(tmp_path)), "--events", str(events), "--rules", str(other)
    )
    assert (code, err) == (0, "")
    assert "with --rules: 1 action would change, 0 would be new, 0 would be gone, 1 stay" in out
    assert (
        "  changed: 2030-01-07 09:00:10 pause_max_break vicidial.agent.pause_code "
        '{"agent_user": "1001", "value": "BREAK"} -> {"agent_user": "1001", "value": "LUNCH"}'
    ) in out
    code, out, _ = _cli(
        capsys,
        str(_rules(tmp_path)),
        "--events",
        str(events),
        "--rules",
        str(other),
        "--json",
        "--to",
        "2030-01-07T09:00:05",
    )
    assert code == 0
    report = json.loads(out)
    assert report["runs"] == []
    assert report["diff"]["changed"] == 0
