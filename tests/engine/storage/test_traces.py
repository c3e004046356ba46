"""The run journal's write side: batches, the written callback, states, sampling, failures."""

from __future__ import annotations

import asyncio
import sqlite3
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest

from engine.clock import Clock
from engine.storage.database import StorageError
from engine.storage.retention import Retention, RulePolicy
from engine.storage.sampling import Sample
from engine.storage.trace_schema import INTERRUPTED
from engine.storage.trace_store import TraceQuery, TraceStore
from engine.storage.traces import JournalSettings, TraceJournal
from tests.engine.storage.rows import START, end, not_run, record, start, step


def told() -> tuple[Future[BaseException | None], Any]:
    """A future for a written callback, and the callback."""
    future: Future[BaseException | None] = Future()
    return future, future.set_result


async def wait(future: Future[BaseException | None]) -> BaseException | None:
    return await asyncio.wait_for(asyncio.wrap_future(future), 10)


def count(path: Path, table: str = "traces") -> int:
    with sqlite3.connect(path) as conn:
        (n,) = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(n)


async def test_a_run_is_read_back_as_it_was_recorded(
    journal: TraceJournal, store: TraceStore
) -> None:
    run = start("pause_max_break", agent="1001", lead="77", campaign="TESTCAMP")
    record(
        journal,
        run,
        step(run, 0),
        step(run, 1, error={"type": "ViciStateError", "message": "not paused"}, outcome="error"),
        end(run, "error", reason="a step failed", error={"type": "ViciStateError", "message": "x"}),
    )
    await journal.flush()
    (trace,) = store.traces(TraceQuery())
    assert (trace.id, trace.rule_id, trace.outcome, trace.reason) == (
        run.run_id,
        "pause_max_break",
        "error",
        "a step failed",
    )
    assert (trace.agent, trace.lead, trace.campaign) == ("1001", "77", "TESTCAMP")
    assert (trace.started, trace.ended) == (START, START + 0.5)
    assert trace.event["type"] == "vicidial_pause_max"
    assert trace.event["context_id"] == run.event.context.id
    assert trace.event["ids"] == {"user": "1001"}
    assert trace.context_id == run.context_id
    assert trace.conditions == [
        {"path": "conditions/0", "kind": "template", "result": True, "detail": {}}
    ]
    assert [(s.seq, s.path, s.service, s.outcome) for s in trace.steps] == [
        (0, "actions/0", "notify.log", "ok"),
        (1, "actions/1", "notify.log", "error"),
    ]
    assert trace.steps[0].data == {"message": "step 0"}
    assert trace.steps[1].error == {"type": "ViciStateError", "message": "not paused"}
    assert trace.state is None  # ended: no state kept


async def test_written_is_told_once_the_end_is_committed(tmp_path: Path, clock: Clock) -> None:
    journal = TraceJournal(tmp_path, JournalSettings(flush_interval=0.01), clock)
    await journal.start()
    try:
        run = start()
        journal.run_started(run, dict)
        future, callback = told()
        journal.run_finished(end(run), callback)
        assert await wait(future) is None  # no flush asked: the interval sent it
        with TraceStore(tmp_path) as store:
            assert store.trace(run.run_id).outcome == "finished"
    finally:
        await journal.stop()


async def test_a_full_batch_goes_at_once(tmp_path: Path, clock: Clock) -> None:
    journal = TraceJournal(tmp_path, JournalSettings(flush_interval=600, batch=4), clock)
    await journal.start()
    try:
        first = start()
        record(journal, first, end(first))
        second = start()
        journal.run_started(second, dict)
        assert count(journal.path) == 0  # three rows wait for the interval (ten minutes)
        future, callback = told()
        journal.run_finished(end(second), callback)  # the fourth row
        assert await wait(future) is None
        assert count(journal.path) == 2
    finally:
        await journal.stop()


class Source:
    """A run's state as the runner would give it, counting the reads."""

    def __init__(self) -> None:
        self.reads = 0
        self.index = 0

    def __call__(self) -> dict[str, Any]:
        self.reads += 1
        return {"frames": [{"block": "actions", "index": self.index}], "variables": {"x": 1}}


def state_of(path: Path, run_id: str) -> str | None:
    with sqlite3.connect(path) as conn:
        (state,) = conn.execute("SELECT state FROM traces WHERE id = ?", (run_id,)).fetchone()
    return state  # type: ignore[no-any-return]


async def test_a_run_ended_within_its_batch_never_has_its_state_read(
    journal: TraceJournal,
) -> None:
    source = Source()
    run = start()
    journal.run_started(run, source)
    journal.step(step(run, 0))
    journal.run_finished(end(run))
    await journal.flush()
    await journal.flush()
    assert source.reads == 0
    assert state_of(journal.path, run.run_id) is None


