"""How a rule's runs may overlap: ``single``, ``restart``, ``queued`` and ``parallel``, with
``max``, as in Home Assistant.

A ``Gate`` holds the runs of one key: the whole rule today; per-key concurrency gives each key
its own gate. It decides for each new run whether it starts, waits its turn, or is dropped (and
why, so the non-run can be recorded), and which running runs a ``restart`` cancels.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Generic, TypeVar

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


@dataclass(slots=True)
class Gate(Generic[R]):
    mode: str
    max: int
    active: list[R] = field(default_factory=list)
    waiting: deque[R] = field(default_factory=deque)

    def decide(self) -> Decision[R]:
        mode = self.mode
        if mode == "parallel":
            if len(self.active) < self.max:
                return Decision(Admit.START)
            return Decision(Admit.DROP, NotRunReason.MAX)
        if not self.active:
            return Decision(Admit.START)
        if mode == "single":
            return Decision(Admit.DROP, NotRunReason.SINGLE)
        if mode == "restart":
            return Decision(Admit.START, cancel=tuple(self.active))
        # queued: max counts the running run and those waiting
        if len(self.active) + len(self.waiting) < self.max:
            return Decision(Admit.QUEUE)
        return Decision(Admit.DROP, NotRunReason.MAX)

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
