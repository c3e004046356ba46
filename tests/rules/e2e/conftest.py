"""The daemon's object graph in process (``App.load`` as ``vicibus run`` builds it) against
its embedded simulated dialer, on a manual clock: webhooks reach it over HTTP from the
simulator, rules call the dialer's APIs over HTTP, and tests assert the effects in
the simulator's own state (its control API's ``/state``, or its call center)."""

from __future__ import annotations

import asyncio
import textwrap
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any, Self

import aiohttp
import pytest

from engine.app import App
from engine.events import RULE_FINISHED, Event
from integrations.vicidial.simulator.state import CallCenter

API_TOKEN = "e2e-api-token-0123456789abcdef01"
WEBHOOK_TOKEN = "e2e-webhook-token-0123456789abcd"
CONTROL_TOKEN = "e2e-control-token-0123456789abcd"
# The poller's own cycle: once at start, then rarely; tests poll when they mean to (``poll``).
POLL_INTERVAL = 6 * 3600


def config_text(directory: Path, rules: str, vicidial: str = "", extra: str = "") -> str:
    """The config: the demo dialer without its traffic, on a manual clock; ``vicidial``: more
    of its section, ``extra``: more sections."""
    return (
        "timezone: UTC\n"
        "clock: {mode: manual}\n"
        "vicidial:\n"
        "  simulated: {scenario: demo, seed: 1, traffic: false, "
        f"control_token: {CONTROL_TOKEN}}}\n"
        f"  poll: {{interval: {POLL_INTERVAL}, campaigns: [DEMO], ingroups: [DEMOIN]}}\n"
        f"{textwrap.indent(textwrap.dedent(vicidial), '  ') if vicidial else ''}"
        "http:\n"
        "  host: 127.0.0.1\n"
        "  port: 0\n"
        f"  api_token: {API_TOKEN}\n"
        f"  webhooks: {{tokens: [{WEBHOOK_TOKEN}], did_filter_timeout: 5}}\n"
        f"storage: {{path: {directory / 'state'}}}\n"
        f"{textwrap.dedent(extra)}"
        "rules:\n" + textwrap.indent(textwrap.dedent(rules), "  ")
    )


class Daemon:
    """A started App, the simulated dialer behind it, and the runs' ends as they came."""

    def __init__(self, app: App, session: aiohttp.ClientSession) -> None:
        self.app = app
        self.session = session
        self.finished: list[Event[Any]] = []
        app.core.bus.subscribe(RULE_FINISHED, self.finished.append, name="e2e")

    @classmethod
    async def start(cls, path: Path, session: aiohttp.ClientSession, **extra: Any) -> Self:
        """The daemon of the config at ``path`` started, its poller's first cycle done."""
        app = App.load(path, environ={})
        await app.start()
        running = cls(app, session, **extra)
        poller = app.vicidial.poller
        assert poller is not None
        await poller.wait_cycles(1)  # the poller's first cycle, at start
        await running.settle()
        return running

    async def stop(self) -> None:
        await self.app.stop(deadline=2)  # which stops the poller first

    @property
    def center(self) -> CallCenter:
        embedded = self.app.vicidial.embedded
        assert embedded is not None
        return embedded.center

    @property
    def url(self) -> str:
        assert self.app.listening is not None
        return self.app.listening.base_url

    async def advance(self, seconds: float) -> None:
        """Move the manual clock; the simulator plays its actions and callbacks on the way,
        and the rules settle after each."""
        await self.app.rules.advance(seconds)

    async def settle(self) -> None:
        await self.app.rules.advance(0)

    async def poll(self, times: int = 1, every: float = 5) -> None:
        """A poll of the dialer now (its answers in, the rules settled), ``times`` times,
        ``every`` seconds apart: the poller's HTTP is not part of the rules' settling, so
        tests poll themselves rather than wait for the poller's cycle."""
        poller = self.app.vicidial.poller
        assert poller is not None
        for time in range(times):
            if time:
                await self.advance(every)
            await poller.poll_once()
            await self.settle()

    async def state(self) -> dict[str, Any]:
        """The simulator's control API ``/state``."""
        embedded = self.app.vicidial.embedded
        assert embedded is not None
        url = f"{embedded.base_url}/simulator/control/state"
        headers = {"Authorization": f"Bearer {CONTROL_TOKEN}"}
        async with self.session.get(url, headers=headers) as answer:
            assert answer.status == 200
            body: dict[str, Any] = await answer.json()
            return body

    async def agent(self, user: str) -> dict[str, Any]:
        """One agent's session in the simulator's state."""
        agents: dict[str, dict[str, Any]] = {a["user"]: a for a in (await self.state())["agents"]}
        return agents[user]

    async def api(self, method: str, path: str, json: Any = None) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {API_TOKEN}"}
        async with self.session.request(
            method, self.url + path, headers=headers, json=json
        ) as answer:
            return answer.status, await answer.json()

    def ends(self, rule_id: str) -> list[Any]:
        """The ``rule_finished`` data of the rule's runs, in order."""
        return [e.data for e in self.finished if e.data.rule_id == rule_id]

    async def trace(self, run_id: str) -> dict[str, Any]:
        """The run as the journal keeps it, through ``/api/traces/<id>``."""
        await self.app.journal.flush()
        status, body = await self.api("GET", f"/api/traces/{run_id}")
        assert status == 200, body
        trace: dict[str, Any] = body
        return trace

    async def reload(self, rules: str, vicidial: str = "", extra: str = "") -> None:
        """A config reload, as SIGHUP makes it: a fresh load, applied to the running App."""
        path = Path(self.app.config.file)
        await asyncio.to_thread(path.write_text, config_text(path.parent, rules, vicidial, extra))
        await self.app.reload(App.load(path, environ={}, keep_tokens=False))
        await self.settle()


@pytest.fixture
async def daemon(tmp_path: Path) -> AsyncIterator[Callable[..., Any]]:
    """``await daemon(rules, vicidial=..., extra=...)``: the daemon started with these rules
    (YAML text)."""
    started: list[Daemon] = []
    session = aiohttp.ClientSession()

    async def start(rules: str, vicidial: str = "", extra: str = "") -> Daemon:
        path = tmp_path / "config.yaml"
        path.write_text(config_text(tmp_path, rules, vicidial, extra))
        running = await Daemon.start(path, session)
        started.append(running)
        return running

    yield start
    for running in started:
        await running.stop()
    await session.close()
