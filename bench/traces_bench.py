"""The run journal's cost: records per second through it, beside MemoryRecorder in the same run.

- engine: one rule with two service steps, events fired in windows of 10 as in rules_bench
  (fire 10, wait until their runs' calls are done); events/s with each recorder, and how long
  the journal takes after the last event to have everything on disk. A run leaves 4 records:
  its start, two steps, its end.
- recorder: the records of such runs handed to the recorder directly (no engine), what the
  loop pays per record, and the writer's rows/s until everything is committed.
- non-runs: a rule's non-runs under its rate (recorded in full) and past it (counted only).

The journal writes to a temporary directory (TMPDIR decides the disk), WAL, synchronous=NORMAL,
as the daemon does.

Run: .venv/bin/python bench/traces_bench.py [--runs N] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import gc
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# The rules bench's service and rule loading (this file runs from bench/, beside it).
from rules_bench import Counter, CountParams, _Unplaced

from engine.clock import Clock, ClockMode
from engine.context import Context, Origin
from engine.core import Core
from engine.ids import new_id
from engine.services import Service
from engine.storage.retention import Retention, RulePolicy
from engine.storage.traces import JournalSettings, TraceJournal
from rules.engine import RuleEngine
from rules.journal import JournalRecorder
from rules.loading import load_rules
from rules.records import MemoryRecorder, NonRunRecord, NotRunReason, RunRecord, RunRecorder

WINDOW = 10
RECORDS_PER_RUN = 4
RULE = {
    "id": "bench",
    "mode": "parallel",
    "max": 1000,
    "triggers": {"trigger": "event", "event_type": "bench_evt"},
    "variables": {"agent": "{{ trigger.event.data.user }}"},
    "actions": [
        {"action": "bench.count", "data": {"i": "{{ trigger.event.data.k }}"}},
        {"action": "bench.count", "data": {"i": 0}},
    ],
}


def _journal(directory: str, clock: Clock) -> TraceJournal:
    return TraceJournal(Path(directory), JournalSettings(), clock)


@dataclasses.dataclass(frozen=True)
class EngineFigures:
    events_per_s: float
    loop_cpu: float  # seconds of the event loop thread's CPU per event
    writer_cpu: float  # seconds of the journal's writer thread's CPU per event
    drain: float  # seconds after the last event until the journal had everything
    batches: int


def thread_cpu(native_id: int | None) -> float:
    """Seconds of CPU a thread of this process has used (Linux), 0 without the thread."""
    if native_id is None:
        return 0.0
    schedstat = Path(f"/proc/self/task/{native_id}/schedstat").read_text()
    return int(schedstat.split()[0]) / 1e9


async def engine_rate(journaled: bool, n_events: int) -> EngineFigures:
    core = Core(Clock(ClockMode.REAL))
    counter = Counter()
    core.services.register(Service("bench.count", CountParams, counter.count))
    loaded = load_rules([RULE], core, _Unplaced())
    with tempfile.TemporaryDirectory() as directory:
        journal = _journal(directory, core.clock)
        recorder: RunRecorder = JournalRecorder(journal) if journaled else MemoryRecorder()
        engine = RuleEngine(core, loaded.rules, recorder=recorder)
        await core.start()
        await journal.start()
        await engine.start()
        context = Context(Origin.SYSTEM)

        async def fire(count: int) -> None:
            for first in range(0, count, WINDOW):
                counter.arm(2 * WINDOW)
                for j in range(first, first + WINDOW):
                    core.fire("bench_evt", {"k": j, "user": f"{j % 500}"}, context=context)
                await counter.done.wait()
            await engine.settle()

        await fire(1000)  # warm-up
        await journal.flush()
        gc.collect()
        gc.freeze()  # as the daemon does once it has started
        writer = journal.writer_thread
        loop_cpu, writer_cpu = time.thread_time(), thread_cpu(writer)
        started = time.perf_counter()
        await fire(n_events)
        elapsed = time.perf_counter() - started
        await journal.flush()
        drain = time.perf_counter() - started - elapsed
        loop_cpu = time.thread_time() - loop_cpu
        writer_cpu = thread_cpu(writer) - writer_cpu
        batches = journal.stats.batches
        await engine.stop()
        await journal.stop()
        await core.stop()
        gc.unfreeze()
    return EngineFigures(
        n_events / elapsed, loop_cpu / n_events, writer_cpu / n_events, drain, batches
    )


async def recorded_runs(n: int) -> list[RunRecord]:
    """``n`` copies (each its own run id) of a real run's record of the bench rule."""
    core = Core(Clock(ClockMode.REAL))
    counter = Counter()
    core.services.register(Service("bench.count", CountParams, counter.count))
    memory = MemoryRecorder(keep=1)
    engine = RuleEngine(core, load_rules([RULE], core, _Unplaced()).rules, recorder=memory)
    await core.start()
    await engine.start()
    counter.arm(2)
    core.fire("bench_evt", {"k": 1, "user": "1001"}, context=Context(Origin.SYSTEM))
    await counter.done.wait()
    await engine.settle()
    await engine.stop()
    await core.stop()
    (run,) = memory.runs("bench")
    return [dataclasses.replace(run, run_id=new_id()) for _ in range(n)]


