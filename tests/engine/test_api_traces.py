"""/api/traces on a real aiohttp server, over a real journal, behind the API's token."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from engine.api_traces import TracesApi
from engine.clock import Clock, ClockMode
from engine.context import Context, Origin
from engine.core import Core
from engine.health import HealthMonitor
from engine.http import ApiToken, HttpApi
from engine.storage.trace_schema import NOT_RUN
from engine.storage.trace_store import OUTCOMES, RUNNING
from engine.storage.traces import JournalSettings, TraceJournal
from tests.engine.storage.rows import START, end, event, not_run, record, start, step

TOKEN = "traces-test-token-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
ClientFactory = Callable[..., Awaitable[TestClient[Any, Any]]]


class Api:
    def __init__(self, client: TestClient[Any, Any], journal: TraceJournal) -> None:
        self.client = client
        self.journal = journal

    async def get(self, path: str, *, headers: dict[str, str] | None = None) -> tuple[int, Any]:
        await self.journal.flush()
        answer = await self.client.get(path, headers=AUTH if headers is None else headers)
        return answer.status, await answer.json()


@pytest.fixture
async def api(tmp_path: Path, aiohttp_client: ClientFactory) -> AsyncIterator[Api]:
    core = Core(Clock(ClockMode.MANUAL, tz=UTC, start=START))
    await core.start()
    journal = TraceJournal(tmp_path, JournalSettings(), core.clock)
    http = HttpApi(
        core,
        HealthMonitor(core.bus),
        tokens=lambda: [ApiToken("ops", TOKEN)],
        readiness=lambda: {"config": True},
    )
    app = web.Application()
    http.routes(app)
    TracesApi(tmp_path, http.guarded, core.clock.tz).routes(app)
    client = await aiohttp_client(TestServer(app))
    await journal.start()
    yield Api(client, journal)
    await journal.stop()
    await core.stop(timeout=1)


async def test_the_token_is_required(api: Api) -> None:
    record(api.journal, start())
    for path in ("/api/traces", "/api/traces/counts", "/api/traces/0123456789abcdef01234567"):
        status, body = await api.get(path, headers={})
        assert status == 401
        assert "Bearer" in body["error"]["message"]
        status, _ = await api.get(path, headers={"Authorization": "Bearer wrong"})
        assert status == 403


async def test_listing_filters_and_pages(api: Api) -> None:
    runs = []
    for n, agent in enumerate(["1001", "1002", "1001"]):
        run = start("pause", at=START + n, agent=agent, lead=str(70 + n), campaign="TESTCAMP")
        record(api.journal, run, step(run, 0), end(run, "error" if n == 1 else "finished"))
        runs.append(run.run_id)
    api.journal.not_run(not_run("pause", at=START + 5, agent="1001", reason="single"))
    status, body = await api.get("/api/traces?agent=1001&limit=2")
    assert status == 200
    assert [t["kind"] for t in body["traces"]] == ["not_run", "run"]
    assert body["traces"][1]["id"] == runs[2]
    assert body["traces"][0]["reason"] == "single"
    assert body["next_before"] == runs[2]
    _, page = await api.get(f"/api/traces?agent=1001&limit=2&before={body['next_before']}")
    assert [t["id"] for t in page["traces"]] == [runs[0]]
    assert page["next_before"] is None
    _, errors = await api.get("/api/traces?outcome=error")
    (failed,) = errors["traces"]
    assert (failed["id"], failed["lead"], failed["steps"][0]["service"]) == (
        runs[1],
        "71",
        "notify.log",
    )
    _, by_rule = await api.get("/api/traces?rule=pause&campaign=TESTCAMP&lead=72")
    assert [t["id"] for t in by_rule["traces"]] == [runs[2]]
    _, older = await api.get("/api/traces?before=2026-03-02T08:00:01%2B00:00")
    assert [t["id"] for t in older["traces"]] == [runs[0]]
    _, none = await api.get("/api/traces?rule=nothing")
    assert none == {"traces": [], "next_before": None}


async def test_one_trace_in_full_with_its_chain(api: Api) -> None:
    runs_context = Context(Origin.RULE)
    first = start("first", context=runs_context)
    record(api.journal, first, step(first, 0), end(first))
    second = start("second", cause=event(context=runs_context))
    api.journal.run_started(second, lambda: {"frames": [], "variables": {"secret_thing": "x"}})
    await api.journal.flush()
    await api.journal.flush()  # the second batch carries the open run's state
    status, body = await api.get(f"/api/traces/{second.run_id}")
    assert status == 200
    assert body["outcome"] == "running"
    assert body["chain"][0]["run_id"] == first.run_id
    assert body["state"] == {"frames": [], "variables": ["secret_thing"]}  # names, no values


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("outcome=done", "outcome"),
        ("limit=0", "limit"),
        ("limit=many", "limit"),
        ("colour=red", "colour"),
        ("agent=", "agent"),
    ],
)
async def test_a_bad_query_is_a_422_naming_the_field(api: Api, query: str, field: str) -> None:
    status, body = await api.get(f"/api/traces?{query}")
    assert status == 422
    assert body["error"]["type"] == "BadRequest"
    assert body["error"]["problems"][0]["field"] == field


@pytest.mark.parametrize("outcome", OUTCOMES)
async def test_every_outcome_the_cli_offers_the_api_takes(api: Api, outcome: str) -> None:
    status, body = await api.get(f"/api/traces?outcome={outcome}")
    assert status == 200, body
    assert {RUNNING, NOT_RUN} <= set(OUTCOMES)


async def test_a_bad_before_and_unknown_ids(api: Api) -> None:
    status, body = await api.get("/api/traces?before=last%20tuesday")
    assert (status, body["error"]["type"]) == (422, "BadRequest")
    assert "before is a trace id" in body["error"]["message"]
    status, body = await api.get("/api/traces?before=0123456789abcdef01234567")
    assert status == 404
    status, body = await api.get("/api/traces/0123456789abcdef01234567")
    assert (status, body["error"]["type"]) == (404, "NotFound")
    status, body = await api.get("/api/traces/not-an-id")
    assert status == 404


async def test_non_run_counts(api: Api) -> None:
    for n in range(3):
        api.journal.count_not_run("pause", "cooldown", START + n)
    api.journal.count_not_run("hopper", "conditions", START + 120)
    status, body = await api.get("/api/traces/counts")
    assert status == 200
    assert body == {"not_run_counts": {"hopper": {"conditions": 1}, "pause": {"cooldown": 3}}}
    _, body = await api.get(f"/api/traces/counts?since={START + 60}")
    assert body == {"not_run_counts": {"hopper": {"conditions": 1}}}
    _, body = await api.get("/api/traces/counts?rule=pause")
    assert body == {"not_run_counts": {"pause": {"cooldown": 3}}}
    status, body = await api.get("/api/traces/counts?since=nan")
    assert status == 422
