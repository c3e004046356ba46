"""``vicibus run`` as a real subprocess: systemd's notify protocol, the HTTP API, signals.

Time moves only through ``POST /api/clock`` (the clock is manual): no test sleeps for time to
pass; the waits here are for a process and its sockets.
"""

from __future__ import annotations

import asyncio
import re
import signal
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from engine.daemon import package_version
from tests.engine.daemon_harness import (
    API_TOKEN,
    WEBHOOK_TOKEN,
    Daemon,
    start_daemon,
    until,
)


@pytest.fixture
async def daemon(tmp_path: Path) -> AsyncIterator[Daemon]:
    running = await start_daemon(tmp_path)
    try:
        await running.next_message("READY=1")
        yield running
    finally:
        await running.kill()


async def wait_ready(daemon: Daemon) -> dict[str, object]:
    async with asyncio.timeout(30):
        while True:
            status, body = await daemon.api("GET", "/readyz", token=None)
            if status == 200:
                return dict(body)
            await asyncio.sleep(0.05)


async def test_ready_health_and_the_api_behind_its_token(daemon: Daemon) -> None:
    (ready_message,) = [m for m in daemon.messages if m.startswith("READY=1")]
    # systemctl status shows what the daemon does, never tied to the dialer being up.
    assert re.search(
        r"^STATUS=\d+ events/s, \d+ agents tracked, dialer \w+$", ready_message, re.M
    ), ready_message
    status, health = await daemon.api("GET", "/healthz", token=None)
    assert (status, health) == (200, {"status": "ok"})
    ready = await wait_ready(daemon)
    assert ready["checks"] == {"config": True, "first_poll": True, "not_draining": True}
    status, refused = await daemon.api("GET", "/api/states", token=None)
    assert status == 401
    assert "Bearer" in refused["error"]["message"]
    status, _ = await daemon.api("GET", "/api/states", token="not-the-token")
    assert status == 403
    status, states = await daemon.api("GET", "/api/states")
    assert status == 200
    assert any(s["entity_id"] == "vicidial.connection" for s in states)
    status, services = await daemon.api("GET", "/api/services")
    assert status == 200
    assert {"vicidial.agent.external_pause", "vicidial.admin.agent_status"} <= {
        s["service"] for s in services
    }
    # Secrets never reach the console.
    for said in (daemon.log(), daemon.stdout.decode()):
        assert API_TOKEN not in said
        assert WEBHOOK_TOKEN not in said


async def test_the_banner_says_what_runs_where(daemon: Daemon) -> None:
    await daemon.wait_out("state:")
    banner = daemon.stdout.decode().splitlines()
    state = daemon.config.parent / "state"
    assert banner[0] == f"vicibus {package_version()}"
    assert f"  config:    {daemon.config}" in banner
    assert "  dialer:    simulated: demo on the manual clock" in banner  # not "at 60x"
    assert f"  listening: {daemon.url}" in banner
    # The URL to paste into ViciDial; the token set in the config is not repeated.
    hook = f"  webhooks:  {daemon.url}/webhooks/dispo_callback?token=YOUR-WEBHOOK-TOKEN&lead_id="
    assert any(line.startswith(hook) for line in banner), banner
    assert any("`vicibus urls" in line for line in banner)
    assert f"  state:     {state}" in banner


async def test_a_service_call_changes_the_simulated_dialer(daemon: Daemon) -> None:
    await wait_ready(daemon)
    await daemon.control(
        "POST", "/agents/login", {"user": "1003", "campaign_id": "DEMO", "paused": False}
    )
    status, body = await daemon.api(
        "POST",
        "/api/services/vicidial/agent.external_pause",
        json={"agent_user": "1003", "value": "PAUSE"},
    )
    assert status == 200, body
    assert body["context"]["origin"] == "api"
    state = await daemon.control("GET", "/state")
    agent = next(a for a in state["agents"] if a["user"] == "1003")
    assert agent["status"] == "PAUSED"
    # The typed error of a call the dialer refuses, as JSON.
    status, body = await daemon.api(
        "POST",
        "/api/services/vicidial/agent.external_pause",
        json={"agent_user": "9999", "value": "PAUSE"},
    )
    assert status == 404
    assert body["error"]["type"] == "ViciNotFoundError"
    status, body = await daemon.api(
        "POST", "/api/services/vicidial/agent.external_pause", json={"agent_usr": "1003"}
    )
    assert status == 422
    assert "did you mean 'agent_user'" in body["error"]["message"]


async def test_the_manual_clock_moves_by_the_api_and_the_call_center_moves_with_it(
    daemon: Daemon,
) -> None:
    await wait_ready(daemon)
    before = (await daemon.control("GET", "/state"))["epoch"]
    status, moved = await daemon.api("POST", "/api/clock", json={"advance_seconds": 120})
    assert status == 200, moved
    after = (await daemon.control("GET", "/state"))["epoch"]
    assert after - before == 120
    await daemon.wait_log("dialer: ")  # the traffic it played reached the daemon
    status, refused = await daemon.api("POST", "/api/clock", json={"advance_seconds": -5})
    assert status == 422
    assert "advance_seconds must be from 0" in refused["error"]["message"]


