"""The rules' records written to the run journal, and one console line per finished run.

``JournalRecorder`` is the ``RunRecorder`` the daemon gives the rule engine: each record
becomes a plain row of ``engine.storage`` as it happens (a run's start, each step as it ends,
the run's end, a non-run). What goes on the loop is small: the row's fields and, for the
triggering event, only the ids in its data (``event_ids``), never names, phone numbers or
texts. The run's full state (variables included) is read by the journal when it writes, only
while the run is open. Rows are looked up by agent, lead and campaign, taken from the event's
ids and, where it has none, from the run's variables of those names as it starts (the trigger's
and the rule's ``variables``).

Once the journal has committed a run's end, the run's line goes to the ``rules.runs`` logger at
info level: rule, run id, outcome, duration and each step's service (or kind) with its outcome.
Seeing the line means the run is on disk.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Mapping
from functools import lru_cache, partial
from typing import Any

from pydantic import BaseModel

from engine.context import Context
from engine.events import Event
from engine.ids import new_id
from engine.states import StateChange
from engine.storage.sampling import Sample
from engine.storage.trace_rows import EventRef, Keys, NotRunRow, RunEnd, RunStart, StepRow
from engine.storage.traces import TraceJournal
from rules.records import NonRunRecord, Outcome, RunRecord, StepRecord

logger = logging.getLogger("rules.runs")

# Fields of event data that say which call, lead, agent or campaign, never who or what was
# said: the only ones a trace keeps of the event (its variables while open aside).
ID_FIELDS = frozenset(
    {
        "kind",
        "event",
        "user",
        "agent_user",
        "lead_id",
        "list_id",
        "campaign",
        "campaign_id",
        "group",
        "user_group",
        "uniqueid",
        "call_id",
        "closecallid",
        "agent_log_id",
        "did_id",
        "status",
        "dispo",
        "pause_code",
        "sub_status",
        "term_reason",
        "entity_id",
        "rule_id",
        "run_id",
        "outcome",
    }
)
# Where a trace's keys come from, first names first: the event's ids, then the run's
# variables (agent, lead, campaign).
_ORDER = ("agent_user", "user", "agent", "lead_id", "lead", "campaign", "campaign_id")
_ROLE = {name: 0 if name in _ORDER[:3] else 1 if name in _ORDER[3:5] else 2 for name in _ORDER}
_RANK = {name: rank for rank, name in enumerate(_ORDER)}
_KEY_NAMES = frozenset(_ORDER)
_ENTITY_ROLE = {"agent": 0, "campaign": 2}
_SCALAR = (str, int, float)
_KEY_TYPES = frozenset(_SCALAR)
MAX_ERROR_TEXT = 120  # of an error's message on the console line


class JournalRecorder:
    """A ``RunRecorder`` writing to a ``TraceJournal``."""

    def __init__(self, journal: TraceJournal) -> None:
        self.journal = journal

    def __repr__(self) -> str:
        return f"JournalRecorder({self.journal!r})"

    def run_started(self, run: RunRecord) -> None:
        ids = event_ids(run.event)
        self.journal.run_started(
            RunStart(
                run.run_id,
                run.rule_id,
                run.trigger_id,
                run.platform,
                run.context.id,
                run.started,
                event_ref(run.event_type, run.event_context, run.event, ids),
                keys_of(ids, run.state.variables),
                list(run.conditions) or None,
                run.key,
            ),
            run.state.to_dict,
        )

    def step_finished(self, run: RunRecord, step: StepRecord) -> None:
        self.journal.step(
            StepRow(
                run.run_id,
                _seq(run.steps, step),
                step.path,
                step.kind,
                step.alias,
                step.service,
                step.started,
                step.ended,
                step.outcome,  # a StrEnum: text to SQLite as it is
                step.data,
                step.result,
                step.error,
            )
        )

    def run_finished(self, run: RunRecord) -> None:
        outcome = run.outcome or Outcome.FINISHED
        self.journal.run_finished(
            RunEnd(
                run.run_id,
                run.ended if run.ended is not None else run.started,
                outcome.value,
                run.reason,
                run.error,
                run.response,
            ),
            # The line is made now: holding the record until the write would keep its whole
            # graph (state, views, steps) alive past the collector's youngest generation.
            partial(
                _written,
                run_line(run) if logger.isEnabledFor(logging.INFO) else None,
                f"{run.rule_id} run {run.run_id}",
                run.context.id,
            ),
        )

    def not_run(self, record: NonRunRecord) -> None:
        reason = record.reason.value
        sample = self.journal.count_not_run(record.rule_id, reason, record.time)
        if sample is Sample.COUNTED:
            return
        ids = event_ids(record.event)
        self.journal.not_run(
            NotRunRow(
                new_id(),
                record.rule_id,
                record.trigger_id,
                record.platform,
                record.time,
                reason,
                event_ref(record.event_type, record.event_context, record.event, ids),
                keys_of(ids, None),
                list(record.conditions) or None,
                sampled=sample is Sample.SAMPLED,
                key=record.key,
            )
        )


def _seq(steps: list[StepRecord], step: StepRecord) -> int:
    """The step's place among the run's: the runner appends it before telling."""
    for index in range(len(steps) - 1, -1, -1):
        if steps[index] is step:
            return index
    return len(steps)


# -- the triggering event --------------------------------------------------------------------


def event_ref(
    event_type: str, context: Context, event: Event[Any] | None, ids: Mapping[str, Any]
) -> EventRef:
    return EventRef(event_type, context, event.time_fired if event is not None else 0.0, ids)


def event_ids(event: Event[Any] | None) -> dict[str, Any]:
    """The ids and codes in an event's data (``ID_FIELDS``); for a state change, the entity,
    its states before and after, and the ids among its new attributes."""
    if event is None:
        return {}
    data = event.data
    if isinstance(data, StateChange):
        found: dict[str, Any] = {"entity_id": data.entity_id}
        if data.old_state is not None:
            found["from"] = data.old_state.state
        if data.new_state is not None:
            found["to"] = data.new_state.state
            found.update(_picked(data.new_state.attributes, ID_FIELDS))
        return found
    if isinstance(data, BaseModel):
        return {
            name: value
            for name in _model_ids(type(data))
            if _kept(value := getattr(data, name, None))
        }
    if isinstance(data, Mapping):
        return _picked(data, ID_FIELDS)
    if dataclasses.is_dataclass(data) and not isinstance(data, type):
        return {
            f.name: value
            for f in dataclasses.fields(data)
            if f.name in ID_FIELDS and _kept(value := getattr(data, f.name))
        }
    return {}


@lru_cache(maxsize=256)
def _model_ids(model: type[BaseModel]) -> tuple[str, ...]:
    return tuple(name for name in model.model_fields if name in ID_FIELDS)


def _kept(value: Any) -> bool:
    return isinstance(value, _SCALAR) and not isinstance(value, bool) and value != ""


def _picked(data: Mapping[Any, Any], names: frozenset[str]) -> dict[str, Any]:
    return {name: value for name in names.intersection(data) if _kept(value := data[name])}


def keys_of(ids: Mapping[str, Any], variables: Mapping[str, Any] | None) -> Keys:
    """Agent, lead and campaign: from the event's ids, else the run's variables so named."""
    keys: list[str | None] = [None, None, None]
    entity = ids.get("entity_id")
    if isinstance(entity, str):
        domain, _, object_id = entity.partition(".")
        if domain in _ENTITY_ROLE:
            keys[_ENTITY_ROLE[domain]] = object_id
    for found in (ids, variables):
        if found is None:
            continue
        # Most mappings hold one of the names or none: a set operation says which.
        hits = _KEY_NAMES.intersection(found)
        for name in sorted(hits, key=_RANK.__getitem__) if len(hits) > 1 else hits:
            role = _ROLE[name]
            value = found[name]
            # 0 is ViciDial's "no lead"; a yes/no is no key (bool is not among the types).
            if keys[role] is None and type(value) in _KEY_TYPES and value != 0 and value != "":
                keys[role] = str(value)
    return Keys(*keys)


# -- the console line ------------------------------------------------------------------------


def _written(line: str | None, which: str, context_id: str, error: BaseException | None) -> None:
    """The run's console line, once the journal has it (or could not take it)."""
    extra = {"context": context_id}
    if error is not None:
        logger.warning("%s (not in the journal: %s)", line or which, error, extra=extra)
    elif line is not None:
        logger.info("%s", line, extra=extra)


