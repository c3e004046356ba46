"""Opening a SQLite file of the state directory: WAL, a busy timeout, and a schema version.

WAL lets readers (``vicibus traces``, the API) read while the one writer commits, and with
``synchronous=NORMAL`` a commit is a write into the WAL file without waiting for the disk: a
committed transaction survives the process being killed (SIGKILL, OOM), and only a crash of the
machine itself can lose the last ones (``synchronous=FULL`` waits for the disk on every commit).
"""

from __future__ import annotations

import os
import pwd
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Literal
from urllib.parse import quote

from engine.errors import EngineError

Synchronous = Literal["normal", "full"]
BUSY_TIMEOUT_MS = 5000  # a reader waits this long for a checkpoint to let go


class StorageError(EngineError):
    """A storage file cannot be opened, read or written; the message says which and why."""


class StorageMissingError(StorageError):
    """There is no such storage file yet (the daemon never ran with this state directory)."""


def open_writer(path: Path, synchronous: Synchronous = "normal") -> sqlite3.Connection:
    """The one writing connection of ``path`` (made with its directory when missing), in
    autocommit mode: the writer opens each transaction itself."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=True)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute(f"PRAGMA synchronous = {synchronous.upper()}")
    except (OSError, sqlite3.Error) as exc:
        raise StorageError(f"cannot open {path} for writing: {exc}") from exc
    return conn


def open_reader(path: Path) -> sqlite3.Connection:
    """A read-only connection to ``path``; it reads beside a running writer."""
    if not path.is_file():
        raise StorageMissingError(f"there is no {path.name} in {path.parent} yet")
    _check_reader(path)
    try:
        conn = sqlite3.connect(
            f"file:{quote(str(path))}?mode=ro", uri=True, check_same_thread=False
        )
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA query_only = ON")
    except sqlite3.Error as exc:
        raise StorageError(f"cannot open {path} for reading: {exc}") from exc
    return conn


def _check_reader(path: Path) -> None:
    """A reader of a WAL file makes its -wal and -shm files when they are missing (the writer
    closed), and they stay: made by another user (root), the daemon could not write them any
    more. So another user reads only while they are there."""
    owner = path.stat().st_uid
    if owner == os.geteuid():
        return
    if all(path.with_name(path.name + suffix).exists() for suffix in ("-wal", "-shm")):
        return
    try:
        name = pwd.getpwuid(owner).pw_name
    except KeyError:
        name = str(owner)
    raise StorageError(
        f"{path} belongs to {name}, and reading it as another user would leave files there "
        f"that {name} cannot write: run this as {name} (sudo -u {name} ...)"
    )


def migrate(conn: sqlite3.Connection, steps: Sequence[str], name: str) -> None:
    """Bring the schema up to ``len(steps)``: step ``i`` (a SQL script) makes version i + 1.
    A file written by a newer vicibus is refused rather than misread."""
    (version,) = conn.execute("PRAGMA user_version").fetchone()
    if version > len(steps):
        raise StorageError(
            f"{name} has schema version {version}, newer than this vicibus reads "
            f"({len(steps)}): upgrade vicibus, or move the file away"
        )
    for number in range(version, len(steps)):
        conn.executescript(f"BEGIN; {steps[number]}; PRAGMA user_version = {number + 1}; COMMIT;")


def check_version(conn: sqlite3.Connection, steps: Sequence[str], name: str) -> None:
    """For a reader: the file's schema is the one this vicibus writes."""
    (version,) = conn.execute("PRAGMA user_version").fetchone()
    if version != len(steps):
        newer = "newer" if version > len(steps) else "older"
        raise StorageError(
            f"{name} has schema version {version}, {newer} than this vicibus's "
            f"({len(steps)}): run the daemon of this version once, or read it with its own"
        )
