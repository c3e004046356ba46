"""Tabular answers of the non-agent API, read into typed records.

Report functions print bare rows: fields joined by ``|``, ``,`` or a tab (``stage``), or one
field per line (``stage=newline``), optionally after a header line (``header=YES``). ViciDial
does not quote csv, repeats lead_all_info's header before every lead, prints lead_search's
header without delimiters and sometimes names columns its rows do not carry, so the rows
decide: each function declares its columns for each option, and the header only names the
columns beyond them (custom fields) and is skipped wherever it appears.

Records are slotted dataclasses: pydantic per row is several times slower than splitting the
text, and a poll of a large hopper or lead report must stay cheap. Where every row has exactly
the declared columns (the common case), a table keeps its raw columns and converts a whole
column, at C speed, the first time any record reads it: a report of 100,000 leads of which a
rule reads two columns costs two column conversions, not thirty. The values read are exactly
the types the dataclass declares; a value that cannot be read raises ViciProtocolError when
its column is read. A lazy record is an instance of its dataclass, compares equal to an eager
one with the same values and has the same repr.
"""

from __future__ import annotations

import dataclasses
import gc
import re
import types
import typing
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum, StrEnum
from functools import cache
from operator import methodcaller
from typing import Annotated, Any, Generic, NewType, TypeVar

from integrations.vicidial.errors import ViciProtocolError
from integrations.vicidial.models import FLAG_WORDS, ZERO_DATES, identifier

Convert = Callable[[str], Any]

# Ids that ViciDial lets be letters as well as digits stay text, under their own names.
UserId = NewType("UserId", str)
CampaignId = NewType("CampaignId", str)
GroupId = NewType("GroupId", str)
CallId = NewType("CallId", str)
PhoneNumber = NewType("PhoneNumber", str)
LeadStatus = NewType("LeadStatus", str)
# Codes chosen by people: pause codes, vendor lead codes, source ids, hopper sources.
Code = NewType("Code", str)


class Stage(StrEnum):
    PIPE = "pipe"
    CSV = "csv"
    TAB = "tab"
    NEWLINE = "newline"


DELIMITERS = {Stage.PIPE: "|", Stage.CSV: ",", Stage.TAB: "\t", Stage.NEWLINE: "\n"}


@dataclass(frozen=True, slots=True)
class Via:
    """Marks a field whose text is read by ``convert`` rather than by its type."""

    convert: Convert


# --- field readers -------------------------------------------------------------------------


def read_text(text: str) -> str | None:
    text = text.rstrip()
    return text if text else None


def read_int(text: str) -> int | None:
    return int(text) if text.strip() else None


def read_nonzero_id(text: str) -> int | None:
    """A numeric id where ``0`` (or nothing) means "none", as an agent's lead_id."""
    value = read_int(text)
    return value or None


def read_float(text: str) -> float | None:
    return float(text) if text.strip() else None


def read_flag(text: str) -> bool:
    return FLAG_WORDS[text.strip().upper()]


def read_optional_flag(text: str) -> bool | None:
    return read_flag(text) if text.strip() else None


def read_datetime(text: str) -> datetime | None:
    # sounds_list prints "2026-11-27 04:35:09." with a stray dot.
    text = text.strip().rstrip(".")
    return None if text in ZERO_DATES else datetime.fromisoformat(text)


def read_date(text: str) -> date | None:
    text = text.strip()
    return None if text in ZERO_DATES else date.fromisoformat(text)


def read_seconds(text: str) -> int | None:
    """A duration as seconds whatever ViciDial's time_format: ``845``, ``14:05``, ``0:13:50``."""
    text = text.strip()
    if not text:
        return None
    total = 0
    for part in text.split(":"):
        total = total * 60 + int(part)
    return total


def read_percent(text: str) -> float | None:
    """``33.3%`` (or a bare number) as 33.3."""
    text = text.strip().removesuffix("%")
    return float(text) if text else None


def read_words(separator: str) -> Convert:
    """A field that is itself a list, such as campaigns ``A-B`` or groups ``ADMIN AGENTS``."""

    def read(text: str) -> tuple[str, ...]:
        return tuple(part for part in text.strip().split(separator) if part)

    return read


Seconds = Annotated[int, Via(read_seconds)]
Percent = Annotated[float, Via(read_percent)]


