"""One rule run: an asyncio task walking the rule's program as a step machine.

The run's position (a stack of frames into the program's blocks, per strand: the run's own,
and each branch of a ``parallel`` step) and its variables live in a ``RunState``, plain data,
updated as each step ends, so the journal can store it and a later version can resume the run
from it. Each step leaves a ``StepRecord`` with its rendered data (secrets masked) and its
result or typed error; the run ends with an outcome and fires ``rule_finished``. Its Context is
a child of the triggering event's, and every service call and event it makes carries it, so
their effects trace back to the webhook, push or poll.

A run is *parked* while every strand of it waits on the clock or for an event (a delay, a
wait): ``RuleEngine.settle`` uses this to know that a manual clock may move on.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from engine.bus import Listener, Unsubscribe
from engine.clock import Clock
from engine.context import CURRENT, Context
from engine.events import RULE_TRIGGERED, Event
from engine.states import StatesView
from rules.conditions import Check
from rules.errors import RuleError, RunStoppedError
from rules.masking import mask, secret_fields
from rules.records import ErrorInfo, Outcome, RunRecord, StepOutcome, StepRecord
from rules.run_state import Frame, RunState, Strand
from rules.steps import TIMED_OUT, Arm, End, Push, Step
from rules.steps_flow import REPEAT, repeat_variable
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
        self.ended = False
        self._done: asyncio.Future[RunRecord] | None = None  # made when someone waits
        self._moving = 0  # strands not parked
        self._moved: asyncio.Future[None] | None = None
        self._answer: asyncio.Future[Any] | None = None

    def __repr__(self) -> str:
        return f"<Run {self.record.rule_id} {self.record.run_id}>"

    @property
    def id(self) -> str:
        return self.record.run_id

    @property
    def parked(self) -> bool:
        """Every strand waits on the clock or for an event: it moves only when they come."""
        return self._moving == 0 and self.task is not None and not self.ended

    @property
    def done(self) -> asyncio.Future[RunRecord]:
        """Resolves with the run's record when it has ended."""
        if self._done is None:
            self._done = asyncio.get_running_loop().create_future()
            if self.ended:
                self._done.set_result(self.record)
        return self._done

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self) -> None:
        self._moving = 1
        self.task = asyncio.get_running_loop().create_task(
            self._execute(), name=f"rule {self.record.rule_id} run {self.id}"
        )

    def cancel(self, reason: str) -> None:
        """End the run as cancelled with ``reason`` (restart, rule_changed, rule_removed,
        rule_disabled, shutdown); a run not yet started ends at once."""
        if self.cancel_reason is None:
            self.cancel_reason = reason
        if self.task is None:
            self._end(Outcome.CANCELLED, reason)
        elif not self.task.done():
            self.task.cancel()

    async def moved(self) -> None:
        """Wait until the run parks or ends (``RuleEngine.settle``)."""
        if self.parked or self.ended:
            return
        if self._moved is None or self._moved.done():
            self._moved = asyncio.get_running_loop().create_future()
        waiters: list[asyncio.Future[Any]] = [self._moved, self.done]
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)

    def answer(self) -> asyncio.Future[Any]:
        """The run's first response (a DID filter's answer), or None once it ended without."""
        if self._answer is None:
            self._answer = asyncio.get_running_loop().create_future()
            if self.response is not None or self.ended:
                self._answer.set_result(self.response)
        return self._answer

    def respond(self, response: Any) -> None:
        self.response = response
        answer = self._answer
        if answer is not None and not answer.done():
            answer.set_result(response)

    def _park(self) -> None:
        self._moving -= 1
        if self._moving == 0:
            self._signal()

    def _unpark(self) -> None:
        self._moving += 1

    def _signal(self) -> None:
        if self._moved is not None and not self._moved.done():
            self._moved.set_result(None)

    async def _execute(self) -> None:
        CURRENT.set(self.context)  # the run's log lines carry its id (this task's own copy)
        runtime = self.runtime
        runtime.fire_engine_event(RULE_TRIGGERED, runtime.triggered_data(self), self.context)
        outcome, reason = Outcome.FINISHED, ""
        try:
            outcome, reason = await self._walk(Walk(self, self.state))
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
        self._moving = 0
        self.ended = True
        self.runtime.run_ended(self)
        if self._done is not None and not self._done.done():
            self._done.set_result(record)
        answer = self._answer
        if answer is not None and not answer.done():
            answer.set_result(self.response)
        self._signal()

    # -- the step machine ----------------------------------------------------------------------

    async def _walk(self, walk: Walk) -> tuple[Outcome, str]:
        """Run one strand's steps until its frames are done or a step ends it."""
        strand = walk.strand
        program = self.runtime.rule.program
        frames = strand.frames
        while frames:
            frame = frames[-1]
            block = program.blocks[frame.block]
            if frame.index >= len(block):
                if frame.loop is not None and self._again(walk, frame):
                    frame.index = 0
                    # A loop whose steps never wait must not hold the event loop (nor keep
                    # the kill switch from reaching it): each iteration lets others run.
                    await asyncio.sleep(0)
                    continue
                self._pop(walk)
                continue
            step = block[frame.index]
            strand.current = step.path
            if not step.enabled:
                self._record(step, StepOutcome.SKIPPED)
                frame.index += 1
                continue
            record = StepRecord(step.path, step.kind, step.alias, self.runtime.clock.time())
            walk.secrets = []
            try:
                flow = await step.run(walk, record)
            except asyncio.CancelledError:
                self._finish_step(record, StepOutcome.CANCELLED)
                raise
            except Exception as exc:
                self._failed(walk, record, exc)
                if not self._recover(walk, step, exc):
                    raise
                continue
            frame.index += 1
            if isinstance(flow, Push):
                frames.append(Frame(flow.block, 0, step.path, flow.loop))
                self._finish_step(record, StepOutcome.OK)
            elif isinstance(flow, End):
                self._finish_step(record, flow.outcome)
                outcome = Outcome.FINISHED if flow.outcome is StepOutcome.FALSE else Outcome.STOPPED
                return outcome, flow.reason
            else:
                self._finish_step(record, record.outcome or StepOutcome.OK)
        strand.current = None
        return Outcome.FINISHED, ""

    def _again(self, walk: Walk, frame: Frame) -> bool:
        """A loop's body ended: whether the loop runs it again (recorded as its own step)."""
        assert frame.owner is not None
        step = self.runtime.rule.program.steps[frame.owner]
        record = StepRecord(step.path, step.kind, step.alias, self.runtime.clock.time())
        try:
            go = step.again(walk, frame, record)
        except Exception as exc:
            self._failed(walk, record, exc)
            raise
        self._finish_step(record, StepOutcome.OK)
        return go

    def _pop(self, walk: Walk) -> Frame:
        """Leave the innermost block; after a loop, ``repeat`` is the next outer loop's."""
        frames = walk.strand.frames
        frame = frames.pop()
        if frame.loop is not None:
            outer = next((f.loop for f in reversed(frames) if f.loop is not None), None)
            if outer is None:
                walk.variables.pop(REPEAT, None)
            else:
                walk.variables[REPEAT] = repeat_variable(outer)
        return frame

    def _recover(self, walk: Walk, step: Step, exc: Exception) -> bool:
        """After a step error: go on past the innermost step that has continue_on_error (the
        failed step or a block's owner around it); False when none has, and the run fails."""
        if isinstance(exc, RuleError):
            return False  # a template or value of the rule itself: no step can go on
        frames = walk.strand.frames
        if step.continue_on_error:
            frames[-1].index += 1
            return True
        program = self.runtime.rule.program
        while len(frames) > 1:
            owner = self._pop(walk).owner
            if owner is not None and program.steps[owner].continue_on_error:
                return True  # the owner's frame already points past it
        return False

    def _failed(self, walk: Walk, record: StepRecord, exc: Exception) -> None:
        record.error = ErrorInfo.of(exc, walk.secrets)
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

    async def branches(self, walk: Walk, step: str, blocks: Sequence[str]) -> None:
        strands = [Strand(dict(walk.variables), [Frame(block, 0, step)]) for block in blocks]
        walk.strand.branches = strands
        remaining = len(strands)
        # This strand waits while its branches move; the last branch to end hands its count
        # back, so the run never looks parked between a branch's end and this one's resuming.
        self._moving += remaining - 1

        async def branch(strand: Strand) -> tuple[Outcome, str]:
            nonlocal remaining
            try:
                return await self._walk(Walk(self, strand))
            finally:
                remaining -= 1
                if remaining:
                    self._park()

        loop = asyncio.get_running_loop()
        tasks = [loop.create_task(branch(strand)) for strand in strands]
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            walk.strand.branches = None
        for task in done:
            if not task.cancelled() and task.exception() is not None:
                raise task.exception()  # type: ignore[misc]


