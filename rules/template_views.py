"""What templates see of the engine's typed values: read-only views with plain names.

Event data and webhook payloads (pydantic models, dataclasses, mappings) are shown through
``DataView``: their fields by attribute or key (``trigger.payload.user``,
``trigger.payload['user']``) and nothing else, so no model method or class internals reach a
template, and a missing field is an error that names what was read (``the pause_max payload
has no field 'lead_id'``). States are shown through ``StateView``, with times as aware datetimes
in the call center's time zone, as Home Assistant templates have them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from datetime import datetime, tzinfo
from typing import Any, NamedTuple

from pydantic import BaseModel

from engine.context import Context
from engine.events import Event
from engine.jsonable import to_jsonable
from engine.states import COMPUTED_ATTRIBUTES, State


class Lens(NamedTuple):
    """How views show times: the call center's time zone, and the time states are read at
    (computed attributes such as ``seconds_in_state`` count to it)."""

    tz: tzinfo
    at: float


def _fields(data: Any) -> tuple[str, ...]:
    if isinstance(data, BaseModel):
        cls = type(data)
        names = list(cls.model_fields)
        names += [
            n for n in dir(cls) if not n.startswith("_") and isinstance(getattr(cls, n), property)
        ]
        return tuple(names)
    if dataclasses.is_dataclass(data):
        return tuple(f.name for f in dataclasses.fields(data))
    return ()


class DataView:
    """Fields of one value by attribute or key; nested models and states are viewed too."""

    __slots__ = ("_data", "_label", "_lens", "_names")

    def __init__(self, data: Any, label: str, lens: Lens) -> None:
        self._data = data
        self._label = label
        self._lens = lens
        self._names: tuple[str, ...] | None = None

    def __repr__(self) -> str:
        return f"<{self._label}>"

    def _field_names(self) -> tuple[str, ...]:
        if self._names is None:
            data = self._data
            self._names = tuple(map(str, data)) if isinstance(data, Mapping) else _fields(data)
        return self._names

    def __getitem__(self, key: Any) -> Any:
        data = self._data
        if isinstance(data, Mapping):
            value = data[key]
        elif isinstance(key, str) and key in self._field_names():
            value = getattr(data, key)
        else:
            raise KeyError(key)
        return view(value, f"{self._label}.{key}", self._lens)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # our own slots (unset while copy builds one), never fields
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __contains__(self, key: object) -> bool:
        return key in self._field_names()

    def __iter__(self) -> Iterator[str]:
        return iter(self._field_names())

    def __len__(self) -> int:
        return len(self._field_names())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, DataView):
            return bool(self._data == other._data)
        return bool(self._data == other)

    __hash__ = None  # type: ignore[assignment]

    def describe_missing(self, name: str | int) -> str:
        return f"{self._label} has no field {name!r}"

    def as_plain(self) -> Any:
        return to_jsonable(self._data)


class AttributesView(Mapping[str, Any]):
    """A state's attributes, with the ones computed when read (``seconds_in_state``)."""

    __slots__ = ("_now", "_state")

    def __init__(self, state: State, now: float) -> None:
        self._state = state
        self._now = now

    def __getitem__(self, name: str) -> Any:
        if name in COMPUTED_ATTRIBUTES:
            return self._state.attribute(name, self._now)
        return self._state.attributes[name]

    def __iter__(self) -> Iterator[str]:
        yield from self._state.attributes
        yield from (n for n in COMPUTED_ATTRIBUTES if n not in self._state.attributes)

    def __len__(self) -> int:
        return len(set(self._state.attributes) | set(COMPUTED_ATTRIBUTES))

    def describe_missing(self, name: str | int) -> str:
        return f"{self._state.entity_id} has no attribute {name!r}"


class StateView:
    """One entity's state as templates read it (``trigger.to_state.state``)."""

    __slots__ = ("_lens", "_state")

    def __init__(self, state: State, lens: Lens) -> None:
        self._state = state
        self._lens = lens

    def __repr__(self) -> str:
        return f"<state {self._state.entity_id}={self._state.state}>"

    def __str__(self) -> str:
        return self._state.state

    def __eq__(self, other: object) -> bool:
        return isinstance(other, StateView) and other._state == self._state

    __hash__ = None  # type: ignore[assignment]

    @property
    def entity_id(self) -> str:
        return self._state.entity_id

    @property
    def state(self) -> str:
        return self._state.state

    @property
    def domain(self) -> str:
        return self._state.domain

    @property
    def object_id(self) -> str:
        return self._state.object_id

    @property
    def attributes(self) -> AttributesView:
        return AttributesView(self._state, self._lens.at)

    @property
    def last_changed(self) -> datetime:
        return datetime.fromtimestamp(self._state.last_changed, self._lens.tz)

    @property
    def last_updated(self) -> datetime:
        return datetime.fromtimestamp(self._state.last_updated, self._lens.tz)

    @property
    def context(self) -> dict[str, str | None]:
        return self._state.context.as_dict()

    def describe_missing(self, name: str | int) -> str:
        return f"a state has no {name!r}; it has entity_id, state, attributes, last_changed"

    def as_plain(self) -> Any:
        return self._state.as_dict(self._lens.at)


class EventView:
    """``trigger.event``: the triggering event's type, data, time and context."""

    __slots__ = ("_event", "_lens")

    def __init__(self, event: Event[Any], lens: Lens) -> None:
        self._event = event
        self._lens = lens

    def __repr__(self) -> str:
        return f"<event {self._event.type}>"

    @property
    def event_type(self) -> str:
        return self._event.type

    @property
    def data(self) -> Any:
        data = self._event.data
        label = f"the {self._event.type} data"
        return (
            DataView(data, label, self._lens)
            if isinstance(data, dict)
            else view(data, label, self._lens)
        )

    @property
    def time_fired(self) -> datetime:
        return datetime.fromtimestamp(self._event.time_fired, self._lens.tz)

    @property
    def context(self) -> dict[str, str | None]:
        return self._event.context.as_dict()

    def describe_missing(self, name: str | int) -> str:
        return f"an event has no {name!r}; it has event_type, data, time_fired, context"

    def as_plain(self) -> Any:
        return self._event.as_dict()


def view(value: Any, label: str, lens: Lens) -> Any:
    """``value`` as a template reads it: scalars and plain containers as they are."""
    if value is None or isinstance(value, str | int | float | bool | list | tuple | dict):
        return value
    if isinstance(value, State):
        return StateView(value, lens)
    if isinstance(value, Context):
        return value.as_dict()
    if isinstance(value, BaseModel | Mapping) or dataclasses.is_dataclass(value):
        return DataView(value, label, lens)
    return value


def plain(value: Any) -> Any:
    """JSON-ready data from a variable (views included), for records and the run journal."""
    as_plain = getattr(type(value), "as_plain", None)
    if as_plain is not None:
        return as_plain(value)
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return to_jsonable(value)
