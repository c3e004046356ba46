"""The live state of the call center: entities with a state string and typed attributes.

Entity ids are ``<domain>.<object id>``: ``agent.1001``, ``campaign.TESTCAMP``,
``ingroup.SALESLINE``, ``usergroup.ADMIN``, ``vicidial.connection``. Object ids keep
ViciDial's spelling and case.

State objects are immutable and versioned. The store keeps them in persistent maps (a hash
array mapped trie per domain, from ``immutables``), so a snapshot is one reference: every event
carries the store as it was when it was fired, and "the state as of event E" costs nothing,
with no copy of 2,000 entities per event. Old snapshots are freed when no event holds them.

``StatesView`` is the small reading interface (by id, by glob); a shared backend implements
it later.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Protocol

import immutables

from engine.context import Context

_ENTITY_ID = re.compile(r"([a-z][a-z0-9_]*)\.([^\s*?\[\]]+)")
_GLOB_CHARS = re.compile(r"[*?\[]")
_EMPTY: Mapping[str, Any] = MappingProxyType({})
_NO_ENTITIES: Mapping[str, Any] = MappingProxyType({})


class InvalidEntityIdError(ValueError):
    pass


def split_entity_id(entity_id: str) -> tuple[str, str]:
    match = _ENTITY_ID.fullmatch(entity_id)
    if match is None:
        raise InvalidEntityIdError(
            f"bad entity id {entity_id!r}: expected <domain>.<id>, such as agent.1001"
        )
    return match[1], match[2]


@dataclass(frozen=True, slots=True)
class State:
    entity_id: str
    state: str
    attributes: Mapping[str, Any]
    last_changed: float  # when ``state`` last changed (epoch seconds, engine clock)
    last_updated: float  # when ``state`` or an attribute last changed
    context: Context  # what made the last change
    version: int  # the store's version when this state was written

    @property
    def domain(self) -> str:
        return self.entity_id.partition(".")[0]

    @property
    def object_id(self) -> str:
        return self.entity_id.partition(".")[2]

    def attribute(self, name: str, now: float) -> Any:
        """An attribute by name, including the ones computed at reading time
        (``seconds_in_state``); None when it has none by that name."""
        computed = COMPUTED_ATTRIBUTES.get(name)
        if computed is not None:
            return computed(self, now)
        return self.attributes.get(name)

    def as_dict(self, now: float | None = None) -> dict[str, Any]:
        from engine.jsonable import to_jsonable

        attributes = to_jsonable(self.attributes)
        if now is not None:
            attributes.update({name: get(self, now) for name, get in COMPUTED_ATTRIBUTES.items()})
        return {
            "entity_id": self.entity_id,
            "state": self.state,
            "attributes": attributes,
            "last_changed": self.last_changed,
            "last_updated": self.last_updated,
            "context": self.context.as_dict(),
            "version": self.version,
        }


# Attributes every entity has, computed when read so that they need no write every second.
COMPUTED_ATTRIBUTES: dict[str, Callable[[State, float], Any]] = {
    "seconds_in_state": lambda state, now: max(0, int(now - state.last_changed)),
}


@dataclass(frozen=True, slots=True)
class StateChange:
    """The data of a ``state_changed`` event; old or new is None when added or removed."""

    entity_id: str
    old_state: State | None
    new_state: State | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "entity_id": self.entity_id,
            "old_state": self.old_state.as_dict() if self.old_state else None,
            "new_state": self.new_state.as_dict() if self.new_state else None,
        }


class StatesView(Protocol):
    @property
    def version(self) -> int: ...

    def get(self, entity_id: str) -> State | None: ...

    def glob(self, pattern: str) -> list[State]: ...

    def __len__(self) -> int: ...


Domains = immutables.Map[str, immutables.Map[str, State]]


class Snapshot:
    """The store at one version: immutable, and cheap to keep."""

    __slots__ = ("_count", "_domains", "_version")

    def __init__(self, domains: Domains, version: int, count: int) -> None:
        self._domains = domains
        self._version = version
        self._count = count

    def __repr__(self) -> str:
        return f"<Snapshot v{self._version} of {self._count} entities>"

    @property
    def version(self) -> int:
        return self._version

    def __len__(self) -> int:
        return self._count

    def get(self, entity_id: str) -> State | None:
        domain = self._domains.get(entity_id.partition(".")[0])
        return None if domain is None else domain.get(entity_id)

    def __iter__(self) -> Iterator[State]:
        for domain in self._domains.values():
            yield from domain.values()

    def domain(self, name: str) -> Mapping[str, State]:
        """One domain's entities by id (``agent`` -> {"agent.1001": State, ...})."""
        entities = self._domains.get(name)
        return _NO_ENTITIES if entities is None else entities

    def glob(self, pattern: str) -> list[State]:
        """Entities matching a shell-style pattern: ``agent.*``, ``campaign.TEST*``, ``*``."""
        if not _GLOB_CHARS.search(pattern):
            found = self.get(pattern)
            return [] if found is None else [found]
        domain, dot, rest = pattern.partition(".")
        if dot and not _GLOB_CHARS.search(domain):
            entities = self._domains.get(domain)
            if entities is None:
                return []
            if rest == "*":
                return list(entities.values())
            match = re.compile(fnmatch.translate(pattern)).match
            return [s for key, s in entities.items() if match(key)]
        match = re.compile(fnmatch.translate(pattern)).match
        return [s for s in self if match(s.entity_id)]


