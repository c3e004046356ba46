"""Tabular answers of the non-agent API, read into typed records.

Report functions print bare rows: fields joined by ``|``, ``,`` or a tab (``stage``), or one
field per line (``stage=newline``), optionally after a header line (``header=YES``). ViciDial
does not quote csv, repeats lead_all_info's header before every lead, prints lead_search's
header without delimiters and sometimes names columns its rows do not carry, so the rows
decide: each function declares its columns for each option, and the header only names the
columns beyond them (custom fields) and is skipped wherever it appears.

Records are plain slotted dataclasses: pydantic per row is several times slower than
splitting the text, and a poll of a large hopper or lead report must stay cheap. Records are
built eagerly, a row at a time, by a reader generated for the record's columns (row_reader);
a column with few distinct values (statuses, list ids) reads each text once. A table keeps
nothing but its records, so it holds one copy of its data, and reading a field is a slot read.
The values are exactly the types the dataclass declares; a value that cannot be read raises
ViciProtocolError naming its field.
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
from itertools import repeat
from typing import Annotated, Any, Generic, NewType, TypeVar

from integrations.vicidial.admin.row_reader import Convert, row_reader
from integrations.vicidial.errors import ViciProtocolError
from integrations.vicidial.models import FLAG_WORDS, ZERO_DATES, identifier

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


def reader_for(hint: Any, *, optional: bool = False) -> Convert:
    """The reader of one field's type hint; ``optional`` when the field may be None."""
    if typing.get_origin(hint) is Annotated:
        for extra in hint.__metadata__:
            if isinstance(extra, Via):
                # A required field may not read an empty cell as nothing.
                if optional or type(None) in typing.get_args(hint.__origin__):
                    return extra.convert
                return _required(extra.convert)
        hint = hint.__origin__
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        members = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        if len(members) != 1:
            raise TypeError(f"unsupported field type {hint!r}")
        optional, hint = True, members[0]
        if typing.get_origin(hint) is Annotated:
            return reader_for(hint, optional=True)
    while isinstance(hint, NewType):
        hint = hint.__supertype__
    if isinstance(hint, type) and issubclass(hint, Enum):
        return _enum_reader(hint, optional)
    if hint in _BY_TYPE:
        required, maybe = _BY_TYPE[hint]
        return maybe if optional else required
    raise TypeError(f"no reader for field type {hint!r}")


def is_immutable(hint: Any) -> bool:
    """Whether a field's values are of a type that never changes (text, numbers, dates, enums)."""
    if typing.get_origin(hint) is Annotated:
        hint = hint.__origin__
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        members = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return len(members) == 1 and is_immutable(members[0])
    while isinstance(hint, NewType):
        hint = hint.__supertype__
    return isinstance(hint, type) and issubclass(hint, (str, int, float, date, Enum))


# --- layouts -------------------------------------------------------------------------------

T = TypeVar("T")
CUSTOM_FIELDS = "custom_fields"


@dataclass(frozen=True, slots=True)
class Layout(Generic[T]):
    """How one function's rows map onto its record class for one set of options."""

    record: type[T]
    names: tuple[str, ...]
    readers: tuple[Convert, ...]
    # Per column: its values never change, so records may share one where texts are equal.
    shared: tuple[bool, ...]
    custom: bool


def layout(record: type[T], names: tuple[str, ...]) -> Layout[T]:
    """The layout of ``names`` (the declared columns, in row order) on ``record``."""
    key: Any = record
    return typing.cast(Layout[T], _layout(key, names))


@cache  # built once per record class and option set, reused by every call
def _layout(record: type[Any], names: tuple[str, ...]) -> Layout[Any]:
    hints = typing.get_type_hints(record, include_extras=True)
    unknown = [name for name in names if name not in hints]
    if unknown:
        raise TypeError(f"{record.__name__} has no field {unknown}")
    readers = tuple(reader_for(hints[name]) for name in names)
    shared = tuple(is_immutable(hints[name]) for name in names)
    return Layout(record, names, readers, shared, CUSTOM_FIELDS in hints)


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
    if rows and is_header(rows[0], delimiter, lay.names):
        head = rows[0]
        names = tuple(identifier(part) for part in head.split(delimiter))
        rows = [row for row in rows if row != head]
    elif rows and header:
        # Every header ViciDial prints names the first column: this is someone else's text.
        raise ViciProtocolError(f"a header was asked for and the answer has none: {rows[0][:40]!r}")
    with _gc_paused():
        if rows:
            sample = [row.split(delimiter) for row in rows[:_SAMPLE]]
            read = _row_reader(lay, sample)
            try:
                # Rows of exactly the declared columns (the common case), split and read one
                # at a time, so each row's cells are read while they are still in the cache.
                return Table(list(map(read, map(str.split, rows, repeat(delimiter)))), names)
            except (ValueError, KeyError, TypeError):
                pass  # the general path reads rows of other widths and names a bad value
        return _convert([row.split(delimiter) for row in rows], lay, names)


