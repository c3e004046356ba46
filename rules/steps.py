"""Compiled steps: what each does for its run, and how the run goes on after it.

A step does one thing and says how its strand goes on: to the next step, into a block (a
``sequence``, a ``choose`` option, a loop's body: ``Push``), or to its end (``stop``, a
condition step that does not hold: ``End``). It reaches the world only through its host (the
strand of the run it is in): services through the run's service seam, events through the core,
time and waits through the engine clock. Every step path (``actions/2``,
``actions/3/sequence/0``) names the step in records and in the run's position.

Errors a step meets: a service's error (typed by the integration) or a refused parameter is
the step's error, and ``continue_on_error`` lets the run go on past it; a template or value
that cannot be rendered is the rule's own mistake and always ends the run.

The steps of the simple kinds are here; branches and loops are in ``rules.steps_flow``,
waits in ``rules.steps_wait``, and ``rules.program`` compiles a rule's steps into blocks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from engine.bus import Listener, Unsubscribe
from engine.clock import Clock
from engine.context import Context
from engine.events import ENGINE_EVENT_TYPES, WEBHOOK_PREFIX, Event
from engine.states import StatesView
from rules.conditions import Check, Compiled, compile_condition
from rules.durations import DurationValue
from rules.errors import RunStoppedError, ValueRenderError
from rules.records import StepOutcome, StepRecord
from rules.run_state import Frame
from rules.schema_actions import (
    DelayStep,
    DidFilterStep,
    EventStep,
    SequenceStep,
    ServiceStep,
    StepBase,
    StopStep,
    VariablesStep,
)
from rules.schema_conditions import ConditionBase
from rules.template_functions import Scope, to_bool
from rules.template_views import plain
from rules.templates import Templates, Value

if TYPE_CHECKING:
    from rules.program import Program

# Event types a rule may not fire: the engine's own, and webhooks' (no rule can pose as one).
RESERVED_EVENT_TYPES = ENGINE_EVENT_TYPES

# ``done`` is given what ended a wait (an exception fails the step); ``arm`` returns what undoes
# its listeners.
Done = Callable[[Any], None]
Arm = Callable[[Done], Callable[[], None]]


class TimedOut:
    """What a wait gives when its timeout came first."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "TIMED_OUT"


TIMED_OUT = TimedOut()


def is_reserved_event_type(event_type: str) -> bool:
    return event_type in RESERVED_EVENT_TYPES or event_type.startswith(WEBHOOK_PREFIX)


class StepHost(Protocol):
    """What a step may use of the strand of the run it runs in."""

    variables: dict[str, Any]
    context: Context

    @property
    def clock(self) -> Clock: ...

    @property
    def states(self) -> StatesView:
        """The live state store."""

    def scope(self) -> Scope:
        """The states and time as they are now."""

    def check(self) -> Check:
        """A fresh evaluation for a condition (reading now unless told otherwise)."""

    async def call_service(
        self, service: str, data: Mapping[str, Any], record: StepRecord, *, static: bool = False
    ) -> Any:
        """Call (or, for a dry run, record) a service; fills ``record.data`` and gives the
        result as plain data (None when there is none). ``static``: ``data`` is the rule's
        own literal, the same object at every run."""

    def fire_event(self, event_type: str, data: Any) -> None: ...

    def respond(self, response: Any) -> None:
        """Answer whoever waits on the run (a DID filter decider); the run goes on."""

    async def wait(self, step: str, until: float | None, arm: Arm | None, what: str) -> Any:
        """Park the strand until ``arm``'s listeners call ``done`` (its value is returned) or
        the clock reaches ``until`` (``TIMED_OUT``; None: no timeout)."""

    async def branches(self, step: str, blocks: Sequence[str]) -> None:
        """Run each block as a strand of its own, all at once, until every one has ended."""

    def subscribe(self, event_type: str, listener: Listener) -> Unsubscribe: ...

    def timer_event(self, platform: str, data: dict[str, Any]) -> Event[Any]:
        """The event a time trigger of a wait fires with."""


@dataclass(frozen=True, slots=True)
class Push:
    block: str
    loop: dict[str, Any] | None = None  # the first iteration, when the block is a loop's body


class End:
    """The strand ends here (a stop step, a condition step that did not hold, a wait that
    timed out without ``continue_on_timeout``)."""

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

    def again(self, host: StepHost, frame: Frame, record: StepRecord) -> bool:
        """The block this step opened has ended: run it again (a loop's next iteration)?"""
        return False


class ServiceCall(Step):
    kind = "action"

    def __init__(self, model: ServiceStep, path: str, program: Program) -> None:
        super().__init__(model, path)
        self.service = model.action
        self.data = program.templates.compile_value(model.data, ("data",))
        self.response_variable = model.response_variable

    async def run(self, host: StepHost, record: StepRecord) -> Flow:
        value = self.data
        # The rule's literal data needs no scope (made for every render otherwise).
        data = value.literal if value.static else value.render(host.variables, host.scope())
        if not isinstance(data, Mapping):
            raise ValueRenderError(f"data rendered as {type(data).__name__}, not a mapping")
        result = await host.call_service(self.service, data, record, static=self.data.static)
        if self.response_variable is not None:
            host.variables[self.response_variable] = {} if result is None else result
        return None