def _required(convert: Convert) -> Convert:
    def read(text: str) -> Any:
        value = convert(text)
        if value is None:
            raise ValueError("a required field is empty")
        return value

    return read


def _enum_reader(cls: type[Enum], optional: bool) -> Convert:
    # A dict lookup is several times faster than calling the enum; an unknown value is a
    # KeyError, which the caller reports as an answer not understood.
    members = cls._value2member_map_
    if not optional:
        return members.__getitem__

    def read(text: str) -> Any:
        text = text.strip()
        return members[text] if text else None

    return read


_BY_TYPE: dict[Any, tuple[Convert, Convert]] = {
    # type: (reader for the required field, reader for the optional one)
    str: (str.rstrip, read_text),
    int: (int, read_int),
    float: (float, read_float),
    bool: (read_flag, read_optional_flag),
    datetime: (_required(read_datetime), read_datetime),
    date: (_required(read_date), read_date),
}


def reader_for(hint: Any) -> Convert:
    """The reader of one field's type hint."""
    if typing.get_origin(hint) is Annotated:
        for extra in hint.__metadata__:
            if isinstance(extra, Via):
                return extra.convert
        hint = hint.__origin__
    optional = False
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        members = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        if len(members) != 1:
            raise TypeError(f"unsupported field type {hint!r}")
        optional, hint = True, members[0]
        if typing.get_origin(hint) is Annotated:
            return reader_for(hint)
    while isinstance(hint, NewType):
        hint = hint.__supertype__
    if isinstance(hint, type) and issubclass(hint, Enum):
        return _enum_reader(hint, optional)
    if hint in _BY_TYPE:
        required, maybe = _BY_TYPE[hint]
        return maybe if optional else required
    raise TypeError(f"no reader for field type {hint!r}")


# --- layouts -------------------------------------------------------------------------------

T = TypeVar("T")
CUSTOM_FIELDS = "custom_fields"


@dataclass(frozen=True, slots=True)
class Layout(Generic[T]):
    """How one function's rows map onto its record class for one set of options."""

    record: type[T]
    names: tuple[str, ...]
    readers: tuple[Convert, ...]
    positional: bool
    custom: bool

    def build(self, values: Sequence[Any], custom: dict[str, str] | None = None) -> T:
        if self.positional and custom is None:
            return self.record(*values)
        fields: dict[str, Any] = dict(zip(self.names, values, strict=True))
        if custom is not None:
            fields[CUSTOM_FIELDS] = custom
        return self.record(**fields)


def layout(record: type[T], names: tuple[str, ...]) -> Layout[T]:
    """The layout of ``names`` (the declared columns, in row order) on ``record``."""
    key: Any = record
    return typing.cast(Layout[T], _layout(key, names))


@cache  # built once per record class and option set, reused by every call
def _layout(record: type[Any], names: tuple[str, ...]) -> Layout[Any]:
    hints = typing.get_type_hints(record, include_extras=True)
    fields = [f.name for f in dataclasses.fields(record)]
    unknown = [name for name in names if name not in hints]
    if unknown:
        raise TypeError(f"{record.__name__} has no field {unknown}")
    readers = tuple(reader_for(hints[name]) for name in names)
    positional = list(names) == fields[: len(names)]
    return Layout(record, names, readers, positional, CUSTOM_FIELDS in hints)


def field_names(record: type[Any], *, without: Sequence[str] = ()) -> tuple[str, ...]:
    """A record's fields in order: the columns of its function's fullest variant."""
    return tuple(f.name for f in dataclasses.fields(record) if f.name not in without)


# --- tables --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Table(Generic[T]):
    """Records read from rows, with the header's names and what fitted no column."""

    records: list[T]
    header: tuple[str, ...] = ()
    unparsed: tuple[str, ...] = ()


def is_header(line: str, delimiter: str, names: Sequence[str]) -> bool:
    """Whether a line is a header of ``names`` (lead_search prints one without delimiters)."""
    if not names:
        return False
    first = identifier(line.split(delimiter, 1)[0])
    if first == names[0]:
        return True
    return line.replace(delimiter, "").strip() == "".join(names)


