"""The offline harness: compiled rules on a manual clock, with services answered by stubs.

What ``vicibus test`` (and ``vicibus replay``) run rules in. The caller builds the Core — on a
manual clock, its catalog and service registry filled the way the daemon's integrations fill
them, without the network — and hands it here with the compiled rules, because ``rules`` may
not import the integrations (the engine-side wiring, ``engine.rule_tests_wiring``, does)::

    harness = RuleHarness(core, compiled, events=factory, stubs={...}, errors={...})
    await harness.start({"agent.1001": ("PAUSED", {"pause_code": ""})})
    await harness.webhook("pause_max", {"user": "1001", "campaign": "TESTCAMP"})
    await harness.advance(300)
    harness.calls          # every service call, in order (CallRecord)
    harness.timeline       # every run and non-run, in order (RunRecord | NonRunRecord)
    await harness.stop()

Service calls go through ``StubCaller``: the data is validated against the service's
parameter model exactly as the registry does (a bad key is the same ServiceValidationError in
the run), then the call is recorded with the rule, run and triggering event that made it and
answered:

- by the service's stub: a result (plain data laid over the result type's empty success), or
  an error raised as the named class (``errors`` maps class names to factories: the wiring
  gives the ViciDial client's own classes, so a run records ``ViciStateError`` and
  ``continue_on_error`` sees it exactly as it sees a real refusal);
- without a stub: the result type's empty success, the call marked ``unstubbed``;
- by the real service, for ``rules.*`` (the engine's own kill switch) and for any service
  ``live`` says (the embedded simulated dialer's, with ``--simulator``).

``step`` is a label the caller sets before each step; every call and record made meanwhile
carries it, so a report can say which step produced each.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from engine.clock import ClockMode
from engine.context import Context, Origin
from engine.core import Core
from engine.events import VICIBUS_STARTED, Event, webhook_event_type
from engine.services import ServiceRegistry, suggest
from rules.compiler import CompiledRule
from rules.engine import RuleEngine
from rules.masking import mask, secret_fields
from rules.records import ErrorInfo, MemoryRecorder, NonRunRecord, RunRecord
from rules.service_calls import RegistryCaller, find_service
from rules.template_views import plain
from rules.testing.empty import empty_result

PUSH_KIND = "agent_event"  # agent push arrives as this webhook kind


class EventFactory(Protocol):
    """Builds the typed payload of a webhook kind from its fields (the integration's own
    parser, on the engine side); raises ValueError (or a subclass) for an unknown kind or a
    bad field."""

    def webhook(self, kind: str, fields: Mapping[str, Any], /) -> Any: ...


ErrorFactory = Callable[[str], Exception]  # the message -> the error to raise


@dataclass(frozen=True, slots=True)
class Stub:
    """One service's answer: a result, or an error of the named class."""

    result: Mapping[str, Any] | None = None
    error: str | None = None
    message: str = ""


class Answer(StrEnum):
    STUB = "stub"  # the stub's result
    ERROR = "error"  # the stub's error (or the live service's, or a validation error)
    UNSTUBBED = "unstubbed"  # no stub: the result type's empty success
    LIVE = "live"  # the real service answered


@dataclass(slots=True)
class CallRecord:
    service: str
    data: dict[str, Any]  # as rendered, secrets masked
    rule_id: str | None
    run_id: str | None
    event_id: str | None  # the triggering event's context id
    step: str | None  # the harness's step label when the call was made
    time: float
    answer: Answer = Answer.STUB
    result: Any = None
    error: ErrorInfo | None = None


class TimelineRecorder(MemoryRecorder):
    """A MemoryRecorder that also keeps every run and non-run in the order they came, each
    with the step it came in, and finds a run by its Context."""

    def __init__(self, harness: RuleHarness) -> None:
        super().__init__(keep=10_000)
        self._harness = harness
        self.timeline: list[RunRecord | NonRunRecord] = []
        self.steps: dict[int, str | None] = {}  # id(record) -> the step label
        self.by_context: dict[str, RunRecord] = {}

    def run_started(self, run: RunRecord) -> None:
        super().run_started(run)
        self._add(run)
        self.by_context[run.context.id] = run

    def not_run(self, record: NonRunRecord) -> None:
        super().not_run(record)
        self._add(record)

    def _add(self, record: RunRecord | NonRunRecord) -> None:
        self.timeline.append(record)
        self.steps[id(record)] = self._harness.step

    def step_of(self, record: RunRecord | NonRunRecord) -> str | None:
        return self.steps.get(id(record))


