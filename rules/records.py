"""What a run leaves behind: its step records, its outcome, and the non-runs.

A ``RunRecord`` grows while the run goes (each condition with what it compared, each step with
its rendered data — secrets masked — and its result or typed error, and timings) and ends with
an outcome. A ``NonRunRecord`` says why a matching trigger started no run (its conditions, a
cooldown, or the rule's mode). Both are handed to a ``RunRecorder`` as they happen: the traces
journal writes them down, tests read them from ``MemoryRecorder``. Records hold plain data only.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any, Protocol

from engine.catalog import Catalog, EventSpec
from engine.context import Context
from engine.errors import ServiceValidationError
from engine.events import RULE_FINISHED, RULE_TRIGGERED, Event
from engine.jsonable import to_jsonable
from rules.masking import scrub
from rules.run_state import RunState


class Outcome(StrEnum):
    FINISHED = "finished"  # every step ran (or a condition step ended it early)
    STOPPED = "stopped"  # a stop step ended it
    ERROR = "error"
    CANCELLED = "cancelled"  # by the mode (restart), a reload, or the shutdown


class StepOutcome(StrEnum):
    OK = "ok"
    ERROR = "error"
    SKIPPED = "skipped"  # enabled: false
    FALSE = "false"  # a condition step that did not hold: the run ends
    STOPPED = "stopped"
    DRY_RUN = "dry_run"  # a service a dry-run rule did not call
    CANCELLED = "cancelled"
    TIMEOUT = "timeout"  # a wait whose timeout came first


@dataclass(frozen=True, slots=True)
class ErrorInfo:
    type: str
    message: str
    # Per field, for a service's parameter errors: [(field, problem)].
    fields: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, exc: BaseException, secrets: list[str] | None = None) -> ErrorInfo:
        message = scrub(str(exc), secrets or [])
        fields: tuple[tuple[str, str], ...] = ()
        if isinstance(exc, ServiceValidationError):
            fields = tuple((p.field, p.message) for p in exc.problems)
        return cls(type(exc).__name__, message, fields)

    def __str__(self) -> str:
        return f"{self.type}: {self.message}"


@dataclass(slots=True)
class ConditionRecord:
    path: str
    kind: str
    result: bool
    detail: Mapping[str, Any] = field(default_factory=dict)  # what was compared


@dataclass(slots=True)
class StepRecord:
    path: str  # "actions/2", "actions/3/sequence/0"
    kind: str
    alias: str | None
    started: float
    ended: float | None = None
    outcome: StepOutcome | None = None
    data: Any = None  # rendered, masked
    result: Any = None  # plain data
    error: ErrorInfo | None = None
    service: str | None = None  # the service an action step called (or would have: dry run)


@dataclass(slots=True)
class RunRecord:
    run_id: str
    rule_id: str
    trigger_id: str
    platform: str
    event_type: str
    event_context: Context  # the triggering event's
    context: Context  # the run's own: a child of the event's
    started: float
    state: RunState
    conditions: list[ConditionRecord] = field(default_factory=list)
    steps: list[StepRecord] = field(default_factory=list)
    ended: float | None = None
    outcome: Outcome | None = None
    reason: str = ""
    error: ErrorInfo | None = None
    response: Any = None
    key: str | None = None  # the concurrency key the run counted under (per-key modes)
    queued: float | None = None  # when it was queued to wait for its turn (mode queued)
    # The triggering event itself, for the journal's summary of it (ids only); not as_dict's.
    event: Event[Any] | None = field(default=None, repr=False)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: the state as the journal stores it, the rest as plain data."""
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in _APART}
        plain_data: dict[str, Any] = to_jsonable(data)
        plain_data["state"] = self.state.to_dict()
        plain_data["event_context"] = self.event_context.as_dict()
        plain_data["context"] = self.context.as_dict()
        return plain_data


_APART = frozenset({"state", "event_context", "context", "event"})


class NotRunReason(StrEnum):
    CONDITIONS = "conditions"  # a condition did not hold
    COOLDOWN = "cooldown"  # a run with the same cooldown key started less than ``for`` ago
    SINGLE = "single"  # mode single: a run (of the same key) was going
    MAX = "max"  # mode queued or parallel: max runs (of the same key) were going or waiting


@dataclass(slots=True)
class NonRunRecord:
    rule_id: str
    trigger_id: str
    platform: str
    event_type: str
    event_context: Context
    time: float
    reason: NotRunReason
    conditions: list[ConditionRecord] = field(default_factory=list)
    key: str | None = None  # the concurrency or cooldown key it was kept from running under
    event: Event[Any] | None = field(default=None, repr=False)


# Not frozen: one of each is made per run, and a frozen dataclass costs more to build.
@dataclass(slots=True)
class RuleTriggered:
    """The data of ``rule_triggered``: a run started."""

    rule_id: str
    run_id: str
    trigger_id: str
    alias: str | None


@dataclass(slots=True)
class RuleFinished:
    """The data of ``rule_finished``: how a run ended."""

    rule_id: str
    run_id: str
    trigger_id: str
    outcome: str
    reason: str
    error: str | None
    response: Any


def declare_run_events(catalog: Catalog) -> None:
    """The fields of ``rule_triggered`` and ``rule_finished`` (rules may trigger on them)."""
    for event_type, cls, meaning in (
        (RULE_TRIGGERED, RuleTriggered, "a rule run started"),
        (RULE_FINISHED, RuleFinished, "a rule run ended"),
    ):
        catalog.add_event(EventSpec(event_type, meaning, frozenset(f.name for f in fields(cls))))


class RunRecorder(Protocol):
    """Where records go as they happen (the traces journal, a test's memory)."""

    def run_started(self, run: RunRecord) -> None: ...

    def step_finished(self, run: RunRecord, step: StepRecord) -> None: ...

    def run_finished(self, run: RunRecord) -> None: ...

    def not_run(self, record: NonRunRecord) -> None: ...


class MemoryRecorder:
    """The last ``keep`` runs and non-runs of each rule, in memory."""

    def __init__(self, keep: int = 50) -> None:
        self._keep = keep
        self._runs: dict[str, deque[RunRecord]] = {}
        self._not_run: dict[str, deque[NonRunRecord]] = {}

    def __repr__(self) -> str:
        return f"MemoryRecorder({sum(map(len, self._runs.values()))} runs)"

    def run_started(self, run: RunRecord) -> None:
        self._runs.setdefault(run.rule_id, deque(maxlen=self._keep)).append(run)

    def step_finished(self, run: RunRecord, step: StepRecord) -> None:
        pass  # the record holds its steps already

    def run_finished(self, run: RunRecord) -> None:
        pass

    def not_run(self, record: NonRunRecord) -> None:
        self._not_run.setdefault(record.rule_id, deque(maxlen=self._keep)).append(record)

    def runs(self, rule_id: str) -> list[RunRecord]:
        return list(self._runs.get(rule_id, ()))

    def not_runs(self, rule_id: str) -> list[NonRunRecord]:
        return list(self._not_run.get(rule_id, ()))

    def last(self, rule_id: str) -> RunRecord | None:
        runs = self._runs.get(rule_id)
        return runs[-1] if runs else None
