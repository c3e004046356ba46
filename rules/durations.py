"""Durations: one grammar wherever a rule takes a length of time.

- a number of seconds: ``90``, ``1.5``;
- a clock reading: ``"HH:MM"``, ``"HH:MM:SS"``, ``"HH:MM:SS.fff"`` (``"00:10:00"``);
- compact text: ``90s``, ``5m``, ``1h30m``, ``2d``, ``250ms`` (units d, h, m, s, ms, in that
  order, each at most once);
- a mapping: ``{days, hours, minutes, seconds, milliseconds}``, each a number;
- a template (``"{{ ... }}"``, or a mapping with templated values), rendered when the rule runs
  and read with this same grammar.

Models keep a literal duration as float seconds and a templated one as ``TemplatedDuration``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any

from pydantic import PlainSerializer, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from rules.errors import ValueRenderError
from rules.template_functions import Scope
from rules.templates import Templates, Value, is_template

UNITS = {"days": 86400.0, "hours": 3600.0, "minutes": 60.0, "seconds": 1.0, "milliseconds": 0.001}
_CLOCK = re.compile(r"(-)?(\d+):([0-5]?\d)(?::([0-5]?\d(?:\.\d+)?))?")
_COMPACT = re.compile(
    r"(?:(?P<d>\d+(?:\.\d+)?)d)?(?:(?P<h>\d+(?:\.\d+)?)h)?(?:(?P<m>\d+(?:\.\d+)?)m(?!s))?"
    r"(?:(?P<s>\d+(?:\.\d+)?)s)?(?:(?P<ms>\d+(?:\.\d+)?)ms)?"
)
_COMPACT_UNITS = {"d": 86400.0, "h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}
# A year: longer than that is a mistake (a unit forgotten, milliseconds read as seconds).
MAX_SECONDS = 366 * 86400.0
HINT = "a duration is seconds (90), HH:MM:SS, compact (90s, 5m, 1h30m) or {minutes: 5}"


class DurationError(ValueError):
    """A value that is not a duration; the message says what the grammar accepts."""


def parse_duration(value: Any) -> float:
    """Seconds from any form of the grammar (no templates: render them first)."""
    if isinstance(value, bool):
        raise DurationError(f"{value!r} is no duration; {HINT}")
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, timedelta):
        seconds = value.total_seconds()
    elif isinstance(value, str):
        seconds = _parse_text(value)
    elif isinstance(value, Mapping):
        seconds = _parse_mapping(value)
    else:
        raise DurationError(f"a {type(value).__name__} is no duration; {HINT}")
    return _checked(seconds)


def _checked(seconds: float) -> float:
    if not math.isfinite(seconds) or seconds < 0:
        raise DurationError(f"a duration is zero or more seconds, not {seconds:g}")
    if seconds > MAX_SECONDS:
        raise DurationError(f"{seconds:g} seconds is longer than a year; {HINT}")
    return seconds


def _parse_text(text: str) -> float:
    stripped = text.strip().lower()
    if not stripped:
        raise DurationError(f"an empty text is no duration; {HINT}")
    try:
        return float(stripped)
    except ValueError:
        pass
    clock = _CLOCK.fullmatch(stripped)
    if clock is not None:
        if clock[1]:
            raise DurationError(f"a duration is zero or more seconds, not {text!r}")
        return int(clock[2]) * 3600.0 + int(clock[3]) * 60.0 + float(clock[4] or 0)
    compact = _COMPACT.fullmatch(stripped.replace(" ", ""))
    if compact is not None and any(compact.groupdict().values()):
        return sum(
            float(amount) * _COMPACT_UNITS[unit]
            for unit, amount in compact.groupdict().items()
            if amount is not None
        )
    raise DurationError(f"{text!r} is no duration; {HINT}")


def _parse_mapping(value: Mapping[Any, Any]) -> float:
    unknown = [str(key) for key in value if key not in UNITS]
    if unknown:
        raise DurationError(
            f"unknown duration unit {unknown[0]!r}; use {', '.join(UNITS)} in a mapping"
        )
    if not value:
        raise DurationError(f"an empty mapping is no duration; {HINT}")
    total = 0.0
    for unit, amount in value.items():
        if isinstance(amount, bool) or not isinstance(amount, int | float | str):
            raise DurationError(f"{unit} takes a number, not {type(amount).__name__}")
        try:
            number = float(amount)
        except ValueError:
            raise DurationError(f"{unit} takes a number, not {amount!r}") from None
        total += number * UNITS[unit]
    return total


@dataclass(frozen=True, slots=True)
class TemplatedDuration:
    """A duration known only when the rule runs: the text or mapping as written."""

    source: str | Mapping[str, Any]

    def templates(self) -> list[tuple[tuple[str, ...], str]]:
        """Each template with its place below the duration (``()`` or ``(unit,)``)."""
        if isinstance(self.source, str):
            return [((), self.source)]
        return [((k,), v) for k, v in self.source.items() if isinstance(v, str) and is_template(v)]


def _validate(value: Any) -> float | TemplatedDuration:
    if isinstance(value, float | TemplatedDuration):
        return value
    try:
        if isinstance(value, str) and is_template(value):
            return TemplatedDuration(value)
        if isinstance(value, Mapping) and any(
            isinstance(v, str) and is_template(v) for v in value.values()
        ):
            _parse_mapping({k: 0 for k in value})  # the units are known at load
            return TemplatedDuration(dict(value))
        return parse_duration(value)
    except DurationError as exc:
        raise PydanticCustomError("duration", str(exc)) from None


def _serialise(value: float | TemplatedDuration) -> Any:
    return value.source if isinstance(value, TemplatedDuration) else value


# A duration field: float seconds, or a TemplatedDuration rendered at run time.
Duration = Annotated[
    float | TemplatedDuration,
    PlainValidator(_validate),
    PlainSerializer(_serialise),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0},
                {"type": "string"},
                {
                    "type": "object",
                    "properties": {unit: {"type": ["number", "string"]} for unit in UNITS},
                    "additionalProperties": False,
                },
            ],
            "description": HINT,
        }
    ),
]


class DurationValue:
    """A duration ready for a run: fixed seconds, or its templates compiled."""

    __slots__ = ("_fixed", "_value")

    def __init__(self, spec: float | TemplatedDuration, templates: Templates) -> None:
        if isinstance(spec, TemplatedDuration):
            self._fixed: float | None = None
            self._value: Value | None = templates.compile_value(spec.source)
        else:
            self._fixed = spec
            self._value = None

    def __repr__(self) -> str:
        return f"DurationValue({self._fixed if self._value is None else 'templated'})"

    def seconds(self, variables: dict[str, Any], scope: Scope) -> float:
        if self._value is None:
            assert self._fixed is not None
            return self._fixed
        rendered = self._value.render(variables, scope)
        try:
            return parse_duration(rendered)
        except DurationError as exc:
            raise ValueRenderError(f"the duration rendered as {rendered!r}: {exc}") from None