class StubCaller:
    """The harness's ServiceCaller: validate, record, answer (see the module's docstring)."""

    def __init__(
        self,
        harness: RuleHarness,
        registry: ServiceRegistry,
        stubs: Mapping[str, Stub],
        errors: Mapping[str, ErrorFactory],
        live: Callable[[str], bool],
    ) -> None:
        self._harness = harness
        self._registry = registry
        self._real = RegistryCaller(registry)
        self.stubs = dict(stubs)
        self._errors = errors
        self._live = live

    def __repr__(self) -> str:
        return f"StubCaller({len(self.stubs)} stubs)"

    async def __call__(
        self, service: str, data: Mapping[str, Any], /, *, context: Context, caller: str
    ) -> Any:
        harness = self._harness
        known = find_service(self._registry, service)
        secret = secret_fields(known.params) if known is not None else frozenset()
        run = harness.recorder.by_context.get(context.id)
        record = CallRecord(
            service=service,
            data=mask(plain(dict(data)), secret),
            rule_id=run.rule_id if run else caller.removeprefix("rule:"),
            run_id=run.run_id if run else None,
            event_id=run.event_context.id if run else context.parent_id,
            step=harness.step,
            time=harness.core.clock.time(),
        )
        harness.calls.append(record)
        try:
            answer = await self._answer(service, data, context, caller, record)
        except Exception as exc:
            record.answer = Answer.ERROR
            record.error = ErrorInfo.of(exc)
            raise
        record.result = mask(plain(answer), secret) if answer is not None else None
        return answer

    async def _answer(
        self,
        service: str,
        data: Mapping[str, Any],
        context: Context,
        caller: str,
        record: CallRecord,
    ) -> Any:
        if service.startswith("rules.") or self._live(service):
            record.answer = Answer.LIVE
            return await self._real(service, data, context=context, caller=caller)
        self._registry.validate(service, data)  # the same error a real call would meet first
        result_type = self._registry.get(service).result
        stub = self.stubs.get(service)
        if stub is None:
            record.answer = Answer.UNSTUBBED
            return empty_result(result_type)
        if stub.error is not None:
            raise self._errors[stub.error](stub.message or f"{stub.error} (stubbed)")
        empty = empty_result(result_type)
        if stub.result is None:
            return empty
        if isinstance(empty, dict):
            return {**empty, **stub.result}
        return dict(stub.result)

    def problems(self, service: str, stub: Stub) -> list[str]:
        """What is wrong with a stub of ``service``: an unknown service, error class or result
        field (checked before a test runs, so a typo fails there and not in a run)."""
        known = find_service(self._registry, service)
        if known is None:
            return [f"no service {service!r}"]
        found = []
        if stub.error is not None and stub.error not in self._errors:
            hint = suggest(stub.error, list(self._errors))
            more = f"did you mean {hint[0]!r}?" if hint else f"one of: {', '.join(self._errors)}"
            found.append(f"no error class {stub.error!r}; {more}")
        result = known.result
        fields = getattr(result, "model_fields", None)
        if stub.result is not None and fields is not None:
            for key in stub.result:
                if key not in fields:
                    found.append(f"{service} results have no field {key!r}")
        return found


