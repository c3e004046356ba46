"""The one clock of the daemon: timers, ``for:`` durations, cooldowns, count windows, schedules
and poll intervals all read it and all wait on it.

Modes:

- ``real``: wall-clock time.
- ``accelerated``: time runs ``speed`` times faster than real time from the moment the clock
  starts (or follows the simulated dialer's clock: ``retime`` moves it to the simulator's time
  and speed), so a ``for: 5 minutes`` rule fires within seconds in the demo.
- ``manual``: time stands still until ``advance`` moves it; tests (and the daemon's
  authenticated clock API) move time without sleeping. Timers due on the way fire in order,
  each at its own time, and the engine settles between them.

Times are epoch seconds (UTC); ``now()`` is aware, in the call center's time zone, which is
what "today", ``time`` triggers and cron schedules mean.

The clock keeps its own heap of timers and arms one loop timer for the earliest, so a change of
speed or a jump re-arms one handle instead of thousands.
"""

from __future__ import annotations

import asyncio
import heapq
import logging
import math
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, tzinfo
from enum import StrEnum
from typing import Protocol

import tzlocal

logger = logging.getLogger(__name__)

Callback = Callable[[], None]
Settle = Callable[[], Awaitable[None]]

# The fastest an accelerated clock runs: at more, a day passes in under nine seconds and
# timers cannot keep their order on a busy loop (the simulated dialer has the same bound).
MAX_SPEED = 10_000.0
# The longest a real or accelerated clock waits on the loop before it looks at the time again:
# the wall clock may have been set, and a long nap would then fire late.
_MAX_NAP = 30.0


class ClockMode(StrEnum):
    REAL = "real"
    ACCELERATED = "accelerated"
    MANUAL = "manual"


class ClockError(Exception):
    """A clock operation that its mode does not allow (advance on a real clock, ...)."""


def system_timezone() -> tzinfo:
    return tzlocal.get_localzone()


class Timer:
    """A callback due at ``when``; ``cancel()`` makes sure it never runs."""

    __slots__ = ("_clock", "callback", "cancelled", "when")

    def __init__(self, when: float, callback: Callback, clock: Clock | None = None) -> None:
        self.when = when
        self.callback = callback
        self.cancelled = False
        self._clock = clock

    def __repr__(self) -> str:
        state = " cancelled" if self.cancelled else ""
        return f"<Timer at {self.when:.3f}{state}>"

    def cancel(self) -> None:
        if not self.cancelled:
            self.cancelled = True
            if self._clock is not None:
                self._clock._timer_cancelled()


class Follower(Protocol):
    """A timeline a manual clock steps in step with (the embedded simulated dialer)."""

    def next_due(self) -> float | None:
        """When (engine epoch seconds) its next scheduled action is due; None: nothing."""

    async def run_until(self, when: float) -> None:
        """Play its actions up to ``when``, each at its own time."""


async def _yield_a_little() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


