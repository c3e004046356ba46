from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from pydantic import SecretStr

from integrations.vicidial.admin.client import ViciAdmin
from integrations.vicidial.agent.client import ViciAgent
from integrations.vicidial.lines import Reply, read_reply
from integrations.vicidial.simulator.clock import ClockMode, SimClock
from integrations.vicidial.simulator.scenario import Scenario, build_center, load_builtin
from integrations.vicidial.simulator.server import ADMIN_PATH, Simulator
from integrations.vicidial.simulator.state import CallCenter
from integrations.vicidial.webhooks.config import ReceiverConfig
from integrations.vicidial.webhooks.kinds import Kind
from integrations.vicidial.webhooks.payloads import DidFilterPayload, WebhookPayload
from integrations.vicidial.webhooks.receiver import create_receiver
from integrations.vicidial.webhooks.serving import start_receiver

# One second after the captured agent API version answer: epochs then match the captures.
FIXTURE_TIME = datetime(2026, 11, 27, 4, 44, 9)
TOKEN = "test-control-token"

ServerFactory = Callable[[web.Application], Awaitable[TestServer]]


@cache
def fixture_scenario() -> Scenario:
    """The built-in scenario, parsed once: building a center from it leaves it unchanged."""
    return load_builtin()


def fixture_center() -> CallCenter:
    return build_center(fixture_scenario(), SimClock(FIXTURE_TIME, mode=ClockMode.MANUAL))


@pytest.fixture
def center() -> CallCenter:
    return fixture_center()


@pytest.fixture
async def base_url(aiohttp_server: ServerFactory, center: CallCenter) -> str:
    server = await aiohttp_server(Simulator(center, control_token=TOKEN).app())
    return str(server.make_url("")).rstrip("/")


@pytest.fixture
async def agent(base_url: str) -> AsyncIterator[ViciAgent]:
    async with ViciAgent(base_url, "6666", "1234", source="test", retries=0) as client:
        yield client


@pytest.fixture
async def admin(base_url: str) -> AsyncIterator[ViciAdmin]:
    async with ViciAdmin(base_url, "6666", "1234", source="test", retries=0) as client:
        yield client


RawAdmin = Callable[..., Awaitable[Reply]]


@pytest.fixture
async def raw_admin(base_url: str) -> AsyncIterator[RawAdmin]:
    """The non-agent API over plain HTTP, read by the shared line reader (functions the admin
    client does not have yet)."""
    async with aiohttp.ClientSession() as session:

        async def call(function: str, **params: str) -> Reply:
            form = {"source": "test", "user": "6666", "pass": "1234", "function": function}
            async with session.post(base_url + ADMIN_PATH, data={**form, **params}) as response:
                assert response.status == 200
                return read_reply(function, await response.text())

        yield call


# -- callbacks: a real webhooks receiver on loopback ---------------------------------------

# Distinctive, so a leak into a log line cannot be missed by a substring search.
CALLBACK_TOKEN = "sim-cb-token-Q7ZX93kdWERTY"


@dataclass
class Receiving:
    """A webhooks receiver served on loopback the way the daemon serves it."""

    host: str
    port: int
    received: list[WebhookPayload] = field(default_factory=list)
    answer_did: bool = False
    arrived: asyncio.Event = field(default_factory=asyncio.Event)  # set by each callback

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    def kinds(self) -> list[Kind]:
        return [payload.kind for payload in self.received]

    def of(self, kind: Kind) -> list[WebhookPayload]:
        return [payload for payload in self.received if payload.kind is kind]


@pytest.fixture
async def receiver(caplog: pytest.LogCaptureFixture) -> AsyncIterator[Receiving]:
    caplog.set_level(logging.DEBUG)
    receiving = Receiving("127.0.0.1", 0)

    async def handoff(payload: WebhookPayload) -> None:
        receiving.received.append(payload)
        receiving.arrived.set()

    async def decide(payload: DidFilterPayload) -> bool:
        return receiving.answer_did

    config = ReceiverConfig(tokens=(SecretStr(CALLBACK_TOKEN),))
    app = web.Application()
    app.add_subapp("/webhooks", create_receiver(config, handoff, decide))
    runner = await start_receiver(app, "127.0.0.1", 0, secrets=[CALLBACK_TOKEN])
    receiving.port = runner.addresses[0][1]
    yield receiving
    await runner.cleanup()
    for record in caplog.records:
        text = record.getMessage() + (record.exc_text or "")
        assert CALLBACK_TOKEN not in text, text
