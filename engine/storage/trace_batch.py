"""A batch of the run journal: rows made SQL parameters as they come, written as one.

Rows become parameters on the loop, their values encoded there with pydantic-core's JSON
encoder (five to ten times ``json``'s on a step's data, dataclasses and enums included): the
batch then holds text and numbers only, which the garbage collector has no need to walk, and
nothing the loop may still change. A run that starts and ends within one batch (most do) is one
insert with its outcome, not an insert and an update.

The writer thread runs few statements per batch, each over many rows: Python's sqlite3 lets go
of the GIL around every statement, and a thread that wants the GIL back from a busy loop waits
for its switch interval (5 ms) each time, so a statement per row would cap the writer at a few
hundred rows a second under load (bench/traces_bench).
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Sequence
from itertools import chain
from typing import Any

from pydantic_core import PydanticSerializationError, to_json

from engine.jsonable import to_jsonable
from engine.storage.database import migrate
from engine.storage.trace_rows import EventRef, NotRunRow, RunEnd, RunStart, StepRow, Written
from engine.storage.trace_schema import (
    INTERRUPTED,
    MIGRATIONS,
    NOT_RUN,
    STEP_COLUMNS,
    TRACE_COLUMNS,
    TRACES_FILE,
)

logger = logging.getLogger("vicibus.storage")

# Bound parameters per statement: SQLite takes up to 32,766.
MAX_PARAMETERS = 32_000

_ENDED = TRACE_COLUMNS.index("ended")
_ERROR = TRACE_COLUMNS.index("error")
# The end of a run that started in an earlier batch: id, ended, outcome, reason, error,
# response.
_END = (
    "UPDATE traces SET ended = e.column2, outcome = e.column3, reason = e.column4,"
    " error = e.column5, response = e.column6, state = NULL"
    " FROM (VALUES {rows}) AS e WHERE traces.id = e.column1"
)
_STATE = (
    "UPDATE traces SET state = e.column2 FROM (VALUES {rows}) AS e"
    " WHERE traces.id = e.column1 AND traces.outcome IS NULL"
)
_COUNT = (
    "INSERT INTO not_run_counts (rule_id, reason, minute, count) VALUES {rows}"
    " ON CONFLICT (rule_id, reason, minute) DO UPDATE SET count = count + excluded.count"
)
_INSERT = "INSERT INTO {table} ({columns}) VALUES {rows}"

CountKey = tuple[str, str, int]  # rule, reason, minute


def encode(value: Any) -> str | None:
    if value is None:
        return None
    try:
        return to_json(value, fallback=to_jsonable).decode()
    except PydanticSerializationError as exc:  # a value of ours no encoder takes: say so
        return to_json({"unencodable": type(value).__name__, "error": str(exc)}).decode()


def _event(event: EventRef) -> tuple[Any, ...]:
    """The triggering event's columns, from ``event_type`` to ``event``."""
    context = event.context
    return (
        event.type,
        context.id,
        context.parent_id,
        context.origin,
        context.user,
        event.time,
        encode(event.ids or None),
    )


def setup(conn: sqlite3.Connection) -> None:
    """The schema, and the runs an earlier process left open marked as interrupted."""
    migrate(conn, MIGRATIONS, TRACES_FILE)
    conn.execute(
        "UPDATE traces SET outcome = 'cancelled', reason = ? WHERE outcome IS NULL",
        (INTERRUPTED,),
    )


