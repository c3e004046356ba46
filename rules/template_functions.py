"""The functions and filters rule templates have, as Home Assistant's templates have them.

``states('agent.1001')``, ``is_state(...)``, ``state_attr(...)`` and ``is_state_attr(...)`` read
the scope the render was given: the state store as of the triggering event, or as it is now
(``state_at: now``). ``now()`` and ``utcnow()`` read the engine clock, so they follow the
accelerated, manual or replay clock. ``float``, ``int`` and ``bool`` are strict, as in Home
Assistant: a value that is no number is an error unless a default is given (Jinja's own would
answer 0, a silent false).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any, NamedTuple

from engine.clock import Clock
from engine.states import StatesView
from rules.render_budget import current_scope
from rules.template_views import Lens

UNKNOWN = "unknown"
_MISSING: Any = object()
_TRUE = frozenset({"true", "yes", "on", "enable", "1"})
_FALSE = frozenset({"false", "no", "off", "disable", "0"})


class Scope(NamedTuple):
    """What a render reads: a view of the states, the time they are read at, the clock.
    (A named tuple: one is made for every trigger that fires and every step.)"""

    states: StatesView
    at: float
    clock: Clock

    @property
    def lens(self) -> Lens:
        return Lens(self.clock.tz, self.at)


_scope: Callable[[], Scope] = current_scope


def states(entity_id: str) -> str:
    """The entity's state, or ``"unknown"`` when there is no such entity."""
    found = _scope().states.get(str(entity_id))
    return UNKNOWN if found is None else found.state


def is_state(entity_id: str, state: str | list[str] | tuple[str, ...]) -> bool:
    """Whether the entity's state is ``state`` (or one of a list); false for no entity."""
    found = _scope().states.get(str(entity_id))
    if found is None:
        return False
    if isinstance(state, list | tuple):
        return found.state in state
    return found.state == state


def state_attr(entity_id: str, name: str) -> Any:
    """One attribute of the entity (``seconds_in_state`` too), or none."""
    scope = _scope()
    found = scope.states.get(str(entity_id))
    return None if found is None else found.attribute(str(name), scope.at)


def is_state_attr(entity_id: str, name: str, value: Any) -> bool:
    """Whether the entity's attribute ``name`` equals ``value``."""
    return bool(state_attr(entity_id, name) == value)


def now() -> datetime:
    """The engine clock's time, in the call center's time zone."""
    return _scope().clock.now()


def utcnow() -> datetime:
    """The engine clock's time, in UTC."""
    return _scope().clock.utcnow()


def _fail(what: str, value: Any) -> Any:
    raise ValueError(f"{what} got {value!r}, which it cannot read; give a default")


def as_datetime(value: Any, default: Any = _MISSING) -> Any:
    """A datetime from ISO text or epoch seconds; aware, in the call center's time zone."""
    tz = _scope().clock.tz
    try:
        if isinstance(value, datetime):
            result = value
        elif isinstance(value, date):
            result = datetime.combine(value, time())
        elif isinstance(value, int | float) and not isinstance(value, bool):
            return datetime.fromtimestamp(value, tz)
        elif isinstance(value, str):
            text = value.strip()
            try:
                return datetime.fromtimestamp(float(text), tz)
            except ValueError:
                result = datetime.fromisoformat(text)
        else:
            raise TypeError(type(value).__name__)
        return result if result.tzinfo is not None else result.replace(tzinfo=tz)
    except (ValueError, OverflowError, OSError, TypeError):
        return _fail("as_datetime", value) if default is _MISSING else default


def as_timestamp(value: Any, default: Any = _MISSING) -> Any:
    """Epoch seconds from a datetime, ISO text or a number."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    converted = as_datetime(value, None)
    if converted is None:
        return _fail("as_timestamp", value) if default is _MISSING else default
    return converted.timestamp()


def to_float(value: Any, default: Any = _MISSING) -> Any:
    """A number from a number or its text; an error (or ``default``) for anything else."""
    try:
        result = float(value)
    except (ValueError, TypeError, OverflowError):
        return _fail("float", value) if default is _MISSING else default
    if math.isnan(result) and default is not _MISSING:
        return default
    return result


def to_int(value: Any, default: Any = _MISSING, base: int = 10) -> Any:
    """A whole number (text in ``base``); an error (or ``default``) for anything else."""
    try:
        if isinstance(value, str):
            return int(value, base) if base != 10 else int(float(value))
        return int(value)
    except (ValueError, TypeError, OverflowError):
        return _fail("int", value) if default is _MISSING else default


def to_bool(value: Any, default: Any = _MISSING) -> Any:
    """True or false from a boolean, a number, or ``true``/``yes``/``on``/``enable``/``1``
    and ``false``/``no``/``off``/``disable``/``0``; an error (or ``default``) otherwise."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    if not isinstance(value, str):
        return _fail("bool", value) if default is _MISSING else default
    text = value.strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return _fail("bool", value) if default is _MISSING else default


def truthy(value: Any) -> bool:
    """How a condition template's result reads as true or false (as Home Assistant does)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    if isinstance(value, str):
        return value.strip().lower() in _TRUE
    return False


FUNCTIONS: dict[str, Any] = {
    "states": states,
    "is_state": is_state,
    "state_attr": state_attr,
    "is_state_attr": is_state_attr,
    "now": now,
    "utcnow": utcnow,
    "as_datetime": as_datetime,
    "as_timestamp": as_timestamp,
    "timedelta": timedelta,
    "float": to_float,
    "int": to_int,
    "bool": to_bool,
}
FILTERS: dict[str, Any] = {
    "as_datetime": as_datetime,
    "as_timestamp": as_timestamp,
    "float": to_float,
    "int": to_int,
    "bool": to_bool,
}
