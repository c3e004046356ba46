"""The control API: its own token, and the state changes tests and demos drive through it."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from integrations.vicidial.simulator.clock import ClockMode, SimClock
from integrations.vicidial.simulator.control import CONTROL_PREFIX
from integrations.vicidial.simulator.records import AgentState
from integrations.vicidial.simulator.scenario import Scenario, build_center, load_builtin
from integrations.vicidial.simulator.server import ADMIN_PATH, AGENT_PATH, Simulator
from integrations.vicidial.simulator.state import CallCenter
from tests.integrations.vicidial.simulator.conftest import FIXTURE_TIME, TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}


async def control(base_url: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
    async with aiohttp.ClientSession(headers=AUTH) as session:
        url = base_url + CONTROL_PREFIX + path
        request = session.get(url) if body is None else session.post(url, json=body)
        async with request as response:
            return response.status, await response.json()


async def test_token_is_required(base_url: str) -> None:
    async with aiohttp.ClientSession() as session:
        for headers in ({}, {"Authorization": "Bearer wrong"}):
            async with session.get(base_url + CONTROL_PREFIX + "/state", headers=headers) as r:
                assert r.status == 401
                assert TOKEN not in await r.text()


async def test_login_call_end_and_logout(base_url: str, center: CallCenter) -> None:
    status, _ = await control(
        base_url, "/agents/login", {"user": "1099", "campaign_id": "TESTCAMP"}
    )
    assert status == 409  # 1099 is not a user of the built-in scenario
    center.logout("1002")
    status, body = await control(
        base_url, "/agents/login", {"user": "1002", "campaign_id": "TESTCAMP", "paused": False}
    )
    assert (status, body["status"]) == (200, "READY")
    status, call = await control(
        base_url, "/calls/start", {"phone_number": "7275550100", "user": "1002"}
    )
    assert status == 200
    assert center.sessions["1002"].call_id == call["call_id"]
    await control(base_url, "/calls/end", {"user": "1002", "how": "dispo", "status": "SALE"})
    assert center.sessions["1002"].status is AgentState.READY
    assert center.leads[call["lead_id"]].status == "SALE"
    await control(base_url, "/agents/logout", {"user": "1002"})
    assert "1002" not in center.sessions


async def test_inbound_call_waits_then_is_answered(base_url: str, center: CallCenter) -> None:
    _, call = await control(
        base_url,
        "/calls/start",
        {"phone_number": "8135550100", "direction": "IN", "ingroup": "SUPPORT"},
    )
    assert center.ingroups["SUPPORT"].queue == [call["call_id"]]
    center.sessions["1002"].ingroups = ["SUPPORT"]
    status, _ = await control(base_url, "/calls/answer", {"user": "1002"})
    assert status == 200
    assert center.sessions["1002"].call_id == call["call_id"]
    status, _ = await control(base_url, "/calls/answer", {"user": "1002"})
    assert status == 409  # nothing waits for 1002 any more
    _, state = await control(base_url, "/state")
    assert state["queues"]["SUPPORT"] == []


async def test_dead_call_then_disposition(base_url: str, center: CallCenter) -> None:
    await control(base_url, "/calls/end", {"user": "1004", "how": "dead"})
    assert center.sessions["1004"].dead
    status, body = await control(base_url, "/calls/end", {"user": "1004", "how": "dead"})
    assert status == 409
    assert "no call" in body["error"]
    await control(base_url, "/calls/end", {"user": "1004", "how": "dispo", "status": "NI"})
    assert center.leads[11].status == "NI"
    assert not center.sessions["1004"].dead


async def test_clock_advances_and_changes_mode(base_url: str, center: CallCenter) -> None:
    start = center.clock.epoch()
    status, body = await control(base_url, "/clock", {"advance_seconds": 90})
    assert (status, body["epoch"]) == (200, start + 90)
    status, body = await control(base_url, "/clock", {"mode": "accelerated", "speed": 60})
    assert status == 200
    assert center.clock.speed == 60
    status, body = await control(base_url, "/clock", {"advance_seconds": -1})
    assert status == 422


async def test_state_lists_agents_and_events(base_url: str, center: CallCenter) -> None:
    center.pause("1002")
    status, state = await control(base_url, "/state")
    assert status == 200
    assert [a["user"] for a in state["agents"]] == list(center.sessions)
    assert state["events"][-1]["kind"] == "agent_paused"


def test_repr_hides_token_and_passwords(center: CallCenter) -> None:
    simulator = Simulator(center, control_token="s3cret-token")
    assert "s3cret-token" not in repr(simulator)
    assert "1234" not in repr(center.users["6666"])


@pytest.mark.parametrize(
    ("body", "expected"), [({"user": "5"}, 409), ({"nope": 1}, 422), ([], 422)]
)
async def test_bad_requests_say_why(base_url: str, body: Any, expected: int) -> None:
    status, answer = await control(base_url, "/agents/logout", body)
    assert status == expected
    assert answer["error"]


async def post_raw(base_url: str, path: str, text: str) -> tuple[int, Any]:
    """A body sent as given, so non-JSON and JSON's NaN/Infinity literals reach the server."""
    async with (
        aiohttp.ClientSession(headers=AUTH) as session,
        session.post(
            base_url + CONTROL_PREFIX + path,
            data=text,
            headers={"Content-Type": "application/json"},
        ) as response,
    ):
        return response.status, await response.json()


