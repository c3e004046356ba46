"""Waits: ``wait_template`` and ``wait_for_trigger``, each with ``timeout`` and
``continue_on_timeout``.

A waiting strand is parked: it moves again when what it waits for happens or its timeout comes
(on the engine clock). ``wait`` in templates says how the last wait ended: ``completed`` (a
template) or ``trigger`` (what the trigger matched, none after a timeout), and ``remaining``
(seconds of the timeout left, none without one). A timeout with ``continue_on_timeout: false``
ends the run there (outcome ``stopped``).

``wait_template`` checks its template at once and again at each change of a state, reading the
states as they are then. ``wait_for_trigger`` listens with triggers of their own (any kind but
``count``), as a rule's triggers would, for as long as the step waits.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from engine.events import STATE_CHANGED, Event
from engine.states import State, StatesView
from rules.durations import DurationValue
from rules.errors import RuleError
from rules.holds import Holds, StillHolds
from rules.records import StepOutcome, StepRecord
from rules.schema_actions import WaitForTriggerStep, WaitTemplateStep
from rules.steps import TIMED_OUT, Done, End, Flow, Step, StepHost
from rules.trigger_kinds import compile_trigger
from rules.triggers import CompiledTrigger, HostIn

if TYPE_CHECKING:
    from rules.program import Program

WAIT = "wait"


class _Wait(Step):
    def __init__(self, model: WaitTemplateStep | WaitForTriggerStep, path: str, program: Program):
        super().__init__(model, path)
        self.timeout = (
            DurationValue(model.timeout, program.templates) if model.timeout is not None else None
        )
        self.continue_on_timeout = model.continue_on_timeout

    def _until(self, host: StepHost, record: StepRecord) -> float | None:
        if self.timeout is None:
            return None
        scope = host.scope()
        seconds = self.timeout.seconds(host.variables, scope)
        record.data = {"timeout": seconds}
        return scope.at + seconds

    def _ended(
        self, host: StepHost, record: StepRecord, until: float | None, wait: dict[str, Any]
    ) -> Flow:
        wait["remaining"] = None if until is None else max(0.0, until - host.clock.time())
        host.variables[WAIT] = wait
        record.result = dict(wait)
        if wait.get("timed_out"):
            record.outcome = StepOutcome.TIMEOUT
            if not self.continue_on_timeout:
                return End(StepOutcome.TIMEOUT, f"wait {self.path} timed out")
        return None


class WaitTemplate(_Wait):
    kind = "wait_template"

    def __init__(self, model: WaitTemplateStep, path: str, program: Program) -> None:
        super().__init__(model, path, program)
        self.template = program.templates.compile(model.wait_template)

    async def run(self, host: StepHost, record: StepRecord) -> Flow:
        until = self._until(host, record)
        if self.template.render_bool(host.variables, host.scope()):
            return self._ended(host, record, until, {"completed": True, "timed_out": False})

        def arm(done: Done) -> Any:
            def changed(event: Event[Any]) -> None:
                try:
                    if self.template.render_bool(host.variables, host.scope()):
                        done(True)
                except RuleError as exc:
                    done(exc)

            return host.subscribe(STATE_CHANGED, changed)

        result = await host.wait(self.path, until, arm, "template")
        timed_out = result is TIMED_OUT
        return self._ended(
            host, record, until, {"completed": not timed_out, "timed_out": timed_out}
        )


class WaitForTrigger(_Wait):
    kind = "wait_for_trigger"

    def __init__(self, model: WaitForTriggerStep, path: str, program: Program) -> None:
        super().__init__(model, path, program)
        self.triggers = [
            compile_trigger(trigger, index, program.templates)
            for index, trigger in enumerate(model.wait_for_trigger)
            if trigger.enabled
        ]

    async def run(self, host: StepHost, record: StepRecord) -> Flow:
        until = self._until(host, record)

        def arm(done: Done) -> Any:
            listening = _Listening(host, done)
            undo = [listening.holds.cancel]
            for trigger in self.triggers:
                on_event = getattr(trigger, "on_event", None)
                if on_event is not None:
                    heard = functools.partial(_heard, on_event, listening)
                    undo.extend(host.subscribe(t, heard) for t in trigger.event_types)  # type: ignore[attr-defined]
                else:
                    detach, _ = trigger.attach(listening)  # type: ignore[attr-defined]
                    undo.append(detach)

            def disarm() -> None:
                for step in undo:
                    step()

            return disarm

        result = await host.wait(self.path, until, arm, "trigger")
        timed_out = result is TIMED_OUT
        wait = {"trigger": None if timed_out else result, "timed_out": timed_out}
        return self._ended(host, record, until, wait)


def _heard(on_event: Any, host: _Listening, event: Event[Any]) -> None:
    on_event(event, host)


class _Listening(HostIn):
    """The trigger host of a waiting step: the first trigger that fires ends the wait."""

    def __init__(self, step: StepHost, done: Done) -> None:
        super().__init__(step)
        self._done = done
        self.holds = Holds(step.clock)

    def fire(
        self,
        trigger: CompiledTrigger,
        variables: dict[str, Any],
        event: Event[Any],
        states: StatesView | None,
    ) -> None:
        self._done(variables)

    def hold(
        self,
        trigger: CompiledTrigger,
        key: str,
        seconds: float,
        variables: dict[str, Any],
        event: Event[Any],
        still: StillHolds,
    ) -> None:
        self.holds.hold(
            (trigger.index, key), event.time_fired + seconds, lambda: self._done(variables), still
        )

    def recheck(self, trigger: CompiledTrigger, key: str, state: State | None) -> None:
        self.holds.recheck((trigger.index, key), state)
