"""One rule run: an asyncio task walking the rule's program as a step machine.

The run's position (a stack of frames into the program's blocks) and its variables live in a
``RunState``, plain data, updated as each step ends, so the journal can store it and a later
version can resume the run from it. Each step leaves a ``StepRecord`` with its rendered data
(secrets masked) and its result or typed error; the run ends with an outcome and fires
``rule_finished``. Its Context is a child of the triggering event's, and every service call and
event it makes carries it, so their effects trace back to the webhook, push or poll.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from engine.context import Context
from engine.events import RULE_TRIGGERED, Event
from rules.conditions import Check
from rules.errors import RuleError, RunStoppedError
from rules.masking import mask, secret_fields
from rules.records import ErrorInfo, Outcome, RunRecord, StepOutcome, StepRecord
from rules.run_state import Frame, RunState
from rules.steps import End, Push, Step
from rules.template_functions import Scope
from rules.template_views import plain

if TYPE_CHECKING:
    from rules.runtime import RuleRuntime


class Run:
    """A run of one rule (see the module docstring); its task starts with ``start``."""

    def __init__(
        self,
        runtime: RuleRuntime,
        record: RunRecord,
        variables: dict[str, Any],
        event: Event[Any],
    ) -> None:
        self.runtime = runtime
        self.record = record
        self.state: RunState = record.state
        self.variables = variables
        self.context: Context = record.context
        self.event = event
        self.response: Any = None
        self.task: asyncio.Task[None] | None = None
        self.cancel_reason: str | None = None
        self.done: asyncio.Future[RunRecord] = asyncio.get_running_loop().create_future()
        # Parked: waiting on the engine clock (a delay), so it moves only when time does.
        self.parked = False
        self._moved: asyncio.Future[None] | None = None
        # The secret values of the step running now (never recorded): to scrub its error.
        self._secrets: list[str] = []

    def __repr__(self) -> str:
        return f"<Run {self.record.rule_id} {self.record.run_id}>"

    @property
    def id(self) -> str:
        return self.record.run_id

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self) -> None:
        self.task = asyncio.get_running_loop().create_task(
            self._execute(), name=f"rule {self.record.rule_id} run {self.id}"
        )

    def cancel(self, reason: str) -> None:
        """End the run as cancelled with ``reason`` (restart, rule_changed, rule_removed,
        shutdown); a run not yet started ends at once."""
        if self.cancel_reason is None:
            self.cancel_reason = reason
        if self.task is None:
            self._end(Outcome.CANCELLED, reason)
        elif not self.task.done():
            self.task.cancel()

    async def moved(self) -> None:
        """Wait until the run parks on the clock or ends (``RuleEngine.settle``)."""
        if self.parked or self.done.done():
            return
        if self._moved is None or self._moved.done():
            self._moved = asyncio.get_running_loop().create_future()
        waiters: list[asyncio.Future[Any]] = [self._moved, self.done]
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)

    def _signal(self) -> None:
        if self._moved is not None and not self._moved.done():
            self._moved.set_result(None)

    async def _execute(self) -> None:
        runtime = self.runtime
        runtime.fire_engine_event(RULE_TRIGGERED, runtime.triggered_data(self), self.context)
        outcome, reason = Outcome.FINISHED, ""
        try:
            outcome, reason = await self._steps()
        except asyncio.CancelledError:
            outcome, reason = Outcome.CANCELLED, self.cancel_reason or "cancelled"
        except RunStoppedError as exc:
            outcome, reason = Outcome.ERROR, "stopped with an error"
            self.record.error = ErrorInfo.of(exc)
        except Exception as exc:
            outcome, reason = Outcome.ERROR, "a step failed"
            if self.record.error is None:
                self.record.error = ErrorInfo.of(exc)
        self._end(outcome, reason)

    def _end(self, outcome: Outcome, reason: str) -> None:
        record = self.record
        record.ended = self.runtime.clock.time()
        record.outcome = outcome
        record.reason = reason
        record.response = self.response
        self.parked = False
        self.runtime.run_ended(self)
        if not self.done.done():
            self.done.set_result(record)
        self._signal()

    # -- the step machine ----------------------------------------------------------------------

    async def _steps(self) -> tuple[Outcome, str]:
        state = self.state
        program = self.runtime.rule.program
        frames = state.frames
        while frames:
            frame = frames[-1]
            block = program.blocks[frame.block]
            if frame.index >= len(block):
                frames.pop()
                continue
            step = block[frame.index]
            state.current = step.path
            if not step.enabled:
                self._record(step, StepOutcome.SKIPPED)
                frame.index += 1
                continue
            record = StepRecord(step.path, step.kind, step.alias, self.runtime.clock.time())
            self._secrets = []
            try:
                flow = await step.run(self, record)
            except asyncio.CancelledError:
                self._finish_step(record, StepOutcome.CANCELLED)
                raise
            except Exception as exc:
                self._failed(record, exc)
                if not self._recover(step, exc):
                    raise
                continue
            frame.index += 1
            if isinstance(flow, Push):
                frames.append(Frame(flow.block, 0, step.path))
                self._finish_step(record, StepOutcome.OK)
            elif isinstance(flow, End):
                self._finish_step(record, flow.outcome)
                outcome = (
                    Outcome.STOPPED if flow.outcome is StepOutcome.STOPPED else Outcome.FINISHED
                )
                return outcome, flow.reason
            else:
                if record.outcome is None:
                    record.outcome = StepOutcome.OK
                self._finish_step(record, record.outcome)
        state.current = None
        return Outcome.FINISHED, ""

    def _recover(self, step: Step, exc: Exception) -> bool:
        """After a step error: go on past the innermost step that has continue_on_error (the
        failed step or a sequence around it); False when none has, and the run fails."""
        if isinstance(exc, RuleError):
            return False  # a template or value of the rule itself: no step can go on
        frames = self.state.frames
        if step.continue_on_error:
            frames[-1].index += 1
            return True
        program = self.runtime.rule.program
        while len(frames) > 1:
            owner = frames.pop().owner
            if owner is not None and program.steps[owner].continue_on_error:
                return True  # the owner's frame already points past it
        return False

    def _failed(self, record: StepRecord, exc: Exception) -> None:
        record.error = ErrorInfo.of(exc, self._secrets)
        self.record.error = record.error
        self._finish_step(record, StepOutcome.ERROR)

    def _record(self, step: Step, outcome: StepOutcome) -> None:
        now = self.runtime.clock.time()
        record = StepRecord(step.path, step.kind, step.alias, now, now, outcome)
        self.record.steps.append(record)
        self.runtime.recorder.step_finished(self.record, record)

    def _finish_step(self, record: StepRecord, outcome: StepOutcome) -> None:
        record.outcome = outcome
        record.ended = self.runtime.clock.time()
        self.record.steps.append(record)
        self.runtime.recorder.step_finished(self.record, record)

    # -- what steps use (StepHost) -------------------------------------------------------------

    def scope(self) -> Scope:
        runtime = self.runtime
        return Scope(runtime.states, runtime.clock.time(), runtime.clock)

    def check(self) -> Check:
        scope = self.scope()
        trigger_scope = Scope(
            self.event.states or self.runtime.states, self.event.time_fired, self.runtime.clock
        )
        return Check(self.variables, trigger_scope, lambda: scope, "now", self.record.trigger_id)

    async def call_service(
        self, service: str, data: Mapping[str, Any], record: StepRecord, *, static: bool = False
    ) -> Any:
        runtime = self.runtime
        record.service = service
        known = runtime.service(service)
        secret = secret_fields(known.params) if known is not None else frozenset()
        record.data, self._secrets = runtime.recorded_data(known, secret, data, static)
        if runtime.rule.model.dry_run and (known is None or known.side_effects):
            record.outcome = StepOutcome.DRY_RUN
            return None
        result = await runtime.caller(
            service, data, context=self.context, caller=f"rule:{runtime.rule.id}"
        )
        if result is None:
            return None
        answer = plain(result)
        record.result = mask(answer, secret)
        return answer

    def fire_event(self, event_type: str, data: Any) -> None:
        self.runtime.fire_engine_event(event_type, data, self.context)

    async def sleep_until(self, when: float, step: str) -> None:
        self.state.waiting = {"step": step, "until": when}
        self.parked = True
        self._signal()
        try:
            await self.runtime.clock.sleep_until(when)
        finally:
            self.parked = False
            self.state.waiting = None
