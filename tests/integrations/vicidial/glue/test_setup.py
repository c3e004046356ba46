"""The integration as the daemon wires it: config -> setup -> receiver served -> start, with
the embedded simulated dialer on a manual clock."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from engine.app import make_clock
from engine.clock import Clock
from engine.config import load
from engine.context import Context, Origin
from engine.core import Core
from engine.events import Event
from integrations.vicidial.glue.config import CONFIG_SECTIONS
from integrations.vicidial.glue.setup import VicidialIntegration, setup
from integrations.vicidial.simulator.clock import ClockMode as SimMode
from integrations.vicidial.simulator.clock import SimClock
from integrations.vicidial.simulator.scenario import build_center, load_builtin
from integrations.vicidial.simulator.server import Simulator

TOKEN = "setup-test-token-0123456789abcdef"


@dataclass
class Running:
    core: Core
    integration: VicidialIntegration
    events: list[Event[Any]]


@pytest.fixture
async def running(tmp_path: Path) -> AsyncIterator[Running]:
    path = tmp_path / "config.yaml"
    path.write_text(
        "timezone: UTC\n"
        "clock: {mode: manual}\n"
        "vicidial:\n"
        "  simulated: {scenario: demo, seed: 7}\n"
        "  poll: {interval: 5, usergroups: [AGENTS]}\n"
    )
    config = load(path, CONFIG_SECTIONS)
    clock_config = config.core.clock
    core = Core(Clock(clock_config.mode, tz=config.core.timezone))
    integration = setup(core, config, [TOKEN])
    events: list[Event[Any]] = []
    core.bus.subscribe(None, events.append)
    app = web.Application()
    app.add_subapp("/webhooks", integration.receiver)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    await core.start()
    await integration.start(f"http://127.0.0.1:{port}")
    yield Running(core, integration, events)
    await integration.stop()
    await core.stop(timeout=2)
    await runner.cleanup()


async def test_every_api_function_is_a_service_before_anything_starts(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("vicidial: {simulated: {scenario: demo}}\n")
    core = Core()
    setup(core, load(path, CONFIG_SECTIONS), [TOKEN])
    names = core.services.names()
    assert "vicidial.agent.pause_code" in names
    assert "vicidial.admin.update_campaign" in names
    assert len([n for n in names if n.startswith("vicidial.")]) == 92
    assert core.catalog.webhook_kinds()[:2] == ["add_lead", "agent_event"]
    spec = core.catalog.event("vicidial_pause_max")
    assert spec is not None
    assert spec.fields is not None
    assert "user" in spec.fields
    assert "lead_id" not in spec.fields


async def test_the_simulated_call_center_flows_onto_the_bus(running: Running) -> None:
    core = running.core
    await running.integration.poller.wait_cycles(1)  # type: ignore[union-attr]
    assert running.integration.ready
    # The engine's clock took the scenario's date: the demo starts Monday 2030-01-07 09:00.
    assert core.clock.now().strftime("%Y-%m-%d %H:%M") == "2030-01-07 09:00"
    await core.advance(360)
    kinds = Counter(e.type for e in running.events)
    webhook_kinds = {k for k in kinds if k.startswith("vicidial_") and k != "vicidial_connectivity"}
    assert len(webhook_kinds) >= 8, kinds
    assert kinds["vicidial_agent_event"] > 0
    assert kinds["state_changed"] > 0
    agents = core.states.glob("agent.*")
    assert {a.object_id for a in agents} >= {"1001", "1002"}
    assert core.states.get("campaign.DEMO") is not None
    group = core.states.get("usergroup.AGENTS")
    assert group is not None
    connection = core.states.get("vicidial.connection")
    assert connection is not None
    assert connection.state == "connected"
    # Every webhook event traces back to no parent: it started with the dialer.
    hook = next(e for e in running.events if e.type == "vicidial_pause_max")
    assert hook.context.origin.value == "webhook"


async def test_a_service_call_changes_the_simulator_and_the_next_poll_sees_it(
    running: Running,
) -> None:
    core = running.core
    poller = running.integration.poller
    assert poller is not None
    await poller.wait_cycles(1)
    center = running.integration.embedded.center  # type: ignore[union-attr]
    user = "1003"
    if user not in center.sessions:
        center.login(user, "DEMO")
    center.resume(user)
    await core.services.call(
        "vicidial.agent.external_pause",
        {"agent_user": user, "value": "PAUSE"},
        context=Context(Origin.RULE),
    )
    assert center.sessions[user].status.value == "PAUSED"
    cycles = poller.cycles
    await core.advance(5)
    await poller.wait_cycles(cycles + 1)
    state = core.states.get(f"agent.{user}")
    assert state is not None
    assert state.state == "PAUSED"


async def test_an_external_simulator_drives_the_engine_clock(tmp_path: Path) -> None:
    """vicidial.url at a `vicibus simulate` with its control token, clock.follow: simulator:
    the engine takes the simulator's time and pace, and polls it like a real dialer."""
    center = build_center(
        load_builtin(), SimClock(datetime(2031, 5, 4, 10, 0), mode=SimMode.ACCELERATED, speed=50)
    )
    simulator = Simulator(center, control_token="external-control-token-0123456789")
    base = await simulator.start()
    path = tmp_path / "config.yaml"
    path.write_text(
        "timezone: UTC\n"
        "clock: {follow: simulator}\n"
        "vicidial:\n"
        f"  url: {base}\n"
        "  api_user: '6666'\n"
        "  api_password: '1234'\n"
        "  simulator_control: {token: external-control-token-0123456789}\n"
        "  poll: {discover: false}\n"
    )
    config = load(path, CONFIG_SECTIONS)
    core = Core(make_clock(config.core))
    integration = setup(core, config, [TOKEN])
    await core.start()
    try:
        await integration.start("http://127.0.0.1:9")
        assert integration._follower is not None
        async with aiohttp.ClientSession() as session:
            await integration._follower.sync(session)
        assert core.clock.speed == 50
        assert abs(core.clock.time() - center.clock.time()) < 5
        assert core.clock.now().year == 2031
        await integration.poller.wait_cycles(1)  # type: ignore[union-attr]
        assert core.states.get("agent.1001") is not None
    finally:
        await integration.stop()
        await core.stop(timeout=1)
        await simulator.stop()
