"""A recording read back for replay: its events in time order, its calls by run, and the
problems of the lines that could not be read.

Several files (a recording and its rotated ones) make one recording: their lines are put in
time order, lines of the same time keeping the order they were written in.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from engine.storage.record_lines import (
    LineProblem,
    RecordedCall,
    RecordedEvent,
    read_lines,
)

CallKey = tuple[str, str, str]  # rule, triggering event (its key), service


@dataclass(slots=True)
class Recording:
    events: list[RecordedEvent] = field(default_factory=list)
    calls: list[RecordedCall] = field(default_factory=list)
    problems: list[LineProblem] = field(default_factory=list)

    @property
    def end(self) -> float | None:
        """The time of the last line, events or calls."""
        times = [*(e.time for e in self.events[-1:]), *(c.time for c in self.calls[-1:])]
        return max(times) if times else None

    def answers(self) -> Answers:
        return Answers(self.calls)


def read_recording(paths: Sequence[Path]) -> Recording:
    """The lines of ``paths``; RecordingError if one cannot be read at all."""
    recording = Recording()
    lines = [line for path in paths for line in read_lines(path, recording.problems)]
    for line in sorted(lines, key=lambda line: line.record.time):
        record = line.record
        if isinstance(record, RecordedEvent):
            recording.events.append(record)
        else:
            recording.calls.append(record)
    return recording


class Answers:
    """The recorded answers of one rule's calls of one service from one triggering event
    (named by ``rules.replay.keys``), in the order they were made: replay's n-th such call
    is answered by the n-th recorded one."""

    def __init__(self, calls: Iterable[RecordedCall]) -> None:
        self._left: dict[CallKey, deque[RecordedCall]] = {}
        for call in calls:
            key = (call.rule_id, call.event or call.event_id, call.service)
            self._left.setdefault(key, deque()).append(call)

    def __repr__(self) -> str:
        return f"Answers({sum(map(len, self._left.values()))} left)"

    def take(self, rule_id: str, event: str, service: str) -> RecordedCall | None:
        left = self._left.get((rule_id, event, service))
        return left.popleft() if left else None
