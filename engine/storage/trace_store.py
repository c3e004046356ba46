"""The run journal's read side: traces by rule, agent, lead, campaign, outcome and time.

A ``TraceStore`` opens ``traces.db`` read-only, so ``vicibus traces`` and the API read while
the daemon writes (WAL) and when it is not running. Each call is a few indexed queries,
blocking: the API runs them in a thread.
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any, Literal, get_args

from engine.storage.database import StorageError, check_version, open_reader
from engine.storage.trace_schema import (
    INTERRUPTED,
    MIGRATIONS,
    NOT_RUN,
    STEP_COLUMNS,
    TRACE_COLUMNS,
    TRACES_FILE,
)

RUNNING = "running"  # the outcome asked for to find runs that have not ended
# What a trace can be asked for by: how its run ended, a run not ended, a non-run.
Outcome = Literal["finished", "stopped", "error", "cancelled", "running", "not_run"]
OUTCOMES: tuple[str, ...] = get_args(Outcome)
MAX_LIMIT = 500
MAX_CHAIN = 20  # links followed back from a run to the event that began it all
_TRACE_ID = re.compile(r"[0-9a-f]{24}")


def parse_before(text: str, tz: tzinfo) -> str | float:
    """A page's ``before``: a trace id, epoch seconds, or an ISO 8601 time (in ``tz`` when it
    names no zone). ValueError says what is accepted."""
    text = text.strip()
    if is_trace_id(text):
        return text
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        if not math.isfinite(seconds):
            raise ValueError(f"before is a time, not {text!r}")
        return seconds
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"before is a trace id, epoch seconds or an ISO time (2026-03-02T09:00), not {text!r}"
        ) from None
    return (when if when.tzinfo else when.replace(tzinfo=tz)).timestamp()


class TraceNotFoundError(StorageError):
    def __init__(self, trace_id: str) -> None:
        super().__init__(f"no trace {trace_id!r} in the journal (ended and removed, or never)")
        self.trace_id = trace_id


def is_trace_id(text: str) -> bool:
    return _TRACE_ID.fullmatch(text) is not None


@dataclass(frozen=True, slots=True)
class TraceQuery:
    rule: str | None = None
    agent: str | None = None
    lead: str | None = None
    campaign: str | None = None
    outcome: str | None = None  # one of OUTCOMES
    limit: int = 20
    # The page before: a trace id (the last one of the previous page) or a time (epoch s).
    before: str | float | None = None

    def __post_init__(self) -> None:
        if self.outcome is not None and self.outcome not in OUTCOMES:
            raise ValueError(f"outcome is one of {', '.join(OUTCOMES)}, not {self.outcome!r}")
        if not 1 <= self.limit <= MAX_LIMIT:
            raise ValueError(f"limit is from 1 to {MAX_LIMIT}, not {self.limit}")
        if isinstance(self.before, str) and not is_trace_id(self.before):
            raise ValueError(f"before is a trace id (24 hex digits) or a time, not {self.before!r}")


@dataclass(frozen=True, slots=True)
class StepTrace:
    seq: int
    path: str
    kind: str
    alias: str | None
    service: str | None
    started: float
    ended: float | None
    outcome: str | None
    data: Any
    result: Any
    error: Any

    @property
    def depth(self) -> int:
        """How deep in the rule's blocks: 0 for ``actions/2``, 1 for ``actions/2/sequence/0``."""
        return max(0, (self.path.count("/") - 1) // 2)


@dataclass(frozen=True, slots=True)
class Trace:
    id: str
    rule_id: str
    trigger_id: str
    platform: str
    started: float
    ended: float | None
    outcome: str | None  # None while running; "not_run" for a non-run
    reason: str
    key: str | None  # the concurrency or cooldown key
    sampled: bool
    agent: str | None
    lead: str | None
    campaign: str | None
    event: dict[str, Any]  # type, context id, parent id, origin, user, time, ids
    context_id: str | None
    conditions: Any
    error: Any
    response: Any
    steps: tuple[StepTrace, ...] = ()
    state: Any = None  # the run's position and variables while open (or interrupted)
    chain: tuple[dict[str, Any], ...] = field(default=())  # back to the first event

    @property
    def kind(self) -> str:
        return "not_run" if self.outcome == NOT_RUN else "run"

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, as the API and ``vicibus traces --json`` show it: of the state, the
        position and the variables' names (their values may hold what is not for a screen)."""
        data = asdict(self)
        data["kind"] = self.kind
        data["outcome"] = self.outcome or RUNNING
        if isinstance(self.state, dict):
            shown = {k: v for k, v in self.state.items() if k != "variables"}
            shown["variables"] = sorted(self.state.get("variables") or ())
            data["state"] = shown
        return data


_COLUMNS = ", ".join(TRACE_COLUMNS)
# The event of a trace as it reads: its fields and their columns.
_EVENT = (
    ("type", "event_type"),
    ("context_id", "event_id"),
    ("parent_id", "event_parent_id"),
    ("origin", "event_origin"),
    ("user", "event_user"),
    ("time", "event_time"),
)


class TraceStore:
    def __init__(self, directory: Path) -> None:
        self.path = directory / TRACES_FILE
        self._conn = open_reader(self.path)
        try:
            check_version(self._conn, MIGRATIONS, TRACES_FILE)
        except BaseException:
            self._conn.close()
            raise

    def __repr__(self) -> str:
        return f"TraceStore({self.path})"

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> TraceStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading -------------------------------------------------------------------------------

    def traces(self, query: TraceQuery) -> list[Trace]:
        """Newest first, each with its steps."""
        where: list[str] = []
        params: list[Any] = []
        for column, value in (
            ("rule_id", query.rule),
            ("agent", query.agent),
            ("lead", query.lead),
            ("campaign", query.campaign),
        ):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        if query.outcome == RUNNING:
            where.append("outcome IS NULL")
        elif query.outcome is not None:
            where.append("outcome = ?")
            params.append(query.outcome)
        if isinstance(query.before, str):
            with self._reading():
                found = self._conn.execute(
                    "SELECT started FROM traces WHERE id = ?", (query.before,)
                ).fetchone()
            if found is None:
                raise TraceNotFoundError(query.before)
            where.append("(started < ? OR (started = ? AND id < ?))")
            params += [found[0], found[0], query.before]
        elif query.before is not None:
            where.append("started < ?")
            params.append(query.before)
        sql = f"SELECT {_COLUMNS} FROM traces"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY started DESC, id DESC LIMIT ?"
        with self._reading():
            rows = self._conn.execute(sql, [*params, query.limit]).fetchall()
            steps = self._steps([row[0] for row in rows])
        return [_trace(row, steps.get(row[0], ())) for row in rows]

    def rule_ids(self) -> list[str]:
        """Every rule the journal holds traces of, sorted."""
        with self._reading():
            rows = self._conn.execute("SELECT DISTINCT rule_id FROM traces ORDER BY 1").fetchall()
        return [row[0] for row in rows]

    def trace(self, trace_id: str) -> Trace:
        """One trace in full: its steps, its state while open, and the chain of events and
        runs back to the webhook, push, poll or schedule that began it."""
        with self._reading():
            row = self._conn.execute(
                f"SELECT {_COLUMNS} FROM traces WHERE id = ?", (trace_id,)
            ).fetchone()
            if row is None:
                raise TraceNotFoundError(trace_id)
            steps = self._steps([trace_id])
            found = _trace(row, steps.get(trace_id, ()), with_state=True)
            chain = self._chain(found)
        return replace(found, chain=chain)

    def interrupted(self) -> list[Trace]:
        """Runs an earlier daemon left in the middle, with the state each had: what a resume
        after a restart starts from."""
        with self._reading():
            rows = self._conn.execute(
                f"SELECT {_COLUMNS} FROM traces WHERE outcome = 'cancelled' AND reason = ?"
                " AND state IS NOT NULL ORDER BY started",
                (INTERRUPTED,),
            ).fetchall()
            steps = self._steps([row[0] for row in rows])
        return [_trace(row, steps.get(row[0], ()), with_state=True) for row in rows]

    def not_run_counts(
        self, rule: str | None = None, since: float | None = None
    ) -> dict[str, dict[str, int]]:
        """Every non-run counted, by rule and reason, from the minute of ``since`` on."""
        sql = "SELECT rule_id, reason, sum(count) FROM not_run_counts"
        where: list[str] = []
        params: list[Any] = []
        if rule is not None:
            where.append("rule_id = ?")
            params.append(rule)
        if since is not None:
            where.append("minute >= ?")
            params.append(int(since // 60))
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " GROUP BY rule_id, reason ORDER BY rule_id, reason"
        counts: dict[str, dict[str, int]] = {}
        with self._reading():
            for rule_id, reason, count in self._conn.execute(sql, params):
                counts.setdefault(rule_id, {})[reason] = count
        return counts

    # -- helpers -------------------------------------------------------------------------------

    @contextmanager
    def _reading(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise StorageError(f"cannot read {self.path}: {exc}") from exc

    def _steps(self, run_ids: Sequence[str]) -> dict[str, tuple[StepTrace, ...]]:
        if not run_ids:
            return {}
        marks = ",".join("?" * len(run_ids))
        found: dict[str, list[StepTrace]] = {}
        for (
            run_id,
            seq,
            path,
            kind,
            alias,
            service,
            started,
            ended,
            outcome,
            *values,
        ) in self._conn.execute(
            f"SELECT {', '.join(STEP_COLUMNS)} FROM steps WHERE run_id IN ({marks})"
            " ORDER BY run_id, seq",
            list(run_ids),
        ):
            data, result, error = map(_load, values)
            step = StepTrace(
                seq, path, kind, alias, service, started, ended, outcome, data, result, error
            )
            found.setdefault(run_id, []).append(step)
        return {run_id: tuple(steps) for run_id, steps in found.items()}

    def _chain(self, trace: Trace) -> tuple[dict[str, Any], ...]:
        links: list[dict[str, Any]] = []
        event = trace.event
        while len(links) < MAX_CHAIN:
            link = {k: event[k] for k in ("type", "context_id", "origin", "user")}
            links.append(link)
            if event["origin"] != "rule":
                break
            columns = ", ".join(column for _, column in _EVENT)
            cause = self._conn.execute(
                f"SELECT id, rule_id, {columns} FROM traces WHERE context_id = ?",
                (event["context_id"],),
            ).fetchone()
            if cause is None:
                break  # removed by retention, or an API call made by a rule's service
            link["run_id"], link["rule_id"] = cause[0], cause[1]
            event = dict(zip((name for name, _ in _EVENT), cause[2:], strict=True))
        return tuple(links)


def _load(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def _trace(row: Sequence[Any], steps: tuple[StepTrace, ...], *, with_state: bool = False) -> Trace:
    values = dict(zip(TRACE_COLUMNS, row, strict=True))
    event = {name: values.pop(column) for name, column in _EVENT}
    event["ids"] = _load(values.pop("event")) or {}
    for name in ("conditions", "error", "response"):
        values[name] = _load(values[name])
    state = values.pop("state")
    values["sampled"] = bool(values["sampled"])
    return Trace(**values, event=event, steps=steps, state=_load(state) if with_state else None)
