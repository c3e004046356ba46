"""Things due at a simulated time, run in time order on the simulator's clock.

The traffic model and the callback timers (pause max, dead call trigger) schedule actions
here. Ties run in the order they were scheduled, and an action runs to its end (a DID filter
waits for its answer) before the next starts, so a seeded run is the same every time.

- Stepped clock (``manual``): ``advance(seconds)`` moves the clock from action to action and
  runs each at exactly its time; no sleeping, so timing tests are exact.
- Real or accelerated clock: ``run()`` sleeps until the next action is due in wall time.
"""

from __future__ import annotations

import asyncio
import heapq
import inspect
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from integrations.vicidial.simulator.clock import ClockMode, SimClock

logger = logging.getLogger(__name__)

Action = Callable[[], Awaitable[None] | None]
# The longest a running loop sleeps before it looks at the clock again (its mode or a
# control-API jump may have changed what is due).
MAX_NAP = 0.5


@dataclass(order=True, slots=True)
class _Entry:
    when: float
    seq: int
    action: Action = field(compare=False)
    label: str = field(compare=False, default="")
    cancelled: bool = field(compare=False, default=False)


class Scheduled:
    """A handle to cancel a scheduled action."""

    def __init__(self, entry: _Entry) -> None:
        self._entry = entry

    def cancel(self) -> None:
        self._entry.cancelled = True


class Scheduler:
    def __init__(self, clock: SimClock) -> None:
        self.clock = clock
        self._heap: list[_Entry] = []
        self._seq = 0
        self._wake = asyncio.Event()

    def __repr__(self) -> str:
        return f"Scheduler({len(self._heap)} pending, {self.clock!r})"

    def at(self, when: float, action: Action, label: str = "") -> Scheduled:
        entry = _Entry(when, self._seq, action, label)
        self._seq += 1
        heapq.heappush(self._heap, entry)
        self._wake.set()
        return Scheduled(entry)

    def after(self, seconds: float, action: Action, label: str = "") -> Scheduled:
        return self.at(self.clock.time() + max(0.0, seconds), action, label)

    def soon(self, action: Action, label: str = "") -> Scheduled:
        """Run ``action`` as the next thing due now (after what is already due now)."""
        return self.at(self.clock.time(), action, label)

    @property
    def pending(self) -> int:
        return sum(1 for entry in self._heap if not entry.cancelled)

    def next_due(self) -> float | None:
        """When the earliest action still to run is due (simulated epoch), or None."""
        while self._heap and self._heap[0].cancelled:
            heapq.heappop(self._heap)
        return self._heap[0].when if self._heap else None

    def _pop_due(self, until: float) -> _Entry | None:
        while self._heap and self._heap[0].when <= until:
            entry = heapq.heappop(self._heap)
            if not entry.cancelled:
                return entry
        return None

    async def _run(self, entry: _Entry) -> None:
        try:
            result = entry.action()
            if inspect.isawaitable(result):
                await result
        except Exception:
            # One failing action must not stop the whole simulated call center; it is logged
            # with its traceback (simulator code holds no tokens) and the rest carries on.
            logger.exception("simulator action %r failed", entry.label or entry.action)

    async def advance(self, seconds: float) -> None:
        """Stepped time: run everything due in the next ``seconds``, each at its own time."""
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        target = self.clock.time() + seconds
        while (entry := self._pop_due(target)) is not None:
            gap = entry.when - self.clock.time()
            if gap > 0:
                self.clock.advance(gap)
            await self._run(entry)
        rest = target - self.clock.time()
        if rest > 0:
            self.clock.advance(rest)

    async def run_due(self) -> None:
        """Run what is due at the clock's present time (and what that schedules for now)."""
        while (entry := self._pop_due(self.clock.time())) is not None:
            await self._run(entry)

    async def run(self) -> None:
        """Run actions as the clock reaches them until cancelled (real or accelerated time;
        a manual clock only moves when something advances it)."""
        while True:
            await self.run_due()
            self._wake.clear()
            nap = MAX_NAP
            if self._heap and self.clock.mode is not ClockMode.MANUAL:
                ahead = self._heap[0].when - self.clock.time()
                nap = min(nap, max(0.0, ahead / self.clock.speed))
            try:
                async with asyncio.timeout(nap):
                    await self._wake.wait()
            except TimeoutError:
                pass
