"""Cooldowns: after a run starts, no other run with the same key until the cooldown is over.

Kept per key (``cooldown.key``; none: the one key ``""`` for the whole rule) as the time each
ends, on the engine clock; plain data (``to_dict``). Expired keys are swept now and then, so
a key seen once does not stay for ever.
"""

from __future__ import annotations

# Expired keys are swept when there are this many more than at the last sweep.
_SWEEP_AFTER = 256


class Cooldowns:
    __slots__ = ("_swept", "until")

    def __init__(self) -> None:
        self.until: dict[str, float] = {}
        self._swept = 0

    def __repr__(self) -> str:
        return f"Cooldowns({len(self.until)} keys)"

    def active(self, key: str, now: float) -> bool:
        """Whether ``key`` cools down at ``now``."""
        until = self.until.get(key)
        return until is not None and now < until

    def start(self, key: str, now: float, seconds: float) -> None:
        self.until[key] = now + seconds
        if len(self.until) > self._swept + _SWEEP_AFTER:
            self.until = {k: u for k, u in self.until.items() if u > now}
            self._swept = len(self.until)

    def to_dict(self) -> dict[str, float]:
        return dict(self.until)