class Clock:
    def __init__(
        self,
        mode: ClockMode = ClockMode.REAL,
        *,
        speed: float = 1.0,
        tz: tzinfo | None = None,
        start: float | None = None,
    ) -> None:
        _check_speed(speed)
        self.tz = tz or system_timezone()
        self._mode = mode
        self._speed = 1.0 if mode is ClockMode.REAL else speed
        self._anchor_time = time.time() if start is None else start
        self._anchor_mono = time.monotonic()
        self._heap: list[tuple[float, int, Timer]] = []
        self._seq = 0
        self._cancelled = 0  # cancelled timers still in the heap
        self._loop: asyncio.AbstractEventLoop | None = None
        self._handle: asyncio.TimerHandle | None = None
        self._armed_for = math.inf
        self._followers: list[Follower] = []
        self._advancing: asyncio.Lock | None = None

    def __repr__(self) -> str:
        return (
            f"Clock({self._mode.value}, speed={self._speed:g}, {self.now():%Y-%m-%d %H:%M:%S %Z})"
        )

    @property
    def mode(self) -> ClockMode:
        return self._mode

    @property
    def speed(self) -> float:
        return self._speed

    # -- reading ---------------------------------------------------------------------------

    def time(self) -> float:
        if self._mode is ClockMode.REAL:
            return time.time()
        if self._mode is ClockMode.MANUAL:
            return self._anchor_time
        return self._anchor_time + (time.monotonic() - self._anchor_mono) * self._speed

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.time(), self.tz)

    def utcnow(self) -> datetime:
        return datetime.fromtimestamp(self.time(), UTC)

    # -- timers ----------------------------------------------------------------------------

    def call_at(self, when: float, callback: Callback) -> Timer:
        if math.isnan(when):
            raise ValueError("a timer needs a time, not NaN")
        timer = Timer(when, callback, self)
        self._seq += 1
        heapq.heappush(self._heap, (when, self._seq, timer))
        if when < self._armed_for:
            self._arm()
        return timer

    def call_later(self, delay: float, callback: Callback) -> Timer:
        return self.call_at(self.time() + max(0.0, delay), callback)

    async def sleep_until(self, when: float) -> None:
        if when <= self.time():
            await asyncio.sleep(0)
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        def wake() -> None:
            if not future.done():
                future.set_result(None)

        timer = self.call_at(when, wake)
        try:
            await future
        finally:
            timer.cancel()

    async def sleep(self, seconds: float) -> None:
        await self.sleep_until(self.time() + max(0.0, seconds))

    @property
    def pending(self) -> int:
        return len(self._heap) - self._cancelled

    def next_due(self) -> float | None:
        self._drop_cancelled_head()
        return self._heap[0][0] if self._heap else None

    def _timer_cancelled(self) -> None:
        self._cancelled += 1
        # Timers cancelled long before they are due (a ``for:`` broken by the next poll) would
        # pile up in the heap; past half of it, rebuild without them.
        if self._cancelled > 1024 and self._cancelled * 2 > len(self._heap):
            self._heap = [entry for entry in self._heap if not entry[2].cancelled]
            heapq.heapify(self._heap)
            self._cancelled = 0

    def _drop_cancelled_head(self) -> None:
        heap = self._heap
        while heap and heap[0][2].cancelled:
            heapq.heappop(heap)
            self._cancelled -= 1

    def _run_due(self, until: float) -> None:
        # self._heap each time round, never a local: a callback cancelling many timers makes
        # _timer_cancelled rebuild the heap, and popping the old list would run a timer the
        # new one still holds.
        while self._heap and self._heap[0][0] <= until:
            _, _, timer = heapq.heappop(self._heap)
            if timer.cancelled:
                self._cancelled -= 1
                continue
            timer.cancelled = True  # a timer runs once; cancelling it afterwards is harmless
            try:
                timer.callback()
            except Exception:
                logger.exception("clock timer %r failed", timer.callback)

    # -- driving the loop (real and accelerated) -------------------------------------------

    def start(self) -> None:
        """Begin firing timers on the running loop (real and accelerated modes)."""
        self._loop = asyncio.get_running_loop()
        self._arm()

    def stop(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        self._armed_for = math.inf
        self._loop = None

    def _arm(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        self._armed_for = math.inf
        if self._loop is None or self._mode is ClockMode.MANUAL:
            return
        self._drop_cancelled_head()
        if not self._heap:
            return
        when = self._heap[0][0]
        nap = min(_MAX_NAP, max(0.0, (when - self.time()) / self._speed))
        self._armed_for = when
        self._handle = self._loop.call_later(nap, self._alarm)

    def _alarm(self) -> None:
        self._handle = None
        self._armed_for = math.inf
        self._run_due(self.time())
        self._arm()

    # -- moving time -----------------------------------------------------------------------

    def retime(
        self, *, at: float | None = None, speed: float | None = None, mode: ClockMode | None = None
    ) -> None:
        """Re-anchor: jump to ``at`` and/or change speed or mode (following the simulator)."""
        if speed is not None:
            _check_speed(speed)
        current = self.time()
        self._anchor_time = current if at is None else at
        self._anchor_mono = time.monotonic()
        if mode is not None:
            self._mode = mode
        if speed is not None:
            self._speed = speed
        if self._mode is ClockMode.REAL:
            self._speed = 1.0
            self._anchor_time = time.time()
        if self._mode is ClockMode.MANUAL:
            # A jump of a manual clock fires what it passed, in order, as advance would.
            self._run_due(self._anchor_time)
        self._arm()

    def add_follower(self, follower: Follower) -> Callable[[], None]:
        self._followers.append(follower)
        return lambda: self._followers.remove(follower)

    async def advance(self, seconds: float, settle: Settle | None = None) -> None:
        """Manual mode: move time forward by ``seconds``, firing every timer (and every
        follower's action) due on the way at its own time, settling the engine in between."""
        if self._mode is not ClockMode.MANUAL:
            raise ClockError(f"only a manual clock can be advanced; this one is {self._mode}")
        if not math.isfinite(seconds) or seconds < 0:
            raise ValueError("advance takes a finite number of seconds, zero or more")
        settle = settle or _yield_a_little
        if self._advancing is None:
            self._advancing = asyncio.Lock()
        async with self._advancing:
            target = self._anchor_time + seconds
            await settle()
            stuck: set[int] = set()  # followers that did not move past their due time
            while (step := self._next_step(target, stuck)) is not None:
                when, follower = step
                self._anchor_time = max(self._anchor_time, when)
                if follower is not None:
                    await follower.run_until(when)
                    if follower.next_due() == when:
                        logger.error("clock follower %r did not run what was due", follower)
                        stuck.add(id(follower))
                else:
                    self._run_due(when)
                await settle()
            self._anchor_time = target
            for follower in list(self._followers):
                await follower.run_until(target)
            await settle()

    def _next_step(self, target: float, stuck: set[int]) -> tuple[float, Follower | None] | None:
        best: tuple[float, Follower | None] | None = None
        own = self.next_due()
        if own is not None and own <= target:
            best = (own, None)
        for follower in self._followers:
            if id(follower) in stuck:
                continue
            due = follower.next_due()
            if due is not None and due <= target and (best is None or due < best[0]):
                best = (due, follower)
        return best


def _check_speed(speed: float) -> None:
    if not math.isfinite(speed) or not 0 < speed <= MAX_SPEED:
        raise ValueError(f"clock speed must be above zero and at most {MAX_SPEED:g}")