def _replay(recorder: RunRecorder, runs: list[RunRecord]) -> None:
    """Each run's records as the runner hands them over: each step appended, then told."""
    for run in runs:
        steps, run.steps = run.steps, []
        recorder.run_started(run)
        for step in steps:
            run.steps.append(step)
            recorder.step_finished(run, step)
        recorder.run_finished(run)


async def recorder_rate(journaled: bool, runs: list[RunRecord]) -> tuple[float, float]:
    """Records/s the loop hands over, and records/s until they are all on disk."""
    with tempfile.TemporaryDirectory() as directory:
        journal = _journal(directory, Clock(ClockMode.REAL))
        await journal.start()
        recorder: RunRecorder = JournalRecorder(journal) if journaled else MemoryRecorder()
        gc.collect()
        started = time.perf_counter()
        _replay(recorder, runs)
        handed = time.perf_counter() - started
        await journal.flush()
        written = time.perf_counter() - started
        await journal.stop()
    records = len(runs) * RECORDS_PER_RUN
    return records / handed, records / written


async def not_run_rate(n: int, rate: int) -> float:
    """Non-runs/s of one rule through the journal's recorder, ``rate`` a minute in full."""
    clock = Clock(ClockMode.MANUAL, start=0)
    with tempfile.TemporaryDirectory() as directory:
        settings = JournalSettings(Retention(RulePolicy(not_run_rate=rate)))
        journal = TraceJournal(Path(directory), settings, clock)
        await journal.start()
        recorder = JournalRecorder(journal)
        records = [
            NonRunRecord(
                "bench",
                "0",
                "event",
                "bench_evt",
                Context(Origin.SYSTEM),
                0.0,
                NotRunReason.CONDITIONS,
            )
            for _ in range(n)
        ]
        gc.collect()
        started = time.perf_counter()
        for record in records:
            recorder.not_run(record)
        await journal.flush()
        elapsed = time.perf_counter() - started
        await journal.stop()
    return n / elapsed


def interleaved(runs: int, bench: Callable[[bool], Any]) -> tuple[list[Any], list[Any]]:
    """Each figure ``runs`` times, MemoryRecorder and the journal taking turns, so that what
    else the machine does weighs on both alike."""
    memory, journal = [], []
    for _ in range(runs):
        memory.append(bench(False))
        journal.append(bench(True))
    return memory, journal


def med(values: list[Any], pick: Callable[[Any], float] = float) -> float:
    return float(statistics.median(pick(v) for v in values))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="fewer events")
    args = parser.parse_args()
    events = 4_000 if args.quick else 20_000
    print(
        f"engine: event -> rule (2 service steps) -> service, windows of {WINDOW},"
        f" {events:,} events, median of {args.runs}"
    )
    mem, jour = interleaved(args.runs, lambda j: asyncio.run(engine_rate(j, events)))
    rate_m, rate_j = med(mem, lambda f: f.events_per_s), med(jour, lambda f: f.events_per_s)
    loop_m, loop_j = med(mem, lambda f: f.loop_cpu), med(jour, lambda f: f.loop_cpu)
    writer_j = med(jour, lambda f: f.writer_cpu)
    print(
        f"   MemoryRecorder  {rate_m:>7,.0f} events/s ({rate_m * RECORDS_PER_RUN:,.0f} records/s);"
        f" loop thread {loop_m * 1e6:.0f} us CPU per event"
    )
    print(
        f"   JournalRecorder {rate_j:>7,.0f} events/s ({rate_j * RECORDS_PER_RUN:,.0f} records/s),"
        f" {rate_j / rate_m:.2f}x; loop thread {loop_j * 1e6:.0f} us CPU per event"
        f" (+{(loop_j - loop_m) * 1e6:.0f}), writer thread {writer_j * 1e6:.0f} us"
    )
    print(
        f"   the journal had everything {med(jour, lambda f: f.drain) * 1000:.0f} ms after the"
        f" last event, in {med(jour, lambda f: f.batches):.0f} batches"
    )

    n_runs = 10_000 if args.quick else 50_000
    runs = asyncio.run(recorded_runs(n_runs))
    mem_r, jour_r = interleaved(args.runs, lambda j: asyncio.run(recorder_rate(j, runs)))
    handed_m = med(mem_r, lambda r: r[0])
    handed, written = med(jour_r, lambda r: r[0]), med(jour_r, lambda r: r[1])
    print(f"recorder alone: {n_runs:,} runs' records (start, 2 steps, end), median of {args.runs}")
    print(f"   MemoryRecorder  {handed_m:>11,.0f} records/s")
    print(
        f"   JournalRecorder {handed:>11,.0f} records/s handed over on the loop,"
        f" {written:,.0f} records/s until committed"
    )

    n_not = 20_000 if args.quick else 100_000
    full = med([asyncio.run(not_run_rate(n_not, n_not)) for _ in range(args.runs)])
    counted = med([asyncio.run(not_run_rate(n_not, 60)) for _ in range(args.runs)])
    print(f"non-runs: {n_not:,} of one rule in one minute, median of {args.runs}")
    print(
        f"   all recorded {full:,.0f}/s; past a rate of 60 (sampled 1 in 100, all counted)"
        f" {counted:,.0f}/s"
    )


if __name__ == "__main__":
    main()
