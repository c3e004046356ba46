"""A budget for the log lines that outside requests cause, so that noise cannot be amplified.

Anyone who can reach the receiver can make it refuse requests; without a budget, each refusal
is a line, and a flood of them fills the disk and buries the lines that matter.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable


class LogLimiter:
    """At most ``per_minute`` lines a minute, in bursts of as many; the rest are counted.

    The count of the lines left out is added to the next line let through, so the log says
    that something was dropped, and how much.
    """

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._capacity = float(per_minute)
        self._tokens = float(per_minute)
        self._refill = per_minute / 60.0
        self._clock = clock
        self._last = clock()
        self._left_out = 0

    def __repr__(self) -> str:
        return f"LogLimiter(per_minute={self._capacity:g})"

    def _admit(self) -> bool:
        now = self._clock()
        self._tokens = min(self._capacity, self._tokens + (now - self._last) * self._refill)
        self._last = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return True
        self._left_out += 1
        return False

    def log(self, logger: logging.Logger, level: int, message: str, *args: object) -> None:
        """``logger.log(level, message, *args)`` when the budget allows it."""
        if not logger.isEnabledFor(level) or not self._admit():
            return
        if self._left_out:
            message += " (%d earlier lines left out by the log rate limit)"
            args = (*args, self._left_out)
            self._left_out = 0
        logger.log(level, message, *args, stacklevel=2)
