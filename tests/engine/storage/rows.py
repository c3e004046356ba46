"""Rows for the run journal, as the rules' recorder hands them over, with few words."""

from __future__ import annotations

from typing import Any

from engine.context import Context, Origin
from engine.ids import new_id
from engine.storage.trace_rows import EventRef, Keys, NotRunRow, RunEnd, RunStart, StepRow
from engine.storage.traces import TraceJournal

# Monday 2 March 2026, 08:00 UTC.
START = 1772438400.0


def event(
    *,
    event_type: str = "vicidial_pause_max",
    origin: str = "webhook",
    context: Context | None = None,
    parent_id: str | None = None,
    time: float = START,
    **ids: Any,
) -> EventRef:
    return EventRef(event_type, context or Context(Origin(origin), parent_id), time, ids)


def start(
    rule: str = "r",
    *,
    at: float = START,
    run_id: str | None = None,
    context: Context | None = None,
    cause: EventRef | None = None,
    agent: str | None = None,
    lead: str | None = None,
    campaign: str | None = None,
) -> RunStart:
    return RunStart(
        run_id or new_id(),
        rule,
        "0",
        "webhook",
        (context or Context(Origin.RULE)).id,
        at,
        cause or event(time=at, user=agent or "1001"),
        Keys(agent, lead, campaign),
        [{"path": "conditions/0", "kind": "template", "result": True, "detail": {}}],
    )


def step(run: RunStart, seq: int, *, at: float | None = None, **fields: Any) -> StepRow:
    began = run.started if at is None else at
    values: dict[str, Any] = {
        "path": f"actions/{seq}",
        "kind": "action",
        "alias": None,
        "service": "notify.log",
        "started": began,
        "ended": began + 0.25,
        "outcome": "ok",
        "data": {"message": f"step {seq}"},
        "result": {"logged": True},
        "error": None,
    }
    values.update(fields)
    return StepRow(run.run_id, seq, **values)


def end(run: RunStart, outcome: str = "finished", *, after: float = 0.5, **fields: Any) -> RunEnd:
    return RunEnd(run.run_id, run.started + after, outcome, fields.pop("reason", ""), **fields)


def not_run(
    rule: str = "r",
    *,
    at: float = START,
    reason: str = "conditions",
    sampled: bool = False,
    **keys: Any,
) -> NotRunRow:
    return NotRunRow(
        new_id(),
        rule,
        "0",
        "webhook",
        at,
        reason,
        event(time=at, user=keys.get("agent") or "1001"),
        Keys(**keys),
        [{"path": "conditions/0", "kind": "template", "result": False, "detail": {}}],
        sampled=sampled,
    )


def record(journal: TraceJournal, run: RunStart, *rows: StepRow | RunEnd) -> RunStart:
    """A run as it happens: its start (with a fixed state), its steps and its end."""
    journal.run_started(run, lambda: {"run_id": run.run_id, "frames": []})
    for row in rows:
        if isinstance(row, StepRow):
            journal.step(row)
        else:
            journal.run_finished(row)
    return run
