"""Which non-runs the journal records in full: all of them while they are rare, a sample past
a rate per rule, so a rule whose conditions turn away every event cannot flood the disk.

Per key and minute (on the engine's clock) the first ``rate`` are recorded; past that, one in
``every``. Whatever is recorded or not, the journal counts each one.
"""

from __future__ import annotations

from enum import Enum


class Sample(Enum):
    FULL = "full"  # under the rate
    SAMPLED = "sampled"  # past the rate, and picked
    COUNTED = "counted"  # past the rate: counted only


class Sampler:
    def __init__(self, every: int) -> None:
        if every < 1:
            raise ValueError("a sample is one in at least 1")
        self.every = every
        self._seen: dict[str, tuple[int, int]] = {}  # key: (minute, how many in it)

    def __repr__(self) -> str:
        return f"Sampler(1 in {self.every}, {len(self._seen)} keys)"

    def admit(self, key: str, rate: int, time: float) -> Sample:
        minute = int(time // 60)
        last, seen = self._seen.get(key, (minute, 0))
        if last != minute:
            seen = 0
        self._seen[key] = (minute, seen + 1)
        if seen < rate:
            return Sample.FULL
        return Sample.SAMPLED if (seen - rate) % self.every == 0 else Sample.COUNTED
