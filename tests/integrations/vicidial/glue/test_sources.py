from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr

from engine.clock import Clock, ClockMode
from engine.context import Context, Origin
from engine.core import Core
from engine.events import Event, webhook_event_type
from integrations.vicidial.glue.entities import DailyCounts
from integrations.vicidial.glue.sources import DailyCounter, DidDecisions, WebhookHandoff
from integrations.vicidial.webhooks.config import ReceiverConfig
from integrations.vicidial.webhooks.payloads import (
    DidFilterPayload,
    DispoCallbackPayload,
    NoAgentPayload,
)
from integrations.vicidial.webhooks.receiver import create_receiver

TOKEN = "glue-test-token-0123456789"
ClientFactory = Callable[..., Awaitable[TestClient[Any, Any]]]


@pytest.fixture
async def small_core() -> AsyncIterator[Core]:
    core = Core(Clock(ClockMode.MANUAL, tz=UTC, start=0), max_queue=2)
    await core.start()
    yield core
    await core.stop(timeout=2)


async def test_a_full_bus_makes_the_receiver_answer_503_and_drops_nothing_it_accepted(
    small_core: Core, aiohttp_client: ClientFactory
) -> None:
    core = small_core
    release = asyncio.Event()
    delivered: list[str | None] = []

    async def slow(event: Event[Any]) -> None:
        await release.wait()
        delivered.append(event.data.values.get("lead_id"))

    core.bus.subscribe_async(webhook_event_type("dispo_callback"), slow)
    config = ReceiverConfig(tokens=(SecretStr(TOKEN),))
    app = create_receiver(config, WebhookHandoff(core, wait=0.05))
    client = await aiohttp_client(TestServer(app))
    answered: dict[int, list[str]] = {}
    for lead in range(1, 2000):
        response = await client.get(f"/dispo_callback?token={TOKEN}&lead_id={lead}&dispo=A")
        answered.setdefault(response.status, []).append(str(lead))
        if response.status == 503:
            assert "event not accepted" in await response.text()
            assert not any(ch.isdigit() for ch in await response.text())
            break
    assert set(answered) == {200, 503}
    release.set()
    assert await core.bus.drain(timeout=5)
    # Every event answered 200 reached the listener, in order; the refused one did not.
    assert delivered == answered[200]
    assert core.bus.stats().sources["webhook"].refused == 1


async def test_a_stopping_bus_is_a_503_saying_so_and_an_info_line_not_an_error(
    small_core: Core, aiohttp_client: ClientFactory, caplog: pytest.LogCaptureFixture
) -> None:
    config = ReceiverConfig(tokens=(SecretStr(TOKEN),))
    app = create_receiver(config, WebhookHandoff(small_core))
    client = await aiohttp_client(TestServer(app))
    small_core.bus.close()
    with caplog.at_level(logging.INFO):
        response = await client.get(f"/dispo_callback?token={TOKEN}&lead_id=1&dispo=A")
    assert (response.status, await response.text()) == (
        503,
        "event not accepted: the daemon is stopping\n",
    )
    assert [r.levelno for r in caplog.records if r.name.endswith("receiver")] == [logging.INFO]


async def test_webhooks_become_typed_events_with_a_webhook_or_push_context(
    small_core: Core,
) -> None:
    core = small_core
    seen: list[Event[Any]] = []
    core.bus.subscribe(None, seen.append)
    handoff = WebhookHandoff(core)
    await handoff(NoAgentPayload(campaign="TESTCAMP", lead_id=5))
    await core.settle()
    [event] = seen
    assert event.type == "vicidial_no_agent"
    assert event.context.origin is Origin.WEBHOOK
    assert isinstance(event.data, NoAgentPayload)
    assert event.states is not None


async def test_drops_calls_and_sales_are_counted_since_local_midnight() -> None:
    start = datetime(2026, 12, 1, 23, 0, tzinfo=UTC).timestamp()
    core = Core(Clock(ClockMode.MANUAL, tz=UTC, start=start))
    await core.start()
    ctx = Context(Origin.POLL)
    core.states.set("campaign.TESTCAMP", "ACTIVE", {"drops_today": 0}, context=ctx)
    core.states.set("ingroup.SALESLINE", "0", {"drops_today": 0}, context=ctx)
    counter = DailyCounter(core, DailyCounts())
    counter.start()
    core.bus.subscribe("vicidial_no_agent", counter.no_agent)
    core.bus.subscribe("vicidial_dispo_callback", counter.dispo)
    handoff = WebhookHandoff(core)
    await handoff(NoAgentPayload(campaign="TESTCAMP", group="SALESLINE"))
    await handoff(NoAgentPayload(campaign="TESTCAMP"))
    await handoff(DispoCallbackPayload(campaign="TESTCAMP", dispo="SALE"))
    await handoff(DispoCallbackPayload(campaign="TESTCAMP", dispo="NI"))
    await core.settle()
    campaign = core.states.get("campaign.TESTCAMP")
    assert campaign is not None
    counts = {k: campaign.attributes[k] for k in ("drops_today", "calls_today", "sales_today")}
    assert counts == {"drops_today": 2, "calls_today": 2, "sales_today": 1}
    group = core.states.get("ingroup.SALESLINE")
    assert group is not None
    assert group.attributes["drops_today"] == 1
    await core.advance(3600)  # local midnight
    campaign = core.states.get("campaign.TESTCAMP")
    assert campaign is not None
    assert campaign.attributes["drops_today"] == 0
    counter.stop()
    await core.stop(timeout=1)


async def test_did_filter_answers_the_decider_then_the_fallback_when_slow(
    small_core: Core, aiohttp_client: ClientFactory
) -> None:
    decisions = DidDecisions(fallback=False)
    config = ReceiverConfig(tokens=(SecretStr(TOKEN),), did_filter_timeout=0.1)
    app = create_receiver(config, WebhookHandoff(small_core), decisions)
    client = await aiohttp_client(TestServer(app))
    url = f"/did_filter?token={TOKEN}&phone_number=3125551000"
    assert await (await client.get(url)).text() == "0"  # no decider yet: the fallback
    asked: list[str | None] = []

    async def known_caller(payload: DidFilterPayload) -> bool:
        asked.append(payload.phone_number)
        return payload.phone_number == "3125551000"

    decisions.decider = known_caller
    assert await (await client.get(url)).text() == "1"
    assert await (await client.get(url.replace("1000", "9999"))).text() == "0"

    async def too_slow(payload: DidFilterPayload) -> bool:
        await asyncio.sleep(5)
        return True

    decisions.decider = too_slow
    assert await (await client.get(url)).text() == "0"
    assert asked == ["3125551000", "3125559999"]
