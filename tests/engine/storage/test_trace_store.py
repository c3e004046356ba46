"""The run journal's read side: filters, pages, the chain of causes, counts, and its input."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.context import Context, Origin
from engine.storage.database import StorageError, StorageMissingError
from engine.storage.trace_store import (
    TraceNotFoundError,
    TraceQuery,
    TraceStore,
    parse_before,
)
from engine.storage.traces import TraceJournal
from tests.engine.storage.rows import START, end, event, not_run, record, start, step


async def fill(journal: TraceJournal) -> dict[str, str]:
    """Runs and non-runs of two rules, one a second apart; their ids by name."""
    ids: dict[str, str] = {}
    plan = [  # name, rule, outcome, agent, lead, campaign
        ("ok", "pause", "finished", "1001", None, "TESTCAMP"),
        ("failed", "pause", "error", "1002", "77", None),
        ("other", "hopper", "finished", None, None, "SALES"),
        ("stopped", "pause", "stopped", "1001", None, None),
    ]
    for n, (name, rule, outcome, agent, lead, campaign) in enumerate(plan):
        run = start(rule, at=START + n, agent=agent, lead=lead, campaign=campaign)
        record(journal, run, step(run, 0, at=START + n), end(run, outcome))
        ids[name] = run.run_id
    open_run = start("pause", at=START + 10, agent="1003")
    record(journal, open_run, step(open_run, 0, at=START + 10))
    ids["running"] = open_run.run_id
    kept = not_run("pause", at=START + 11, reason="cooldown", agent="1001")
    journal.not_run(kept)
    ids["not_run"] = kept.id
    await journal.flush()
    return ids


async def test_filters(journal: TraceJournal, store: TraceStore) -> None:
    ids = await fill(journal)

    def found(**query: object) -> list[str]:
        names = {v: k for k, v in ids.items()}
        return [names[t.id] for t in store.traces(TraceQuery(**query))]  # type: ignore[arg-type]

    assert found() == ["not_run", "running", "stopped", "other", "failed", "ok"]
    assert found(rule="hopper") == ["other"]
    assert found(agent="1001") == ["not_run", "stopped", "ok"]
    assert found(lead="77") == ["failed"]
    assert found(campaign="TESTCAMP") == ["ok"]
    assert found(outcome="error") == ["failed"]
    assert found(outcome="running") == ["running"]
    assert found(outcome="not_run") == ["not_run"]
    assert found(rule="pause", agent="1001", outcome="stopped") == ["stopped"]
    assert found(limit=2) == ["not_run", "running"]
    assert found(before=START + 3) == ["other", "failed", "ok"]
    assert found(before=ids["other"]) == ["failed", "ok"]
    (trace,) = store.traces(TraceQuery(outcome="not_run"))
    assert (trace.kind, trace.reason, trace.as_dict()["outcome"]) == (
        "not_run",
        "cooldown",
        "not_run",
    )


async def test_pages_cover_every_trace_once_when_times_are_equal(
    journal: TraceJournal, store: TraceStore
) -> None:
    made = set()
    for _ in range(7):  # a manual clock: every run at the same time
        run = start(at=START)
        record(journal, run, end(run))
        made.add(run.run_id)
    await journal.flush()
    seen: list[str] = []
    before: str | None = None
    while True:
        page = store.traces(TraceQuery(limit=3, before=before))
        seen += [t.id for t in page]
        if len(page) < 3:
            break
        before = page[-1].id
    assert len(seen) == 7
    assert set(seen) == made


async def test_a_trace_in_full_with_the_chain_back_to_the_webhook(
    journal: TraceJournal, store: TraceStore
) -> None:
    webhook = event(origin="webhook", user="1001")
    runs_context = Context(Origin.RULE, webhook.context.id)
    first = start("first", cause=webhook, context=runs_context)
    record(journal, first, step(first, 0), end(first))
    # The second rule triggers on an event the first one fired: its context is the run's.
    fired = event(event_type="agent_flagged", context=runs_context)
    second = start("second", cause=fired)
    record(journal, second, step(second, 0), end(second))
    await journal.flush()
    trace = store.trace(second.run_id)
    assert [link["type"] for link in trace.chain] == ["agent_flagged", "vicidial_pause_max"]
    assert trace.chain[0]["run_id"] == first.run_id
    assert trace.chain[0]["rule_id"] == "first"
    assert trace.chain[1] == {
        "type": "vicidial_pause_max",
        "context_id": webhook.context.id,
        "origin": "webhook",
        "user": None,
    }
    assert [s.path for s in trace.steps] == ["actions/0"]


async def test_unknown_ids_are_typed_errors(journal: TraceJournal, store: TraceStore) -> None:
    with pytest.raises(TraceNotFoundError, match="0123456789abcdef01234567"):
        store.trace("0123456789abcdef01234567")
    with pytest.raises(TraceNotFoundError):
        store.traces(TraceQuery(before="0123456789abcdef01234567"))


def test_queries_say_what_is_wrong() -> None:
    with pytest.raises(ValueError, match="outcome is one of"):
        TraceQuery(outcome="done")
    with pytest.raises(ValueError, match="limit is from 1 to 500"):
        TraceQuery(limit=0)
    with pytest.raises(ValueError, match="before is a trace id"):
        TraceQuery(before="yesterday")


def test_a_missing_journal_is_its_own_error(tmp_path: Path) -> None:
    with pytest.raises(StorageMissingError, match=r"no traces\.db"):
        TraceStore(tmp_path)


def test_a_journal_of_another_version_is_refused(tmp_path: Path) -> None:
    with sqlite3.connect(tmp_path / "traces.db") as conn:
        conn.execute("PRAGMA user_version = 99")
    with pytest.raises(StorageError, match="schema version 99, newer"):
        TraceStore(tmp_path)


PARIS = ZoneInfo("Europe/Paris")


def test_before_reads_ids_epochs_and_times() -> None:
    assert parse_before("0123456789abcdef01234567", UTC) == "0123456789abcdef01234567"
    assert parse_before("1772438400", UTC) == 1772438400.0
    assert (
        parse_before("2026-03-02T09:00", PARIS) == datetime(2026, 3, 2, 8, tzinfo=UTC).timestamp()
    )
    assert (
        parse_before("2026-03-02T09:00+00:00", PARIS)
        == datetime(2026, 3, 2, 9, tzinfo=UTC).timestamp()
    )
    for wrong in ("yesterday", "nan", "inf", ""):
        with pytest.raises(ValueError, match="before is"):
            parse_before(wrong, UTC)


@given(st.text(max_size=40))
def test_before_takes_any_text_or_says_why_not(text: str) -> None:
    try:
        value: str | float | ValueError = parse_before(text, UTC)
    except ValueError as exc:
        value = exc
    if isinstance(value, ValueError):
        assert "before is" in str(value)
    else:
        assert isinstance(value, str | float)


@pytest.mark.skipif(os.geteuid() != 0, reason="making a file another user's takes root")
async def test_another_user_reads_only_while_the_daemon_holds_the_file(
    tmp_path: Path, journal: TraceJournal
) -> None:
    await journal.stop()  # the writer closed: no -wal and -shm beside the file
    assert sorted(os.listdir(tmp_path)) == ["traces.db"]
    os.chown(tmp_path / "traces.db", 65534, 65534)
    with pytest.raises(StorageError, match=r"run this as .* \(sudo -u "):
        TraceStore(tmp_path)
    assert sorted(os.listdir(tmp_path)) == ["traces.db"]  # nothing left behind
