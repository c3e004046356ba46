"""``this`` in templates: the rule, with its last start as the run saw it when it began."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rules.runtime import RuleRuntime


class This:
    __slots__ = ("_last", "_runtime")

    def __init__(self, runtime: RuleRuntime, last_triggered: float | None) -> None:
        self._runtime = runtime
        self._last = last_triggered

    def __repr__(self) -> str:
        return f"<this rule {self.id}>"

    @property
    def id(self) -> str:
        return self._runtime.rule.id

    @property
    def alias(self) -> str | None:
        return self._runtime.rule.model.alias

    @property
    def description(self) -> str | None:
        return self._runtime.rule.model.description

    @property
    def group(self) -> str | None:
        return self._runtime.rule.model.group

    @property
    def mode(self) -> str:
        return self._runtime.gates.mode

    @property
    def current(self) -> int:
        """Runs of the rule going now (over every key)."""
        return self._runtime.gates.active

    @property
    def last_triggered(self) -> datetime | None:
        last = self._last
        return None if last is None else datetime.fromtimestamp(last, self._runtime.clock.tz)

    @property
    def last_run(self) -> dict[str, Any] | None:
        """How the rule's last finished run ended: run_id, outcome, reason, started, ended."""
        record = self._runtime.last_run
        if record is None:
            return None
        tz = self._runtime.clock.tz
        return {
            "run_id": record.run_id,
            "outcome": None if record.outcome is None else record.outcome.value,
            "reason": record.reason,
            "started": datetime.fromtimestamp(record.started, tz),
            "ended": None if record.ended is None else datetime.fromtimestamp(record.ended, tz),
        }

    def as_plain(self) -> dict[str, Any]:
        return {"id": self.id, "last_triggered": self._last}
