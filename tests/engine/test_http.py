"""The daemon's HTTP API in process: states, the event stream, service errors, the clock."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from pydantic import BaseModel, ConfigDict

from engine.clock import Clock, ClockMode
from engine.context import Context, Origin
from engine.core import Core
from engine.health import HealthMonitor
from engine.http import ApiToken, HttpApi
from engine.services import Service, ServiceCall
from integrations.vicidial.errors import ViciStateError

TOKEN = "http-test-token-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
ClientFactory = Callable[..., Awaitable[TestClient[Any, Any]]]


class PauseParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    agent_user: str


async def pause(params: PauseParams, call: ServiceCall) -> dict[str, str]:
    if params.agent_user == "busy":
        raise ViciStateError("agent is on a call", function="external_pause", sent=True)
    return {"paused": params.agent_user, "caller": call.caller or ""}


@pytest.fixture
async def api(aiohttp_client: ClientFactory) -> AsyncIterator[tuple[Core, TestClient[Any, Any]]]:
    core = Core(Clock(ClockMode.MANUAL, tz=UTC, start=0))
    core.services.register(Service("vicidial.agent.external_pause", PauseParams, pause))
    await core.start()
    http = HttpApi(
        core,
        HealthMonitor(core.bus),
        tokens=lambda: [ApiToken("ops", TOKEN)],
        readiness=lambda: {"config": True, "first_poll": False},
    )
    app = web.Application()
    http.routes(app)
    client = await aiohttp_client(TestServer(app))
    yield core, client
    http.close_streams()
    await core.stop(timeout=1)


async def test_states_by_id_and_glob(api: tuple[Core, TestClient[Any, Any]]) -> None:
    core, client = api
    ctx = Context(Origin.POLL)
    core.states.set("agent.1001", "PAUSED", {"pause_code": "BREAK"}, context=ctx)
    core.states.set("campaign.TESTCAMP", "ACTIVE", {}, context=ctx)
    answer = await client.get("/api/states/agent.1001", headers=AUTH)
    body = await answer.json()
    assert (answer.status, body["state"], body["attributes"]["pause_code"]) == (
        200,
        "PAUSED",
        "BREAK",
    )
    assert body["attributes"]["seconds_in_state"] == 0
    answer = await client.get("/api/states?entity_id=agent.*", headers=AUTH)
    assert [s["entity_id"] for s in await answer.json()] == ["agent.1001"]
    answer = await client.get("/api/states/agent.9999", headers=AUTH)
    assert answer.status == 404


async def test_readiness_says_which_check_fails(api: tuple[Core, TestClient[Any, Any]]) -> None:
    _, client = api
    answer = await client.get("/readyz")
    assert answer.status == 503
    assert (await answer.json())["failing"] == ["first_poll"]


async def test_service_results_and_typed_errors_as_json(
    api: tuple[Core, TestClient[Any, Any]],
) -> None:
    _, client = api
    url = "/api/services/vicidial/agent.external_pause"
    answer = await client.post(url, headers=AUTH, json={"agent_user": "1001"})
    body = await answer.json()
    assert (answer.status, body["result"]) == (200, {"paused": "1001", "caller": "api:ops"})
    answer = await client.post(url, headers=AUTH, json={"agent_user": "busy"})
    body = await answer.json()
    assert answer.status == 409
    assert body["error"]["type"] == "ViciStateError"
    assert body["error"]["sent"] is True
    answer = await client.post(url, headers=AUTH, data=b"not json")
    assert answer.status == 400
    answer = await client.post("/api/services/vicidial/agent.nothing", headers=AUTH, json={})
    assert answer.status == 404


async def test_the_event_stream_sends_the_types_asked_for(
    api: tuple[Core, TestClient[Any, Any]],
) -> None:
    core, client = api
    answer = await client.get("/api/events?type=state_changed", headers=AUTH)
    assert answer.status == 200
    assert answer.headers["Content-Type"] == "text/event-stream"
    assert (await answer.content.readline()).startswith(b": vicibus event stream")
    await answer.content.readline()
    core.fire("custom_thing", {"x": 1})
    core.states.set("agent.1001", "READY", {}, context=Context(Origin.POLL))
    async with asyncio.timeout(5):
        kind = await answer.content.readline()
        data = await answer.content.readline()
    assert kind == b"event: state_changed\n"
    payload = json.loads(data.removeprefix(b"data: "))
    assert payload["data"]["new_state"]["state"] == "READY"
    assert payload["context"]["origin"] == "poll"
    answer.close()
    refused = await client.get("/api/events?type=Bad-Type", headers=AUTH)
    assert refused.status == 400


async def test_the_clock_api_moves_only_a_manual_clock(
    api: tuple[Core, TestClient[Any, Any]],
) -> None:
    core, client = api
    answer = await client.post("/api/clock", headers=AUTH, json={"advance_seconds": 90})
    assert (answer.status, (await answer.json())["epoch"]) == (200, 90)
    assert core.clock.time() == 90
    for bad in ({"advance_seconds": "soon"}, {"advance_seconds": 1e12}, {}):
        answer = await client.post("/api/clock", headers=AUTH, json=bad)
        assert answer.status == 422
    core.clock.retime(mode=ClockMode.REAL)
    answer = await client.post("/api/clock", headers=AUTH, json={"advance_seconds": 1})
    assert answer.status == 409
