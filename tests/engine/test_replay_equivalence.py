"""A real daemon against its embedded simulated dialer, recording, then the recording replayed
offline: both say the same runs, keyed by (rule, triggering event id, outcome, rendered data).

The live side's runs come from the daemon's run journal (SQLite, read once it stopped); the
replay's from ``vicibus replay --json`` in a process of its own, as a user runs it. Time moves
only through ``POST /api/clock`` (the clock is manual), never by sleeping.
"""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from engine.storage.record_lines import RecordedCall, RecordedEvent
from engine.storage.recording import recorded_files
from engine.storage.trace_store import MAX_LIMIT, Trace, TraceQuery, TraceStore
from rules.replay.keys import event_key
from rules.replay.recorded import read_recording
from rules.replay.report import RunKey, run_key
from tests.engine.daemon_harness import free_port, launch, write_config

RULES = """\
rules:
  - id: pause_max_break
    cooldown: {for: 10m, key: "{{ trigger.payload.user }}"}
    triggers:
      - {trigger: webhook, kind: pause_max}
    actions:
      - action: vicidial.agent.send_notification
        data:
          recipient: "{{ trigger.payload.user }}"
          recipient_type: USER
          notification_text: You have been paused too long
      - action: vicidial.agent.pause_code
        data: {agent_user: "{{ trigger.payload.user }}", value: BREAK}
  - id: ready_a_while
    mode: parallel
    triggers:
      - {trigger: state, entity_id: "agent.*", to: READY, for: "00:00:20"}
    actions:
      - action: notify.log
        data:
          message: >-
            {{ trigger.entity_id }} READY since {{ trigger.to_state.last_changed }}
            ({{ states('ingroup.DEMOIN') }} waiting)
  - id: drops
    triggers:
      - trigger: count
        events: {trigger: webhook, kind: no_agent}
        within: 15m
        threshold: 2
        key: "{{ trigger.payload.campaign }}"
    actions:
      - action: notify.log
        data: {message: "{{ trigger.count }} drops in {{ trigger.payload.campaign }}"}
  - id: quarterly
    triggers:
      - {trigger: schedule, every: 15m}
    actions:
      - action: vicidial.admin.hopper_list
        data: {campaign_id: DEMO}
        response_variable: hopper
        continue_on_error: true
      - action: notify.log
        data: {message: "{{ now().isoformat() }}: {{ states('campaign.DEMO') }} {{ hopper }}"}
"""
RULE_IDS = ("pause_max_break", "ready_a_while", "drops", "quarterly")
RECORD = "{path: recording.jsonl, max_bytes: 512KiB, keep: 20}"
MINUTES = 90  # of the call center's time, advanced a minute at a time


def _config(directory: Path, http_port: int, sim_port: int) -> Path:
    """The daemon tests' config, recording, with the rules above."""
    path = write_config(directory, http_port, sim_port, extra=RULES)
    text = path.read_text()
    assert "storage: {path: " in text
    path.write_text(text.replace("storage: {path: ", f"storage: {{record: {RECORD}, path: "))
    return path


def _live_key(trace: Trace) -> RunKey:
    event = trace.event
    return run_key(
        trace.rule_id,
        event_key(event["type"], event["context_id"], event["origin"], event["time"]),
        trace.outcome or "running",
        ((step.service, step.data) for step in trace.steps if step.service is not None),
    )


def _replay_key(ran: dict[str, Any]) -> RunKey:
    return run_key(
        ran["rule_id"],
        ran["event"],
        ran["outcome"],
        ((action["service"], action["data"]) for action in ran["actions"]),
    )


async def _replay(*args: str) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "engine.cli",
        "replay",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 300)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def test_a_replayed_recording_reports_the_runs_the_daemon_made(tmp_path: Path) -> None:
    http_port, sim_port = free_port(), free_port()
    config = _config(tmp_path, http_port, sim_port)
    daemon = await launch(tmp_path, config, http_port, sim_port)
    try:
        try:
            await daemon.next_message("READY=1")
        except TimeoutError:
            pytest.fail(f"the daemon did not start: {daemon.log()[-3000:]}")
        for _ in range(MINUTES):
            status, _ = await daemon.api("POST", "/api/clock", json={"advance_seconds": 60})
            assert status == 200
        daemon.signal(signal.SIGTERM)
        assert await daemon.wait_exit() == 0, daemon.log()[-3000:]
    finally:
        await daemon.kill()

    with TraceStore(tmp_path / "state") as store:
        live = [
            trace
            for rule in RULE_IDS
            for trace in store.traces(TraceQuery(rule=rule, limit=MAX_LIMIT))
        ]
    ran = Counter(trace.rule_id for trace in live if trace.outcome != "not_run")
    # The traffic made every kind of run: a cooldown kept a pause_max from running too.
    assert all(ran[rule] for rule in RULE_IDS), ran
    assert any(t.outcome == "not_run" and t.reason == "cooldown" for t in live)

    files = recorded_files(tmp_path / "state" / "recording.jsonl")
    assert len(files) > 1  # rotated on the way: replay reads them as one
    recording = read_recording(files)
    assert recording.problems == []
    assert any(isinstance(line, RecordedEvent) for line in recording.events)
    assert all(isinstance(call, RecordedCall) for call in recording.calls)
    assert {call.rule_id for call in recording.calls} == set(RULE_IDS)

    code, out, err = await _replay(
        str(config), *(arg for file in files for arg in ("--events", str(file))), "--json"
    )
    assert code == 0, err
    report = json.loads(out)
    replayed = Counter(_replay_key(r) for r in [*report["runs"], *report["not_runs"]])
    assert replayed == Counter(_live_key(trace) for trace in live)
    assert len(live) >= 10
    answers = report["summary"]["answers"]
    assert answers.get("recorded") == report["summary"]["actions"], answers
