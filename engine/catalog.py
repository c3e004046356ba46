"""What the engine can know about: event types and their data fields, webhook kinds, agent push
event names and entity domains with their attributes.

Integrations declare their vocabulary here at setup (the ViciDial integration its 13 callback
kinds, the 50 push events, its entity domains), so the rule checker can say "unknown webhook
kind", "pause_max carries no lead_id" or "no entity kind matches ingrup.*" at load time without
the rules package ever importing an integration.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from dataclasses import dataclass, field

from engine.events import ENGINE_EVENT_TYPES, webhook_event_type


@dataclass(frozen=True, slots=True)
class EventSpec:
    type: str
    description: str = ""
    # The data's fields a template may read; None when the data has no fixed shape.
    fields: frozenset[str] | None = None


@dataclass(frozen=True, slots=True)
class WebhookKindSpec:
    kind: str
    description: str = ""
    fields: frozenset[str] = frozenset()  # the typed payload fields this kind fills

    @property
    def event_type(self) -> str:
        return webhook_event_type(self.kind)


@dataclass(frozen=True, slots=True)
class DomainSpec:
    domain: str
    description: str = ""
    # attribute name -> what it means and where it comes from (docs/entities.md)
    attributes: Mapping[str, str] = field(default_factory=dict)
    states: tuple[str, ...] = ()  # the states it can take, when they are a known set


class Catalog:
    def __init__(self) -> None:
        self._events: dict[str, EventSpec] = {t: EventSpec(t) for t in ENGINE_EVENT_TYPES}
        self._kinds: dict[str, WebhookKindSpec] = {}
        self._push_events: dict[str, str] = {}
        self._domains: dict[str, DomainSpec] = {}

    def __repr__(self) -> str:
        return (
            f"Catalog({len(self._events)} event types, {len(self._kinds)} webhook kinds, "
            f"{len(self._domains)} domains)"
        )

    def add_event(self, spec: EventSpec) -> None:
        self._events[spec.type] = spec

    def add_webhook_kind(self, spec: WebhookKindSpec) -> None:
        self._kinds[spec.kind] = spec
        self.add_event(EventSpec(spec.event_type, spec.description, spec.fields))

    def add_push_events(self, names: Mapping[str, str]) -> None:
        """Agent push event names with a one-line meaning each."""
        self._push_events.update(names)

    def add_domain(self, spec: DomainSpec) -> None:
        self._domains[spec.domain] = spec

    def event(self, event_type: str) -> EventSpec | None:
        return self._events.get(event_type)

    def event_types(self) -> list[str]:
        return sorted(self._events)

    def webhook_kind(self, kind: str) -> WebhookKindSpec | None:
        return self._kinds.get(kind)

    def webhook_kinds(self) -> list[str]:
        return sorted(self._kinds)

    def push_events(self) -> Mapping[str, str]:
        return dict(self._push_events)

    def domain(self, name: str) -> DomainSpec | None:
        return self._domains.get(name)

    def domains(self) -> list[str]:
        return sorted(self._domains)

    def domains_matching(self, pattern: str) -> list[str]:
        """The domains an entity id or glob can belong to (``agent.*`` -> agent, ``*`` -> all)."""
        domain_part = pattern.partition(".")[0]
        return [d for d in self._domains if fnmatch.fnmatchcase(d, domain_part)]