def read_table(
    lines: Sequence[str],
    lay: Layout[T],
    stage: Stage = Stage.PIPE,
    *,
    header: bool = False,
) -> Table[T]:
    """Records from the data lines of a pipe, csv or tab answer.

    ``header`` says a header was asked for; one is also recognised when it was not, and every
    repetition of it is skipped.
    """
    delimiter = DELIMITERS[stage]
    rows = list(lines)
    names: tuple[str, ...] = ()
    if rows and (header or is_header(rows[0], delimiter, lay.names)):
        head = rows[0]
        names = tuple(identifier(part) for part in head.split(delimiter))
        rows = [row for row in rows if row != head]
    width = len(lay.names)
    with _gc_paused():
        counts = set(map(methodcaller("count", delimiter), rows))
        if rows and lay.positional and counts == {width - 1}:
            # Every row has exactly the declared columns: records read them lazily.
            return Table(lazy_records(lay, rows, delimiter), names)
        return _convert([row.split(delimiter) for row in rows], lay, names)


@contextmanager
def _gc_paused() -> Iterator[None]:
    # Reading a large table allocates millions of objects that all live on: the cyclic
    # collector would otherwise walk them again and again and take half the time.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _Columns:
    """One table's rows, shared by its records. The rows are split, and a column converted
    for every row at once, only when a record first reads that column."""

    __slots__ = ("_delimiter", "_flat", "_rows", "base", "names", "readers", "values")

    def __init__(self, lay: Layout[Any], rows: list[str], delimiter: str) -> None:
        self.base = lay.record.__name__
        self.names = lay.names
        self.readers = lay.readers
        self.values: list[list[Any] | None] = [None] * len(lay.names)
        self._rows = rows
        self._delimiter = delimiter
        self._flat: list[str] | None = None

    def column(self, i: int) -> list[Any]:
        found = self.values[i]
        if found is None:
            if self._flat is None:
                # Every row has every column: one split of all rows, then a slice per column.
                self._flat = self._delimiter.join(self._rows).split(self._delimiter)
            raw, read = self._flat[i :: len(self.names)], self.readers[i]
            try:
                # map() with a C-level reader converts without a Python frame per value.
                if read is read_text:
                    found = [value.rstrip() or None for value in raw]
                else:
                    found = list(map(read, raw))
            except (ValueError, KeyError, TypeError) as exc:
                bad = next((v for v in raw if _fails(read, v)), "")
                raise ViciProtocolError(
                    f"{self.base}.{self.names[i]} not understood: {bad[:40]!r}"
                ) from exc
            self.values[i] = found
        return found


def _fails(read: Convert, value: str) -> bool:
    try:
        read(value)
    except (ValueError, KeyError, TypeError):
        return True
    return False


@cache  # one view class per record type and column layout
def _view_class(lay: Layout[Any]) -> type[Any]:
    base = lay.record
    every = tuple(f.name for f in dataclasses.fields(base))
    # Fields the rows do not carry (custom_fields) get their dataclass default when read.
    defaults = {
        f.name: f.default_factory if f.default_factory is not dataclasses.MISSING else f.default
        for f in dataclasses.fields(base)
        if f.name not in lay.names
    }

    def __init__(self: Any, columns: _Columns, row: int) -> None:  # noqa: N807
        self._columns = columns
        self._row = row

    def column(i: int) -> property:
        def get(self: Any) -> Any:
            # Once the column is converted, one list lookup; else convert it for every row.
            values = self._columns.values[i]
            if values is None:
                values = self._columns.column(i)
            return values[self._row]

        def put(self: Any, value: Any) -> None:
            self._columns.column(i)[self._row] = value

        return property(get, put)

    def __getattr__(self: Any, name: str) -> Any:  # noqa: N807
        # Reached only for an unset slot of a field the rows do not carry.
        if name not in defaults:
            raise AttributeError(f"{base.__name__!r} object has no attribute {name!r}")
        default = defaults[name]
        value = default() if callable(default) else default
        setattr(self, name, value)
        return value

    def __eq__(self: Any, other: object) -> bool:  # noqa: N807
        if not isinstance(other, base):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in every)

    namespace: dict[str, Any] = {
        "__slots__": ("_columns", "_row"),
        "__init__": __init__,
        "__getattr__": __getattr__,
        "__eq__": __eq__,
        "__hash__": None,
        "__module__": base.__module__,
        "__qualname__": base.__qualname__,
    }
    for i, name in enumerate(lay.names):
        namespace[name] = column(i)
    return type(base.__name__, (base,), namespace)


