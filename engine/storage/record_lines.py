"""The recording's file format: one JSON object per line, written by ``recording`` and read
back by replay.

Two kinds of line, told apart by ``record``:

- ``event``: an event as the bus delivered it to its listeners (after coalescing, so what the
  rules saw), with its type, data as plain JSON (secrets masked), ``time_fired`` in epoch
  seconds of the engine's clock (exact: a float's JSON text reads back as the same float),
  ``fired_at`` for people (ISO 8601, UTC) and its Context.
- ``call``: a service call a rule run made, keyed by the run and its triggering event: the
  rendered data (masked as the run journal masks it), and the answer: a result or a typed
  error. Replay answers the same call with it.

A file is read line by line; a line that is not one of these is reported with its file and
line number and skipped, and every line before and after it stays: a recording cut short by a
kill loses its last line only.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    field_validator,
)

from engine.context import Context, Origin
from engine.events import Event, is_valid_event_type
from engine.jsonable import to_jsonable
from engine.storage.database import StorageError

EVENT = "event"
CALL = "call"
# Longer lines are refused before JSON parsing: a line is an event, never a dump of a file.
MAX_LINE = 4 * 1024 * 1024


class RecordingError(StorageError):
    """A recording cannot be read at all (missing, a directory, not text)."""


def event_line(event: Event[Any], data: Any) -> dict[str, Any]:
    """The line of an event whose data, made plain and masked, is ``data``."""
    return {
        "record": EVENT,
        "event_type": event.type,
        "time_fired": event.time_fired,
        "fired_at": datetime.fromtimestamp(event.time_fired, UTC).isoformat(),
        "context": event.context.as_dict(),
        "data": data,
    }


def _plain(value: Any) -> Any:
    return to_jsonable(value)


# Made once: ``json.dumps`` with any option set builds an encoder per call, half its cost.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=_plain)


def encode(line: dict[str, Any]) -> str:
    """One line of text (no newline inside: JSON escapes every control character)."""
    return _ENCODER.encode(line)


# -- reading ---------------------------------------------------------------------------------

_STRICT = ConfigDict(extra="ignore", frozen=True)


class RecordedContext(BaseModel):
    model_config = _STRICT

    id: Annotated[str, Field(min_length=1, max_length=64)]
    parent_id: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    origin: Origin
    user: str | None = None

    def restored(self) -> Context:
        """A Context carrying the recorded id, so what replay derives from it (a run's
        context, its calls) points back at the recorded event."""
        return Context.restored(self.id, self.origin, self.parent_id, self.user)


def _finite(value: float) -> float:
    if not math.isfinite(value) or value < 0:
        raise ValueError("must be a finite time in epoch seconds, not before 1970")
    return value


Time = Annotated[float, AfterValidator(_finite)]


class RecordedEvent(BaseModel):
    model_config = _STRICT

    record: Literal["event"]
    event_type: str
    time_fired: Time
    context: RecordedContext
    data: Any = None

    @field_validator("event_type")
    @classmethod
    def _type(cls, value: str) -> str:
        if not is_valid_event_type(value):
            raise ValueError(f"{value!r} is no event type (lowercase letters, digits and _)")
        return value

    @property
    def time(self) -> float:
        return self.time_fired


class RecordedError(BaseModel):
    model_config = _STRICT

    type: str
    message: str = ""
    fields: list[tuple[str, str]] = []


class RecordedCall(BaseModel):
    model_config = _STRICT

    record: Literal["call"]
    time: Time
    rule_id: str
    run_id: str
    event_id: str  # the triggering event's context id
    event_type: str
    event: str = ""  # what names that event in replay too (rules.replay.keys)
    path: str  # the step's place in the rule: actions/0
    service: str
    data: Any = None
    outcome: str
    result: Any = None
    error: RecordedError | None = None


RecordedLine = Annotated[RecordedEvent | RecordedCall, Field(discriminator="record")]
_LINE: TypeAdapter[RecordedEvent | RecordedCall] = TypeAdapter(RecordedLine)


@dataclass(frozen=True, slots=True)
class LineProblem:
    file: str
    line: int
    message: str
    last: bool = False  # the file's last line, without its newline: cut short by a stop

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass(frozen=True, slots=True)
class Recorded:
    file: str
    line: int
    record: RecordedEvent | RecordedCall


def parse_line(text: str) -> RecordedEvent | RecordedCall:
    """One line; ValueError saying what is wrong with it."""
    if len(text) > MAX_LINE:
        raise ValueError(f"the line is longer than {MAX_LINE} characters")
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON: {exc.msg} at column {exc.colno}") from None
    except RecursionError:
        raise ValueError("not JSON: nested too deeply") from None
    if not isinstance(value, dict):
        raise ValueError(f"expected a JSON object, found {type(value).__name__}")
    if value.get("record") not in (EVENT, CALL):
        raise ValueError(f"'record' must be {EVENT!r} or {CALL!r}")
    try:
        return _LINE.validate_python(value)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"][1:])
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise ValueError(f"{where or 'the line'}: {first['msg']}{more}") from None


def read_lines(path: Path, problems: list[LineProblem]) -> Iterator[Recorded]:
    """Each good line of the file, in order; each bad one appended to ``problems``.
    RecordingError if the file cannot be read at all."""
    shown = str(path)
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise RecordingError(f"{shown}: no such recording") from None
    except IsADirectoryError:
        raise RecordingError(f"{shown}: is a directory, not a recording") from None
    except OSError as exc:
        raise RecordingError(f"{shown}: cannot be read: {exc.strerror}") from None
    with handle:
        number = 0
        for raw in handle:
            number += 1
            ended = raw.endswith(b"\n")
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                problems.append(LineProblem(shown, number, "not UTF-8 text", not ended))
                continue
            if not text.strip():
                continue
            try:
                yield Recorded(shown, number, parse_line(text))
            except ValueError as exc:
                problems.append(LineProblem(shown, number, str(exc), not ended))
