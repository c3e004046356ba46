"""The recording: every event the bus delivers, and every service call a rule made, as JSON
lines in a file rotated by size, for ``vicibus replay``.

The bus carries about 100,000 events a second, so the loop only appends the event to the open
batch; making plain data of it, masking its secrets, encoding and writing all happen in the
recording's own thread. A batch goes to the thread ``flush_interval`` after its first item, or
at once when it holds ``batch`` items; while the thread is busy with one, the next one grows, up
to ``MAX_OPEN`` items, past which items are dropped and counted (the loop never waits on the
disk). Events are immutable, so reading them in the thread is safe.

Secrets: the data of each line goes through ``mask`` (secret field names: pass, password,
tokens, the configured secret parameters) and the finished line through ``redact`` (every
configured secret value, wherever it stands), the same two the run journal and the log use.

Rotation: a line that would take the file past ``max_bytes`` goes to a fresh file; the full
one becomes ``<path>.1`` and older ones move up to ``<path>.<keep - 1>``, the oldest beyond
that deleted. A line is never split across two files.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from engine.events import Event
from engine.jsonable import to_jsonable
from engine.storage.database import StorageError
from engine.storage.record_lines import encode, event_line

logger = logging.getLogger("vicibus.storage")

Mask = Callable[[Any], Any]
Redact = Callable[[str], str]
MAX_OPEN = 200_000
MIB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class RecordSettings:
    path: Path
    max_bytes: int = 64 * MIB
    keep: int = 5  # files kept: the one written and ``keep - 1`` rotated ones
    flush_interval: float = 0.2
    batch: int = 2000


@dataclass(slots=True)
class RecordStats:
    lines: int = 0  # written
    dropped: int = 0  # not written: the thread was behind, or the recording not running
    failed: int = 0  # items that could not be encoded, or whose write failed
    rotations: int = 0


def rotated(path: Path, number: int) -> Path:
    return path.with_name(f"{path.name}.{number}")


class _File:
    """The file being written, in the recording's thread only."""

    def __init__(self, settings: RecordSettings) -> None:
        self.path = settings.path
        self.max_bytes = settings.max_bytes
        self.keep = settings.keep
        self.handle: IO[bytes] | None = None
        self.size = 0

    def open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.handle = self.path.open("ab")
        self.size = self.handle.tell()

    def write(self, data: bytes) -> bool:
        """Write one line; True when the file was rotated first."""
        turned = False
        if self.size and self.size + len(data) > self.max_bytes:
            self.rotate()
            turned = True
        if self.handle is None:
            raise OSError("the recording file is not open")
        self.handle.write(data)
        self.size += len(data)
        return turned

    def rotate(self) -> None:
        self.close()
        for number in range(self.keep - 1, 0, -1):
            older = rotated(self.path, number)
            if not older.exists():
                continue
            if number + 1 >= self.keep:
                older.unlink()
            else:
                older.replace(rotated(self.path, number + 1))
        if self.keep > 1:
            self.path.replace(rotated(self.path, 1))
        else:
            self.path.unlink()
        self.open()

    def flush(self) -> None:
        if self.handle is not None:
            self.handle.flush()

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None


_STOP = object()