class Delay(Step):
    kind = "delay"

    def __init__(self, model: DelayStep, path: str, program: Program) -> None:
        super().__init__(model, path)
        self.duration = DurationValue(model.delay, program.templates)

    async def run(self, host: StepHost, record: StepRecord) -> Flow:
        scope = host.scope()
        seconds = self.duration.seconds(host.variables, scope)
        record.data = {"seconds": seconds}
        await host.wait(self.path, scope.at + seconds, None, "delay")
        return None


def enabled_condition(model: ConditionBase, path: str, templates: Templates) -> Compiled:
    """A condition compiled even when disabled (the step that holds it is skipped instead)."""
    compiled = compile_condition(model.model_copy(update={"enabled": True}), path, templates)
    assert compiled is not None
    return compiled


class ConditionStep(Step):
    kind = "condition"

    def __init__(self, model: ConditionBase, path: str, program: Program) -> None:
        super().__init__(model, path)
        self.condition = enabled_condition(model, path, program.templates)

    async def run(self, host: StepHost, record: StepRecord) -> Flow:
        check = host.check()
        held = self.condition(check)
        record.result = {"result": held, "conditions": [plain(c) for c in check.trace]}
        if held:
            return None
        return End(StepOutcome.FALSE, f"condition {self.path} did not hold")


class FireEvent(Step):
    kind = "event"

    def __init__(self, model: EventStep, path: str, program: Program) -> None:
        super().__init__(model, path)
        self.event_type = model.event
        self.data = program.templates.compile_value(model.event_data, ("event_data",))

    async def run(self, host: StepHost, record: StepRecord) -> Flow:
        data = self.data.render(host.variables, host.scope())
        record.data = plain(data)
        host.fire_event(self.event_type, data)
        return None


class SetVariables(Step):
    kind = "variables"

    def __init__(self, model: VariablesStep, path: str, program: Program) -> None:
        super().__init__(model, path)
        self.values = [
            (name, program.templates.compile_value(value, ("variables", name)))
            for name, value in model.variables.items()
        ]

    async def run(self, host: StepHost, record: StepRecord) -> Flow:
        scope = host.scope()
        for name, value in self.values:
            host.variables[name] = value.render(host.variables, scope)
        record.result = {name: plain(host.variables[name]) for name, _ in self.values}
        return None


class Stop(Step):
    kind = "stop"

    def __init__(self, model: StopStep, path: str, program: Program) -> None:
        super().__init__(model, path)
        self.reason = model.stop
        self.error = model.error
        self.response: Value | None = (
            program.templates.compile_value(model.response, ("response",))
            if model.response is not None
            else None
        )
        self.response_variable = model.response_variable

    async def run(self, host: StepHost, record: StepRecord) -> Flow:
        response: Any = None
        if self.response_variable is not None:
            if self.response_variable not in host.variables:
                raise ValueRenderError(f"no variable {self.response_variable!r} to respond with")
            response = plain(host.variables[self.response_variable])
        elif self.response is not None:
            response = plain(self.response.render(host.variables, host.scope()))
        if response is not None:
            host.respond(response)
        record.result = {"reason": self.reason, "response": response}
        if self.error:
            raise RunStoppedError(self.reason or f"stopped with an error at {self.path}")
        return End(StepOutcome.STOPPED, self.reason)


class SequenceBlock(Step):
    kind = "sequence"

    def __init__(self, model: SequenceStep, path: str, program: Program) -> None:
        super().__init__(model, path)
        self.block = program.add_block(f"{path}/sequence", model.sequence)

    async def run(self, host: StepHost, record: StepRecord) -> Flow:
        return Push(self.block)


def did_answer(response: Any) -> bool | None:
    """A run's response read as a DID filter's answer (``{match: true|false}``), or None."""
    if isinstance(response, Mapping) and "match" in response:
        return as_match(response["match"])
    return None


def as_match(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    decided = to_bool(value, None) if isinstance(value, str | int) else None
    return decided if isinstance(decided, bool) else None


class DidFilter(Step):
    kind = "did_filter"

    def __init__(self, model: DidFilterStep, path: str, program: Program) -> None:
        super().__init__(model, path)
        self.match = program.templates.compile_value(model.did_filter.match, ("match",))

    async def run(self, host: StepHost, record: StepRecord) -> Flow:
        value = self.match.render(host.variables, host.scope())
        decided = as_match(value)
        if decided is None:
            raise ValueRenderError(f"did_filter match rendered as {value!r}, not true or false")
        host.respond({"match": decided})
        record.result = {"match": decided}
        return None
