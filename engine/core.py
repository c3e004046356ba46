"""The engine core wired together: one clock, one bus, one state store, one service registry
and the catalog of what events, kinds and entities exist.

The daemon builds one Core and hands it to the integrations' setup functions and to the rule
runner; tests build one on a manual clock. Nothing here is global: two cores in one process do
not see each other.
"""

from __future__ import annotations

import asyncio
from typing import Any

from engine.bus import DEFAULT_MAX_QUEUE, Admission, LocalBus, SourcePolicy
from engine.catalog import Catalog
from engine.clock import Clock
from engine.context import Context, Origin
from engine.events import STATE_CHANGED, Event
from engine.services import ServiceRegistry
from engine.states import StateChange, StateStore, merge_changes

# How many times ``settle`` lets the loop run and the bus drain before it gives up on quiet:
# a producer that never stops (a real-time poller) must not make a test hang.
_SETTLE_ROUNDS = 50


def _merge_state_events(first: Event[Any], second: Event[Any]) -> Event[Any]:
    merged = merge_changes(first.data, second.data)
    return Event(STATE_CHANGED, merged, second.time_fired, second.context, second.states)


class Core:
    def __init__(self, clock: Clock | None = None, *, max_queue: int = DEFAULT_MAX_QUEUE) -> None:
        self.clock = clock or Clock()
        self.bus = LocalBus(max_queue=max_queue, clock_time=self.clock.time)
        self.states = StateStore(self.clock.time, self._state_changed)
        self.services = ServiceRegistry()
        self.catalog = Catalog()
        self._engine = self.bus.source("engine", SourcePolicy(Admission.ALWAYS))
        self._state_events = self.bus.source(
            "states", SourcePolicy(Admission.COALESCE, merge=_merge_state_events)
        )

    def __repr__(self) -> str:
        return f"Core({self.clock!r}, {self.states!r}, {self.services!r})"

    def event(self, event_type: str, data: Any, context: Context) -> Event[Any]:
        """An event fired now, carrying the state store as it is now."""
        return Event(event_type, data, self.clock.time(), context, self.states.snapshot())

    def fire(
        self,
        event_type: str,
        data: Any = None,
        *,
        context: Context | None = None,
        origin: Origin = Origin.SYSTEM,
    ) -> Event[Any]:
        """Fire one of the engine's own events (always accepted; see engine.bus)."""
        event = self.event(event_type, data, context or Context(origin))
        self._engine.offer(event)
        return event

    def _state_changed(self, change: StateChange, context: Context) -> None:
        event = Event(STATE_CHANGED, change, self.clock.time(), context, self.states.snapshot())
        self._state_events.offer(event, change.entity_id)

    async def start(self) -> None:
        await self.bus.start()
        self.clock.start()

    async def stop(self, timeout: float | None = None) -> None:
        await self.bus.stop(timeout)
        self.clock.stop()

    async def settle(self) -> None:
        """Let the loop run until the bus is idle: what was fired so far has been handled."""
        for _ in range(_SETTLE_ROUNDS):
            for _ in range(3):
                await asyncio.sleep(0)
            if self.bus.idle:
                return
            await self.bus.drain()

    async def advance(self, seconds: float) -> None:
        """Manual clock: move time, firing what is due on the way, settling in between."""
        await self.clock.advance(seconds, settle=self.settle)
