"""Where a run is, as plain data: the run journal's unit.

A run is a stack of frames, one per block of steps it is inside (the rule's ``actions``, a
``sequence``), each with the index of its next step, plus the run's variables and what it waits
for (a delay's due time). ``to_dict`` gives JSON-ready data; a later version resumes a run
after a restart from it, with the triggering event recorded beside it.
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
    owner: str | None = None  # the path of the step that opened it (a sequence)

    def as_dict(self) -> dict[str, Any]:
        return {"block": self.block, "index": self.index, "owner": self.owner}


@dataclass(slots=True)
class RunState:
    run_id: str
    rule_id: str
    rule_version: str  # the rule's fingerprint: a changed rule's runs do not resume
    variables: dict[str, Any]
    frames: list[Frame] = field(default_factory=lambda: [Frame(ROOT)])
    # What the run waits for: {"step": path, "until": epoch seconds} while in a delay.
    waiting: dict[str, Any] | None = None
    current: str | None = None  # the path of the step running now

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "rule_id": self.rule_id,
            "rule_version": self.rule_version,
            "variables": {k: plain(v) for k, v in self.variables.items() if k not in _REBUILT},
            "frames": [frame.as_dict() for frame in self.frames],
            "waiting": dict(self.waiting) if self.waiting else None,
            "current": self.current,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunState:
        return cls(
            run_id=data["run_id"],
            rule_id=data["rule_id"],
            rule_version=data["rule_version"],
            variables=dict(data["variables"]),
            frames=[Frame(f["block"], f["index"], f.get("owner")) for f in data["frames"]],
            waiting=data.get("waiting"),
            current=data.get("current"),
        )
