"""How long the run journal keeps what, per rule, and the sweep that applies it.

Per rule: the newest ``runs`` runs that ended, whatever their outcome; error runs past those
for ``errors`` seconds more; the newest ``not_runs`` recorded non-runs; and, when ``max_age``
is set, nothing older than that. Open runs are kept until ``max_age`` (a resume needs them).
Non-run counts are kept per minute for ``COUNTS_KEPT``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from engine.storage.trace_schema import NOT_RUN

DAY = 86400.0
COUNTS_KEPT = 7 * DAY
_CHUNK = 500  # ids deleted per statement


@dataclass(frozen=True, slots=True)
class RulePolicy:
    runs: int = 200
    errors: float = 7 * DAY  # seconds
    max_age: float | None = None  # seconds
    not_runs: int = 200
    not_run_rate: int = 60  # non-runs per minute recorded in full; past it, sampled


@dataclass(frozen=True, slots=True)
class Retention:
    default: RulePolicy = RulePolicy()
    rules: Mapping[str, RulePolicy] = field(default_factory=dict)

    def of(self, rule_id: str) -> RulePolicy:
        return self.rules.get(rule_id, self.default)


@dataclass(frozen=True, slots=True)
class Swept:
    runs: int  # runs and non-runs removed
    steps: int


def sweep(conn: sqlite3.Connection, retention: Retention, now: float) -> Swept:
    """Remove what ``retention`` no longer keeps at ``now`` (in the caller's transaction)."""
    doomed: set[str] = set()
    rules = [rule_id for (rule_id,) in conn.execute("SELECT DISTINCT rule_id FROM traces")]
    for rule_id in rules:
        policy = retention.of(rule_id)
        spared_since = now - policy.errors
        past_count = conn.execute(
            "SELECT id, outcome, started FROM traces WHERE rule_id = ? AND outcome IS NOT NULL"
            " AND outcome != ? ORDER BY started DESC, id DESC LIMIT -1 OFFSET ?",
            (rule_id, NOT_RUN, policy.runs),
        )
        doomed.update(
            ident
            for ident, outcome, started in past_count
            if not (outcome == "error" and started >= spared_since)
        )
        doomed.update(
            ident
            for (ident,) in conn.execute(
                "SELECT id FROM traces WHERE rule_id = ? AND outcome = ?"
                " ORDER BY started DESC, id DESC LIMIT -1 OFFSET ?",
                (rule_id, NOT_RUN, policy.not_runs),
            )
        )
        if policy.max_age is not None:
            doomed.update(
                ident
                for (ident,) in conn.execute(
                    "SELECT id FROM traces WHERE rule_id = ? AND started < ?",
                    (rule_id, now - policy.max_age),
                )
            )
    steps = 0
    for chunk in _chunks(sorted(doomed)):
        marks = ",".join("?" * len(chunk))
        conn.execute(f"DELETE FROM traces WHERE id IN ({marks})", chunk)
        steps += conn.execute(f"DELETE FROM steps WHERE run_id IN ({marks})", chunk).rowcount
    conn.execute("DELETE FROM not_run_counts WHERE minute < ?", (int((now - COUNTS_KEPT) // 60),))
    return Swept(len(doomed), steps)


def _chunks(items: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]