class Batch:
    __slots__ = (
        "counts",
        "ends",
        "records",
        "rows",
        "started",
        "states",
        "stepped",
        "steps",
        "written",
    )

    def __init__(self) -> None:
        self.rows: list[list[Any]] = []  # of traces: runs and non-runs
        self.started: dict[str, list[Any]] = {}  # run id: its row, for runs begun in it
        self.steps: list[tuple[Any, ...]] = []
        self.stepped: set[str] = set()  # runs with a step in it
        self.ends: list[tuple[Any, ...]] = []  # of runs begun in an earlier batch
        self.states: list[tuple[str, str | None]] = []
        self.counts: dict[CountKey, int] = {}
        self.written: list[Written] = []
        self.records = 0  # handed to it, counts included

    def __len__(self) -> int:
        return self.records

    def __repr__(self) -> str:
        return f"<Batch of {len(self)} rows>"

    # -- on the loop ---------------------------------------------------------------------------

    def start(self, row: RunStart) -> None:
        values = [
            row.run_id,
            row.rule_id,
            row.trigger_id,
            row.platform,
            *_event(row.event),
            row.context_id,
            row.started,
            None,
            None,
            "",
            row.key,
            0,
            encode(row.conditions),
            None,
            None,
            *row.keys,
            None,
        ]
        self.rows.append(values)
        self.started[row.run_id] = values
        self.records += 1

    def step(self, row: StepRow) -> None:
        self.steps.append((*row[:9], encode(row.data), encode(row.result), encode(row.error)))
        self.stepped.add(row.run_id)
        self.records += 1

    def end(self, row: RunEnd) -> None:
        self.records += 1
        values = self.started.get(row.run_id)
        error, response = encode(row.error), encode(row.response)
        if values is None:
            self.ends.append((row.run_id, row.ended, row.outcome, row.reason, error, response))
        else:
            values[_ENDED : _ENDED + 3] = row.ended, row.outcome, row.reason
            values[_ERROR : _ERROR + 2] = error, response

    def not_run(self, row: NotRunRow) -> None:
        self.records += 1
        self.rows.append(
            [
                row.id,
                row.rule_id,
                row.trigger_id,
                row.platform,
                *_event(row.event),
                None,
                row.time,
                row.time,
                NOT_RUN,
                row.reason,
                row.key,
                int(row.sampled),
                encode(row.conditions),
                None,
                None,
                *row.keys,
                None,
            ]
        )

    def state(self, run_id: str, state: Any) -> None:
        self.states.append((run_id, encode(state)))

    def count(self, key: CountKey) -> None:
        self.counts[key] = self.counts.get(key, 0) + 1
        self.records += 1

    # -- in the writer thread ------------------------------------------------------------------

    def write(self, conn: sqlite3.Connection) -> None:
        # Starts before their steps and ends: a run's rows may all be in this one batch.
        _many(conn, _INSERT, self.rows, table="traces", columns=TRACE_COLUMNS)
        _many(conn, _INSERT, self.steps, table="steps", columns=STEP_COLUMNS)
        _many(conn, _END, self.ends)
        _many(conn, _STATE, self.states)
        _many(conn, _COUNT, [(*key, n) for key, n in self.counts.items()])


def _many(
    conn: sqlite3.Connection,
    sql: str,
    rows: Sequence[Sequence[Any]],
    *,
    table: str = "",
    columns: Sequence[str] = (),
) -> None:
    """One statement per up to MAX_PARAMETERS values: ``{rows}`` stands for the rows' values."""
    if not rows:
        return
    width = len(rows[0])
    one = "(" + ", ".join("?" * width) + ")"
    size = max(1, MAX_PARAMETERS // width)
    names = ", ".join(columns)
    for first in range(0, len(rows), size):
        chunk = rows[first : first + size]
        text = sql.format(table=table, columns=names, rows=", ".join([one] * len(chunk)))
        try:
            conn.execute(text, list(chain.from_iterable(chunk)))
        except sqlite3.IntegrityError as exc:
            # A defect of ours (a duplicate id): the other rows go in all the same, one by
            # one, rather than the batch being lost.
            logger.error("traces: a row was refused (%s); the rest of its batch goes in", exc)
            for row in chunk:
                with contextlib.suppress(sqlite3.IntegrityError):
                    conn.execute(sql.format(table=table, columns=names, rows=one), row)
