"""Triggers on bus events: webhooks, agent push events, any event type, startup and reload.

``trigger`` variables: ``trigger.kind`` and ``trigger.payload`` for webhooks and agent events
(plus ``trigger.push_event``, the push event's name), and ``trigger.event`` (its type, data,
time and context) for all of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine.events import VICIBUS_RELOADED, VICIBUS_STARTED, Event, webhook_event_type
from rules.filters import FieldFilter, all_match, field_filters, read_field
from rules.schema_triggers import (
    AgentEventTrigger,
    EventTrigger,
    ReloadTrigger,
    StartupTrigger,
    WebhookTrigger,
)
from rules.template_views import DataView, EventView, Lens
from rules.templates import Templates
from rules.triggers import CompiledTrigger, TriggerHost

AGENT_EVENT_KIND = "agent_event"
# Where an agent's campaign is read when the push itself does not say (the agent entity).
AGENT_CAMPAIGN_ATTRIBUTE = "campaign"


def _exact_keys(filters: tuple[FieldFilter, ...]) -> dict[str, frozenset[str | None]]:
    return {f.field: f.exact for f in filters if f.indexable}


class WebhookListener(CompiledTrigger):
    platform = "webhook"
    provides = CompiledTrigger.provides | {"kind", "payload", "event"}

    def __init__(self, model: WebhookTrigger, index: int, templates: Templates) -> None:
        super().__init__(model, index, templates)
        self.kind = model.kind
        self.filters = field_filters(model.filter)
        self.event_types = (webhook_event_type(model.kind),)

    def index_keys(self) -> Mapping[str, frozenset[str | None]]:
        return _exact_keys(self.filters)

    def on_event(self, event: Event[Any], host: TriggerHost) -> None:
        if all_match(self.filters, event.data):
            host.fire(self, self.variables_for(event, host), event, event.states)

    def variables_for(self, event: Event[Any], host: TriggerHost) -> dict[str, Any]:
        lens = Lens(host.clock.tz, event.time_fired)
        variables = self.base()
        variables["kind"] = self.kind
        variables["payload"] = DataView(event.data, f"the {self.kind} payload", lens)
        variables["event"] = EventView(event, lens)
        return variables


class AgentEventListener(WebhookListener):
    platform = "agent_event"
    provides = WebhookListener.provides | {"push_event"}

    def __init__(self, model: AgentEventTrigger, index: int, templates: Templates) -> None:
        CompiledTrigger.__init__(self, model, index, templates)
        self.kind = AGENT_EVENT_KIND
        specs: dict[str, tuple[str | None, ...]] = {}
        if model.event:
            specs["event"] = model.event
        if model.user is not None:
            specs["user"] = model.user
        self.filters = field_filters(specs)
        self.campaign = FieldFilter("campaign", model.campaign) if model.campaign else None
        self.names = model.event
        self.event_types = (webhook_event_type(AGENT_EVENT_KIND),)

    def on_event(self, event: Event[Any], host: TriggerHost) -> None:
        if not all_match(self.filters, event.data):
            return
        if self.campaign is not None and not self.campaign.matches(self._campaign(event)):
            return
        variables = self.variables_for(event, host)
        variables["push_event"] = read_field(event.data, "event")
        host.fire(self, variables, event, event.states)

    @staticmethod
    def _campaign(event: Event[Any]) -> Any:
        """The push's own campaign when it has one, else the agent entity's (as of the push)."""
        campaign = read_field(event.data, "campaign")
        if campaign is not None:
            return campaign
        user = read_field(event.data, "user")
        if user is None or event.states is None:
            return None
        agent = event.states.get(f"agent.{user}")
        return None if agent is None else agent.attributes.get(AGENT_CAMPAIGN_ATTRIBUTE)


class EventListener(CompiledTrigger):
    platform = "event"
    provides = CompiledTrigger.provides | {"event"}

    def __init__(self, model: EventTrigger, index: int, templates: Templates) -> None:
        super().__init__(model, index, templates)
        self.event_types = tuple(model.event_type)
        self.filters = field_filters(model.event_data)

    def index_keys(self) -> Mapping[str, frozenset[str | None]]:
        return _exact_keys(self.filters)

    def on_event(self, event: Event[Any], host: TriggerHost) -> None:
        if all_match(self.filters, event.data):
            variables = self.base()
            variables["event"] = EventView(event, Lens(host.clock.tz, event.time_fired))
            host.fire(self, variables, event, event.states)


class LifecycleListener(EventListener):
    """``startup`` (``vicibus_started``) and ``reload`` (``vicibus_reloaded``)."""

    def __init__(
        self, model: StartupTrigger | ReloadTrigger, index: int, templates: Templates
    ) -> None:
        CompiledTrigger.__init__(self, model, index, templates)
        self.platform = model.trigger
        self.event_types = (VICIBUS_STARTED if model.trigger == "startup" else VICIBUS_RELOADED,)
        self.filters = ()
