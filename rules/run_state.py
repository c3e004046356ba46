"""Where a run is, as plain data: the run journal's unit.

A run walks one strand of steps, or several at once inside a ``parallel`` step. A strand is a
stack of frames, one per block of steps it is inside (the rule's ``actions``, a ``sequence``,
a ``choose`` option, a loop's body), each with the index of its next step and, for a loop,
its iteration; plus the strand's variables and what it waits for (a delay's due time, a wait's
timeout). While a strand's current step is a ``parallel`` one, its branches are strands of
their own. ``to_dict`` gives JSON-ready data; a later version resumes a run after a restart
from it, with the triggering event recorded beside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rules.template_views import plain

ROOT = "actions"
# Variables rebuilt when a run resumes rather than kept (``this`` is the rule as it is then).
_REBUILT = ("this",)


@dataclass(slots=True)
class Frame:
    block: str  # the path of the block: "actions", "actions/2/sequence"
    index: int = 0  # the next step to run in it
    owner: str | None = None  # the path of the step that opened it (a sequence, a loop)
    # A repeat's iteration: {"index": 1-based, and "count" or "items" when they are known}.
    loop: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "block": self.block,
            "index": self.index,
            "owner": self.owner,
            "loop": plain(self.loop) if self.loop is not None else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Frame:
        return cls(data["block"], data["index"], data.get("owner"), data.get("loop"))


@dataclass(slots=True)
class Strand:
    """One line of steps: the run's own, or a branch of a parallel step."""

    variables: dict[str, Any]
    frames: list[Frame] = field(default_factory=lambda: [Frame(ROOT)])
    # What the strand waits for: {"step": path, "until": epoch seconds or None, "for": what}
    # while in a delay or a wait.
    waiting: dict[str, Any] | None = None
    current: str | None = None  # the path of the step running now
    branches: list[Strand] | None = None  # while the current step is a parallel one

    def to_dict(self) -> dict[str, Any]:
        return {
            "variables": {k: plain(v) for k, v in self.variables.items() if k not in _REBUILT},
            "frames": [frame.as_dict() for frame in self.frames],
            "waiting": dict(self.waiting) if self.waiting else None,
            "current": self.current,
            "branches": None
            if self.branches is None
            else [branch.to_dict() for branch in self.branches],
        }

    @staticmethod
    def _fields(data: dict[str, Any]) -> dict[str, Any]:
        branches = data.get("branches")
        return {
            "variables": dict(data["variables"]),
            "frames": [Frame.from_dict(f) for f in data["frames"]],
            "waiting": data.get("waiting"),
            "current": data.get("current"),
            "branches": None if branches is None else [Strand.from_dict(b) for b in branches],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Strand:
        return cls(**cls._fields(data))


@dataclass(slots=True, kw_only=True)
class RunState(Strand):
    """The run's own strand, and which run of which rule (at which version) it is."""

    run_id: str
    rule_id: str
    rule_version: str  # the rule's fingerprint: a changed rule's runs do not resume

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "rule_id": self.rule_id,
            "rule_version": self.rule_version,
            **Strand.to_dict(self),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunState:
        return cls(
            run_id=data["run_id"],
            rule_id=data["rule_id"],
            rule_version=data["rule_version"],
            **cls._fields(data),
        )