class Walk:
    """One strand of a run, as its steps see it (``StepHost``)."""

    __slots__ = ("context", "run", "secrets", "strand", "variables")

    def __init__(self, run: Run, strand: Strand) -> None:
        self.run = run
        self.strand = strand
        self.variables = strand.variables
        self.context = run.context
        # The secret values of the step running now (never recorded): to scrub its error.
        self.secrets: list[str] = []

    @property
    def clock(self) -> Clock:
        return self.run.runtime.clock

    @property
    def states(self) -> StatesView:
        return self.run.runtime.states

    def scope(self) -> Scope:
        runtime = self.run.runtime
        return Scope(runtime.states, runtime.clock.time(), runtime.clock)

    def check(self) -> Check:
        run = self.run
        scope = self.scope()
        trigger_scope = Scope(
            run.event.states or run.runtime.states, run.event.time_fired, run.runtime.clock
        )
        return Check(self.variables, trigger_scope, lambda: scope, "now", run.record.trigger_id)

    async def call_service(
        self, service: str, data: Mapping[str, Any], record: StepRecord, *, static: bool = False
    ) -> Any:
        runtime = self.run.runtime
        record.service = service
        known = runtime.service(service)
        secret = secret_fields(known.params) if known is not None else frozenset()
        record.data, self.secrets = runtime.recorded_data(known, secret, data, static)
        if runtime.rule.model.dry_run and (known is None or known.side_effects):
            record.outcome = StepOutcome.DRY_RUN
            return None
        result = await runtime.caller(
            service, data, context=self.context, caller=runtime.caller_name
        )
        if result is None:
            return None
        answer = plain(result)
        record.result = mask(answer, secret)
        return answer

    def fire_event(self, event_type: str, data: Any) -> None:
        self.run.runtime.fire_engine_event(event_type, data, self.context)

    def respond(self, response: Any) -> None:
        self.run.respond(response)

    def subscribe(self, event_type: str, listener: Listener) -> Unsubscribe:
        return self.run.runtime.subscribe(event_type, listener)

    def timer_event(self, platform: str, data: dict[str, Any]) -> Event[Any]:
        return self.run.runtime.timer_event(platform, data)

    async def branches(self, step: str, blocks: Sequence[str]) -> None:
        await self.run.branches(self, step, blocks)

    async def wait(self, step: str, until: float | None, arm: Arm | None, what: str) -> Any:
        run = self.run
        clock = self.clock
        if until is not None and until <= clock.time():
            await asyncio.sleep(0)
            return TIMED_OUT
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        woken = False

        def done(value: Any) -> None:
            nonlocal woken
            if not woken:
                # Moving again from now, not from when the task resumes: a settle between
                # the two must not think the run is still parked.
                woken = True
                run._unpark()
                future.set_result(value)

        self.strand.waiting = {"step": step, "until": until, "for": what}
        run._park()
        timer = clock.call_at(until, lambda: done(TIMED_OUT)) if until is not None else None
        disarm = arm(done) if arm is not None else None
        try:
            value = await future
        finally:
            if not woken:
                woken = True
                run._unpark()
            self.strand.waiting = None
            if timer is not None:
                timer.cancel()
            if disarm is not None:
                disarm()
        if isinstance(value, BaseException):
            raise value
        return value
