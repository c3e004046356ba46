"""What a replay says: which rules ran, which matched and did not run and why, the rendered
actions with where each answer came from; and between two rule sets, which actions change.

A run is compared by its key: (rule, triggering event, outcome, rendered actions), the
triggering event named as ``rules.replay.keys`` names it. The same key is made of a run in
the live run journal (``run_key`` takes plain values), so a replay can be held against what
happened.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rules.records import NonRunRecord, RunRecord
from rules.replay.keys import key_of
from rules.replay.replayer import DEFAULT, RECORDED
from rules.testing.harness import Answer, CallRecord

NOT_RUN = "not_run"
_ANSWERS = {RECORDED: "recorded", DEFAULT: "default", Answer.LIVE: "live", Answer.ERROR: "error"}

RunKey = tuple[str, str, str, str]  # rule, triggering event, outcome, rendered actions


def canonical(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)


def run_key(rule_id: str, event: str, outcome: str, actions: Iterable[tuple[str, Any]]) -> RunKey:
    """``actions``: each (service, rendered data) in the order the run's steps ended."""
    return (rule_id, event, outcome, canonical([[service, data] for service, data in actions]))


@dataclass(frozen=True, slots=True)
class Action:
    path: str
    service: str
    data: Any
    outcome: str
    answer: str  # recorded, default, live, error; "" when the service was not called

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "service": self.service,
            "data": self.data,
            "outcome": self.outcome,
            "answer": self.answer,
        }


@dataclass(frozen=True, slots=True)
class Ran:
    """A run, or a non-run (``outcome`` ``not_run`` and its ``reason``)."""

    rule_id: str
    run_id: str | None
    trigger_id: str
    time: float
    event_type: str
    event: str  # the event_key
    outcome: str
    reason: str = ""
    error: str | None = None
    actions: tuple[Action, ...] = ()

    @property
    def key(self) -> RunKey:
        return run_key(
            self.rule_id, self.event, self.outcome, ((a.service, a.data) for a in self.actions)
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "run_id": self.run_id,
            "trigger_id": self.trigger_id,
            "time": self.time,
            "event_type": self.event_type,
            "event": self.event,
            "outcome": self.outcome,
            "reason": self.reason,
            "error": self.error,
            "actions": [action.as_dict() for action in self.actions],
        }


def _event(record: RunRecord | NonRunRecord) -> str:
    return key_of(record.event_type, record.event_context, record.event)


def report_of(
    timeline: Sequence[RunRecord | NonRunRecord],
    calls: Sequence[CallRecord],
    recorded: Container[int] = (),
) -> list[Ran]:
    """The harness's timeline as runs and non-runs, in the order they came; ``recorded``:
    the ids of the calls answered from the recording (a recorded error included)."""
    answers: dict[tuple[str | None, str], list[str]] = {}
    for call in calls:
        answer = "recorded" if id(call) in recorded else _ANSWERS[call.answer]
        answers.setdefault((call.run_id, call.service), []).append(answer)
    found = []
    for record in timeline:
        if isinstance(record, NonRunRecord):
            found.append(
                Ran(
                    record.rule_id,
                    None,
                    record.trigger_id,
                    record.time,
                    record.event_type,
                    _event(record),
                    NOT_RUN,
                    record.reason.value,
                )
            )
            continue
        taken: Counter[str] = Counter()
        actions = []
        for step in record.steps:
            if step.service is None:
                continue
            said = answers.get((record.run_id, step.service), [])
            index = taken[step.service]
            taken[step.service] += 1
            actions.append(
                Action(
                    step.path,
                    step.service,
                    step.data,
                    step.outcome.value if step.outcome else "running",
                    said[index] if index < len(said) else "",
                )
            )
        found.append(
            Ran(
                record.rule_id,
                record.run_id,
                record.trigger_id,
                record.started,
                record.event_type,
                _event(record),
                (record.outcome.value if record.outcome else "running"),
                record.reason,
                str(record.error) if record.error is not None else None,
                tuple(actions),
            )
        )
    return found


# -- two rule sets -----------------------------------------------------------------------------

ActionKey = tuple[str, str, str, int]  # rule, triggering event, service, n-th of them


@dataclass(frozen=True, slots=True)
class Change:
    kind: str  # changed, new (only the candidate's), gone (only the configured rules')
    rule_id: str
    event: str
    service: str
    time: float
    before: Any  # the configured rules' rendered data
    after: Any  # the candidate's

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "rule_id": self.rule_id,
            "event": self.event,
            "service": self.service,
            "time": self.time,
            "before": self.before,
            "after": self.after,
        }


@dataclass(frozen=True, slots=True)
class Diff:
    changes: tuple[Change, ...] = ()
    same: int = 0

    def count(self, kind: str) -> int:
        return sum(1 for change in self.changes if change.kind == kind)

    def summary(self) -> str:
        parts = [
            f"{self.count('changed')} {'action' if self.count('changed') == 1 else 'actions'} "
            "would change",
            f"{self.count('new')} would be new",
            f"{self.count('gone')} would be gone",
            f"{self.same} stay the same",
        ]
        return ", ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        return {
            "changed": self.count("changed"),
            "new": self.count("new"),
            "gone": self.count("gone"),
            "same": self.same,
            "changes": [change.as_dict() for change in self.changes],
        }


def _actions(runs: Iterable[Ran]) -> dict[ActionKey, tuple[float, Any]]:
    found: dict[ActionKey, tuple[float, Any]] = {}
    seen: Counter[tuple[str, str, str]] = Counter()
    for ran in runs:
        for action in ran.actions:
            base = (ran.rule_id, ran.event, action.service)
            found[(*base, seen[base])] = (ran.time, action.data)
            seen[base] += 1
    return found


def diff(configured: Sequence[Ran], candidate: Sequence[Ran]) -> Diff:
    """What the candidate's actions would be against the configured rules', action by action
    (by rule, triggering event and service, the n-th of them)."""
    before, after = _actions(configured), _actions(candidate)
    changes = []
    same = 0
    for key in sorted(before.keys() | after.keys(), key=lambda k: _order(k, before, after)):
        old, new = before.get(key), after.get(key)
        if old is not None and new is not None and canonical(old[1]) == canonical(new[1]):
            same += 1
            continue
        kind = "new" if old is None else "gone" if new is None else "changed"
        time = min(side[0] for side in (old, new) if side is not None)
        changes.append(
            Change(
                kind,
                key[0],
                key[1],
                key[2],
                time,
                None if old is None else old[1],
                None if new is None else new[1],
            )
        )
    return Diff(tuple(changes), same)


def _order(key: ActionKey, *sides: dict[ActionKey, tuple[float, Any]]) -> tuple[float, ActionKey]:
    return (min(side[key][0] for side in sides if key in side), key)


@dataclass(slots=True)
class Summary:
    runs: int = 0
    not_runs: int = 0
    actions: int = 0
    answers: Counter[str] = field(default_factory=Counter)

    @classmethod
    def of(cls, runs: Iterable[Ran]) -> Summary:
        summary = cls()
        for ran in runs:
            if ran.outcome == NOT_RUN:
                summary.not_runs += 1
                continue
            summary.runs += 1
            summary.actions += len(ran.actions)
            summary.answers.update(action.answer or "not called" for action in ran.actions)
        return summary

    def as_dict(self) -> dict[str, Any]:
        return {
            "runs": self.runs,
            "not_runs": self.not_runs,
            "actions": self.actions,
            "answers": dict(self.answers),
        }
