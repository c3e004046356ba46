from __future__ import annotations

import asyncio
from importlib import resources
from pathlib import Path

import aiohttp
import pytest

from engine.cli import build_parser, main
from integrations.vicidial.simulator.cli import _simulation, banner
from integrations.vicidial.simulator.scenario import BUILTIN, build_center, load_builtin, load_named
from integrations.vicidial.simulator.server import AGENT_PATH, Simulator


def test_simulate_is_registered() -> None:
    args = build_parser().parse_args(["simulate", "--port", "0", "--scenario", "x.yaml"])
    assert (args.port, args.scenario) == (0, "x.yaml")


def test_bad_scenario_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("users: 5\n")
    assert main(["simulate", "--scenario", str(path)]) == 2
    assert f"{path}:1:" in capsys.readouterr().err


def test_builtin_scenario_ships_as_package_data() -> None:
    files = resources.files("integrations.vicidial.simulator").joinpath("scenarios")
    assert files.joinpath(BUILTIN).is_file()


async def test_started_simulator_answers_and_prints_its_urls() -> None:
    simulator = Simulator(build_center(load_builtin()))
    base = await simulator.start("127.0.0.1", 0)
    try:
        text = banner(simulator)
        assert base in text
        assert "6666/1234" in text
        async with (
            aiohttp.ClientSession() as session,
            session.get(base + AGENT_PATH, params={"function": "version"}) as response,
        ):
            assert (await response.text()).startswith("VERSION: 2.14-82|")
    finally:
        await simulator.stop()
    await asyncio.sleep(0)


def test_callbacks_to_needs_a_token(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "--scenario", "demo", "--callbacks-to", "http://127.0.0.1:8080"]) == 2
    assert "--token" in capsys.readouterr().err


def test_a_short_token_is_refused_without_being_printed(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["simulate", "--scenario", "demo", "--callbacks-to", "http://h:8080", "--token", "s3"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "token must be" in err
    assert "s3" not in err.replace("vicibus simulate", "")


def test_callbacks_to_points_every_setting_and_forwards_the_push() -> None:
    target = ["--callbacks-to", "http://127.0.0.1:8080/"]
    args = build_parser().parse_args(["simulate", "--scenario", "demo", *target, "--speed", "120"])
    simulation, retargeted = _simulation(load_named("demo"), args, "a-demo-token-0123456789")
    center = simulation.center
    assert center.clock.speed == 120
    assert simulation.traffic is not None
    assert (
        center.campaigns["DEMO"]
        .callback_urls["dispo_call_url"]
        .startswith("http://127.0.0.1:8080/webhooks/dispo_callback?token=a-demo-token-0123456789&")
    )
    assert (
        center.ingroups["DEMOIN"]
        .callback_urls["waiting_call_url_on"]
        .endswith("&group=DEMOIN&SQLdate=--A--SQLdate--B--")
    )
    assert center.dids["3125551000"].filter_url.startswith("VARhttp://127.0.0.1:8080/")
    assert "HTTPURLTOPOST=127.0.0.1/webhooks/agent_event?" in center.system.agent_push_url
    assert retargeted.resolve == {("127.0.0.1", 80): ("127.0.0.1", 8080)}
