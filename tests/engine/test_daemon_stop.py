"""How a real ``vicibus run`` stops: webhooks refused while it drains, running work given the
stop timeout and no more, and a second Ctrl-C that quits at once.

A rule parked in an hour-long delay on the manual clock is the running work that never ends by
itself; the waits here are for the process and its sockets, never for time to pass.
"""

from __future__ import annotations

import asyncio
import re
import signal
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from engine.storage.trace_store import TraceQuery, TraceStore
from tests.engine.daemon_harness import (
    API_TOKEN,
    WEBHOOK_TOKEN,
    Daemon,
    free_port,
    launch,
    until,
    write_config,
)

RULES = """
rules:
  - id: slow
    triggers: {trigger: webhook, kind: pause_max}
    actions:
      - delay: "01:00:00"
      - action: notify.log
        data: {message: too late}
"""
STOP_TIMEOUT = 3


async def start(directory: Path, *args: str) -> Daemon:
    http_port, sim_port = free_port(), free_port()
    config = write_config(directory, http_port, sim_port, extra=RULES)
    daemon = await launch(directory, config, http_port, sim_port, args=args)
    await daemon.next_message("READY=1")
    return daemon


@pytest.fixture
async def parked(tmp_path: Path) -> AsyncIterator[Daemon]:
    """A daemon with one run of ``slow`` waiting in its delay."""
    daemon = await start(tmp_path, "--stop-timeout", str(STOP_TIMEOUT))
    try:
        assert await daemon.pause_max("1001") == (200, "OK")
        await until(lambda: has_run(daemon))
        yield daemon
    finally:
        await daemon.kill()


async def has_run(daemon: Daemon) -> bool:
    return bool(await running(daemon))


async def draining(daemon: Daemon) -> bool:
    status, body = await daemon.api("GET", "/readyz", token=None)
    return status == 503 and not body["checks"]["not_draining"]


async def running(daemon: Daemon) -> list[str]:
    status, body = await daemon.api("GET", "/api/traces?rule=slow&outcome=running")
    assert status == 200, body
    return [trace["id"] for trace in body["traces"]]


async def test_a_stop_refuses_webhooks_then_cancels_what_outlives_the_stop_timeout(
    parked: Daemon,
) -> None:
    (run,) = await running(parked)
    parked.signal(signal.SIGTERM)
    await parked.next_message("STOPPING=1")
    await until(lambda: draining(parked), timeout=STOP_TIMEOUT)
    assert await parked.api("GET", "/readyz", token=None) == (
        503,
        {
            "ready": False,
            "checks": {"config": True, "first_poll": True, "not_draining": False},
            "failing": ["not_draining"],
        },
    )
    # ViciDial's own log shows the refusal; the daemon is still alive while it drains.
    assert await parked.pause_max("1002") == (503, "event not accepted: the daemon is stopping\n")
    assert (await parked.api("GET", "/healthz", token=None))[0] == 200
    assert await parked.wait_exit() == 0
    log = parked.log()
    assert "1 rule runs cancelled at the stop deadline" in log
    assert re.search(rf"rules\.runs: slow run {run}: cancelled in .* \(shutdown\)", log), log
    assert "Traceback" not in log
    with TraceStore(parked.config.parent / "state") as store:
        (trace,) = store.traces(TraceQuery(rule="slow"))
    assert (trace.id, trace.outcome, trace.reason, trace.agent) == (
        run,
        "cancelled",
        "shutdown",
        "1001",
    )


async def test_a_second_ctrl_c_quits_at_once_with_one_line(parked: Daemon) -> None:
    parked.signal(signal.SIGINT)
    await parked.next_message("STOPPING=1")
    await parked.wait_log("stopping (Ctrl-C again to quit at once)")
    # The parked run would hold the stop for its whole timeout: the second Ctrl-C does not wait.
    parked.signal(signal.SIGINT)
    assert await parked.wait_exit(timeout=STOP_TIMEOUT) == 130
    log = parked.log()
    assert "vicibus: quit at once; running work was not finished" in log
    assert "stopped" not in log.split("quit at once")[1]
    assert "Traceback" not in log


class HeldDialer:
    """A dialer on loopback that holds every request until the test lets it answer."""

    def __init__(self) -> None:
        self.asked = asyncio.Event()
        self.answer = asyncio.Event()

    async def handle(self, request: web.Request) -> web.Response:
        self.asked.set()
        await self.answer.wait()
        return web.Response(text="ERROR: held by the test")


async def test_ctrl_c_during_a_poll_stops_cleanly_with_exit_0(tmp_path: Path) -> None:
    dialer = HeldDialer()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", dialer.handle)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    http_port = free_port()
    config = tmp_path / "config.yaml"
    config.write_text(
        "timezone: UTC\n"
        "clock: {mode: manual}\n"
        f"vicidial: {{url: 'http://127.0.0.1:{server.port}', api_user: api, "
        "api_password: api-password-0123}\n"
        f"http: {{port: {http_port}, api_token: {API_TOKEN}, "
        f"webhooks: {{tokens: [{WEBHOOK_TOKEN}]}}}}\n"
        f"storage: {{path: {tmp_path / 'state'}}}\n"
    )
    daemon = await launch(tmp_path, config, http_port, 0)
    try:
        await daemon.next_message("READY=1")
        async with asyncio.timeout(30):
            await dialer.asked.wait()  # the first poll is in flight
        daemon.signal(signal.SIGINT)
        await daemon.next_message("STOPPING=1")
        await until(lambda: draining(daemon))
        dialer.answer.set()  # the poll ends while the daemon drains
        assert await daemon.wait_exit() == 0, daemon.log()
    finally:
        dialer.answer.set()
        await daemon.kill()
        await server.close()
    log = daemon.log()
    assert log.index("stopping (Ctrl-C again") < log.index("vicibus: stopped")
    assert "Traceback" not in log
