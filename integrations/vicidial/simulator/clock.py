"""The simulator's own clock: real time, accelerated, or stepped by hand.

Every time the simulator reports (epochs, call dates, log rows) comes from here, so tests and
demos decide what "now" is. Times are naive, in the dialer's own zone, as ViciDial prints them;
the epoch treats that zone as UTC, which is what the captured server (set to UTC) did.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from enum import StrEnum

# Faster than this the traffic model would play weeks of calls per wall second, and nobody
# could watch it; it also keeps a long run far from the last date the clock can show.
MAX_SPEED = 10_000.0
# The clock stops here: later than anything a scenario needs, early enough that date
# arithmetic on it (a callback due next year) stays inside what datetime can hold.
LATEST = datetime(9000, 1, 1)


class ClockMode(StrEnum):
    REAL = "real"
    ACCELERATED = "accelerated"
    MANUAL = "manual"


def to_epoch(moment: datetime) -> float:
    return moment.replace(tzinfo=UTC).timestamp()


def from_epoch(epoch: float) -> datetime:
    return datetime.fromtimestamp(int(epoch), UTC).replace(tzinfo=None)


_LATEST_EPOCH = to_epoch(LATEST)


def check_speed(speed: float) -> float:
    """``speed`` when the clock can run at it, else a ValueError that gives the range."""
    if not 0 < speed <= MAX_SPEED:  # NaN fails every comparison, so it is refused too
        raise ValueError(f"clock speed must be above 0 and at most {MAX_SPEED:g}")
    return speed


class SimClock:
    """Simulated time = start + (wall time since anchoring) x speed, or frozen when manual."""

    def __init__(
        self,
        start: datetime | None = None,
        *,
        mode: ClockMode = ClockMode.REAL,
        speed: float = 1.0,
        wall: Callable[[], float] = time.time,
    ) -> None:
        check_speed(speed)
        self._wall = wall
        self._mode = mode
        self._speed = 1.0 if mode is ClockMode.REAL else speed
        self._anchor_wall = wall()
        self._anchor_sim = to_epoch(start) if start is not None else self._anchor_wall

    def __repr__(self) -> str:
        return f"SimClock({self.now():%Y-%m-%d %H:%M:%S}, mode={self._mode.value})"

    @property
    def mode(self) -> ClockMode:
        return self._mode

    @property
    def speed(self) -> float:
        return self._speed

    def time(self) -> float:
        moment = self._anchor_sim
        if self._mode is not ClockMode.MANUAL:
            moment += (self._wall() - self._anchor_wall) * self._speed
        return min(moment, _LATEST_EPOCH)

    def epoch(self) -> int:
        return int(self.time())

    def now(self) -> datetime:
        return from_epoch(self.time())

    def today(self) -> date:
        return self.now().date()

    def _reanchor(self) -> None:
        self._anchor_sim = self.time()
        self._anchor_wall = self._wall()

    def advance(self, seconds: float) -> datetime:
        """Move time forward (any mode); a running clock keeps running from there."""
        if not 0 <= seconds <= _LATEST_EPOCH - self.time():  # NaN is refused too
            raise ValueError(f"the clock only moves forward, to {LATEST:%Y-%m-%d} at the latest")
        self._reanchor()
        self._anchor_sim += seconds
        return self.now()

    def set_mode(self, mode: ClockMode, speed: float | None = None) -> None:
        if speed is not None:
            check_speed(speed)
        self._reanchor()
        self._mode = mode
        if mode is ClockMode.REAL:
            self._speed = 1.0
        elif speed is not None:
            self._speed = speed
