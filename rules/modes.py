"""How a rule's runs may overlap: ``single``, ``restart``, ``queued`` and ``parallel``, with
``max``, as in Home Assistant; for the whole rule (``mode``) or per key (``concurrency``).

A ``Gate`` holds the runs of one key. It decides for each new run whether it starts, waits its
turn, or is dropped (and why, so the non-run can be recorded), and which running runs a
``restart`` cancels. ``Gates`` keeps a gate per key while the key has runs (a rule's mode is
the one key ``""``), so one agent's runs never wait for another's.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Generic, TypeVar

from rules.records import NotRunReason

R = TypeVar("R")


class Admit(StrEnum):
    START = "start"
    QUEUE = "queue"
    DROP = "drop"


@dataclass(frozen=True, slots=True)
class Decision(Generic[R]):
    admit: Admit
    reason: NotRunReason | None = None
    cancel: tuple[R, ...] = ()  # runs to cancel first (restart)


# The decisions that carry no run: made once (a decision is asked for at every trigger).
_START: Decision[Any] = Decision(Admit.START)
_QUEUE: Decision[Any] = Decision(Admit.QUEUE)
_DROP_SINGLE: Decision[Any] = Decision(Admit.DROP, NotRunReason.SINGLE)
_DROP_MAX: Decision[Any] = Decision(Admit.DROP, NotRunReason.MAX)


@dataclass(slots=True)
class Gate(Generic[R]):
    mode: str
    max: int
    active: list[R] = field(default_factory=list)
    waiting: deque[R] = field(default_factory=deque)

    def decide(self) -> Decision[R]:
        mode = self.mode
        if mode == "parallel":
            return _START if len(self.active) < self.max else _DROP_MAX
        if not self.active:
            return _START
        if mode == "single":
            return _DROP_SINGLE
        if mode == "restart":
            return Decision(Admit.START, cancel=tuple(self.active))
        # queued: max counts the running run and those waiting
        if len(self.active) + len(self.waiting) < self.max:
            return _QUEUE
        return _DROP_MAX

    def start(self, run: R) -> None:
        self.active.append(run)

    def queue(self, run: R) -> None:
        self.waiting.append(run)

    def finish(self, run: R) -> R | None:
        """``run`` ended (or was dropped from the queue): the next queued run to start."""
        if run in self.active:
            self.active.remove(run)
        elif run in self.waiting:
            self.waiting.remove(run)
            return None
        if self.waiting and not self.active:
            return self.waiting.popleft()
        return None

    def all(self) -> list[R]:
        return [*self.active, *self.waiting]


class Gates(Generic[R]):
    """A gate per key, each made when its key has a first run and dropped with its last."""

    __slots__ = ("_gates", "max", "mode")

    def __init__(self, mode: str, max_runs: int) -> None:
        self.mode = mode
        self.max = max_runs
        self._gates: dict[str, Gate[R]] = {}

    def __repr__(self) -> str:
        return f"Gates({self.mode}, {len(self._gates)} keys)"

    def decide(self, key: str) -> Decision[R]:
        gate = self._gates.get(key)
        if gate is None:
            return _START  # no run of this key: every mode starts it
        return gate.decide()

    def _gate(self, key: str) -> Gate[R]:
        gate = self._gates.get(key)
        if gate is None:
            gate = self._gates[key] = Gate(self.mode, self.max)
        return gate

    def start(self, key: str, run: R) -> None:
        self._gate(key).start(run)

    def queue(self, key: str, run: R) -> None:
        self._gate(key).queue(run)

    def finish(self, key: str, run: R) -> R | None:
        gate = self._gates.get(key)
        if gate is None:
            return None
        following = gate.finish(run)
        if key and not gate.active and not gate.waiting:
            del self._gates[key]  # the rule's own gate (key "") stays: most rules use only it
        return following

    @property
    def active(self) -> int:
        """Runs going now, over every key."""
        return sum(len(gate.active) for gate in self._gates.values())

    def all(self) -> list[R]:
        return [run for gate in self._gates.values() for run in gate.all()]
