"""Compiled triggers: the common part, the host they fire through, and compiling a model.

A trigger never starts a run itself: it hands what it matched (its ``trigger`` variables, the
event and the states to read) to its host, the rule's runtime, which checks the conditions and
the mode. Triggers that listen to events are filed in the index (``rules.index``); time
triggers attach to the engine clock. A ``for:`` wait is kept by the host (``rules.holds``), so
the wait is plain data beside the rule's other runtime state.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from engine.clock import Clock
from engine.events import Event
from engine.states import State, StatesView
from rules.holds import StillHolds
from rules.schema_triggers import TriggerBase
from rules.templates import Templates, Value

Detach = Callable[[], None]


class TriggerHost(Protocol):
    @property
    def clock(self) -> Clock: ...

    @property
    def states(self) -> StatesView:
        """The live state store (for events that carry no snapshot)."""

    def fire(
        self,
        trigger: CompiledTrigger,
        variables: dict[str, Any],
        event: Event[Any],
        states: StatesView | None,
    ) -> None:
        """The trigger matched: check the conditions and start a run (or record why not)."""

    def hold(
        self,
        trigger: CompiledTrigger,
        key: str,
        seconds: float,
        variables: dict[str, Any],
        event: Event[Any],
        still: StillHolds,
    ) -> None:
        """Fire in ``seconds`` unless a newer state of ``key`` stops holding first (``for:``);
        a wait already running for ``key`` goes on."""

    def recheck(self, trigger: CompiledTrigger, key: str, state: State | None) -> None:
        """A new state of ``key``: end its ``for:`` wait if the state no longer holds."""

    def timer_event(self, platform: str, data: dict[str, Any]) -> Event[Any]:
        """The event a time trigger fires with (not on the bus; it starts the run directly)."""


class Around(Protocol):
    """What a trigger host takes from where it lives: the clock, the states, and the events
    time triggers fire with."""

    @property
    def clock(self) -> Clock: ...

    @property
    def states(self) -> StatesView: ...

    def timer_event(self, platform: str, data: dict[str, Any]) -> Event[Any]: ...


class HostIn:
    """The part of a trigger host it takes from another (a wait's from its run, a count's
    from its rule's runtime)."""

    def __init__(self, around: Around) -> None:
        self._around = around

    @property
    def clock(self) -> Clock:
        return self._around.clock

    @property
    def states(self) -> StatesView:
        return self._around.states

    def timer_event(self, platform: str, data: dict[str, Any]) -> Event[Any]:
        return self._around.timer_event(platform, data)


class CompiledTrigger:
    """What every trigger has: its place, id, platform and trigger variables."""

    platform = ""
    # The ``trigger.<name>`` variables this kind of trigger sets (for the load-time checks).
    provides: frozenset[str] = frozenset({"id", "idx", "platform", "alias"})

    def __init__(self, model: TriggerBase, index: int, templates: Templates) -> None:
        self.index = index
        self.id = model.id if model.id is not None else str(index)
        self.alias = model.alias
        self.variables: Value | None = (
            templates.compile_value(model.variables, ("variables",)) if model.variables else None
        )

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id}>"

    def base(self) -> dict[str, Any]:
        """The ``trigger`` variables every trigger sets."""
        return {
            "id": self.id,
            "idx": str(self.index),
            "platform": self.platform,
            "alias": self.alias,
        }
