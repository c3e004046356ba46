"""The run journal's write side: rows gathered on the loop, written in batches by one thread.

The loop only appends a row to the open batch (a few hundred nanoseconds); the batch goes to
the writer thread ``flush_interval`` seconds after its first row, or at once when it holds
``batch`` rows, and the thread encodes and commits it in one transaction. So a run's record is
on disk within about ``flush_interval`` of its end, and the ``written`` callback of its end row
is told once it is (the console line of the run is printed then: seeing it means the run
survives a SIGKILL of the daemon).

A run's position and variables (its ``state``) are stored while the run is open so that a
restart can resume it, and cleared when it ends. They are read when a batch is written, not at
every step: a run that ends within the batch it started in (most do) never has its state read
at all, and one still open when a batch goes has it read once for that batch. A run whose start
is in the batch being written gets its state at the next one, if it is open still.

Non-runs are sampled past a rate per rule (``engine.storage.sampling``) and all counted.
Retention (``engine.storage.retention``) is applied every ``sweep_every`` seconds of the
engine's clock, in the writer thread.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from engine.clock import Clock, Timer
from engine.storage.database import StorageError, Synchronous
from engine.storage.retention import Retention, Swept, sweep
from engine.storage.sampling import Sample, Sampler
from engine.storage.trace_batch import Batch, setup
from engine.storage.trace_rows import (
    NotRunRow,
    RunEnd,
    RunStart,
    StateSource,
    StepRow,
    Written,
)
from engine.storage.trace_schema import TRACES_FILE
from engine.storage.writer import Writer

logger = logging.getLogger("vicibus.storage")
R = TypeVar("R", RunStart, StepRow, RunEnd, NotRunRow)

# Records an open batch may grow to while the writer is busy with the last one; past them it
# is dropped (and counted): the loop never waits for the disk, and memory stays bounded when
# the disk cannot keep up.
MAX_OPEN = 200_000


@dataclass(frozen=True, slots=True)
class JournalSettings:
    retention: Retention = field(default_factory=Retention)
    sample_every: int = 100  # past the rate, one non-run in this many is recorded
    flush_interval: float = 0.05  # seconds from a batch's first row to its write
    batch: int = 1000  # rows that make a batch go at once
    sweep_every: float = 300.0  # seconds of the engine's clock between retention sweeps
    synchronous: Synchronous = "normal"


@dataclass(slots=True)
class JournalStats:
    rows: int = 0  # handed to the writer
    batches: int = 0
    not_runs: int = 0  # every non-run, recorded or counted only
    counted_only: int = 0  # non-runs past the rate that were not sampled
    dropped: int = 0  # rows lost: the writer was behind, or the journal not running
    failed: int = 0  # rows of batches whose write failed


class TraceJournal:
    def __init__(self, directory: Path, settings: JournalSettings, clock: Clock) -> None:
        self.path = directory / TRACES_FILE
        self.settings = settings
        self.stats = JournalStats()
        self._clock = clock
        self._sampler = Sampler(settings.sample_every)
        self._writer: Writer | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._batch = Batch()
        self._timer: asyncio.TimerHandle | None = None
        self._writing = False  # a batch is with the writer: the next one waits and grows
        self._open: dict[str, StateSource] = {}  # runs that have not ended
        self._young: set[str] = set()  # open runs whose start was in the last batch written
        self._sweep_timer: Timer | None = None
        self.sweeping: asyncio.Task[Swept] | None = None  # the retention sweep under way

    def __repr__(self) -> str:
        return f"TraceJournal({self.path}, {len(self._open)} open runs)"

    @property
    def running(self) -> bool:
        return self._writer is not None

    @property
    def writer_thread(self) -> int | None:
        """The writer thread's id in the operating system, while the journal runs."""
        return None if self._writer is None else self._writer.native_id

    # -- lifecycle -----------------------------------------------------------------------------

    async def start(self) -> None:
        """Open (or make) the file; runs an earlier process left open are marked as ended
        (``cancelled``, reason ``interrupted``), their state kept. StorageError if the file
        cannot be used."""
        if self._writer is not None:
            return
        writer = Writer(self.path, setup, synchronous=self.settings.synchronous, name="traces")
        await asyncio.wrap_future(writer.start())
        self._loop = asyncio.get_running_loop()
        self._writer = writer
        self._sweep_due()

    async def stop(self) -> None:
        """Write what is gathered and close the file."""
        writer = self._writer
        if writer is None:
            return
        await self._drain(last=True)
        self._young.clear()
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._writer = None
        if self._sweep_timer is not None:
            self._sweep_timer.cancel()
            self._sweep_timer = None
        if self.sweeping is not None:
            self.sweeping.cancel()  # what it handed the writer is written all the same
        if not await asyncio.to_thread(writer.stop, 30.0):
            logger.error("traces: the writer did not finish within 30 s; records may be lost")

    def configure(self, settings: JournalSettings) -> None:
        """New retention, sampling and batching (a reload); ``synchronous`` applies at the
        next start."""
        self.settings = settings
        self._sampler.every = settings.sample_every

    # -- recording (on the loop) ---------------------------------------------------------------

    def run_started(self, row: RunStart, state: StateSource) -> None:
        if self._take(self._batch.start, row):
            self._open[row.run_id] = state

    def step(self, row: StepRow) -> None:
        self._take(self._batch.step, row)

    def run_finished(self, row: RunEnd, written: Written | None = None) -> None:
        self._open.pop(row.run_id, None)
        self._young.discard(row.run_id)
        if written is not None and self._writer is not None:
            self._batch.written.append(written)  # before the end: that may send the batch
        if not self._take(self._batch.end, row) and written is not None:
            written(StorageError("the traces journal is not running"))

    def count_not_run(self, rule_id: str, reason: str, time: float) -> Sample:
        """Count a non-run (every one is), and say whether to record it: in full, as one of a
        sample, or not at all. The recorder builds the row only when it is to be recorded."""
        stats = self.stats
        stats.not_runs += 1
        self._batch.count((rule_id, reason, int(time // 60)))
        sample = self._sampler.admit(
            rule_id, self.settings.retention.of(rule_id).not_run_rate, time
        )
        if sample is Sample.COUNTED:
            stats.counted_only += 1
            self._arm()
        return sample

    def not_run(self, row: NotRunRow) -> None:
        """Record a non-run that ``count_not_run`` counted and admitted."""
        self._take(self._batch.not_run, row)

    def _take(self, add: Callable[[R], None], row: R) -> bool:
        if self._writer is None:
            self.stats.dropped += 1
            return False
        add(row)
        self._added()
        return True

    def _added(self) -> None:
        size = len(self._batch)
        if size >= self.settings.batch and not self._writing:
            self._flush()
        elif size >= MAX_OPEN:
            self._drop(self._batch, "the traces journal is behind: these records were dropped")
            self._batch = Batch()
        else:
            self._arm()

    def _arm(self) -> None:
        if self._timer is None and self._loop is not None:
            self._timer = self._loop.call_later(self.settings.flush_interval, self._flush)

    def _flush(self, *, last: bool = False) -> None:
        """Hand the batch to the writer, with the state of the open runs it touched (with
        ``last``, of every open run it touched, young ones included); while the writer is
        busy with the last one, the batch grows instead, and goes once that one is written."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._writing:
            return
        batch, self._batch = self._batch, Batch()
        open_runs = self._open
        touched = self._young | batch.stepped
        self._young = {run_id for run_id in batch.started if run_id in open_runs}
        if last:
            touched |= self._young
            self._young = set()
        for run_id in touched - self._young:
            source = open_runs.get(run_id)
            if source is not None:
                try:
                    batch.state(run_id, source())
                except Exception:  # a defect of ours: the run's other rows still go
                    logger.exception("traces: the state of run %s cannot be read", run_id)
        if self._young:
            self._arm()  # their state goes with the next batch, ops or none
        if len(batch) or batch.states or batch.written:
            self._submit(batch)

    def _submit(self, batch: Batch) -> None:
        writer, loop = self._writer, self._loop
        if writer is None or loop is None:
            self._drop(batch, "the traces journal is not running")
            return
        stats = self.stats
        size = len(batch)
        stats.rows += size
        stats.batches += 1
        self._writing = True

        def done(error: BaseException | None) -> None:  # in the writer thread
            if error is not None:
                stats.failed += size
            _tell(batch.written, error)
            self._writing = False
            loop.call_soon_threadsafe(self._written)

        writer.submit(batch.write, done)

    def _written(self) -> None:
        """A batch is on disk: what gathered meanwhile goes now (under load, batches follow
        each other as fast as the disk takes them, growing with the load)."""
        batch = self._batch
        if self._writer is not None and (len(batch) or batch.written or self._young):
            self._flush()

    def _drop(self, batch: Batch, why: str) -> None:
        self.stats.dropped += len(batch)
        _tell(batch.written, StorageError(why))

    # -- flushing and retention ----------------------------------------------------------------

    async def flush(self) -> None:
        """Until everything recorded so far is written."""
        await self._drain(last=False)

    async def _drain(self, *, last: bool) -> None:
        while (writer := self._writer) is not None:
            self._flush(last=last)
            if not self._writing:
                return  # nothing was left to hand over
            await asyncio.wrap_future(writer.flush())

    async def sweep(self) -> Swept:
        """Apply the retention now (the engine's clock says when "now" is)."""
        writer = self._writer
        if writer is None:
            raise StorageError("the traces journal is not running")
        self._flush()
        retention, now = self.settings.retention, self._clock.time()
        result: Future[Swept] = Future()
        swept: list[Swept] = []

        def work(conn: sqlite3.Connection) -> None:
            swept.append(sweep(conn, retention, now))

        def done(error: BaseException | None) -> None:
            if result.done():
                return  # its waiter was cancelled (the journal stops)
            if error is None:
                result.set_result(swept[0])
            else:
                result.set_exception(error)

        writer.submit(work, done)
        return await asyncio.wrap_future(result)

    def _sweep_due(self) -> None:
        self._sweep_timer = self._clock.call_later(self.settings.sweep_every, self._sweep_due)
        if (self.sweeping is not None and not self.sweeping.done()) or self._writer is None:
            return  # the last one is still going: one at a time, however fast the clock
        task = asyncio.get_running_loop().create_task(self.sweep(), name="traces retention")
        self.sweeping = task
        task.add_done_callback(self._swept)

    def _swept(self, task: asyncio.Task[Swept]) -> None:
        if self.sweeping is task:
            self.sweeping = None
        if task.cancelled():
            return
        error = task.exception()
        if error is not None:
            logger.error("traces: retention failed: %s: %s", type(error).__name__, error)
        elif task.result().runs:
            logger.debug("traces: retention removed %d traces", task.result().runs)


def _tell(written: list[Written], error: BaseException | None) -> None:
    for callback in written:
        try:
            callback(error)
        except Exception:
            logger.exception("traces: a written callback failed")
