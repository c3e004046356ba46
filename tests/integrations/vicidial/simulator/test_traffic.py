"""The seeded traffic model on a stepped clock, and the demo scenario end to end."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from integrations.vicidial.simulator.clock import ClockMode, SimClock
from integrations.vicidial.simulator.events import SimEvent, SimEventKind
from integrations.vicidial.simulator.rawhttp import RawHttp
from integrations.vicidial.simulator.retarget import point_callbacks_at
from integrations.vicidial.simulator.runtime import Simulation
from integrations.vicidial.simulator.scenario import build_center, load_builtin, parse
from integrations.vicidial.webhooks.kinds import Kind

from .conftest import CALLBACK_TOKEN, Receiving

START = datetime(2030, 1, 7, 9, 0, 0)
DEMO_MINUTES = 6

SMALL = """
user_groups: [{group: AGENTS}]
users: [{user: "1001", password: x, user_group: AGENTS}]
campaigns:
  - {campaign_id: TC, pause_codes: {BREAK: Break}, max_pause_seconds: 20}
lists: [{list_id: 1, campaign_id: TC}]
leads: [{lead_id: 1, list_id: 1, phone_number: "3125550001"}]
traffic:
  seed: 3
  agents: [{user: "1001", campaign_id: TC}]
  campaigns: {TC: {calls_per_minute: 1}}
  talk_seconds: {min: 30, max: 30}
  dispo_seconds: {min: 5, max: 5}
  dead: {share: 0}
  statuses: {SALE: 1}
  pauses: {share: 1, seconds: {min: 10, max: 10}, over_max_share: 0}
"""


def _record(simulation: Simulation) -> list[SimEvent]:
    seen: list[SimEvent] = []
    simulation.center.events.subscribe(seen.append)
    return seen


def _plain(events: list[SimEvent]) -> list[tuple[str, datetime, dict[str, Any]]]:
    return [(e.kind.value, e.at, dict(e.data)) for e in events]


async def _play(text: str | None, seconds: int) -> list[SimEvent]:
    scenario = load_builtin("demo.yaml") if text is None else parse(text)
    center = build_center(scenario, SimClock(START, mode=ClockMode.MANUAL))
    simulation = Simulation(center, scenario.traffic)
    events = _record(simulation)
    await simulation.start()
    await simulation.advance(seconds)
    await simulation.stop()
    return events


async def test_a_stepped_clock_makes_every_step_exact() -> None:
    events = await _play(SMALL, 300)
    kinds = [(e.kind, e.at - START) for e in events]
    started = [at for kind, at in kinds if kind is SimEventKind.CALL_STARTED]
    ended = [at for kind, at in kinds if kind is SimEventKind.CALL_ENDED]
    dispo = [at for kind, at in kinds if kind is SimEventKind.CALL_DISPOSITIONED]
    assert started
    # Talk is exactly 30 s and wrap-up 5 s: no sleeping, no drift.
    assert [end - start for start, end in zip(started, ended, strict=False)] == [
        timedelta(seconds=30)
    ] * len(ended)
    assert [d - e for e, d in zip(ended, dispo, strict=False)] == [timedelta(seconds=5)] * len(
        dispo
    )
    # Every disposition pauses (share 1) for exactly 10 s, then the agent is READY again.
    paused = [at for kind, at in kinds if kind is SimEventKind.AGENT_PAUSED]
    ready = [at for kind, at in kinds if kind is SimEventKind.AGENT_READY][1:]
    assert paused == dispo
    assert [r - p for p, r in zip(paused, ready, strict=False)] == [timedelta(seconds=10)] * len(
        ready
    )


async def test_the_same_seed_gives_the_same_events_in_the_same_order() -> None:
    first = _plain(await _play(None, 240))
    second = _plain(await _play(None, 240))
    assert len(first) > 50
    assert first == second
    other = SMALL.replace("seed: 3", "seed: 4").replace("max: 30}", "max: 90}")
    assert _plain(await _play(other, 600)) != _plain(
        await _play(SMALL.replace("max: 30}", "max: 90}"), 600)
    )


async def test_calls_drop_when_no_agent_is_free() -> None:
    text = SMALL.replace("calls_per_minute: 1", "calls_per_minute: 6")
    events = await _play(text, 300)
    drops = [e for e in events if e.kind is SimEventKind.CALL_DROPPED]
    assert drops
    assert all(e.data["status"] == "DROP" for e in drops)


async def test_the_demo_scenario_produces_every_callback_kind(receiver: Receiving) -> None:
    scenario = load_builtin("demo.yaml")
    assert scenario.clock.mode is ClockMode.ACCELERATED  # as shipped; the test steps it
    center = build_center(scenario, SimClock(START, mode=ClockMode.MANUAL))
    retargeted = point_callbacks_at(center, receiver.base, CALLBACK_TOKEN)
    # The receiver listens on a port; the push reaches it as ViciDial's would through a
    # forward of port 80, which the retargeting reports.
    assert retargeted.resolve == {("127.0.0.1", 80): ("127.0.0.1", receiver.port)}
    assert "agent push events" in retargeted.push_note
    simulation = Simulation(center, scenario.traffic, transport=RawHttp(resolve=retargeted.resolve))
    await simulation.start()
    for _ in range(DEMO_MINUTES):
        await simulation.advance(60)
        await simulation.settle()
    await simulation.stop()
    failed = [d for d in simulation.callbacks.deliveries if not d.ok]
    assert failed == []
    assert set(receiver.kinds()) == set(Kind)
    events = {p.values.get("event") for p in receiver.of(Kind.AGENT_EVENT)}
    assert {
        "logged_in",
        "state_ready",
        "state_paused",
        "call_answered",
        "dispo_set",
        "agent_hangup",
        "call_dead",
        "dead_trigger_url",
        "dead_trigger_url_sent",
        "logged_out",
    } <= events
