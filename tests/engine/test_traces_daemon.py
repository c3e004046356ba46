"""The run journal of a real ``vicibus run``: read beside it, and whole after a SIGKILL.

A finished run's console line (logger ``rules.runs``) is printed only once the run is committed
to the journal; killing the daemon with SIGKILL right after it must lose nothing. A run parked
in a delay has its state on disk, and the next start marks it interrupted, state kept.
"""

from __future__ import annotations

import asyncio
import re
import sys
from pathlib import Path

from engine.storage.trace_store import Trace, TraceQuery, TraceStore
from tests.engine.daemon_harness import (
    Daemon,
    free_port,
    launch,
    write_config,
)

RULES = """
rules:
  - id: pause_notify
    triggers: {trigger: webhook, kind: pause_max}
    actions:
      - action: notify.log
        data: {message: "{{ trigger.payload.user }} paused too long"}
  - id: pause_later
    triggers: {trigger: webhook, kind: pause_max, filter: {user: "1009"}}
    actions:
      - delay: 600
      - action: notify.log
        data: {message: later}
"""
LINE = re.compile(r"rules\.runs: pause_notify run ([0-9a-f]{24}): finished in")


async def webhook(daemon: Daemon, user: str) -> None:
    assert await daemon.pause_max(user) == (200, "OK")


async def finished_line(daemon: Daemon, count: int) -> str:
    """The run id of the ``count``-th finished pause_notify run, once its line is printed."""
    async with asyncio.timeout(30):
        while len(found := LINE.findall(daemon.log())) < count:
            daemon.grew.clear()
            await daemon.grew.wait()
    return str(found[count - 1])


async def cli_traces(config: Path, *args: str) -> str:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "engine.cli",
        "traces",
        "--config",
        str(config),
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, err.decode()
    return out.decode()


def open_runs(state: Path) -> list[Trace]:
    """The runs not ended, each with its state (a listing leaves states out)."""
    with TraceStore(state) as store:
        return [store.trace(t.id) for t in store.traces(TraceQuery(outcome="running"))]


async def test_sigkill_loses_no_finished_run_and_the_next_start_marks_the_open_one(
    tmp_path: Path,
) -> None:
    http_port, sim_port = free_port(), free_port()
    config = write_config(tmp_path, http_port, sim_port, extra=RULES)
    state = tmp_path / "state"
    daemon = await launch(tmp_path, config, http_port, sim_port)
    try:
        await daemon.next_message("READY=1")
        await webhook(daemon, "1001")
        first = await finished_line(daemon, 1)
        # Read beside the running daemon (WAL): the CLI sees the run already.
        shown = await cli_traces(config, "pause_notify")
        assert first in shown
        assert "- actions/0 notify.log: ok" in shown
        status, body = await daemon.api("GET", "/api/traces?rule=pause_notify&agent=1001")
        assert status == 200
        assert [t["id"] for t in body["traces"]] == [first]
        # A run that stays open (its delay waits on the manual clock): its state goes with the
        # batch after its start, so it is on disk once a run that ended after it is.
        await webhook(daemon, "1009")
        second = await finished_line(daemon, 2)
        await webhook(daemon, "1010")
        third = await finished_line(daemon, 3)
        daemon.process.kill()  # SIGKILL, at once after the line
        await daemon.process.wait()
    finally:
        await daemon.kill()
    parked = open_runs(state)
    with TraceStore(state) as store:
        runs = {t.id: t for t in store.traces(TraceQuery(rule="pause_notify"))}
        assert set(runs) == {first, second, third}
        for trace in runs.values():
            assert trace.outcome == "finished"
            assert [(s.service, s.outcome) for s in trace.steps] == [("notify.log", "ok")]
            assert trace.event["origin"] == "webhook"
        assert [runs[run].agent for run in (first, second, third)] == ["1001", "1009", "1010"]
        assert runs[second].steps[0].data == {"message": "1009 paused too long"}
    (open_run,) = parked
    assert open_run.state["waiting"]["step"] == "actions/0"

    (tmp_path / "notify.sock").unlink()
    again = await launch(tmp_path, config, http_port, sim_port)
    try:
        await again.next_message("READY=1")
        with TraceStore(state) as store:
            (interrupted,) = store.interrupted()
        assert (interrupted.id, interrupted.rule_id) == (open_run.id, "pause_later")
        assert (interrupted.outcome, interrupted.reason) == ("cancelled", "interrupted")
        assert interrupted.state == open_run.state
    finally:
        await again.kill()
    assert "Traceback" not in daemon.log() + again.log()
