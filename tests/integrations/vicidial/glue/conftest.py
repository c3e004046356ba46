"""A real Core on a manual clock beside a real simulated dialer on loopback."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC
from typing import Any

import pytest
from aiohttp import web

from engine.clock import Clock, ClockMode
from engine.core import Core
from integrations.vicidial.admin.client import ViciAdmin
from integrations.vicidial.simulator.clock import ClockMode as SimMode
from integrations.vicidial.simulator.clock import SimClock
from integrations.vicidial.simulator.scenario import build_center, load_builtin
from integrations.vicidial.simulator.server import Simulator
from integrations.vicidial.simulator.state import CallCenter
from tests.integrations.vicidial.simulator.conftest import FIXTURE_TIME

START = FIXTURE_TIME.replace(tzinfo=UTC).timestamp()


@pytest.fixture
async def core() -> AsyncIterator[Core]:
    core = Core(Clock(ClockMode.MANUAL, tz=UTC, start=START))
    await core.start()
    yield core
    await core.stop(timeout=2)


@pytest.fixture
def center() -> CallCenter:
    return build_center(load_builtin(), SimClock(FIXTURE_TIME, mode=SimMode.MANUAL))


def add_agents(center: CallCenter, count: int, campaign: str = "TESTCAMP") -> None:
    """Log ``count`` more agents in (users 2001, 2002, ...), READY."""
    template = center.users["1002"]
    for n in range(count):
        user = str(2001 + n)
        center.users[user] = dataclasses.replace(template, user=user, full_name=f"Agent {user}")
        center.login(user, campaign)
        center.resume(user)


class Dialer:
    """The simulated dialer on a loopback port that survives a stop and a start, counting the
    requests it answers by function."""

    def __init__(self, center: CallCenter) -> None:
        self.center = center
        self.requests: Counter[str] = Counter()
        self.port = 0
        self._runner: web.AppRunner | None = None
        # Awaited before the dialer answers a function: lets a test act while a call is in
        # flight (a push arriving during a poll).
        self.before_answer: dict[str, Callable[[], Awaitable[None]]] = {}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        requests = self.requests
        hooks = self.before_answer

        @web.middleware
        async def count(request: web.Request, handler: Any) -> web.StreamResponse:
            params = await request.post() if request.method == "POST" else request.query
            function = str(params.get("function", ""))
            requests[function] += 1
            hook = hooks.pop(function, None)
            if hook is not None:
                await hook()
            response: web.StreamResponse = await handler(request)
            return response

        app = Simulator(self.center, control_token="control").app()
        app.middlewares.append(count)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self.port)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


@pytest.fixture
async def dialer(center: CallCenter) -> AsyncIterator[Dialer]:
    dialer = Dialer(center)
    await dialer.start()
    yield dialer
    await dialer.stop()


@pytest.fixture
async def admin(dialer: Dialer) -> AsyncIterator[ViciAdmin]:
    async with ViciAdmin(dialer.url, "6666", "1234", source="vicibus", retries=0) as client:
        yield client
