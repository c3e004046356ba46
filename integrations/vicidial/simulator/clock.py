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


class ClockMode(StrEnum):
    REAL = "real"
    ACCELERATED = "accelerated"
    MANUAL = "manual"


def to_epoch(moment: datetime) -> float:
    return moment.replace(tzinfo=UTC).timestamp()


def from_epoch(epoch: float) -> datetime:
    return datetime.fromtimestamp(int(epoch), UTC).replace(tzinfo=None)


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
        if speed <= 0:
            raise ValueError("clock speed must be positive")
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
        if self._mode is ClockMode.MANUAL:
            return self._anchor_sim
        return self._anchor_sim + (self._wall() - self._anchor_wall) * self._speed

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
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        self._reanchor()
        self._anchor_sim += seconds
        return self.now()

    def set_mode(self, mode: ClockMode, speed: float | None = None) -> None:
        if speed is not None and speed <= 0:
            raise ValueError("clock speed must be positive")
        self._reanchor()
        self._mode = mode
        if mode is ClockMode.REAL:
            self._speed = 1.0
        elif speed is not None:
            self._speed = speed
