"""The trigger index: which triggers an event can possibly match, without asking the others.

Triggers are grouped by event type (a webhook kind is its ``vicidial_<kind>`` type, state
triggers are ``state_changed``), and within a type by a hash on one filtered field: each
trigger offers the fields it filters on exact values (``campaign``, ``user``, the entity id,
the domain of an entity glob), and the index files it under the one whose bucket is smallest,
so ten thousand rules on ``pause_max`` that differ by campaign or by user cost one lookup per
field for an event, not ten thousand filter checks. Triggers with no exact filter are checked
for every event of their type.

The index is built whole and then swapped in (a reload never shows a half-built one).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from engine.events import Event
from rules.filters import as_text, read_field

# A key read from the event rather than from its data: the domain of the entity it is about.
DOMAIN_KEY = "@domain"


class Indexed(Protocol):
    """A trigger that listens to events."""

    @property
    def event_types(self) -> tuple[str, ...]: ...

    def index_keys(self) -> Mapping[str, frozenset[str | None]]:
        """Field -> the exact values this trigger accepts there (any one must hold)."""

    def on_event(self, event: Event[Any], host: Any) -> None:
        """The full check of an event that reached this trigger; fires through ``host``."""


@dataclass(frozen=True, slots=True)
class Entry:
    trigger: Indexed
    host: Any  # the rule's runtime

    def __call__(self, event: Event[Any]) -> None:
        self.trigger.on_event(event, self.host)


def _key_value(event: Event[Any], field: str) -> str | None:
    if field == DOMAIN_KEY:
        entity_id = read_field(event.data, "entity_id")
        return entity_id.partition(".")[0] if isinstance(entity_id, str) else None
    return as_text(read_field(event.data, field))


class TypeIndex:
    """The entries of one event type."""

    __slots__ = ("fields", "scan")

    def __init__(self, entries: Iterable[Entry]) -> None:
        entries = list(entries)
        offers = [(entry, entry.trigger.index_keys()) for entry in entries]
        sizes: Counter[tuple[str, str | None]] = Counter()
        for _, keys in offers:
            for field, values in keys.items():
                for value in values:
                    sizes[field, value] += 1
        self.scan: list[Entry] = []
        self.fields: dict[str, dict[str | None, list[Entry]]] = {}
        for entry, keys in offers:
            if not keys:
                self.scan.append(entry)
                continue
            field = min(keys, key=lambda f: sum(sizes[f, v] for v in keys[f]))
            buckets = self.fields.setdefault(field, {})
            for value in keys[field]:
                buckets.setdefault(value, []).append(entry)

    def candidates(self, event: Event[Any]) -> list[Entry]:
        found = self.scan
        for field, buckets in self.fields.items():
            hit = buckets.get(_key_value(event, field))
            if hit:
                found = [*found, *hit] if found else hit
        return found


class TriggerIndex:
    """Every listening trigger of the loaded rules, by event type."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        by_type: dict[str, list[Entry]] = {}
        for entry in entries:
            for event_type in entry.trigger.event_types:
                by_type.setdefault(event_type, []).append(entry)
        self._types = {event_type: TypeIndex(group) for event_type, group in by_type.items()}

    def __repr__(self) -> str:
        return f"TriggerIndex({len(self._types)} event types)"

    @property
    def event_types(self) -> frozenset[str]:
        return frozenset(self._types)

    def candidates(self, event: Event[Any]) -> list[Entry]:
        """The entries that may match ``event``; each still makes its full check."""
        index = self._types.get(event.type)
        return [] if index is None else index.candidates(event)
