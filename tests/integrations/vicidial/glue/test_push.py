from __future__ import annotations

import tracemalloc
from datetime import UTC
from typing import Any

from engine.core import Core
from engine.events import VICIDIAL_EVENT_GAP, webhook_event_type
from integrations.vicidial.admin.client import ViciAdmin
from integrations.vicidial.glue.entities import DailyCounts
from integrations.vicidial.glue.gaps import EventGap, GapDetector
from integrations.vicidial.glue.poller import Poller, PollPlan
from integrations.vicidial.glue.push import PushTracker
from integrations.vicidial.glue.sources import PushListener, WebhookHandoff, gap_reporter
from integrations.vicidial.webhooks.payloads import AgentEventPayload
from tests.integrations.vicidial.glue.conftest import Dialer

AGENT_EVENT = webhook_event_type("agent_event")


def push(user: str, event: str, counter: int, lead_id: int | None = None) -> AgentEventPayload:
    return AgentEventPayload(user=user, event=event, counter=counter, lead_id=lead_id)


class Wired:
    def __init__(self, core: Core, admin: ViciAdmin) -> None:
        self.tracker = PushTracker()
        self.gaps: list[EventGap] = []
        report = gap_reporter(core)
        self.detector = GapDetector(core.clock, report, reorder_window=5)
        core.bus.subscribe(AGENT_EVENT, PushListener(core, self.tracker, self.detector))
        core.bus.subscribe(VICIDIAL_EVENT_GAP, lambda e: self.gaps.append(e.data))
        self.handoff = WebhookHandoff(core)
        self.poller = Poller(
            core,
            admin,
            PollPlan(interval=5, discover=False),
            push=self.tracker,
            daily=DailyCounts(),
        )


async def test_a_push_changes_the_agent_at_once_and_an_older_poll_does_not_undo_it(
    core: Core, admin: ViciAdmin, dialer: Dialer
) -> None:
    wired = Wired(core, admin)
    wired.poller.start()
    await wired.poller.wait_cycles(1)
    before = core.states.get("agent.1002")
    assert before is not None
    assert before.state == "READY"

    # The agent pauses while the next poll is in flight: the dialer answers READY (its
    # picture from when the request came in), the push that came after says PAUSED.
    async def push_during_poll() -> None:
        await wired.handoff(push("1002", "state_paused", 7))
        await core.settle()
        now = core.states.get("agent.1002")
        assert now is not None
        assert now.state == "PAUSED"  # at once, not at the next poll

    dialer.before_answer["logged_in_agents"] = push_during_poll
    await core.advance(5)
    await wired.poller.wait_cycles(2)
    await core.settle()
    kept = core.states.get("agent.1002")
    assert kept is not None
    assert (kept.state, kept.attributes["last_push_event"]) == ("PAUSED", "state_paused")
    assert kept.attributes["full_name"] == "Bob Agent"  # the poll's other fields still apply

    # The next poll was sent after the push: it is the truth again (the dialer still says
    # READY, since only the push was simulated).
    await core.advance(5)
    await wired.poller.wait_cycles(3)
    await core.settle()
    await wired.poller.stop()
    confirmed = core.states.get("agent.1002")
    assert confirmed is not None
    assert confirmed.state == "READY"


async def test_push_events_set_sub_status_and_lead(core: Core, admin: ViciAdmin) -> None:
    wired = Wired(core, admin)
    for counter, (event, lead) in enumerate(
        [("call_answered", 21), ("call_dead", None), ("agent_hangup", None)], start=1
    ):
        await wired.handoff(push("1005", event, counter, lead))
        await core.settle()
        state = core.states.get("agent.1005")
        assert state is not None
        seen: Any = (state.state, state.attributes.get("sub_status"), state.attributes["lead_id"])
        assert (
            seen
            == {
                "call_answered": ("INCALL", None, 21),
                "call_dead": ("INCALL", "DEAD", 21),
                "agent_hangup": ("PAUSED", "DISPO", 21),
            }[event]
        )


async def test_a_counter_gap_that_stays_open_fires_vicidial_event_gap(
    core: Core, admin: ViciAdmin
) -> None:
    wired = Wired(core, admin)
    for counter in (1, 2, 5, 3):  # 3 arrives late, 4 never does
        await wired.handoff(push("1001", "state_paused", counter))
    await core.settle()
    await core.advance(4.9)
    assert wired.gaps == []
    await core.advance(0.2)
    assert wired.gaps == [EventGap("1001", 1, None, 4, 4, 1)]
    # A new screen session (the counter starts again) is no gap.
    await wired.handoff(push("1001", "logged_in", 1))
    await wired.handoff(push("1001", "state_ready", 2))
    await wired.handoff(push("1001", "state_paused", 6))
    await core.settle()
    await core.advance(10)
    assert wired.gaps[1:] == [EventGap("1001", 2, None, 3, 5, 3)]
    assert core.clock.tz is UTC


async def test_a_counter_jump_of_millions_is_one_gap_and_costs_no_memory_per_value(
    core: Core,
) -> None:
    gaps: list[EventGap] = []
    detector = GapDetector(core.clock, gaps.append, reorder_window=5)
    tracemalloc.start()
    try:
        for counter in (1, 2, 2_000_003):  # a forged or broken counter: outside input
            detector.seen("1001", counter)
        for late in (2_000_000, 2_000_002):  # late arrivals split the run
            detector.seen("1001", late)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000  # one entry per missing value would be tens of megabytes
    await core.advance(6)
    assert gaps == [
        EventGap("1001", 1, None, 3, 1_999_999, 1_999_997),
        EventGap("1001", 1, None, 2_000_001, 2_000_001, 1),
    ]


async def test_the_first_pushes_of_a_screen_session_may_arrive_swapped(core: Core) -> None:
    gaps: list[EventGap] = []
    detector = GapDetector(core.clock, gaps.append, reorder_window=5)
    detector.seen("1001", 2)
    detector.seen("1001", 1, starts_session=True)  # logged_in, overtaken by the next push
    for counter in (3, 4):
        detector.seen("1001", counter)
    detector.seen("1002", 3)
    detector.seen("1002", 1, starts_session=True)  # 2 never comes
    detector.seen("1002", 4)
    await core.advance(6)
    assert gaps == [EventGap("1002", 1, None, 2, 2, 1)]
    # Past the reorder window, a counter starting again is a new screen session.
    detector.seen("1001", 1, starts_session=True)
    detector.seen("1001", 3)
    await core.advance(6)
    assert gaps[1:] == [EventGap("1001", 2, None, 2, 2, 1)]
