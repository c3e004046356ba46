"""Rules bench, the whole HTTP path (see rules_bench.py): a webhook request to the daemon's
receiver -> the bus -> a rule -> the service's HTTP call to a simulated dialer on loopback,
timed from the request sent to the call's arrival at the dialer, at a steady rate; beside a
bare aiohttp handler that makes one loopback HTTP call per request. And the timing helpers
the other scenarios share."""

from __future__ import annotations

import asyncio
import dataclasses
import gc
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


async def paced(rate: float, seconds: float, send: Callable[[int], Any]) -> None:
    """Call ``send(j)`` at a steady ``rate`` per second for ``seconds``."""
    loop = asyncio.get_running_loop()
    interval = 1.0 / rate
    start = loop.time() + 0.05
    for j in range(int(rate * seconds)):
        delay = start + j * interval - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        send(j)


WEBHOOK_TOKEN = "rules-bench-webhook-token-0123456789"
HTTP_RULE = """
- id: pause_max_notice
  mode: parallel
  max: 1000
  triggers: {trigger: webhook, kind: pause_max}
  actions:
    - action: vicidial.agent.send_notification
      data: {recipient: "{{ trigger.payload.user }}", recipient_type: USER,
             notification_text: paused too long}
"""
NOTIFIED = "send_notification"


class Arrivals:
    """When each request of ours reached the dialer (or the bare target)."""

    def __init__(self) -> None:
        self.sent: dict[str, float] = {}
        self.latencies: list[float] = []
        self.done: asyncio.Event = asyncio.Event()
        self.expected = 0

    def arm(self, expected: int) -> None:
        self.sent.clear()
        self.latencies.clear()
        self.expected = expected
        self.done = asyncio.Event()

    def arrived(self, key: str) -> None:
        sent = self.sent.pop(key, None)
        if sent is None:
            return
        self.latencies.append(time.perf_counter() - sent)
        if len(self.latencies) >= self.expected:
            self.done.set()


def _users(count: int) -> list[str]:
    return [str(5000 + i) for i in range(count)]


async def _serve(app: web.Application) -> tuple[web.AppRunner, int]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, runner.addresses[0][1]


async def _send_all(
    session: aiohttp.ClientSession,
    url: str,
    arrivals: Arrivals,
    users: list[str],
    rate: float,
    seconds: float,
) -> None:
    loop = asyncio.get_running_loop()
    sending: set[asyncio.Task[Any]] = set()

    async def request(user: str) -> None:
        async with session.get(url, params={"token": WEBHOOK_TOKEN, "user": user}) as answer:
            await answer.read()

    def send(j: int) -> None:
        user = users[j % len(users)]
        arrivals.sent[user] = time.perf_counter()
        task = loop.create_task(request(user))
        sending.add(task)
        task.add_done_callback(sending.discard)

    total = int(rate * seconds)
    arrivals.arm(total)
    gc.collect()
    await paced(rate, seconds, send)
    await asyncio.wait_for(arrivals.done.wait(), 30)
    if sending:
        await asyncio.wait(sending)


async def _latencies(
    url: str, arrivals: Arrivals, users: list[str], rate: float, seconds: float, runs: int
) -> list[tuple[float, float]]:
    """A warm-up second, then ``runs`` times ``seconds`` of requests: p50 and p99 in ms."""
    results = []
    async with aiohttp.ClientSession() as session:
        await _send_all(session, url, arrivals, users, rate, 1.0)
        for _ in range(runs):
            await _send_all(session, url, arrivals, users, rate, seconds)
            lat = arrivals.latencies
            results.append((percentile(lat, 50) * 1e3, percentile(lat, 99) * 1e3))
    return results


async def scenario_f_http(rate: float, seconds: float, runs: int) -> list[tuple[float, float]]:
    """The daemon's graph (App.load) against a simulated dialer on loopback that notes when
    each send_notification arrives; webhooks sent over HTTP at a steady rate."""
    from engine.app import App
    from integrations.vicidial.simulator.clock import ClockMode as SimMode
    from integrations.vicidial.simulator.clock import SimClock
    from integrations.vicidial.simulator.scenario import build_center, load_builtin
    from integrations.vicidial.simulator.server import Simulator

    users = _users(int(rate))  # each user once a second: its earlier pause is long done
    center = build_center(load_builtin(), SimClock(mode=SimMode.REAL))
    template = center.users["1002"]
    for user in users:
        center.users[user] = dataclasses.replace(template, user=user, full_name=f"Agent {user}")
        center.login(user, "TESTCAMP")
        center.resume(user)
    arrivals = Arrivals()

    @web.middleware
    async def note(request: web.Request, handler: Any) -> web.StreamResponse:
        params = await request.post() if request.method == "POST" else request.query
        if params.get("function") == NOTIFIED:
            arrivals.arrived(str(params.get("recipient", "")))
        response: web.StreamResponse = await handler(request)
        return response

    app = Simulator(center).app()
    app.middlewares.append(note)
    runner, port = await _serve(app)
    directory = tempfile.TemporaryDirectory(prefix="rules-bench-http-")
    config = Path(directory.name) / "config.yaml"
    config.write_text(
        "timezone: UTC\n"
        "vicidial:\n"
        f"  url: http://127.0.0.1:{port}\n"
        "  api_user: '6666'\n"
        "  api_password: '1234'\n"
        "  poll: {interval: 3600, discover: false}\n"
        "  rate_limits: {default: {rate: 100000, burst: 100000}}\n"
        "http:\n"
        "  port: 0\n"
        f"  webhooks: {{tokens: [{WEBHOOK_TOKEN}]}}\n"
        f"storage: {{path: {directory.name}}}\n"
        "rules:\n" + textwrap.indent(HTTP_RULE, "  ")
    )
    daemon = App.load(config, environ={})
    await daemon.start()
    assert daemon.listening is not None
    url = f"{daemon.listening.base_url}/webhooks/pause_max"
    results = await _latencies(url, arrivals, users, rate, seconds, runs)
    await daemon.stop(deadline=2)
    await runner.cleanup()
    directory.cleanup()
    return results


async def bare_f_http(rate: float, seconds: float, runs: int) -> list[tuple[float, float]]:
    """A bare aiohttp handler that makes one loopback HTTP call per request to a bare target."""
    arrivals = Arrivals()

    async def target(request: web.Request) -> web.Response:
        arrivals.arrived(request.query.get("recipient", ""))
        return web.Response(text="SUCCESS")

    target_app = web.Application()
    target_app.router.add_get("/api", target)
    target_runner, target_port = await _serve(target_app)
    outbound = aiohttp.ClientSession()

    async def handler(request: web.Request) -> web.Response:
        query = {"function": NOTIFIED, "recipient": request.query["user"]}
        async with outbound.get(f"http://127.0.0.1:{target_port}/api", params=query) as answer:
            await answer.read()
        return web.Response(text="OK")

    front_app = web.Application()
    front_app.router.add_get("/webhooks/pause_max", handler)
    front_runner, front_port = await _serve(front_app)
    users = _users(int(rate))
    url = f"http://127.0.0.1:{front_port}/webhooks/pause_max"
    results = await _latencies(url, arrivals, users, rate, seconds, runs)
    await outbound.close()
    await front_runner.cleanup()
    await target_runner.cleanup()
    return results