async def test_an_open_run_has_its_state_from_the_batch_after_its_start_until_it_ends(
    journal: TraceJournal, tmp_path: Path
) -> None:
    source = Source()
    run = start()
    journal.run_started(run, source)
    await journal.flush()  # its start, then its state in the batch after
    assert source.reads == 1
    assert state_of(journal.path, run.run_id) == (
        '{"frames":[{"block":"actions","index":0}],"variables":{"x":1}}'
    )
    await journal.flush()
    assert source.reads == 1  # nothing happened to it: not read again
    source.index = 1
    journal.step(step(run, 0))
    await journal.flush()
    assert source.reads == 2
    with TraceStore(tmp_path) as store:
        trace = store.trace(run.run_id)
    assert trace.state["frames"] == [{"block": "actions", "index": 1}]
    # What the API and the CLI show: the position and the variables' names only.
    assert trace.as_dict()["state"] == {
        "frames": [{"block": "actions", "index": 1}],
        "variables": ["x"],
    }
    journal.run_finished(end(run))
    await journal.flush()
    assert state_of(journal.path, run.run_id) is None


async def test_runs_left_open_are_interrupted_at_the_next_start_with_their_state(
    tmp_path: Path, clock: Clock
) -> None:
    journal = TraceJournal(tmp_path, JournalSettings(), clock)
    await journal.start()
    source = Source()
    parked = start("slow")
    journal.run_started(parked, source)
    journal.step(step(parked, 0))
    done = start("fast")
    record(journal, done, end(done))
    await journal.stop()  # the last batch reads the state of every open run
    assert source.reads == 1
    again = TraceJournal(tmp_path, JournalSettings(), clock)
    await again.start()
    try:
        with TraceStore(tmp_path) as store:
            (interrupted,) = store.interrupted()
            assert store.trace(done.run_id).outcome == "finished"
        assert (interrupted.id, interrupted.outcome, interrupted.reason) == (
            parked.run_id,
            "cancelled",
            INTERRUPTED,
        )
        assert interrupted.state == source()
        assert [s.path for s in interrupted.steps] == ["actions/0"]
    finally:
        await again.stop()


@pytest.mark.parametrize(
    "settings",
    [JournalSettings(Retention(RulePolicy(not_run_rate=2)), sample_every=3)],
)
async def test_non_runs_past_the_rate_are_sampled_and_all_counted(
    journal: TraceJournal, store: TraceStore
) -> None:
    admitted = []
    for i in range(10):
        at = START + i  # all in one minute
        sample = journal.count_not_run("r", "conditions", at)
        admitted.append(sample)
        if sample is not Sample.COUNTED:
            journal.not_run(not_run(at=at, sampled=sample is Sample.SAMPLED))
    assert admitted == [
        Sample.FULL,
        Sample.FULL,
        Sample.SAMPLED,
        Sample.COUNTED,
        Sample.COUNTED,
        Sample.SAMPLED,
        Sample.COUNTED,
        Sample.COUNTED,
        Sample.SAMPLED,
        Sample.COUNTED,
    ]
    # The next minute starts afresh.
    assert journal.count_not_run("r", "cooldown", START + 60) is Sample.FULL
    journal.not_run(not_run(at=START + 60, reason="cooldown"))
    await journal.flush()
    recorded = store.traces(TraceQuery(outcome="not_run"))
    assert len(recorded) == 6
    assert [t.sampled for t in reversed(recorded)] == [False, False, True, True, True, False]
    assert store.not_run_counts() == {"r": {"conditions": 10, "cooldown": 1}}
    assert store.not_run_counts(since=START + 60) == {"r": {"cooldown": 1}}
    assert journal.stats.not_runs == 11
    assert journal.stats.counted_only == 5


async def test_a_failed_write_is_told_and_counted(journal: TraceJournal) -> None:
    with sqlite3.connect(journal.path) as conn:
        conn.execute("DROP TABLE steps")  # a damaged file: the next batch cannot go in
    run = start()
    future, callback = told()
    journal.run_started(run, dict)
    journal.step(step(run, 0))
    journal.run_finished(end(run), callback)
    await journal.flush()
    error = await wait(future)
    assert isinstance(error, sqlite3.OperationalError)
    assert journal.stats.failed == 3
    assert count(journal.path) == 0  # the whole batch was rolled back


async def test_a_journal_not_running_drops_and_says_so(tmp_path: Path, clock: Clock) -> None:
    journal = TraceJournal(tmp_path, JournalSettings(), clock)
    run = start()
    journal.run_started(run, dict)
    future, callback = told()
    journal.run_finished(end(run), callback)
    assert isinstance(await wait(future), StorageError)
    assert journal.stats.dropped == 2
    assert not journal.path.exists()  # nothing is made before start


async def test_a_file_that_cannot_be_opened_is_a_storage_error(
    tmp_path: Path, clock: Clock
) -> None:
    (tmp_path / "traces.db").mkdir()
    journal = TraceJournal(tmp_path, JournalSettings(), clock)
    with pytest.raises(StorageError, match=r"traces\.db"):
        await journal.start()
    assert not journal.running


@pytest.mark.parametrize("settings", [JournalSettings(Retention(RulePolicy(runs=1)))])
async def test_retention_runs_every_sweep_every_of_the_engine_clock(
    journal: TraceJournal, clock: Clock, store: TraceStore
) -> None:
    assert journal.sweeping is not None  # the first sweep goes at start
    await journal.sweeping
    for _ in range(3):
        run = start(at=clock.time())
        record(journal, run, end(run))
    await journal.flush()
    assert len(store.traces(TraceQuery())) == 3
    await clock.advance(journal.settings.sweep_every)
    if journal.sweeping is not None:  # it may be over already
        await journal.sweeping
    await journal.flush()
    assert len(store.traces(TraceQuery())) == 1