def run_line(run: RunRecord) -> str:
    """``pause_max_break run 01a2…: finished in 12 ms: vicidial.agent.pause_code ok 8 ms``"""
    outcome = (run.outcome or Outcome.FINISHED).value
    took = duration((run.ended if run.ended is not None else run.started) - run.started)
    head = f"{run.rule_id} run {run.run_id}: {outcome} in {took}"
    if run.reason:
        # A stop's response is what the run answered (a DID filter's match): say it here.
        answer = f" {json.dumps(run.response, default=str)}" if run.response is not None else ""
        head += f" ({run.reason}{_short(answer)})"
    if run.error is not None:
        head += f" [{_short(str(run.error))}]"
    steps = ", ".join(_step_text(step) for step in run.steps)
    return f"{head}: {steps}" if steps else f"{head}: no steps"


def _step_text(step: StepRecord) -> str:
    text = f"{step.service or step.kind} {step.outcome.value if step.outcome else 'running'}"
    if step.error is not None:
        text += f" {step.error.type}"
    if step.ended is not None:
        text += f" {duration(step.ended - step.started)}"
    return text


def duration(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 100:
        return f"{seconds:.1f} s"
    return f"{seconds:.0f} s"


def _short(text: str) -> str:
    return text if len(text) <= MAX_ERROR_TEXT else text[: MAX_ERROR_TEXT - 1] + "…"
