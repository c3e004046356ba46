"""The one thread that writes a SQLite file: each piece of work in a transaction of its own.

The event loop hands work over (``submit``) and goes on at once; the thread runs it and commits,
then tells the work's ``done`` callback, in the writer thread, whether it was committed. Work is
done in the order it was submitted, so ``flush`` (a no-op) completes once everything submitted
before it is on disk. Python's sqlite3 lets go of the GIL while SQLite runs, so the disk work
overlaps the loop's.
"""

from __future__ import annotations

import logging
import queue
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

from engine.storage.database import StorageError, Synchronous, open_writer

logger = logging.getLogger("vicibus.storage")

Work = Callable[[sqlite3.Connection], None]
Done = Callable[[BaseException | None], None]


@dataclass(frozen=True, slots=True)
class _Item:
    work: Work | None  # None: nothing to write (a flush)
    done: Done | None
    future: Future[None] | None = None


_STOP = _Item(None, None)


class Writer:
    def __init__(
        self,
        path: Path,
        setup: Work,
        *,
        synchronous: Synchronous = "normal",
        name: str = "storage",
    ) -> None:
        self.path = path
        self._setup = setup
        self._synchronous = synchronous
        self._name = name
        self._queue: queue.SimpleQueue[_Item] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self.failures = 0  # pieces of work that were rolled back

    def __repr__(self) -> str:
        running = self._thread is not None and self._thread.is_alive()
        return f"Writer({self.path}, {'running' if running else 'stopped'})"

    @property
    def native_id(self) -> int | None:
        """The thread's id in the operating system (to read its CPU time), while it runs."""
        thread = self._thread
        return thread.native_id if thread is not None and thread.is_alive() else None

    def start(self) -> Future[None]:
        """Open the file and run ``setup`` (the schema) in the thread; the future says how
        that went (a StorageError when the file cannot be used)."""
        opened: Future[None] = Future()
        self._thread = threading.Thread(
            target=self._main, args=(opened,), name=f"vicibus {self._name} writer", daemon=True
        )
        self._thread.start()
        return opened

    def submit(self, work: Work, done: Done | None = None) -> None:
        self._queue.put(_Item(work, done))

    def flush(self) -> Future[None]:
        """Done once everything submitted before has been written (or has failed)."""
        future: Future[None] = Future()
        self._queue.put(_Item(None, None, future))
        return future

    def stop(self, timeout: float | None = None) -> bool:
        """Write what was submitted, close the file and end the thread (blocking: call it
        from a thread of its own); False if the thread did not end within ``timeout``."""
        thread = self._thread
        if thread is None:
            return True
        self._queue.put(_STOP)
        thread.join(timeout)
        return not thread.is_alive()

    # -- the thread --------------------------------------------------------------------------

    def _main(self, opened: Future[None]) -> None:
        try:
            conn = open_writer(self.path, self._synchronous)
            try:
                self._setup(conn)
            except sqlite3.Error as exc:
                conn.close()
                raise StorageError(f"cannot set up {self.path}: {exc}") from exc
        except StorageError as exc:
            opened.set_exception(exc)
            return
        opened.set_result(None)
        try:
            while (item := self._queue.get()) is not _STOP:
                self._run(conn, item)
        finally:
            conn.close()

    def _run(self, conn: sqlite3.Connection, item: _Item) -> None:
        error: BaseException | None = None
        if item.work is not None:
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    item.work(conn)
                    conn.execute("COMMIT")
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
            except Exception as exc:
                # The disk is full, the file was removed, a defect of ours: this work is lost,
                # the next may succeed. The done callback tells its owner.
                error = exc
                self.failures += 1
                logger.error("%s: a write failed: %s: %s", self._name, type(exc).__name__, exc)
        if item.done is not None:
            try:
                item.done(error)
            except Exception:
                logger.exception("%s: a done callback failed", self._name)
        if item.future is not None:
            item.future.set_result(None)