ChangeListener = Callable[[StateChange, Context], None]


def freeze(attributes: Mapping[str, Any] | None) -> Mapping[str, Any]:
    if not attributes:
        return _EMPTY
    if isinstance(attributes, MappingProxyType):
        return attributes
    return MappingProxyType(dict(attributes))


class StateStore:
    """The writable store; every change is handed to ``on_change`` (the engine fires
    ``state_changed`` from it)."""

    def __init__(
        self, clock_time: Callable[[], float], on_change: ChangeListener | None = None
    ) -> None:
        self._time = clock_time
        self._on_change = on_change
        self._domains: Domains = immutables.Map()
        self._version = 0
        self._count = 0
        self._snapshot: Snapshot | None = None

    def __repr__(self) -> str:
        return f"StateStore({self._count} entities, v{self._version})"

    def set_listener(self, on_change: ChangeListener | None) -> None:
        self._on_change = on_change

    @property
    def version(self) -> int:
        return self._version

    def __len__(self) -> int:
        return self._count

    def snapshot(self) -> Snapshot:
        snap = self._snapshot
        if snap is None:
            snap = self._snapshot = Snapshot(self._domains, self._version, self._count)
        return snap

    def get(self, entity_id: str) -> State | None:
        domain = self._domains.get(entity_id.partition(".")[0])
        return None if domain is None else domain.get(entity_id)

    def glob(self, pattern: str) -> list[State]:
        return self.snapshot().glob(pattern)

    def set(
        self,
        entity_id: str,
        state: str,
        attributes: Mapping[str, Any] | None = None,
        *,
        context: Context,
        force_update: bool = False,
    ) -> State | None:
        """Write one entity; None when nothing changed (no event, no new version)."""
        changes = self.set_many(
            [(entity_id, state, attributes)], context=context, force=force_update
        )
        return changes[0].new_state if changes else None

    def set_many(
        self,
        updates: Iterable[tuple[str, str, Mapping[str, Any] | None]],
        *,
        context: Context,
        force: bool = False,
    ) -> list[StateChange]:
        """Write many entities as one batch (a poll cycle); the changes, in order.

        A poll rewrites every entity it reads and most are unchanged: those cost two lookups
        and one comparison; only a changed entity is copied, versioned and stored."""
        now = self._time()
        changes: list[StateChange] = []
        written: dict[str, State] = {}  # this batch's writes, for an entity given twice
        by_domain: dict[str, dict[str, State]] = {}
        domains = self._domains
        for entity_id, state, attributes in updates:
            domain = entity_id.partition(".")[0]
            old = written.get(entity_id)
            if old is None:
                stored = domains.get(domain)
                old = stored.get(entity_id) if stored is not None else None
                if old is None:
                    split_entity_id(entity_id)  # a new id: check its form once
            unchanged = old is not None and old.state == state and not force
            if unchanged and old is not None and old.attributes == (attributes or _EMPTY):
                continue
            self._version += 1
            same_state = old is not None and old.state == state
            new = State(
                entity_id,
                state,
                freeze(attributes),
                old.last_changed if same_state and old is not None else now,
                now,
                context,
                self._version,
            )
            written[entity_id] = new
            by_domain.setdefault(domain, {})[entity_id] = new
            if old is None:
                self._count += 1
            changes.append(StateChange(entity_id, old, new))
        if changes:
            with domains.mutate() as top:
                for domain, batch in by_domain.items():
                    with domains.get(domain, immutables.Map()).mutate() as mutation:
                        for entity_id, new in batch.items():
                            mutation[entity_id] = new
                        top[domain] = mutation.finish()
                self._domains = top.finish()
            self._snapshot = None
            self._notify(changes, context)
        return changes

    def remove(self, entity_id: str, *, context: Context) -> State | None:
        domain = entity_id.partition(".")[0]
        entities = self._domains.get(domain)
        old = None if entities is None else entities.get(entity_id)
        if old is None or entities is None:
            return None
        self._version += 1
        self._count -= 1
        remaining = entities.delete(entity_id)
        self._domains = (
            self._domains.set(domain, remaining) if remaining else self._domains.delete(domain)
        )
        self._snapshot = None
        self._notify([StateChange(entity_id, old, None)], context)
        return old

    def _notify(self, changes: list[StateChange], context: Context) -> None:
        if self._on_change is None:
            return
        for change in changes:
            self._on_change(change, context)


def merge_changes(first: StateChange, second: StateChange) -> StateChange:
    """Two queued changes of one entity as one: from the first's old state to the second's new
    state (the newest state wins when the bus coalesces)."""
    return StateChange(second.entity_id, first.old_state, second.new_state)
