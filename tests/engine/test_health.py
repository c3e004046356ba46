"""Liveness and systemd's watchdog: pinged while the loop and the bus keep up, never tied
to the dialer. These wait on real time: the watchdog is about real time."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from engine.bus import Admission, SourcePolicy
from engine.context import Context, Origin
from engine.core import Core
from engine.events import Event
from engine.health import HealthMonitor
from engine.http import HttpApi
from engine.sdnotify import Notifier


def receiver(tmp_path: Path) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(tmp_path / "notify"))
    sock.setblocking(False)
    return sock


def drain(sock: socket.socket) -> None:
    while True:
        try:
            sock.recv(1024)
        except BlockingIOError:
            return


async def pings(sock: socket.socket, within: float) -> int:
    loop = asyncio.get_running_loop()
    count = 0
    deadline = time.monotonic() + within
    while (left := deadline - time.monotonic()) > 0:
        try:
            async with asyncio.timeout(left):
                data = await loop.sock_recv(sock, 1024)
        except TimeoutError:
            break
        count += data == b"WATCHDOG=1"
    return count


async def test_pings_stop_when_a_listener_never_returns(tmp_path: Path) -> None:
    sock = receiver(tmp_path)
    core = Core()
    await core.start()
    notifier = Notifier({"NOTIFY_SOCKET": str(tmp_path / "notify"), "WATCHDOG_USEC": "100000"})
    assert notifier.watchdog_interval == 0.05
    health = HealthMonitor(core.bus, stall_after=0.3)
    health.start(notifier)
    assert await pings(sock, 0.5) >= 3
    assert health.check().alive
    forever = asyncio.Event()

    async def stuck(event: Event[Any]) -> None:
        await forever.wait()

    core.bus.subscribe_async("t", stuck, name="stuck-listener")
    source = core.bus.source("webhook", SourcePolicy(Admission.WAIT))
    await source.publish(Event("t", None, 0.0, Context(Origin.WEBHOOK)))
    await asyncio.sleep(0.4)  # past the stall limit
    liveness = health.check()
    assert not liveness.alive
    assert "listener has been on one event" in liveness.reason
    drain(sock)  # what was sent before the stall was found
    assert await pings(sock, 0.5) == 0
    forever.set()
    await core.bus.drain(timeout=2)
    assert await pings(sock, 0.5) >= 3
    await health.stop()
    await core.stop(timeout=1)
    sock.close()


async def test_a_full_bus_that_delivers_nothing_is_not_alive(
    aiohttp_client: Callable[..., Awaitable[TestClient[Any, Any]]],
) -> None:
    core = Core(max_queue=5)
    health = HealthMonitor(core.bus, stall_after=0.1)
    health.start()
    source = core.bus.source("webhook", SourcePolicy(Admission.WAIT))
    core.bus.subscribe("t", lambda e: None)
    for _ in range(3):  # the dispatcher is not running: nothing is delivered
        source.offer(Event("t", None, 0.0, Context(Origin.WEBHOOK)))
    assert health.check().alive  # the first look only notes the progress
    await asyncio.sleep(0.2)
    liveness = health.check()
    assert not liveness.alive
    assert "delivered nothing" in liveness.reason
    # /healthz says so to a load balancer, with the same reason.
    web_app = web.Application()
    HttpApi(core, health, tokens=list, readiness=dict).routes(web_app)
    client = await aiohttp_client(TestServer(web_app))
    answer = await client.get("/healthz")
    assert answer.status == 503
    body = await answer.json()
    assert body["status"] == "stalled"
    assert "delivered nothing" in body["reason"]
    await health.stop()
