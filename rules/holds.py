"""``for:`` waits: a trigger matched, and fires only if the new state holds for a while.

Each wait has a slot (the trigger and the entity it is about); a second match for a slot
already waiting changes nothing, and a newer state of the entity that no longer holds ends
the wait. The rule's runtime keeps one ``Holds`` for its triggers (so a reload that keeps
the rule keeps them), a ``wait_for_trigger`` step one for its own.
"""

from __future__ import annotations

from collections.abc import Callable

from engine.clock import Clock, Timer
from engine.states import State

StillHolds = Callable[[State | None], bool]
# Which wait: (trigger index, entity id), or ("count", trigger index, entity id).
Slot = tuple[int | str, ...]


class _Held:
    __slots__ = ("still", "timer")

    def __init__(self, timer: Timer, still: StillHolds) -> None:
        self.timer = timer
        self.still = still


class Holds:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._held: dict[Slot, _Held] = {}

    def __repr__(self) -> str:
        return f"Holds({len(self._held)} waiting)"

    def hold(self, slot: Slot, when: float, fire: Callable[[], None], still: StillHolds) -> None:
        """Call ``fire`` at ``when`` unless ``recheck`` finds the state gone first."""
        if slot in self._held:
            return

        def due() -> None:
            self._held.pop(slot, None)
            fire()

        self._held[slot] = _Held(self._clock.call_at(when, due), still)

    def recheck(self, slot: Slot, state: State | None) -> None:
        held = self._held.get(slot)
        if held is not None and not held.still(state):
            held.timer.cancel()
            del self._held[slot]

    def due_times(self) -> list[tuple[Slot, float]]:
        """Each waiting slot and when it fires (plain data, for the journal)."""
        return [(slot, held.timer.when) for slot, held in self._held.items()]

    def cancel(self) -> None:
        for held in self._held.values():
            held.timer.cancel()
        self._held.clear()
