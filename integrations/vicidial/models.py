"""Base models and wire field types shared by every function's parameters and results."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, SecretStr

from integrations.vicidial.lines import LineKind, Reply, ResultLine

WIRE_DATETIME = "%Y-%m-%d %H:%M:%S"
# How ViciDial writes "no date" and its flags; shared by the models and the table readers.
ZERO_DATES = frozenset(("", "0000-00-00", "0000-00-00 00:00:00"))
FLAG_WORDS = {"Y": True, "YES": True, "1": True, "N": False, "NO": False, "0": False}
_NON_IDENT = re.compile(r"[^a-z0-9_]")


def identifier(name: str) -> str:
    """A column or setting name as a field name: ``TOTAL CALLS`` -> ``total_calls``."""
    return _NON_IDENT.sub("_", name.strip().lower())


def _yes_no(value: Any) -> Any:
    if isinstance(value, str):
        return FLAG_WORDS.get(value.strip().upper(), value)
    return value


def _zero_date_to_none(value: Any) -> Any:
    if isinstance(value, str) and value.strip() in ZERO_DATES:
        return None
    return value


def split_text(separator: str, drop: str | None = None) -> Callable[[Any], Any]:
    """A validator that accepts a list, or ViciDial's own separated text for one."""

    def split(value: Any) -> Any:
        if isinstance(value, str):
            parts = value.split() if separator == " " else value.split(separator)
            return [part for part in parts if part and part != drop]
        return value

    return split


# Parameter flags: Python gives a bool (or YAML a "YES"/"Y" string), the wire gets YES/NO or Y/N.
YesNo = Annotated[
    bool, BeforeValidator(_yes_no), PlainSerializer(lambda v: "YES" if v else "NO", return_type=str)
]
YN = Annotated[
    bool, BeforeValidator(_yes_no), PlainSerializer(lambda v: "Y" if v else "N", return_type=str)
]
# Result flags: ViciDial prints YES/NO, Y/N or 1/0.
Flag = Annotated[bool, BeforeValidator(_yes_no)]
# ViciDial prints date-times naive, in the dialer's own time zone; they stay that way.
WireDateTime = Annotated[
    datetime,
    PlainSerializer(lambda v: v.strftime(WIRE_DATETIME), return_type=str),
]
WireDate = Annotated[date, PlainSerializer(lambda v: v.isoformat(), return_type=str)]
OptionalDateTime = Annotated[datetime | None, BeforeValidator(_zero_date_to_none)]


# A password a function takes (a new agent's, a phone's): held as SecretStr, so the client
# masks its echo in the answer and keeps it out of reprs and errors; sent as plain text.
SecretText = Annotated[
    SecretStr,
    Field(min_length=1, max_length=20),
    PlainSerializer(lambda v: v.get_secret_value(), return_type=str, when_used="json"),
]


class Params(BaseModel):
    """Parameters of one function, under their official names.

    Unknown names are refused (a typo in a rule must not pass silently); strings are converted,
    since YAML templates render everything as text.
    """

    model_config = ConfigDict(
        extra="forbid", frozen=True, validate_by_name=True, validate_by_alias=True
    )

    def to_wire(self) -> dict[str, str]:
        dumped = self.model_dump(mode="json", exclude_none=True, by_alias=True)
        return {key: _wire_text(value) for key, value in dumped.items()}


def _wire_text(value: Any) -> str:
    if isinstance(value, bool):
        return "YES" if value else "NO"
    if isinstance(value, list | tuple):
        return ",".join(_wire_text(item) for item in value)
    return str(value)


class Outcome(BaseModel):
    """A NOTICE (or kept warning) line printed beside the main result."""

    model_config = ConfigDict(frozen=True)

    kind: LineKind
    reason: str
    details: tuple[str, ...]
    text: str

    @classmethod
    def of(cls, line: ResultLine) -> Outcome:
        return cls(kind=line.kind, reason=line.reason, details=line.data, text=line.text)


class Result(BaseModel):
    """Base of every typed result: ViciDial's message and the lines printed beside it."""

    model_config = ConfigDict(frozen=True)

    message: str = ""
    notices: tuple[Outcome, ...] = ()
    warnings: tuple[Outcome, ...] = ()
    unparsed: tuple[str, ...] = ()


R = TypeVar("R", bound=Result)


def positional(data: Sequence[str], names: Sequence[str | None]) -> dict[str, str | None]:
    """Data fields by position; an empty field is None, a missing trailing one too.

    ``None`` in ``names`` skips a field whose meaning is not known. Fields beyond ``names`` are
    kept in ``unparsed`` so a newer ViciDial adding one loses nothing.
    """
    values: dict[str, Any] = {}
    for index, name in enumerate(names):
        if name is None:
            continue
        text = data[index] if index < len(data) else ""
        values[name] = text if text != "" else None
    extra = tuple(data[len(names) :])
    if any(extra):
        values["unparsed"] = extra
    return values


def build_result(model: type[R], reply: Reply, line: ResultLine | None, **values: Any) -> R:
    """A result from its typed values plus the reply's message, notices and warnings."""
    notices = [Outcome.of(n) for n in reply.outcomes if n.kind is LineKind.NOTICE and n is not line]
    values.setdefault("message", line.reason if line is not None else "")
    values["notices"] = notices
    values["warnings"] = [Outcome.of(w) for w in reply.warnings]
    return model.model_validate(values)