class Recording:
    """A bus listener (``bus.subscribe(None, recording)``) and the sink of the rules' calls
    (``call``); ``start`` opens the file, ``stop`` writes what is gathered and closes it."""

    def __init__(self, settings: RecordSettings, *, mask: Mask, redact: Redact) -> None:
        self.settings = settings
        self.stats = RecordStats()
        self._mask = mask
        self._redact = redact
        self._open: list[Any] = []
        self._writing = False
        self._timer: asyncio.TimerHandle | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._file = _File(settings)
        self._idle: asyncio.Event | None = None

    def __repr__(self) -> str:
        return f"Recording({self.settings.path}, {self.stats.lines} lines)"

    # -- lifecycle -----------------------------------------------------------------------------

    async def start(self) -> None:
        """Open (or append to) the file; StorageError if it cannot be written."""
        if self._thread is not None:
            return
        try:
            await asyncio.to_thread(self._file.open)
        except OSError as exc:
            raise StorageError(
                f"the recording {self.settings.path} cannot be written: {exc.strerror or exc}"
            ) from None
        self._loop = asyncio.get_running_loop()
        self._idle = asyncio.Event()
        self._idle.set()
        self._thread = threading.Thread(target=self._work, name="vicibus-recording", daemon=True)
        self._thread.start()

    async def flush(self) -> None:
        """Until everything taken so far is written (and handed to the operating system)."""
        while self._thread is not None and self._idle is not None:
            self._flush()
            if not self._writing:
                return
            self._idle.clear()
            await self._idle.wait()

    async def stop(self) -> None:
        thread = self._thread
        if thread is None:
            return
        await self.flush()
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._thread = None
        self._queue.put(_STOP)
        await asyncio.to_thread(thread.join, 30.0)
        if thread.is_alive():
            logger.error("recording: the writer did not finish within 30 s; lines may be lost")

    # -- taking (on the loop) ------------------------------------------------------------------

    def __call__(self, event: Event[Any]) -> None:
        self._take(event)

    def call(self, line: Mapping[str, Any]) -> None:
        """A rule's service call (a ``call`` line of ``record_lines``); its data is encoded
        later, so it must not be changed after."""
        self._take(line)

    def _take(self, item: Any) -> None:
        if self._thread is None:
            self.stats.dropped += 1
            return
        batch = self._open
        batch.append(item)
        if len(batch) >= self.settings.batch and not self._writing:
            self._flush()
        elif len(batch) >= MAX_OPEN:
            self.stats.dropped += len(batch)
            self._open = []
            logger.warning("recording: the writer is behind; %d lines were dropped", len(batch))
        elif self._timer is None and self._loop is not None:
            self._timer = self._loop.call_later(self.settings.flush_interval, self._flush)

    def _flush(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._writing or not self._open or self._thread is None:
            return
        batch, self._open = self._open, []
        self._writing = True
        self._queue.put(batch)

    def _written(self) -> None:
        self._writing = False
        if self._open:
            self._flush()
        if not self._writing and self._idle is not None:
            self._idle.set()

    # -- writing (in the thread) ---------------------------------------------------------------

    def _work(self) -> None:
        loop = self._loop
        assert loop is not None
        try:
            while (batch := self._queue.get()) is not _STOP:
                self._write(batch)
                with contextlib.suppress(RuntimeError):  # the loop closed under us
                    loop.call_soon_threadsafe(self._written)
        finally:
            self._file.close()

    def _write(self, batch: list[Any]) -> None:
        stats = self.stats
        lines = []
        for item in batch:
            try:
                lines.append(self._line(item))
            except Exception:  # a defect of ours: the other lines still go
                stats.failed += 1
                logger.exception("recording: a line could not be encoded")
        try:
            for data in lines:
                if self._file.write(data):
                    stats.rotations += 1
            self._file.flush()
            stats.lines += len(lines)
        except OSError as exc:
            stats.failed += len(lines)
            logger.error("recording: %s cannot be written: %s", self.settings.path, exc)
            self._reopen()

    def _line(self, item: Any) -> bytes:
        if isinstance(item, Event):
            line = event_line(item, self._mask(to_jsonable(item.data)))
        else:
            line = dict(item)
            for name in ("data", "result"):
                line[name] = self._mask(to_jsonable(line.get(name)))
        return (self._redact(encode(line)) + "\n").encode("utf-8")

    def _reopen(self) -> None:
        """After a failed write: the next batch tries a fresh handle."""
        self._file.close()
        with contextlib.suppress(OSError):
            self._file.open()


def recorded_files(path: Path) -> list[Path]:
    """A recording's files, oldest first: ``<path>.<n>`` ... ``<path>.1``, then ``<path>``."""
    older = []
    number = 1
    while (candidate := rotated(path, number)).exists():
        older.append(candidate)
        number += 1
    files = [*reversed(older)]
    if path.exists():
        files.append(path)
    return files