async def still_answers(base_url: str) -> None:
    """Every later request works: the state, the control API and both dialer APIs."""
    status, state = await control(base_url, "/state")
    assert status == 200, state
    status, _ = await control(base_url, "/clock", {"advance_seconds": 1})
    assert status == 200
    async with aiohttp.ClientSession() as session:
        for path in (AGENT_PATH, ADMIN_PATH):
            async with session.get(base_url + path, params={"function": "version"}) as r:
                assert r.status == 200
                assert (await r.text()).startswith("VERSION: ")


@pytest.mark.parametrize(
    "text",
    [
        '{"speed": 1e308}',
        '{"mode": "accelerated", "speed": 1e308}',
        '{"mode": "accelerated", "speed": 1e400}',  # JSON reads this as infinity
        '{"mode": "accelerated", "speed": Infinity}',
        '{"mode": "accelerated", "speed": NaN}',
        '{"mode": "accelerated", "speed": 0}',
        '{"advance_seconds": 1e308}',
        '{"advance_seconds": 1e12}',
        '{"advance_seconds": NaN}',
        '{"advance_seconds": Infinity}',
        '{"advance_seconds": 1' + "0" * 400 + "}",
        # All or nothing: a good mode beside a bad advance changes neither.
        '{"mode": "accelerated", "speed": 60, "advance_seconds": 1e308}',
    ],
)
async def test_an_absurd_clock_value_is_refused_and_changes_nothing(
    base_url: str, center: CallCenter, text: str
) -> None:
    before = (center.clock.mode, center.clock.speed, center.clock.epoch())
    status, answer = await post_raw(base_url, "/clock", text)
    assert status == 422, answer
    assert answer["error"]
    assert (center.clock.mode, center.clock.speed, center.clock.epoch()) == before
    await still_answers(base_url)


async def test_speed_alone_repaces_the_clock_in_its_mode(base_url: str, center: CallCenter) -> None:
    status, _ = await control(base_url, "/clock", {"mode": "accelerated", "speed": 60})
    assert status == 200
    status, _ = await control(base_url, "/clock", {"speed": 120})
    assert status == 200
    assert (center.clock.mode, center.clock.speed) == (ClockMode.ACCELERATED, 120)
    await control(base_url, "/clock", {"mode": "real"})
    status, answer = await control(base_url, "/clock", {"speed": 120})
    assert status == 422  # a real clock runs at wall speed; asking otherwise is not ignored
    assert "accelerated" in answer["error"]
    assert (center.clock.mode, center.clock.speed) == (ClockMode.REAL, 1)


@pytest.mark.parametrize("text", ["user=1002", "{", "", '{"user": "1002"'])
async def test_a_body_that_is_not_json_is_refused_with_422(base_url: str, text: str) -> None:
    status, answer = await post_raw(base_url, "/agents/logout", text)
    assert (status, answer["error"]) == (422, "the body must be JSON")
    await still_answers(base_url)


_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()  # NaN and both infinities included: Python's json writes and reads them
    | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=6,
)
_FIELDS = (
    "user",
    "campaign_id",
    "ingroups",
    "paused",
    "phone_number",
    "lead_id",
    "direction",
    "ingroup",
    "how",
    "status",
    "advance_seconds",
    "mode",
    "speed",
)
_BODIES = st.fixed_dictionaries({}, optional={name: _JSON for name in _FIELDS}) | _JSON
_POSTS = st.sampled_from(
    ["/agents/login", "/agents/logout", "/calls/start", "/calls/answer", "/calls/end", "/clock"]
)


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return load_builtin()  # read once: each example builds its own call center from it


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=_POSTS, body=_BODIES)
@example(path="/clock", body={"mode": "accelerated", "speed": 1e308})  # the wedges
@example(path="/clock", body={"advance_seconds": 1e308})
def test_no_body_makes_the_simulator_fail_or_wedge(
    scenario: Scenario, path: str, body: Any
) -> None:
    center = build_center(scenario, SimClock(FIXTURE_TIME, mode=ClockMode.MANUAL))

    async def exercise() -> None:
        async with TestServer(Simulator(center, control_token=TOKEN).app()) as server:
            base_url = str(server.make_url("")).rstrip("/")
            status, answer = await post_raw(base_url, path, json.dumps(body))
            assert status in (200, 409, 422), answer
            await still_answers(base_url)

    asyncio.run(exercise())
