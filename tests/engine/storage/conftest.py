"""A running run journal in a temporary state directory, on a manual clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC
from pathlib import Path

import pytest

from engine.clock import Clock, ClockMode
from engine.storage.trace_store import TraceStore
from engine.storage.traces import JournalSettings, TraceJournal
from tests.engine.storage.rows import START


@pytest.fixture
def clock() -> Clock:
    return Clock(ClockMode.MANUAL, tz=UTC, start=START)


@pytest.fixture
def settings() -> JournalSettings:
    return JournalSettings()


@pytest.fixture
async def journal(
    tmp_path: Path, clock: Clock, settings: JournalSettings
) -> AsyncIterator[TraceJournal]:
    journal = TraceJournal(tmp_path, settings, clock)
    await journal.start()
    try:
        yield journal
    finally:
        await journal.stop()


@pytest.fixture
def store(tmp_path: Path, journal: TraceJournal) -> TraceStore:
    return TraceStore(tmp_path)