class RuleHarness:
    """Rules on ``core`` (a manual clock) with stubbed services; see the module's docstring."""

    def __init__(
        self,
        core: Core,
        rules: tuple[CompiledRule, ...] | list[CompiledRule],
        *,
        events: EventFactory,
        stubs: Mapping[str, Stub] | None = None,
        errors: Mapping[str, ErrorFactory] | None = None,
        live: Callable[[str], bool] | None = None,
        caller: Callable[[RuleHarness], StubCaller] | None = None,
    ) -> None:
        """``caller``: makes the services' caller instead of the stubs' (replay answers from a
        recording)."""
        if core.clock.mode is not ClockMode.MANUAL:
            raise ValueError("the rule harness runs on a manual clock")
        self.core = core
        self.step: str | None = None
        self.calls: list[CallRecord] = []
        self.recorder = TimelineRecorder(self)
        self.caller = (
            caller(self)
            if caller is not None
            else StubCaller(
                self, core.services, stubs or {}, errors or {}, live or (lambda service: False)
            )
        )
        self.engine = RuleEngine(core, rules, caller=self.caller, recorder=self.recorder)
        self._events = events
        self._started = False
        self._rules: list[CompiledRule] | None = None

    def __repr__(self) -> str:
        return f"RuleHarness({self.engine!r}, {len(self.calls)} calls)"

    # -- lifecycle ------------------------------------------------------------------------------

    def load(self, rules: tuple[CompiledRule, ...] | list[CompiledRule]) -> None:
        """The rules to run instead of those given at construction (before ``start``): rules
        that call ``rules.enable`` / ``rules.disable`` load only once the engine exists,
        because the engine registers those services."""
        if self._started:
            raise RuntimeError("load the rules before the harness starts")
        self._rules = list(rules)

    async def start(
        self,
        states: Mapping[str, tuple[str, Mapping[str, Any]]] | None = None,
        *,
        before: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        """Start the core, run ``before`` (a first poll of a simulated dialer), write the
        given states (before the rules listen: they are how things stand, not changes),
        start the rules and fire ``vicibus_started``."""
        await self.core.start()
        self._started = True
        if before is not None:
            await before()
        for entity_id, (state, attributes) in (states or {}).items():
            self.core.states.set(entity_id, state, dict(attributes), context=Context(Origin.POLL))
        await self.core.settle()
        if self._rules is not None:
            await self.engine.reload(self._rules)
        await self.engine.start()
        self.core.fire(VICIBUS_STARTED)
        await self.settle()

    async def stop(self) -> None:
        if not self._started:
            return
        self._started = False
        await self.engine.stop()
        await self.core.stop(timeout=1)

    # -- what happens ---------------------------------------------------------------------------

    async def webhook(self, kind: str, fields: Mapping[str, Any]) -> Event[Any]:
        """A callback of ``kind`` with these fields, as the receiver hands it to the bus; the
        rules settled. Raises what the event factory raises for a bad kind or field."""
        payload = self._events.webhook(kind, fields)
        origin = Origin.PUSH if kind == PUSH_KIND else Origin.WEBHOOK
        return await self._fire(webhook_event_type(kind), payload, origin)

    async def push(self, fields: Mapping[str, Any]) -> Event[Any]:
        """An agent push event (``event: pause``, ``user: ...``)."""
        return await self.webhook(PUSH_KIND, fields)

    async def fire(self, event_type: str, data: Any = None) -> Event[Any]:
        """Any event on the bus, as an integration or a rule would fire it."""
        return await self._fire(event_type, data, Origin.SYSTEM)

    async def _fire(self, event_type: str, data: Any, origin: Origin) -> Event[Any]:
        event = self.core.fire(event_type, data, origin=origin)
        await self.settle()
        return event

    async def set_state(
        self, entity_id: str, state: str, attributes: Mapping[str, Any] | None = None
    ) -> None:
        """Write an entity as a poll would; the rules see the change, then settle."""
        self.core.states.set(entity_id, state, dict(attributes or {}), context=Context(Origin.POLL))
        await self.settle()

    async def advance(self, seconds: float) -> None:
        """Move the manual clock, firing what falls due on the way with the rules settled
        before each timer."""
        await self.engine.advance(seconds)

    async def settle(self) -> None:
        await self.engine.settle()

    # -- reading --------------------------------------------------------------------------------

    @property
    def timeline(self) -> list[RunRecord | NonRunRecord]:
        return self.recorder.timeline

    def runs(self, rule_id: str) -> list[RunRecord]:
        return self.recorder.runs(rule_id)

    def not_runs(self, rule_id: str) -> list[NonRunRecord]:
        return self.recorder.not_runs(rule_id)

    def step_of(self, record: RunRecord | NonRunRecord) -> str | None:
        return self.recorder.step_of(record)

    @property
    def unstubbed(self) -> list[CallRecord]:
        """Calls no stub answered (``--strict`` fails a test that made one)."""
        return [call for call in self.calls if call.answer is Answer.UNSTUBBED]
