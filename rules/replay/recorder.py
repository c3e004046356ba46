"""The rules' part of the recording: each service call a run made, and the time events that
started runs (they start a run directly, never through the bus the recording listens to).

``CallRecorder`` is a ``RunRecorder``; the daemon gives the rule engine both it and the run
journal's through ``Recorders``.
"""

from __future__ import annotations

from typing import Any, Protocol

from engine.context import Origin
from engine.events import Event
from engine.storage.record_lines import CALL
from rules.records import NonRunRecord, RunRecord, RunRecorder, StepOutcome, StepRecord
from rules.replay.keys import key_of

# A dry-run step did not call its service, a skipped one did nothing: neither is answered.
_CALLED = frozenset({StepOutcome.OK, StepOutcome.ERROR})


class Sink(Protocol):
    def __call__(self, event: Event[Any], /) -> None: ...

    def call(self, line: dict[str, Any], /) -> None: ...


class CallRecorder:
    def __init__(self, sink: Sink) -> None:
        self._sink = sink

    def __repr__(self) -> str:
        return f"CallRecorder({self._sink!r})"

    def run_started(self, run: RunRecord) -> None:
        event = run.event
        if event is not None and event.context.origin is Origin.SCHEDULE:
            self._sink(event)

    def step_finished(self, run: RunRecord, step: StepRecord) -> None:
        if step.service is None or step.outcome not in _CALLED:
            return
        error = step.error
        self._sink.call(
            {
                "record": CALL,
                "time": step.ended if step.ended is not None else step.started,
                "rule_id": run.rule_id,
                "run_id": run.run_id,
                "event_id": run.event_context.id,
                "event_type": run.event_type,
                "event": key_of(run.event_type, run.event_context, run.event),
                "path": step.path,
                "service": step.service,
                "data": step.data,
                "outcome": step.outcome.value if step.outcome else None,
                "result": step.result,
                "error": None
                if error is None
                else {"type": error.type, "message": error.message, "fields": error.fields},
            }
        )

    def run_finished(self, run: RunRecord) -> None:
        pass

    def not_run(self, record: NonRunRecord) -> None:
        pass


class Recorders:
    """Several ``RunRecorder`` s as one, each told in turn."""

    def __init__(self, *recorders: RunRecorder) -> None:
        self.recorders = recorders

    def __repr__(self) -> str:
        return f"Recorders{self.recorders!r}"

    def run_started(self, run: RunRecord) -> None:
        for recorder in self.recorders:
            recorder.run_started(run)

    def step_finished(self, run: RunRecord, step: StepRecord) -> None:
        for recorder in self.recorders:
            recorder.step_finished(run, step)

    def run_finished(self, run: RunRecord) -> None:
        for recorder in self.recorders:
            recorder.run_finished(run)

    def not_run(self, record: NonRunRecord) -> None:
        for recorder in self.recorders:
            recorder.not_run(record)
