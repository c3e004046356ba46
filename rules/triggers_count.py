"""The ``count`` trigger: another trigger's matches counted in a sliding window.

``events`` is any other trigger; each time it matches, the count trigger notes the time under
its key (``key``: a template read with the counted trigger's variables, e.g. the campaign of a
no_agent callback; none: one count for the rule). When the matches within ``within`` reach
``threshold`` it fires, once: it is armed again only when the count in the window has fallen
below the threshold. Times are the engine clock's (the counted event's time, or the due time
of a ``for:``), so a replay on a pseudo clock counts as the live run did; the windows are
plain data (``to_dict``).

``trigger`` variables: those of the counted trigger (``trigger.payload`` of a webhook, ...),
with the count trigger's ``id``, ``platform`` (``count``) and ``count``, ``threshold``,
``within`` and ``key``.
"""

from __future__ import annotations

from collections import deque
from typing import Any, Protocol

from engine.events import Event
from engine.states import State, StatesView
from rules.errors import RuleError
from rules.filters import as_text
from rules.holds import Holds, StillHolds
from rules.schema_triggers import CountTrigger
from rules.template_functions import Scope
from rules.templates import Templates
from rules.triggers import Around, CompiledTrigger, HostIn

# Keys are swept of expired times when there are this many more than at the last sweep.
_SWEEP_AFTER = 256


class CountListener(CompiledTrigger):
    platform = "count"
    provides = CompiledTrigger.provides | {"count", "threshold", "within", "key"}

    def __init__(
        self, model: CountTrigger, index: int, templates: Templates, inner: CompiledTrigger
    ) -> None:
        super().__init__(model, index, templates)
        self.inner = inner
        assert isinstance(model.within, float)  # validated: a fixed duration
        self.within = model.within
        self.threshold = model.threshold
        self.key = templates.compile_value(model.key, ("key",)) if model.key is not None else None


class CountWindows:
    """One count trigger's matches: per key, their times within the window, and whether it
    fired since the count last fell below the threshold."""

    def __init__(self, within: float, threshold: int) -> None:
        self.within = within
        self.threshold = threshold
        self.times: dict[str, deque[float]] = {}
        self.fired: set[str] = set()
        self._swept = 0

    def __repr__(self) -> str:
        return f"CountWindows({len(self.times)} keys)"

    def add(self, key: str, at: float) -> int | None:
        """Count a match at ``at``; the count when this one reaches the threshold, else None."""
        times = self.times.get(key)
        if times is None:
            times = self.times[key] = deque()
            if len(self.times) > self._swept + _SWEEP_AFTER:
                self._sweep(at)
        self._expire(times, at)
        if len(times) < self.threshold:
            self.fired.discard(key)
        times.append(at)
        if len(times) >= self.threshold and key not in self.fired:
            self.fired.add(key)
            return len(times)
        return None

    def _expire(self, times: deque[float], at: float) -> None:
        horizon = at - self.within
        while times and times[0] <= horizon:
            times.popleft()

    def _sweep(self, at: float) -> None:
        for key in list(self.times):
            times = self.times[key]
            self._expire(times, at)
            if not times:
                del self.times[key]
                self.fired.discard(key)
        self._swept = len(self.times)

    def to_dict(self) -> dict[str, Any]:
        return {
            key: {"times": list(times), "fired": key in self.fired}
            for key, times in self.times.items()
        }


class CountOwner(Around, Protocol):
    """What a count trigger uses of its rule's runtime."""

    @property
    def rule_id(self) -> str: ...

    @property
    def holds(self) -> Holds: ...

    def snapshot(self) -> StatesView:
        """The state store as it is now, kept as it is."""

    def fire(
        self,
        trigger: CompiledTrigger,
        variables: dict[str, Any],
        event: Event[Any],
        states: StatesView | None,
    ) -> None: ...

    def trigger_failed(
        self,
        trigger: CompiledTrigger,
        event: Event[Any],
        variables: dict[str, Any],
        exc: RuleError,
    ) -> None: ...


class CountHost(HostIn):
    """The host the counted trigger fires through: it counts, and fires the count trigger
    through the rule's runtime when the threshold is reached."""

    def __init__(self, owner: CountOwner, trigger: CountListener) -> None:
        super().__init__(owner)
        self._owner = owner
        self.trigger = trigger
        self.windows = CountWindows(trigger.within, trigger.threshold)

    def __repr__(self) -> str:
        return f"<count {self.trigger.id}: {self.windows!r}>"

    @property
    def rule_id(self) -> str:
        return self._owner.rule_id

    def fire(
        self,
        trigger: CompiledTrigger,
        variables: dict[str, Any],
        event: Event[Any],
        states: StatesView | None,
    ) -> None:
        self._count(variables, event, states, event.time_fired)

    def hold(
        self,
        trigger: CompiledTrigger,
        key: str,
        seconds: float,
        variables: dict[str, Any],
        event: Event[Any],
        still: StillHolds,
    ) -> None:
        owner = self._owner
        when = event.time_fired + seconds

        def due() -> None:
            self._count(variables, event, owner.snapshot(), when)

        owner.holds.hold(("count", self.trigger.index, key), when, due, still)

    def recheck(self, trigger: CompiledTrigger, key: str, state: State | None) -> None:
        self._owner.holds.recheck(("count", self.trigger.index, key), state)

    def _count(
        self, variables: dict[str, Any], event: Event[Any], states: StatesView | None, at: float
    ) -> None:
        trigger = self.trigger
        key = ""
        if trigger.key is not None:
            scope = Scope(states or self.states, at, self.clock)
            try:
                key = as_text(trigger.key.render({"trigger": variables}, scope)) or ""
            except RuleError as exc:
                self._owner.trigger_failed(trigger, event, {"trigger": variables}, exc)
                return
        count = self.windows.add(key, at)
        if count is None:
            return
        fired = dict(variables)
        fired.update(trigger.base())
        fired.update(count=count, threshold=trigger.threshold, within=trigger.within, key=key)
        self._owner.fire(trigger, fired, event, states)
