"""ViciDial's callbacks onto the bus, and what the integration learns from them at once.

- Every payload the receiver accepts becomes a ``vicidial_<kind>`` event through the bus's
  ``webhook`` source: it waits briefly for room and otherwise refuses, so the receiver answers
  503 (which ViciDial logs) and never 200 for an event that was then dropped.
- Agent push updates the agent's entity at once and feeds the gap detector.
- no_agent and dispo_callback are counted since the call center's local midnight (drops,
  calls, sales) onto the campaign and in-group entities.
- DID filter requests are answered by a decider the rule engine installs; with none, by the
  configured fallback.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from engine.bus import Admission, SourcePolicy
from engine.context import Context, Origin
from engine.core import Core
from engine.errors import BusClosedError
from engine.events import VICIDIAL_EVENT_GAP, Event, webhook_event_type
from engine.schedule import Schedule, daily_trigger
from integrations.vicidial.glue.entities import (
    DailyCounts,
    agent_id,
    campaign_id,
    ingroup_id,
)
from integrations.vicidial.glue.gaps import EventGap, GapDetector
from integrations.vicidial.glue.push import PushTracker
from integrations.vicidial.webhooks.errors import HandoffRefusedError
from integrations.vicidial.webhooks.handoff import DidDecider
from integrations.vicidial.webhooks.kinds import Kind
from integrations.vicidial.webhooks.payloads import (
    AgentEventPayload,
    DidFilterPayload,
    DispoCallbackPayload,
    NoAgentPayload,
    WebhookPayload,
)
from integrations.vicidial.webhooks.push_events import PushEvent

logger = logging.getLogger(__name__)

DEFAULT_HANDOFF_WAIT = 1.0
DEFAULT_SALE_STATUSES = frozenset({"SALE"})


class WebhookHandoff:
    """The receiver's hand-off: one payload in, one event on the bus (or BusFullError)."""

    def __init__(self, core: Core, *, wait: float = DEFAULT_HANDOFF_WAIT) -> None:
        self._core = core
        self._source = core.bus.source("webhook", SourcePolicy(Admission.WAIT, wait=wait))

    def __repr__(self) -> str:
        return f"WebhookHandoff({self._source!r})"

    async def __call__(self, payload: WebhookPayload, /) -> None:
        origin = Origin.PUSH if payload.kind is Kind.AGENT_EVENT else Origin.WEBHOOK
        event = self._core.event(webhook_event_type(payload.kind.value), payload, Context(origin))
        try:
            await self._source.publish(event)
        except BusClosedError:
            # Expected while the daemon stops: a 503 ViciDial logs, not an error of ours.
            raise HandoffRefusedError("the daemon is stopping") from None


class DidDecisions:
    """The DID filter hook: the rule engine installs a decider; until then, the fallback."""

    def __init__(self, fallback: bool) -> None:
        self.fallback = fallback
        self.decider: DidDecider | None = None

    async def __call__(self, payload: DidFilterPayload) -> bool:
        if self.decider is None:
            return self.fallback
        return await self.decider(payload)


class PushListener:
    """Agent push -> the agent entity at once, and the counter into the gap detector."""

    def __init__(self, core: Core, tracker: PushTracker, gaps: GapDetector) -> None:
        self._core = core
        self._tracker = tracker
        self._gaps = gaps

    def __call__(self, event: Event[Any]) -> None:
        payload = event.data
        if not isinstance(payload, AgentEventPayload) or not payload.user:
            return
        if payload.counter is not None:
            starts = payload.push_event is PushEvent.LOGGED_IN
            self._gaps.seen(payload.user, payload.counter, starts_session=starts)
        changes = self._tracker.apply(payload, event.time_fired)
        if not changes:
            return
        entity = agent_id(payload.user)
        current = self._core.states.get(entity)
        if current is None and "status" not in changes:
            return  # an agent the poll has not shown yet, and the push tells no status
        attributes = dict(current.attributes) if current else {}
        status = changes.pop("status", current.state if current else "")
        attributes.update(changes)
        self._core.states.set(entity, str(status), attributes, context=event.context)


def gap_reporter(core: Core) -> Callable[[EventGap], None]:
    def report(gap: EventGap) -> None:
        logger.warning(
            "agent %s lost push events %d..%d (%d) in screen session %d",
            gap.user,
            gap.first,
            gap.last,
            gap.missing,
            gap.session,
        )
        core.fire(VICIDIAL_EVENT_GAP, gap, origin=Origin.PUSH)

    return report


class DailyCounter:
    """Drops, calls and sales since the call center's local midnight, from the webhooks."""

    def __init__(
        self,
        core: Core,
        daily: DailyCounts,
        *,
        sale_statuses: Iterable[str] = DEFAULT_SALE_STATUSES,
    ) -> None:
        self._core = core
        self.daily = daily
        self._sales = frozenset(sale_statuses)
        self._midnight = Schedule(core.clock, daily_trigger(0, 0, 0, core.clock.tz), self._reset)

    def start(self) -> None:
        self._midnight.start()

    def stop(self) -> None:
        self._midnight.stop()

    def no_agent(self, event: Event[Any]) -> None:
        payload = event.data
        if not isinstance(payload, NoAgentPayload):
            return
        if payload.campaign:
            self.daily.drops[payload.campaign] += 1
            self._touch(campaign_id(payload.campaign), event.context)
        if payload.group and payload.group != payload.campaign:
            self.daily.drops[payload.group] += 1
            self._touch(ingroup_id(payload.group), event.context)

    def dispo(self, event: Event[Any]) -> None:
        payload = event.data
        if not isinstance(payload, DispoCallbackPayload) or not payload.campaign:
            return
        self.daily.calls[payload.campaign] += 1
        if payload.dispo in self._sales:
            self.daily.sales[payload.campaign] += 1
        self._touch(campaign_id(payload.campaign), event.context)

    def _touch(self, entity: str, context: Context) -> None:
        """Write the counts onto an entity the poller knows; others wait for their poll."""
        current = self._core.states.get(entity)
        if current is None:
            return
        key = current.object_id
        counts = {"drops_today": self.daily.drops[key]}
        if current.domain == "campaign":
            counts |= {"sales_today": self.daily.sales[key], "calls_today": self.daily.calls[key]}
        self._core.states.set(
            entity, current.state, {**current.attributes, **counts}, context=context
        )

    def _reset(self, fired: object) -> None:
        self.daily.clear()
        context = Context(Origin.SCHEDULE)
        for pattern in ("campaign.*", "ingroup.*"):
            for state in self._core.states.glob(pattern):
                self._touch(state.entity_id, context)
