"""Compiled steps and the program they form.

A step does one thing for its run and says how the run goes on: to the next step, into a
block (a ``sequence``), or to its end (``stop``, a condition step that does not hold). It
reaches the world only through its host (the run): services through the run's service seam,
events through the core, time through the clock. Every step path (``actions/2``,
``actions/3/sequence/0``) names the step in records and in the run's position.

Errors a step meets: a service's error (typed by the integration) or a refused parameter is
the step's error, and ``continue_on_error`` lets the run go on past it; a template or value
that cannot be rendered is the rule's own mistake and always ends the run.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from engine.context import Context
from engine.events import ENGINE_EVENT_TYPES, WEBHOOK_PREFIX
from rules.conditions import Check, Compiled, compile_condition
from rules.durations import DurationValue
from rules.errors import RunStoppedError, ValueRenderError
from rules.records import StepOutcome, StepRecord
from rules.run_state import ROOT
from rules.schema_actions import (
    DelayStep,
    EventStep,
    SequenceStep,
    ServiceStep,
    StepBase,
    StopStep,
    VariablesStep,
)
from rules.schema_conditions import ConditionBase
from rules.template_functions import Scope
from rules.template_views import plain
from rules.templates import Template, Templates, Value

# Event types a rule may not fire: the engine's own, and webhooks' (no rule can pose as one).
RESERVED_EVENT_TYPES = ENGINE_EVENT_TYPES


def is_reserved_event_type(event_type: str) -> bool:
    return event_type in RESERVED_EVENT_TYPES or event_type.startswith(WEBHOOK_PREFIX)


class StepHost(Protocol):
    """What a step may use of its run."""

    variables: dict[str, Any]
    context: Context
    response: Any

    def scope(self) -> Scope:
        """The states and time as they are now."""

    def check(self) -> Check:
        """A fresh evaluation for a condition step (reading now unless told otherwise)."""

    async def call_service(
        self, service: str, data: Mapping[str, Any], record: StepRecord, *, static: bool = False
    ) -> Any:
        """Call (or, for a dry run, record) a service; fills ``record.data`` and gives the
        result as plain data (None when there is none). ``static``: ``data`` is the rule's
        own literal, the same object at every run."""

    def fire_event(self, event_type: str, data: Any) -> None: ...

    async def sleep_until(self, when: float, step: str) -> None:
        """Wait on the engine clock (a delay): the run is parked meanwhile."""


@dataclass(frozen=True, slots=True)
class Push:
    block: str


class End:
    """The run ends here (a stop step, or a condition step that did not hold)."""

    __slots__ = ("outcome", "reason")

    def __init__(self, outcome: StepOutcome, reason: str) -> None:
        self.outcome = outcome
        self.reason = reason


Flow = Push | End | None


class Step:
    kind = ""

    def __init__(self, model: StepBase | ConditionBase, path: str) -> None:
        self.path = path
        self.alias = model.alias
        self.enabled = model.enabled
        self.continue_on_error = getattr(model, "continue_on_error", False)

    def __repr__(self) -> str:
        return f"<step {self.kind} at {self.path}>"

    async def run(self, host: StepHost, record: StepRecord) -> Flow:
        raise NotImplementedError

    def templates(self) -> list[tuple[tuple[str | int, ...], Template]]:
        """Every template of the step with its place below the step (for the checks)."""
        return []


class ServiceCall(Step):
    kind = "action"

    def __init__(self, model: ServiceStep, path: str, templates: Templates) -> None:
        super().__init__(model, path)
        self.service = model.action
        self.data = templates.compile_value(model.data, ("data",))
        self.response_variable = model.response_variable

    async def run(self, host: StepHost, record: StepRecord) -> Flow:
        data = self.data.render(host.variables, host.scope())
        if not isinstance(data, Mapping):
            raise ValueRenderError(f"data rendered as {type(data).__name__}, not a mapping")
        result = await host.call_service(self.service, data, record, static=self.data.static)
        if self.response_variable is not None:
            host.variables[self.response_variable] = {} if result is None else result
        return None

    def templates(self) -> list[tuple[tuple[str | int, ...], Template]]:
        return list(self.data.templates(("data",)))


class Delay(Step):
    kind = "delay"

    def __init__(self, model: DelayStep, path: str, templates: Templates) -> None:
        super().__init__(model, path)
        self.duration = DurationValue(model.delay, templates)

    async def run(self, host: StepHost, record: StepRecord) -> Flow:
        scope = host.scope()
        seconds = self.duration.seconds(host.variables, scope)
        record.data = {"seconds": seconds}
        await host.sleep_until(scope.at + seconds, self.path)
        return None


class ConditionStep(Step):
    kind = "condition"

    def __init__(self, model: ConditionBase, path: str, templates: Templates) -> None:
        super().__init__(model, path)
        # A disabled step is skipped by the run; its condition is compiled all the same.
        compiled = compile_condition(model.model_copy(update={"enabled": True}), path, templates)
        assert compiled is not None
        self.condition: Compiled = compiled

    async def run(self, host: StepHost, record: StepRecord) -> Flow:
        check = host.check()
        held = self.condition(check)
        record.result = {"result": held, "conditions": [plain(c) for c in check.trace]}
        if held:
            return None
        return End(StepOutcome.FALSE, f"condition {self.path} did not hold")

    def templates(self) -> list[tuple[tuple[str | int, ...], Template]]:
        return [((), t) for _, t in self.condition.templates()]


class FireEvent(Step):
    kind = "event"

    def __init__(self, model: EventStep, path: str, templates: Templates) -> None:
        super().__init__(model, path)
        self.event_type = model.event
        self.data = templates.compile_value(model.event_data, ("event_data",))

    async def run(self, host: StepHost, record: StepRecord) -> Flow:
        data = self.data.render(host.variables, host.scope())
        record.data = plain(data)
        host.fire_event(self.event_type, data)
        return None

    def templates(self) -> list[tuple[tuple[str | int, ...], Template]]:
        return list(self.data.templates(("event_data",)))


class SetVariables(Step):
    kind = "variables"

    def __init__(self, model: VariablesStep, path: str, templates: Templates) -> None:
        super().__init__(model, path)
        self.values = [
            (name, templates.compile_value(value, ("variables", name)))
            for name, value in model.variables.items()
        ]

    async def run(self, host: StepHost, record: StepRecord) -> Flow:
        scope = host.scope()
        for name, value in self.values:
            host.variables[name] = value.render(host.variables, scope)
        record.result = {name: plain(host.variables[name]) for name, _ in self.values}
        return None

    def templates(self) -> list[tuple[tuple[str | int, ...], Template]]:
        return [t for name, value in self.values for t in value.templates(("variables", name))]


class Stop(Step):
    kind = "stop"

    def __init__(self, model: StopStep, path: str, templates: Templates) -> None:
        super().__init__(model, path)
        self.reason = model.stop
        self.error = model.error
        self.response: Value | None = (
            templates.compile_value(model.response, ("response",))
            if model.response is not None
            else None
        )
        self.response_variable = model.response_variable

    async def run(self, host: StepHost, record: StepRecord) -> Flow:
        if self.response_variable is not None:
            if self.response_variable not in host.variables:
                raise ValueRenderError(f"no variable {self.response_variable!r} to respond with")
            host.response = plain(host.variables[self.response_variable])
        elif self.response is not None:
            host.response = plain(self.response.render(host.variables, host.scope()))
        record.result = {"reason": self.reason, "response": host.response}
        if self.error:
            raise RunStoppedError(self.reason or f"stopped with an error at {self.path}")
        return End(StepOutcome.STOPPED, self.reason)

    def templates(self) -> list[tuple[tuple[str | int, ...], Template]]:
        return [] if self.response is None else list(self.response.templates(("response",)))


class SequenceBlock(Step):
    kind = "sequence"

    def __init__(self, model: SequenceStep, path: str, program: Program, templates: Templates):
        super().__init__(model, path)
        self.block = f"{path}/sequence"
        program.add_block(self.block, model.sequence, templates)

    async def run(self, host: StepHost, record: StepRecord) -> Flow:
        return Push(self.block)


class Program:
    """A rule's steps, by block: the run's frames point into it."""

    def __init__(self, actions: Sequence[Any], templates: Templates) -> None:
        self.blocks: dict[str, tuple[Step, ...]] = {}
        self.steps: dict[str, Step] = {}
        self.add_block(ROOT, actions, templates)

    def __repr__(self) -> str:
        return f"Program({len(self.steps)} steps)"

    def add_block(self, block: str, models: Sequence[Any], templates: Templates) -> None:
        steps = tuple(
            self._compile(model, f"{block}/{index}", templates)
            for index, model in enumerate(models)
        )
        self.blocks[block] = steps
        for step in steps:
            self.steps[step.path] = step

    def _compile(self, model: Any, path: str, templates: Templates) -> Step:
        if isinstance(model, ServiceStep):
            return ServiceCall(model, path, templates)
        if isinstance(model, DelayStep):
            return Delay(model, path, templates)
        if isinstance(model, ConditionBase):
            return ConditionStep(model, path, templates)
        if isinstance(model, EventStep):
            return FireEvent(model, path, templates)
        if isinstance(model, VariablesStep):
            return SetVariables(model, path, templates)
        if isinstance(model, StopStep):
            return Stop(model, path, templates)
        if isinstance(model, SequenceStep):
            return SequenceBlock(model, path, self, templates)
        raise TypeError(f"no compiler for {type(model).__name__}")
