from __future__ import annotations

import asyncio
from importlib import resources
from pathlib import Path

import aiohttp
import pytest

from engine.cli import build_parser, main
from integrations.vicidial.simulator.cli import banner
from integrations.vicidial.simulator.scenario import BUILTIN, build_center, load_builtin
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