def lazy_records(lay: Layout[T], rows: list[str], delimiter: str) -> list[T]:
    """Records of ``lay.record``'s type over rows of exactly its columns, read lazily."""
    shared = _Columns(lay, rows, delimiter)
    return list(map(_view_class(lay), [shared] * len(rows), range(len(rows))))


def _build(lay: Layout[T], columns: list[list[str]]) -> list[T]:
    """Records from whole columns: map() calls a C-level reader without a frame per value."""
    converted = [
        # Optional text is the commonest column; a comprehension beats a call per value.
        [value.rstrip() or None for value in column]
        if read is read_text
        else list(map(read, column))
        for read, column in zip(lay.readers, columns, strict=True)
    ]
    return list(map(lay.record, *converted))


def read_newline_table(text: str, lay: Layout[T], *, header: bool = False) -> Table[T]:
    """Records from a ``stage=newline`` answer: one field per line, empty fields kept."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lines = [line.rstrip("\r") for line in lines]
    width = len(lay.names)
    names: tuple[str, ...] = ()
    if header and lines:
        # The header is one name per line; its end is where the first data value begins.
        count = 0
        while count < len(lines) and count < width and identifier(lines[count]) == lay.names[count]:
            count += 1
        while count < len(lines) and _looks_like_name(lines[count]):
            count += 1
        names = tuple(identifier(line) for line in lines[:count])
        lines = lines[count:]
        width = max(width, count)
    rows = [lines[start : start + width] for start in range(0, len(lines), width)]
    return _convert(rows, lay, names)


_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def _looks_like_name(line: str) -> bool:
    return bool(_NAME.match(line))


def _convert(rows: list[list[str]], lay: Layout[T], names: tuple[str, ...]) -> Table[T]:
    width = len(lay.names)
    if not rows:
        return Table([], names)
    if lay.positional and all(len(row) == width for row in rows):
        # custom_fields, if the record has it, keeps its empty default.
        return Table(_build(lay, [list(column) for column in zip(*rows, strict=True)]), names)
    records: list[T] = []
    unparsed: list[str] = []
    named = max(len(names) - width, 0)  # columns the header names beyond the declared ones
    for row in rows:
        values = row[:width]
        if len(values) < width:
            # Rows win over the header: a missing trailing column is an empty one.
            values = values + [""] * (width - len(values))
        extra = row[width:]
        while len(extra) > named and extra[-1].strip() == "":
            extra = extra[:-1]  # list_info ends its rows with a stray delimiter
        read = [reader(value) for reader, value in zip(lay.readers, values, strict=True)]
        custom = None
        if lay.custom:
            custom = _custom(extra, names[width:])
        elif extra:
            unparsed.append("|".join(row))
        records.append(lay.build(read, custom))
    return Table(records, names, tuple(unparsed))


def _custom(values: Sequence[str], names: Sequence[str]) -> dict[str, str]:
    """Custom field values by the header's names; without a header, by position."""
    custom: dict[str, str] = {}
    for index, value in enumerate(values):
        name = names[index] if index < len(names) else f"column_{index + 1}"
        custom[name] = value.rstrip()
    return custom


# --- field => value blocks ----------------------------------------------------------------

_RECORD_START = re.compile(r"^;-+ START OF RECORD \d+ -+$")


def read_blocks(lines: Sequence[str], lay: Layout[T]) -> Table[T]:
    """Records from ``;---------- START OF RECORD N ----------`` blocks of ``name => value``.

    Names the layout does not declare are custom fields.
    """
    blocks: list[dict[str, str]] = []
    for line in lines:
        if _RECORD_START.match(line.strip()):
            blocks.append({})
            continue
        name, sep, value = line.partition(" =>")
        if not sep or not blocks:
            raise ValueError(f"not a field line: {line[:60]!r}")
        blocks[-1][identifier(name)] = value.removeprefix(" ")
    rows: list[list[str]] = []
    customs: list[dict[str, str]] = []
    for block in blocks:
        rows.append([block.pop(name, "") for name in lay.names])
        customs.append({name: value.rstrip() for name, value in block.items()})
    records: list[T] = []
    for row, custom in zip(rows, customs, strict=True):
        read = [reader(value) for reader, value in zip(lay.readers, row, strict=True)]
        records.append(lay.build(read, custom if lay.custom else None))
    return Table(records, lay.names)
