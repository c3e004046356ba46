"""``storage.record``: the recording of every event and rule service call, for replay.

::

    storage:
      record:
        path: recording.jsonl   # below the state directory unless absolute
        max_bytes: 64MiB         # a file rotates past this (bytes, or 10MB, 64MiB, 1 GiB)
        keep: 5                  # files kept: the one written and 4 rotated ones

Absent (the default), nothing is recorded.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ByteSize, Field

from engine.config import ConfigModel, ConfigSection
from engine.storage.recording import MIB, RecordSettings


class RecordConfig(ConfigModel):
    path: Path = Path("recording.jsonl")
    max_bytes: ByteSize = Field(default=ByteSize(64 * MIB), ge=4096)
    keep: int = Field(default=5, ge=1, le=1000)

    def settings(self, state_directory: Path) -> RecordSettings:
        return RecordSettings(state_directory / self.path, self.max_bytes, self.keep)


RECORD: ConfigSection[RecordConfig | None] = ConfigSection(
    ("storage", "record"),
    RecordConfig | None,
    default=None,
    description="the recording of events and rule service calls (vicibus replay)",
)
