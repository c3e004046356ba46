from __future__ import annotations

import asyncio
import os
import socket
from importlib import resources
from pathlib import Path

import aiohttp
import pytest

from engine.cli import build_parser, main
from integrations.vicidial.simulator.cli import _simulation, banner
from integrations.vicidial.simulator.scenario import BUILTIN, build_center, load_builtin, load_named
from integrations.vicidial.simulator.server import AGENT_PATH, Simulator
from tests.commands import interrupt, vicibus, vicibus_process
from tests.integrations.vicidial.simulator.conftest import CALLBACK_TOKEN, Receiving


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


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["--port", "99999"], "argument --port: a TCP port is 0 to 65535, not 99999"),
        (["--port", "-1"], "argument --port: a TCP port is 0 to 65535, not -1"),
        (["--port", "http"], "argument --port: not a port number: 'http'"),
        (["--speed", "1e308"], "argument --speed: clock speed must be above 0 and at most 10000"),
        (["--speed", "inf"], "argument --speed: clock speed must be above 0 and at most 10000"),
        (["--speed", "nan"], "argument --speed: clock speed must be above 0 and at most 10000"),
        (["--speed", "0"], "argument --speed: clock speed must be above 0 and at most 10000"),
        (["--speed", "fast"], "argument --speed: not a number: 'fast'"),
    ],
)
def test_an_impossible_port_or_speed_is_a_usage_error(
    argv: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["simulate", "--scenario", "demo", "--port", "0", *argv])
    assert exit_.value.code == 2
    out = capsys.readouterr()
    assert out.err.splitlines()[-1] == f"vicibus simulate: error: {said}"
    assert out.out == ""  # refused before anything started


@pytest.mark.parametrize("argv", [["--port", "99999"], ["--port", "0", "--speed", "1e308"]])
def test_the_command_itself_ends_bad_arguments_with_usage(argv: list[str]) -> None:
    done = vicibus("simulate", "--scenario", "demo", *argv)
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1].startswith("vicibus simulate: error: argument --")
    assert "Traceback" not in done.stderr


def test_a_scenario_speed_the_clock_cannot_run_at_is_a_scenario_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("clock:\n  mode: accelerated\n  speed: 1e308\n")
    assert main(["simulate", "--scenario", str(path), "--port", "0"]) == 2
    err = capsys.readouterr().err
    assert "invalid scenario" in err
    assert "clock.speed" in err


def test_a_port_in_use_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        assert main(["simulate", "--scenario", "demo", "--port", port, "--no-traffic"]) == 1
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith(f"vicibus simulate: cannot listen on 127.0.0.1:{port}: ")


def test_a_malformed_receiver_url_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("VICIBUS_WEBHOOK_TOKEN", "a-demo-token-0123456789")
    assert main(["simulate", "--scenario", "demo", "--callbacks-to", "http://[::1"]) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert line == "vicibus simulate: cannot send callbacks there: base is not a valid URL: " + (
        "Invalid IPv6 URL"
    )


def test_a_token_without_callbacks_to_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "--scenario", "demo", "--token-stdin"]) == 2
    assert "a webhook token goes with --callbacks-to" in capsys.readouterr().err


async def test_callbacks_reach_the_receiver_with_the_token_from_standard_input(
    receiver: Receiving,
) -> None:
    process = await vicibus_process(
        *("simulate", "--scenario", "demo", "--port", "0", "--speed", "600"),
        *("--callbacks-to", receiver.base, "--token-stdin"),
        stdin=asyncio.subprocess.PIPE,
        env={k: v for k, v in os.environ.items() if not k.startswith("VICIBUS_")},
    )
    assert process.stdin is not None
    process.stdin.write(CALLBACK_TOKEN.encode() + b"\n")
    await process.stdin.drain()
    process.stdin.close()
    try:
        await asyncio.wait_for(receiver.arrived.wait(), 60)
    finally:
        out, err = await interrupt(process)  # how the banner says to stop it
    assert process.returncode == 0, err
    assert receiver.received  # accepted: the receiver checks the token on every callback
    text = (out + err).decode()
    assert f"callbacks to:  {receiver.base}/webhooks/<kind>" in text
    assert CALLBACK_TOKEN not in text
