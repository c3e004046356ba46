from __future__ import annotations

import logging
from typing import Any

import pytest

from engine.core import Core
from engine.events import STATE_CHANGED, VICIDIAL_CONNECTIVITY, Event
from integrations.vicidial.admin.client import ViciAdmin
from integrations.vicidial.glue.entities import DailyCounts
from integrations.vicidial.glue.poller import Connectivity, Poller, PollPlan
from integrations.vicidial.glue.push import PushTracker
from tests.integrations.vicidial.glue.conftest import Dialer, add_agents

PLAN = PollPlan(
    interval=5, campaigns=("TESTCAMP",), ingroups=("SALESLINE", "SUPPORT"), usergroups=("AGENTS",)
)


def poller(core: Core, admin: ViciAdmin, plan: PollPlan = PLAN) -> Poller:
    return Poller(core, admin, plan, push=PushTracker(), daily=DailyCounts(), jitter=lambda: 1.0)


async def test_one_cycle_fills_agents_campaigns_ingroups_and_usergroups(
    core: Core, admin: ViciAdmin, dialer: Dialer
) -> None:
    poll = poller(core, admin)
    poll.start()
    await poll.wait_cycles(1)
    await poll.stop()
    states = core.states
    agents = {s.object_id: s for s in states.glob("agent.*")}
    sim = dialer.center.sessions
    assert set(agents) == set(sim)
    for user, session in sim.items():
        entity = agents[user]
        assert entity.state == session.status.value
        assert entity.attributes["campaign"] == session.campaign_id
        assert entity.attributes["session_id"] == int(session.session_id)
        assert entity.attributes["stale"] is False
    campaign = states.get("campaign.TESTCAMP")
    assert campaign is not None
    assert campaign.state == "ACTIVE"
    assert campaign.attributes["agents_logged_in"] == len(sim)
    assert campaign.attributes["hopper_count"] == sum(
        1 for e in dialer.center.hopper if e.campaign_id == "TESTCAMP"
    )
    salesline = states.get("ingroup.SALESLINE")
    assert salesline is not None
    assert salesline.state == str(salesline.attributes["calls_waiting"])
    group = states.get("usergroup.AGENTS")
    assert group is not None
    assert group.attributes["agents_logged_in"] == len(sim)
    connection = states.get("vicidial.connection")
    assert connection is not None
    assert connection.state == "connected"
    assert poll.first_poll.is_set()


async def test_pause_codes_and_sub_statuses_reach_the_agents(
    core: Core, admin: ViciAdmin, dialer: Dialer
) -> None:
    poll = poller(core, admin)
    poll.start()
    await poll.wait_cycles(1)
    await poll.stop()
    paused = core.states.get("agent.1001")
    assert paused is not None
    assert (paused.state, paused.attributes["pause_code"]) == ("PAUSED", "BREAK")


@pytest.mark.parametrize("more", [0, 45])
async def test_calls_per_cycle_do_not_grow_with_agents(
    core: Core, admin: ViciAdmin, dialer: Dialer, more: int
) -> None:
    add_agents(dialer.center, more)
    poll = poller(core, admin)
    poll.start()
    await poll.wait_cycles(1)
    first = sum(dialer.requests.values())
    await core.advance(5)
    await poll.wait_cycles(2)
    await poll.stop()
    assert len(core.states.glob("agent.*")) == 5 + more
    # One logged_in_agents, campaigns_list, a hopper per campaign, a status per group.
    assert dict(dialer.requests) == {
        "logged_in_agents": 2,
        "campaigns_list": 2,
        "hopper_list": 2,
        "in_group_status": 4,
        "user_group_status": 2,
    }
    assert first == 6


async def test_a_state_change_in_the_dialer_is_seen_by_the_next_poll(
    core: Core, admin: ViciAdmin, dialer: Dialer
) -> None:
    changes: list[tuple[str, str | None, str | None]] = []

    def record(event: Event[Any]) -> None:
        data = event.data
        if data.entity_id.startswith("agent."):
            old = data.old_state.state if data.old_state else None
            new = data.new_state.state if data.new_state else None
            changes.append((data.entity_id, old, new))

    core.bus.subscribe(STATE_CHANGED, record)
    poll = poller(core, admin)
    poll.start()
    await poll.wait_cycles(1)
    dialer.center.resume("1001")
    dialer.center.logout("1002")
    await core.advance(5)
    await poll.wait_cycles(2)
    await core.settle()
    await poll.stop()
    assert ("agent.1001", "PAUSED", "READY") in changes
    assert ("agent.1002", "READY", "LOGGED_OUT") in changes
    gone = core.states.get("agent.1002")
    assert gone is not None
    assert gone.attributes["full_name"] == dialer.center.users["1002"].full_name
    assert gone.attributes["session_id"] is None


