"""The simulator's credential checks strip and echo the password the way each API does."""

from __future__ import annotations

import aiohttp
import pytest

from integrations.vicidial import ViciAdmin, ViciAgent, ViciAuthError
from integrations.vicidial.redact import MASK
from integrations.vicidial.simulator.server import ADMIN_PATH, AGENT_PATH
from tests.integrations.vicidial.leaks import (
    ADMIN_KEPT,
    AGENT_KEPT,
    MIXED,
    PUNCTUATED,
    assert_clean,
)


async def post(session: aiohttp.ClientSession, url: str, **form: str) -> str:
    async with session.post(url, data={"source": "t", "user": "6666", **form}) as response:
        return await response.text()


async def test_each_api_echoes_the_password_as_it_strips_it(base_url: str) -> None:
    async with aiohttp.ClientSession() as session:
        agent_body = await post(
            session,
            base_url + AGENT_PATH,
            function="external_pause",
            agent_user="1002",
            value="PAUSE",
            **{"pass": MIXED},
        )
        admin_body = await post(
            session,
            base_url + ADMIN_PATH,
            function="agent_status",
            agent_user="1001",
            **{"pass": MIXED},
        )
    kept = AGENT_KEPT[MIXED]
    assert agent_body.startswith(f"ERROR: Invalid Username/Password: |6666|{kept}|0|0|BAD|")
    assert f"and pass='{kept}' and" in agent_body
    assert admin_body == (
        f"ERROR: Login incorrect, please try again: |6666|{ADMIN_KEPT[MIXED]}|BAD|\n"
    )


async def test_the_stripped_password_is_the_one_checked(base_url: str) -> None:
    # As on the dialer: characters the API strips never reach the check.
    async with aiohttp.ClientSession() as session:
        body = await post(
            session,
            base_url + AGENT_PATH,
            function="external_pause",
            agent_user="1002",
            value="PAUSE",
            **{"pass": "12!34"},
        )
    assert body.startswith("SUCCESS: external_pause function set")


@pytest.mark.parametrize("password", [PUNCTUATED, MIXED])
async def test_no_spelling_leaks_through_either_client(base_url: str, password: str) -> None:
    async with ViciAgent(base_url, "6666", password, source="t", retries=0) as agent:
        with pytest.raises(ViciAuthError) as by_agent:
            await agent.pause(agent_user="1002")
    async with ViciAdmin(base_url, "6666", password, source="t", retries=0) as admin:
        with pytest.raises(ViciAuthError) as by_admin:
            await admin.call("agent_status", agent_user="1001")
    for error in (by_agent.value, by_admin.value):
        assert error.details[2] == MASK
        assert_clean(error, password)
