"""The writer thread: order, one transaction per piece of work, failures, the schema."""

from __future__ import annotations

import asyncio
import sqlite3
from concurrent.futures import Future
from pathlib import Path

import pytest

from engine.storage.database import StorageError, check_version, migrate, open_reader
from engine.storage.writer import Writer

SCHEMA = ("CREATE TABLE t (n INTEGER)", "ALTER TABLE t ADD COLUMN m INTEGER")


def setup(conn: sqlite3.Connection) -> None:
    migrate(conn, SCHEMA, "test.db")


def rows(path: Path) -> list[int]:
    conn = open_reader(path)
    try:
        return [n for (n,) in conn.execute("SELECT n FROM t ORDER BY rowid")]
    finally:
        conn.close()


def insert(n: int, fail: bool = False):  # type: ignore[no-untyped-def]
    def work(conn: sqlite3.Connection) -> None:
        conn.execute("INSERT INTO t (n) VALUES (?)", (n,))
        if fail:
            raise ValueError("a defect in the middle of a batch")

    return work


async def test_work_is_written_in_order_and_a_failure_is_rolled_back(tmp_path: Path) -> None:
    writer = Writer(tmp_path / "test.db", setup, name="test")
    await asyncio.wrap_future(writer.start())
    told: list[BaseException | None] = []
    writer.submit(insert(1), told.append)
    writer.submit(insert(2, fail=True), told.append)
    writer.submit(insert(3), told.append)
    await asyncio.wrap_future(writer.flush())
    assert rows(tmp_path / "test.db") == [1, 3]
    assert told[0] is None
    assert told[2] is None
    assert isinstance(told[1], ValueError)
    assert writer.failures == 1
    writer.submit(insert(4))
    assert await asyncio.to_thread(writer.stop, 10)  # what was submitted is written first
    assert rows(tmp_path / "test.db") == [1, 3, 4]


async def test_the_schema_is_migrated_once_and_a_newer_one_refused(tmp_path: Path) -> None:
    path = tmp_path / "test.db"
    for _ in range(2):
        writer = Writer(path, setup)
        await asyncio.wrap_future(writer.start())
        assert await asyncio.to_thread(writer.stop, 10)
    conn = open_reader(path)
    try:
        check_version(conn, SCHEMA, "test.db")
        with pytest.raises(StorageError, match="older than this vicibus's"):
            check_version(conn, (*SCHEMA, "CREATE TABLE u (n)"), "test.db")
    finally:
        conn.close()
    writer = Writer(path, lambda conn: migrate(conn, SCHEMA[:1], "test.db"))
    opened: Future[None] = writer.start()
    with pytest.raises(StorageError, match="newer than this vicibus reads"):
        await asyncio.wrap_future(opened)


async def test_a_path_that_is_no_file_is_a_storage_error(tmp_path: Path) -> None:
    (tmp_path / "test.db").mkdir()
    writer = Writer(tmp_path / "test.db", setup)
    with pytest.raises(StorageError, match="cannot open"):
        await asyncio.wrap_future(writer.start())
