"""Field filters: a field's value must be one of the allowed values, each exact or a glob.

Values are compared as text, the way they are written in YAML and sent by ViciDial: the filter
``campaign: 300`` matches the payload value ``"300"``, and ``lead_id: "42"`` matches 42. A
filter of exact values can be indexed (a hash on the field), so that an event reaches only
the triggers whose filter can match it.
"""

from __future__ import annotations

import enum
import fnmatch
import re
from collections.abc import Iterable, Mapping
from typing import Any

from rules.schema_common import is_glob


def as_text(value: Any) -> str | None:
    """A field's value as filters and the index compare it."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return as_text(value.value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_field(data: Any, name: str) -> Any:
    """A field of event data: a mapping's key, or a model's or dataclass's attribute."""
    if isinstance(data, Mapping):
        return data.get(name)
    if name.startswith("_"):
        return None
    return getattr(data, name, None)


class FieldFilter:
    __slots__ = ("exact", "field", "globs")

    def __init__(self, field: str, allowed: Iterable[str | None]) -> None:
        self.field = field
        exact: set[str | None] = set()
        globs: list[re.Pattern[str]] = []
        for value in allowed:
            if value is not None and is_glob(value):
                globs.append(re.compile(fnmatch.translate(value)))
            else:
                exact.add(value)
        self.exact = frozenset(exact)
        self.globs = tuple(globs)

    def __repr__(self) -> str:
        return f"FieldFilter({self.field}: {sorted(map(str, self.exact))} +{len(self.globs)} globs)"

    @property
    def indexable(self) -> bool:
        return not self.globs

    def matches(self, value: Any) -> bool:
        text = as_text(value)
        if text in self.exact:
            return True
        if text is None:
            return False
        return any(glob.match(text) for glob in self.globs)


def field_filters(spec: Mapping[str, Iterable[str | None]]) -> tuple[FieldFilter, ...]:
    return tuple(FieldFilter(name, values) for name, values in spec.items())


def all_match(filters: tuple[FieldFilter, ...], data: Any) -> bool:
    return all(one.matches(read_field(data, one.field)) for one in filters)
