from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from engine.clock import Clock, ClockMode
from engine.context import Context, Origin
from engine.core import Core
from engine.events import STATE_CHANGED, Event
from engine.states import InvalidEntityIdError, StateChange, StateStore

POLL = Context(Origin.POLL)


def store() -> tuple[StateStore, Clock, list[StateChange]]:
    clock = Clock(ClockMode.MANUAL, start=1000.0)
    changes: list[StateChange] = []
    return StateStore(clock.time, lambda change, ctx: changes.append(change)), clock, changes


async def test_a_change_makes_a_new_immutable_version_and_notifies() -> None:
    states, clock, changes = store()
    first = states.set("agent.1001", "READY", {"campaign": "TESTCAMP"}, context=POLL)
    assert first is not None
    assert (first.state, first.version, first.last_changed, first.last_updated) == (
        "READY",
        1,
        1000.0,
        1000.0,
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.state = "PAUSED"  # type: ignore[misc]
    with pytest.raises(TypeError):
        first.attributes["campaign"] = "X"  # type: ignore[index]
    await clock.advance(5)
    # Same state, new attribute: last_updated moves, last_changed stays.
    second = states.set("agent.1001", "READY", {"campaign": "OTHER"}, context=POLL)
    assert second is not None
    assert (second.version, second.last_changed, second.last_updated) == (2, 1000.0, 1005.0)
    # Nothing changed: no new version, no notification.
    assert states.set("agent.1001", "READY", {"campaign": "OTHER"}, context=POLL) is None
    assert states.version == 2
    await clock.advance(5)
    third = states.set("agent.1001", "PAUSED", {"campaign": "OTHER"}, context=POLL)
    assert third is not None
    assert third.last_changed == 1010.0
    assert [(c.old_state, c.new_state) for c in changes] == [
        (None, first),
        (first, second),
        (second, third),
    ]


def test_a_snapshot_keeps_its_version_while_the_store_moves_on() -> None:
    states, _, _ = store()
    states.set_many(
        [(f"agent.{n}", "READY", {"n": n}) for n in range(2000)] + [("campaign.A", "ACTIVE", {})],
        context=POLL,
    )
    before = states.snapshot()
    assert states.snapshot() is before  # no change, no new snapshot
    states.set("agent.7", "PAUSED", {"n": 7}, context=POLL)
    states.remove("campaign.A", context=POLL)
    after = states.snapshot()
    assert before.get("agent.7").state == "READY"  # type: ignore[union-attr]
    assert after.get("agent.7").state == "PAUSED"  # type: ignore[union-attr]
    assert before.get("campaign.A") is not None
    assert after.get("campaign.A") is None
    assert (len(before), len(after)) == (2001, 2000)
    assert after.version == before.version + 2


def test_reading_by_glob() -> None:
    states, _, _ = store()
    states.set_many(
        [
            ("agent.1001", "READY", None),
            ("agent.1002", "PAUSED", None),
            ("agent.2001", "INCALL", None),
            ("campaign.TESTCAMP", "ACTIVE", None),
            ("campaign.TEST2", "ACTIVE", None),
            ("vicidial.connection", "connected", None),
        ],
        context=POLL,
    )

    def ids(pattern: str) -> list[str]:
        return sorted(s.entity_id for s in states.glob(pattern))

    assert ids("agent.*") == ["agent.1001", "agent.1002", "agent.2001"]
    assert ids("agent.100?") == ["agent.1001", "agent.1002"]
    assert ids("campaign.TEST*") == ["campaign.TEST2", "campaign.TESTCAMP"]
    assert ids("agent.1001") == ["agent.1001"]
    assert ids("*.1001") == ["agent.1001"]
    assert len(ids("*")) == 6
    assert ids("ingroup.*") == []
    assert ids("agent.9999") == []


def test_bad_entity_ids_are_refused_with_the_expected_form() -> None:
    states, _, _ = store()
    for bad in ("agent", "Agent.1", "agent.", "agent.10 01", "agent.*", ".1001"):
        with pytest.raises(InvalidEntityIdError, match=r"expected <domain>\.<id>"):
            states.set(bad, "READY", context=POLL)
    assert len(states) == 0


async def test_a_listener_sees_the_state_as_of_its_event_after_a_newer_poll() -> None:
    core = Core(Clock(ClockMode.MANUAL, start=1000.0))
    seen: list[tuple[str, str | None]] = []

    def condition(event: Event[Any]) -> None:
        # By the time the listener runs, the store has moved on; the event's snapshot has not.
        change: StateChange = event.data
        as_of = event.states.get(change.entity_id)  # type: ignore[union-attr]
        current = core.states.get(change.entity_id)
        seen.append((as_of.state if as_of else "", current.state if current else None))

    core.bus.subscribe(STATE_CHANGED, condition)
    core.states.set("agent.1001", "PAUSED", context=POLL)
    await core.start()
    await core.settle()
    core.states.set("agent.1001", "READY", context=POLL)
    core.states.set("agent.1002", "READY", context=POLL)
    core.states.set("agent.1003", "READY", context=POLL)
    core.states.set("agent.1002", "INCALL", context=POLL)  # coalesces with the queued 1002 change
    await core.settle()
    await core.stop(timeout=1)
    assert seen == [
        ("PAUSED", "PAUSED"),
        ("READY", "READY"),
        ("INCALL", "INCALL"),
        ("READY", "READY"),
    ]


async def test_seconds_in_state_is_computed_when_read() -> None:
    states, clock, _ = store()
    state = states.set("agent.1001", "READY", {"campaign": "TESTCAMP"}, context=POLL)
    assert state is not None
    await clock.advance(90.5)
    assert state.attribute("seconds_in_state", clock.time()) == 90
    assert state.attribute("campaign", clock.time()) == "TESTCAMP"
    assert state.attribute("nothing", clock.time()) is None
    assert state.as_dict(now=clock.time())["attributes"] == {
        "campaign": "TESTCAMP",
        "seconds_in_state": 90,
    }
    assert "seconds_in_state" not in state.as_dict()["attributes"]