async def test_the_poller_rides_out_the_dialer_going_away_and_coming_back(
    core: Core, admin: ViciAdmin, dialer: Dialer, caplog: pytest.LogCaptureFixture
) -> None:
    events: list[Any] = []
    core.bus.subscribe(VICIDIAL_CONNECTIVITY, lambda e: events.append(e.data))
    poll = poller(core, admin)
    poll.start()
    await poll.wait_cycles(1)
    await dialer.stop()
    with caplog.at_level(logging.ERROR):
        # The first failure comes at the next interval, then the backoff doubles.
        for n, wait in ((2, 5), (3, 5), (4, 10)):
            await core.advance(wait)
            await poll.wait_cycles(n)
    await core.settle()
    assert poll.connectivity.value == "unreachable"
    agent = core.states.get("agent.1001")
    assert agent is not None
    assert (agent.state, agent.attributes["stale"]) == ("PAUSED", True)
    connection = core.states.get("vicidial.connection")
    assert connection is not None
    assert connection.state == "unreachable"
    assert connection.attributes["failures"] == 3
    # Said once, not once a cycle.
    assert len([r for r in caplog.records if "poll failed" in r.getMessage()]) == 1
    await dialer.start()
    await core.advance(20)
    await poll.wait_cycles(5)
    await core.settle()
    await poll.stop()
    assert poll.connectivity is Connectivity.CONNECTED
    agent = core.states.get("agent.1001")
    assert agent is not None
    assert agent.attributes["stale"] is False
    assert [(e.previous, e.state) for e in events] == [
        (Connectivity.CONNECTING, Connectivity.CONNECTED),
        (Connectivity.CONNECTED, Connectivity.UNREACHABLE),
        (Connectivity.UNREACHABLE, Connectivity.CONNECTED),
    ]


async def test_backoff_is_exponential_with_jitter_and_capped(core: Core, admin: ViciAdmin) -> None:
    plan = PollPlan(interval=5, max_backoff=60)
    jitters = iter([0.0, 1.0, 1.0, 1.0, 1.0, 1.0])
    poll = Poller(
        core, admin, plan, push=PushTracker(), daily=DailyCounts(), jitter=lambda: next(jitters)
    )
    delays = [poll._failed(None) for _ in range(6)]
    assert delays == [2.5, 10.0, 20.0, 40.0, 60.0, 60.0]


async def test_a_dialer_down_for_days_keeps_the_capped_backoff(
    core: Core, admin: ViciAdmin
) -> None:
    poll = Poller(
        core,
        admin,
        PollPlan(interval=5, max_backoff=300),
        push=PushTracker(),
        daily=DailyCounts(),
        jitter=lambda: 1.0,
    )
    # Over a thousand failures in a row (three and a half days at 300 s): 2 ** n overflows a
    # float there, and the poller must not die of it.
    delays = [poll._failed(None) for _ in range(1100)]
    assert delays[-1] == 300.0


def test_the_interval_has_a_floor() -> None:
    with pytest.raises(ValueError, match="below the floor of 1s"):
        PollPlan(interval=0.5)


@pytest.mark.parametrize(
    ("user", "password", "state", "said"),
    [
        ("6666", "Wrong-Pass-77", Connectivity.AUTH_FAILED, "refused the API user 6666"),
        (
            "6667",
            "Limited-Pass-1",
            Connectivity.PERMISSION_DENIED,
            "the API user 6667 may not call logged_in_agents",
        ),
    ],
)
async def test_a_refused_api_user_is_reported_once_with_what_it_lacks(
    core: Core,
    dialer: Dialer,
    caplog: pytest.LogCaptureFixture,
    user: str,
    password: str,
    state: Connectivity,
    said: str,
) -> None:
    dialer.center.users["6667"].password = "Limited-Pass-1"
    events: list[Any] = []
    core.bus.subscribe(VICIDIAL_CONNECTIVITY, lambda e: events.append(e.data))
    async with ViciAdmin(dialer.url, user, password, retries=0) as refused:
        poll = poller(core, refused)
        with caplog.at_level(logging.ERROR):
            poll.start()
            await poll.wait_cycles(1)
            for n, wait in ((2, 5), (3, 10)):
                await core.advance(wait)
                await poll.wait_cycles(n)
        await poll.stop()
    await core.settle()
    assert poll.connectivity is state
    connection = core.states.get("vicidial.connection")
    assert connection is not None
    assert connection.state == state.value
    assert said in connection.attributes["reason"]
    failures = [r.getMessage() for r in caplog.records if "poll failed" in r.getMessage()]
    assert len(failures) == 1
    assert said in failures[0]
    assert password not in caplog.text
    assert [e.state for e in events] == [state]
