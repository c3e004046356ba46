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

PAUSE = {"function": "external_pause", "agent_user": "1002", "value": "PAUSE"}
STATUS = {"function": "agent_status", "agent_user": "1001"}


async def answer(url: str, password: str, params: dict[str, str]) -> str:
    """The simulator's answer to API user 6666 calling with this password."""
    form = {"source": "test", "user": "6666", "pass": password, **params}
    async with aiohttp.ClientSession() as session, session.post(url, data=form) as response:
        return await response.text()


async def test_each_api_echoes_the_password_as_it_strips_it(base_url: str) -> None:
    agent_body = await answer(base_url + AGENT_PATH, MIXED, PAUSE)
    kept = AGENT_KEPT[MIXED]
    assert agent_body.startswith(f"ERROR: Invalid Username/Password: |6666|{kept}|0|0|BAD|")
    assert f"and pass='{kept}' and" in agent_body
    assert await answer(base_url + ADMIN_PATH, MIXED, STATUS) == (
        f"ERROR: Login incorrect, please try again: |6666|{ADMIN_KEPT[MIXED]}|BAD|\n"
    )


async def test_the_stripped_password_is_the_one_checked(base_url: str) -> None:
    # As on the dialer: characters the API strips never reach the check.
    assert (await answer(base_url + AGENT_PATH, "12!34", PAUSE)).startswith(
        "SUCCESS: external_pause function set"
    )
    assert (await answer(base_url + ADMIN_PATH, "1#2#3#4", STATUS)).startswith("PAUSED|")


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
