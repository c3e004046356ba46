"""Recorded events through the rules again, offline, on a pseudo clock that follows the
events' own times.

The rules run in the testing harness (``rules.testing.harness``): a Core on a manual clock,
services answered instead of called. Here the answers come from the recording: a rule's n-th
call of a service from one triggering event gets the answer the live run got for its n-th
(its result, or its typed error raised again by class name); a call the live run did not make
gets the declared default, the result type's empty success, and is marked so.

Before each event the clock is moved to the event's time, so what fell due meanwhile (``for:``,
delays, cooldowns ending, count windows sliding, schedules) comes at its own time. Then:

- a recorded ``state_changed`` sets the store (the rules see the change as the live run saw
  it; nothing is derived again from pushes or polls);
- an event a rule run fired (origin ``rule``: ``rule_triggered``, ``rule_finished``, custom
  events) or a time trigger's (origin ``schedule``) is left out: the replayed runs and the
  clock make their own;
- any other event is fired with its recorded time and Context, so a run's triggering event id
  is the recorded one.

What came before the daemon started its rules (the first ``vicibus_started``), or before
``start`` when one is given, is how things stood: its state changes are the store the rules
start with, and nothing there runs a rule.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from engine.bus import Admission, SourcePolicy
from engine.context import Context, Origin
from engine.core import Core
from engine.events import STATE_CHANGED, VICIBUS_STARTED, Event
from engine.services import ServiceRegistry
from engine.states import InvalidEntityIdError
from engine.storage.record_lines import RecordedError, RecordedEvent
from rules.compiler import CompiledRule
from rules.replay.keys import key_of
from rules.replay.recorded import Answers, Recording
from rules.testing.harness import (
    Answer,
    CallRecord,
    ErrorFactory,
    EventFactory,
    RuleHarness,
    StubCaller,
)

# How a replayed call was answered, by the harness's answer kinds.
RECORDED = Answer.STUB  # from the recording
DEFAULT = Answer.UNSTUBBED  # the live run made no such call: the result type's empty success


class Decoder(Protocol):
    """The typed data of a recorded event (a webhook's payload model) from its plain data;
    ValueError when it does not fit."""

    def __call__(self, event_type: str, data: Any, /) -> Any: ...


class ReplayedError(Exception):
    """The base of an error recorded under a class name this process does not know: raised
    under that name, so the replayed run records the same type."""


_UNKNOWN: dict[str, type[ReplayedError]] = {}


def _error(error: RecordedError, errors: Mapping[str, ErrorFactory]) -> Exception:
    make = errors.get(error.type)
    if make is not None:
        return make(error.message)
    cls = _UNKNOWN.get(error.type)
    if cls is None:
        cls = _UNKNOWN[error.type] = type(error.type, (ReplayedError,), {})
    return cls(error.message)


class ReplayCaller(StubCaller):
    """The harness's caller, answering from the recording first (see the module docstring)."""

    def __init__(
        self,
        harness: RuleHarness,
        registry: ServiceRegistry,
        errors: Mapping[str, ErrorFactory],
        answers: Answers,
    ) -> None:
        super().__init__(harness, registry, {}, errors, lambda service: False)
        self.answers = answers
        self.recorded: set[int] = set()  # id(CallRecord) of the calls answered from it
        self._error_types = errors

    async def _answer(
        self,
        service: str,
        data: Mapping[str, Any],
        context: Context,
        caller: str,
        record: CallRecord,
    ) -> Any:
        found = None
        run = self._harness.recorder.by_context.get(context.id)
        if run is not None and not service.startswith("rules."):
            event = key_of(run.event_type, run.event_context, run.event)
            found = self.answers.take(run.rule_id, event, service)
        if found is None:
            return await super()._answer(service, data, context, caller, record)
        self._registry.validate(service, data)
        record.answer = RECORDED
        self.recorded.add(id(record))
        if found.error is not None:
            raise _error(found.error, self._error_types)
        return found.result


class ReplayHarness(RuleHarness):
    def __init__(
        self,
        core: Core,
        rules: Sequence[CompiledRule],
        *,
        events: EventFactory,
        errors: Mapping[str, ErrorFactory],
        answers: Answers,
    ) -> None:
        # The harness answers from stubs; replay answers from the recording.
        self.replay_caller: ReplayCaller

        def caller(harness: RuleHarness) -> ReplayCaller:
            self.replay_caller = ReplayCaller(harness, core.services, errors, answers)
            return self.replay_caller

        super().__init__(core, list(rules), events=events, errors=errors, caller=caller)


@dataclass(frozen=True, slots=True)
class Window:
    """The part of the recording replayed: from ``start`` (the rules start then) to ``end``."""

    start: float
    end: float
    prelude: int  # how many of the recording's events come before ``start``


def window(recording: Recording, since: float | None, until: float | None) -> Window | None:
    """None when the recording has no event in the window."""
    events = recording.events
    if not events:
        return None
    started = next((i for i, e in enumerate(events) if e.event_type == VICIBUS_STARTED), None)
    first = started if started is not None else 0
    start = events[first].time
    if since is not None and since > start:
        start = since
        first = next((i for i, e in enumerate(events) if e.time >= since), len(events))
    end = recording.end or start
    if until is not None:
        end = min(end, until)
    if first >= len(events) or end < start:
        return None
    return Window(start, end, first)


def opening_states(events: Sequence[RecordedEvent]) -> dict[str, tuple[str, Mapping[str, Any]]]:
    """The store as the state changes among ``events`` left it."""
    states: dict[str, tuple[str, Mapping[str, Any]]] = {}
    for event in events:
        if event.event_type != STATE_CHANGED or not isinstance(event.data, dict):
            continue
        entity_id, new = event.data.get("entity_id"), event.data.get("new_state")
        if not isinstance(entity_id, str):
            continue
        if isinstance(new, dict):
            states[entity_id] = (str(new.get("state", "")), new.get("attributes") or {})
        else:
            states.pop(entity_id, None)
    return states


class BadEventError(ValueError):
    """A recorded event whose data does not fit its type."""


class Replayer:
    """Drives one harness through a window of the recording."""

    def __init__(self, harness: RuleHarness, decode: Decoder) -> None:
        self.harness = harness
        self._decode = decode
        self._source = harness.core.bus.source("replay", SourcePolicy(Admission.ALWAYS))
        self.skipped = 0  # events a run or the clock made: the replay makes its own

    async def run(self, recording: Recording, span: Window) -> None:
        harness = self.harness
        events = recording.events
        await harness.start(opening_states(events[: span.prelude]))
        first_start = True
        for event in events[span.prelude :]:
            if event.time > span.end:
                break
            if event.event_type == VICIBUS_STARTED and first_start:
                first_start = False  # the harness fired its own as the rules started
                continue
            await self._advance_to(event.time)
            await self._replay(event)
        await self._advance_to(span.end)

    async def _advance_to(self, when: float) -> None:
        clock = self.harness.core.clock
        if when > clock.time():
            await self.harness.advance(when - clock.time())

    async def _replay(self, recorded: RecordedEvent) -> None:
        harness = self.harness
        core = harness.core
        context = recorded.context.restored()
        if recorded.event_type == STATE_CHANGED:
            self._set_state(recorded, context)
        elif context.origin in (Origin.RULE, Origin.SCHEDULE):
            self.skipped += 1
            return
        else:
            try:
                data = self._decode(recorded.event_type, recorded.data)
            except ValueError as exc:
                raise BadEventError(
                    f"the {recorded.event_type} event {recorded.context.id} does not fit its "
                    f"type: {exc}"
                ) from None
            event = Event(recorded.event_type, data, recorded.time, context, core.states.snapshot())
            self._source.offer(event)
        await harness.settle()

    def _set_state(self, recorded: RecordedEvent, context: Context) -> None:
        data = recorded.data if isinstance(recorded.data, dict) else {}
        entity_id = data.get("entity_id")
        if not isinstance(entity_id, str):
            raise BadEventError(f"the state change {recorded.context.id} names no entity_id")
        new = data.get("new_state")
        if new is not None and not isinstance(new, dict):
            raise BadEventError(f"the state change {recorded.context.id} has no new_state object")
        states = self.harness.core.states
        try:
            if new is None:
                states.remove(entity_id, context=context)
            else:
                attributes = new.get("attributes")
                states.set(
                    entity_id,
                    str(new.get("state", "")),
                    attributes if isinstance(attributes, dict) else {},
                    context=context,
                )
        except InvalidEntityIdError as exc:
            raise BadEventError(f"the state change {recorded.context.id}: {exc}") from None