@contextmanager
def _gc_paused() -> Iterator[None]:
    # Reading a large table allocates a record per row, and they all live on: the cyclic
    # collector would otherwise walk them again and again and take half the time.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_SAMPLE = 64  # rows looked at to guess whether a column has few distinct values
_FEW = 16
# Readers cheaper written out than called; ``{}`` is the cell.
_INLINE: dict[Convert, str] = {read_text: "({}.rstrip() or None)", str.rstrip: "{}.rstrip()"}


class _Memo(dict[str, Any]):
    """A column's reader that reads each distinct text once: statuses, list ids, flags."""

    __slots__ = ("_read",)

    def __init__(self, read: Convert) -> None:
        super().__init__()
        self._read = read

    def __missing__(self, text: str) -> Any:
        value = self[text] = self._read(text)
        return value


def _row_reader(lay: Layout[T], sample: Sequence[Sequence[str]]) -> Callable[[Sequence[str]], T]:
    """The row reader for one table. In a large one, a column with few distinct texts in the
    ``sample`` rows reads each text once and its records share the value, which is faster and
    keeps one object where there were thousands; only for values that never change."""
    readers = list(lay.readers)
    if len(sample) >= _SAMPLE:
        columns = zip(lay.shared, zip(*sample, strict=False), strict=False)
        for index, (shared, texts) in enumerate(columns):
            if shared and len(set(texts)) <= _FEW:
                readers[index] = _Memo(readers[index]).__getitem__
    return row_reader(lay.record, lay.names, readers, _INLINE)


def _records(
    lay: Layout[T], rows: Sequence[Sequence[str]], customs: Sequence[dict[str, str]] = ()
) -> list[T]:
    """Records from rows of exactly the declared cells; ``customs`` holds each row's custom
    fields. A cell that cannot be read raises ViciProtocolError naming its field."""
    try:
        records = list(map(_row_reader(lay, rows[:_SAMPLE]), rows))
    except (ValueError, KeyError, TypeError):
        raise _not_understood(lay, rows) from None
    for record, custom in zip(records, customs, strict=False):
        setattr(record, CUSTOM_FIELDS, custom)
    return records


def _not_understood(lay: Layout[Any], rows: Sequence[Sequence[str]]) -> ViciProtocolError:
    for cells in rows:
        for name, read, text in zip(lay.names, lay.readers, cells, strict=False):
            try:
                read(text)
            except (ValueError, KeyError, TypeError):
                return ViciProtocolError(
                    f"{lay.record.__name__}.{name} not understood: {text[:40]!r}"
                )
    return ViciProtocolError(f"{lay.record.__name__} rows not understood")


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
    cells: list[list[str]] = []
    customs: list[dict[str, str]] = []
    unparsed: list[str] = []
    named = max(len(names) - width, 0)  # columns the header names beyond the declared ones
    for row in rows:
        values = row[:width]
        if len(values) < width - 1:
            # ViciDial may leave out a row's last column (agent_status's computer_ip), no
            # more: a shorter row is another server's text, not a record with empty fields.
            raise ViciProtocolError(
                f"a row of {len(row)} field(s) where {lay.record.__name__} has {width}: "
                "not a ViciDial answer"
            )
        if len(values) < width:
            # Rows win over the header: a missing trailing column is an empty one.
            values = [*values, ""]
        cells.append(values)
        extra = row[width:]
        while len(extra) > named and extra[-1].strip() == "":
            extra = extra[:-1]  # list_info ends its rows with a stray delimiter
        if lay.custom:
            customs.append(_custom(extra, names[width:]))
        elif extra:
            unparsed.append("|".join(row))
    return Table(_records(lay, cells, customs), names, tuple(unparsed))


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
    rows = [[block.pop(name, "") for name in lay.names] for block in blocks]
    customs = [{name: value.rstrip() for name, value in block.items()} for block in blocks]
    return Table(_records(lay, rows, customs if lay.custom else ()), lay.names)
