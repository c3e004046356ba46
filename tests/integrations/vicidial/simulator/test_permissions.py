"""An API user may call only its allowed functions: every function of both APIs refuses user
6667 (allowed only version and agent_status), and changes nothing.

The agent API checks a request's parameters before the API user, so the refusal is sent for
a request that would otherwise succeed: each agent function's captured successful request.
"""

from __future__ import annotations

import pytest

from integrations.vicidial.admin.functions import ADMIN_FUNCTIONS
from integrations.vicidial.agent.functions import AGENT_FUNCTIONS
from integrations.vicidial.simulator import admin_api, agent_api
from tests.integrations.vicidial.replay import Fixture, load_fixtures
from tests.integrations.vicidial.simulator.capture_sequence import prepare
from tests.integrations.vicidial.simulator.conftest import fixture_center


def _successes() -> list[Fixture]:
    """One captured successful request per function (the agent API needs no login for
    version, the non-agent API allows 6667 agent_status)."""
    known = {("agent", n) for n in AGENT_FUNCTIONS.names()}
    known |= {("non_agent", n) for n in ADMIN_FUNCTIONS.names()}
    chosen: dict[tuple[str, str], Fixture] = {}
    for item in load_fixtures():
        if (item.api, item.function) not in known:
            continue
        if item.function in ("version", "agent_status") or item.params.get("user") != "6666":
            continue
        if item.text.startswith("ERROR") or item.http_status != 200:
            continue
        chosen.setdefault((item.api, item.function), item)
    return list(chosen.values())


@pytest.mark.parametrize("item", _successes(), ids=lambda f: f"{f.api}:{f.key}")
def test_a_function_not_allowed_is_refused(item: Fixture) -> None:
    center = fixture_center()
    prepare(center, item.key)
    params = item.expected_params() | {"user": "6667"}
    respond = agent_api.answer if item.api == "agent" else admin_api.answer
    before = len(center.events.history)
    body = respond(center, params).body
    assert body.startswith("ERROR: auth USER DOES NOT HAVE PERMISSION TO USE THIS FUNCTION")
    assert len(center.events.history) == before


def test_every_function_is_checked() -> None:
    checked = {(f.api, f.function) for f in _successes()}
    # Every function with a captured success (all but a few error-only captures).
    assert len(checked) >= 80
