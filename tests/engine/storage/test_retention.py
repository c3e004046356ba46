"""Retention per rule: by count, errors by age, a maximum age, non-runs, and their counts."""

from __future__ import annotations

import sqlite3

import pytest

from engine.clock import Clock
from engine.storage.retention import COUNTS_KEPT, DAY, Retention, RulePolicy
from engine.storage.trace_store import TraceQuery, TraceStore
from engine.storage.traces import JournalSettings, TraceJournal
from tests.engine.storage.rows import START, end, not_run, record, start, step


def kept(store: TraceStore, rule: str, outcome: str | None = None) -> list[float]:
    """The start times (seconds after START) of what the journal keeps of ``rule``."""
    return [t.started - START for t in store.traces(TraceQuery(rule=rule, outcome=outcome))]


async def runs(journal: TraceJournal, rule: str, outcomes: str, at: float = 0) -> None:
    """One run of ``rule`` per letter of ``outcomes`` (f finished, e error), a second apart."""
    for n, letter in enumerate(outcomes):
        run = start(rule, at=START + at + n)
        outcome = {"f": "finished", "e": "error"}[letter]
        record(journal, run, step(run, 0), end(run, outcome))
    await journal.flush()


def with_policy(**policy: float | int | None) -> JournalSettings:
    return JournalSettings(
        Retention(RulePolicy(runs=3), {"special": RulePolicy(**policy)})  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("settings", [with_policy(runs=1)])
async def test_the_newest_runs_of_each_rule_are_kept(
    journal: TraceJournal, store: TraceStore
) -> None:
    await runs(journal, "plain", "fffff")
    await runs(journal, "special", "fff")
    swept = await journal.sweep()
    assert kept(store, "plain") == [4, 3, 2]
    assert kept(store, "special") == [2]
    assert (swept.runs, swept.steps) == (4, 4)
    with sqlite3.connect(journal.path) as conn:
        (steps,) = conn.execute("SELECT count(*) FROM steps").fetchone()
    assert steps == 4  # the steps went with their runs


@pytest.mark.parametrize("settings", [with_policy()])
async def test_errors_stay_past_the_count_for_their_age(
    journal: TraceJournal, store: TraceStore, clock: Clock
) -> None:
    await runs(journal, "plain", "eeffff")
    await journal.sweep()
    assert kept(store, "plain") == [5, 4, 3, 1, 0]  # the newest three, and the two errors
    await clock.advance(7 * DAY)  # the errors are seven days old less a second or two
    await journal.sweep()
    assert kept(store, "plain") == [5, 4, 3, 1, 0]
    await clock.advance(2)
    await journal.sweep()
    assert kept(store, "plain") == [5, 4, 3]


@pytest.mark.parametrize("settings", [with_policy(runs=100, max_age=3600)])
async def test_nothing_outlives_max_age_open_runs_included(
    journal: TraceJournal, store: TraceStore, clock: Clock
) -> None:
    await runs(journal, "special", "fe")
    journal.run_started(start("special", at=START + 2), dict)  # never ends
    await journal.flush()
    await clock.advance(3600)
    await journal.sweep()
    assert kept(store, "special") == [2, 1, 0]
    await clock.advance(3)
    await journal.sweep()
    assert kept(store, "special") == []


@pytest.mark.parametrize("settings", [with_policy()])
async def test_open_runs_do_not_count_and_are_not_removed_by_the_count(
    journal: TraceJournal, store: TraceStore
) -> None:
    journal.run_started(start("plain", at=START - 10), dict)
    await runs(journal, "plain", "ffff")
    await journal.sweep()
    assert kept(store, "plain") == [3, 2, 1, -10]
    assert kept(store, "plain", "running") == [-10]


@pytest.mark.parametrize("settings", [with_policy(not_runs=2)])
async def test_non_runs_are_kept_by_their_own_count_and_counts_by_age(
    journal: TraceJournal, store: TraceStore, clock: Clock
) -> None:
    for n in range(4):
        journal.count_not_run("special", "conditions", START + n)
        journal.not_run(not_run("special", at=START + n))
    await runs(journal, "special", "f")
    await journal.sweep()
    assert kept(store, "special", "not_run") == [3, 2]
    assert kept(store, "special", "finished") == [0]
    assert store.not_run_counts() == {"special": {"conditions": 4}}
    await clock.advance(COUNTS_KEPT + 60)
    await journal.sweep()
    assert store.not_run_counts() == {}