async def test_sighup_reloads_a_valid_config_and_keeps_the_old_one_on_a_broken_one(
    daemon: Daemon,
) -> None:
    text = daemon.config.read_text()
    rotated = "rotated-api-token-0123456789abcdef"
    changed = text.replace("poll: {interval: 5}", "poll: {interval: 7}")
    daemon.config.write_text(changed.replace(API_TOKEN, rotated))
    daemon.signal(signal.SIGHUP)
    reloading = await daemon.next_message("RELOADING=1")
    assert "MONOTONIC_USEC=" in reloading
    await daemon.next_message("READY=1")
    await daemon.wait_log("reloaded")
    # The API token was rotated: the old one is refused, the new one taken.
    assert (await daemon.api("GET", "/api/states"))[0] == 403
    assert (await daemon.api("GET", "/api/states", token=rotated))[0] == 200
    assert rotated not in daemon.log()
    daemon.config.write_text(text.replace("poll: {interval: 5}", "poll: {intervall: 5}"))
    daemon.signal(signal.SIGHUP)
    await daemon.next_message("READY=1")
    await daemon.wait_log("the old one runs on unchanged")
    assert "config.yaml:5:10: unknown key 'intervall'" in daemon.log()
    status, _ = await daemon.api("GET", "/api/states", token=rotated)
    assert status == 200


async def test_sigterm_delivers_what_was_accepted_then_exits_0(daemon: Daemon) -> None:
    await wait_ready(daemon)
    url = f"{daemon.url}/webhooks/pause_max?token={WEBHOOK_TOKEN}&user=1001&campaign=DEMO"
    async with aiohttp.ClientSession() as session, session.get(url) as answer:
        assert (answer.status, await answer.text()) == (200, "OK")
    daemon.signal(signal.SIGTERM)
    await daemon.next_message("STOPPING=1")
    assert await daemon.wait_exit() == 0
    log = daemon.log()
    # The webhook answered 200 reached its listener (the console line) before the exit.
    assert "dialer: pause_max user=1001 campaign=DEMO" in log
    assert log.index("pause_max user=1001") < log.index("stopped")
    assert "Traceback" not in log


async def test_watchdog_pings_arrive_while_healthy(tmp_path: Path) -> None:
    running = await start_daemon(tmp_path, env={"WATCHDOG_USEC": "400000"})
    try:
        await running.next_message("READY=1")
        await running.next_message("WATCHDOG=1", timeout=10)
        await running.next_message("WATCHDOG=1", timeout=10)
    finally:
        await running.kill()


async def test_a_config_that_is_not_valid_starts_nothing(tmp_path: Path) -> None:
    from tests.engine.daemon_harness import free_port, launch, write_config

    config = write_config(tmp_path, free_port(), free_port(), extra="bogus: 1\n")
    running = await launch(tmp_path, config, 0, 0)
    try:
        assert await running.wait_exit() == 1
    finally:
        await running.kill()
    log = running.log()
    assert "config.yaml:11:1: unknown key 'bogus'" in log
    assert "nothing was started" in log
    assert "Traceback" not in log


async def test_webhooks_sent_through_a_reload_are_all_taken_and_delivered(
    daemon: Daemon,
) -> None:
    await wait_ready(daemon)
    headers = {"Authorization": f"Bearer {API_TOKEN}"}
    answers: list[int] = []
    stop = asyncio.Event()

    async def keep_sending(session: aiohttp.ClientSession) -> None:
        while not stop.is_set() and len(answers) < 5000:
            user = 9000 + len(answers)
            url = f"{daemon.url}/webhooks/pause_max?token={WEBHOOK_TOKEN}&user={user}&campaign=D"
            async with session.get(url) as answer:
                answers.append(answer.status)

    async def answered_more_than(count: int) -> bool:
        return len(answers) > count

    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{daemon.url}/api/events?type=vicidial_pause_max", headers=headers) as events,
    ):
        await events.content.readline()  # the stream is open: the bus has its listener
        sender = asyncio.create_task(keep_sending(session))
        await until(lambda: answered_more_than(0))
        # The vicidial section changes: the embedded dialer is reached anew behind the same
        # listening socket, while the webhooks keep coming.
        daemon.config.write_text(
            daemon.config.read_text().replace("poll: {interval: 5}", "poll: {interval: 7}")
        )
        daemon.signal(signal.SIGHUP)
        await daemon.next_message("RELOADING=1")
        await daemon.next_message("READY=1")
        await daemon.wait_log("reloaded")
        sent = len(answers)
        await until(lambda: answered_more_than(sent))
        stop.set()
        await sender
        assert set(answers) == {200}, answers
        seen = 0
        async with asyncio.timeout(30):
            while seen < len(answers):
                if (await events.content.readline()).startswith(b"event: vicidial_pause_max"):
                    seen += 1
    assert "Traceback" not in daemon.log()


async def test_a_port_in_use_is_one_line_and_exit_1(tmp_path: Path) -> None:
    from tests.engine.daemon_harness import free_port, launch, write_config

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        config = write_config(tmp_path, port, free_port())
        running = await launch(tmp_path, config, port, 0)
        try:
            assert await running.wait_exit() == 1
        finally:
            await running.kill()
    # Nothing but the reason: no warning about the stop it never got to, no traceback.
    (line,) = running.log().splitlines()
    assert line.startswith(f"vicibus run: cannot listen on 127.0.0.1:{port}: "), line
    assert line.endswith("address already in use")


@pytest.mark.parametrize("value", ["-3", "nan", "inf", "soon"])
def test_a_stop_timeout_that_is_not_seconds_is_refused(tmp_path: Path, value: str) -> None:
    from tests.commands import vicibus

    done = vicibus("run", str(tmp_path / "config.yaml"), f"--stop-timeout={value}")
    assert done.returncode == 2
    said = done.stderr.splitlines()[-1]
    assert said == (
        "vicibus run: error: argument --stop-timeout: takes seconds, a number from 0 up, "
        f"not {value!r}"
    )
