"""Whatever a request carries, the simulated dialer answers it as a dialer would: a body and
a status, never an exception (which the HTTP layer would turn into a 500 and a traceback).

Each example picks a function of either API and fills some of its documented parameters
(and a stray one) with values drawn to hit the handlers' parsing: digits, ids from the
fixtures scenario, words the functions look for, and arbitrary text.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from integrations.vicidial.admin.functions import ADMIN_FUNCTIONS
from integrations.vicidial.agent.functions import AGENT_FUNCTIONS
from integrations.vicidial.registry import Registry
from integrations.vicidial.simulator import admin_api, agent_api
from tests.integrations.vicidial.simulator.conftest import fixture_center

# Values the handlers look up or compare: ids of the fixtures scenario and keywords.
_KNOWN = [
    "1001", "1003", "1004", "1005", "6666", "9999", "10", "12", "101", "102", "999", "TESTCAMP",
    "SALESLINE", "SUPPORT", "DEFAULTINGROUP", "DEFAULT", "Y", "N", "YES", "NO", "ALL", "LIST",
    "NEW", "INFO", "ADD", "DELETE", "UPDATE", "REFRESH", "PLAY", "STOP", "PAUSE", "START",
    "STATUS", "---ALL---", "--BLANK--", "3125551000", "7275551212", "M1127043000000000010",
    "Y1127043100000000011", "876543", "selectframe", "link", "tab", "csv", "-5", "1.5", "",
]  # fmt: skip
_VALUES = st.one_of(
    st.sampled_from(_KNOWN),
    st.integers(-10, 10**12).map(str),
    st.text(max_size=30),
    st.text(alphabet="0123456789|-, ", max_size=20),
)


def _param_names(registry: Registry, function: str) -> list[str]:
    spec = registry.get(function)
    assert spec is not None
    return [field.alias or name for name, field in spec.params.model_fields.items()]


@st.composite
def requests(draw: st.DrawFn) -> tuple[str, dict[str, str]]:
    api = draw(st.sampled_from(["agent", "admin"]))
    registry = AGENT_FUNCTIONS if api == "agent" else ADMIN_FUNCTIONS
    function = draw(st.sampled_from(sorted(registry.names())))
    names = [*_param_names(registry, function), "agent_user", "stage", "value", "bogus"]
    chosen = draw(st.lists(st.sampled_from(names), unique=True, max_size=8))
    params = {name: draw(_VALUES) for name in chosen}
    params |= {"source": "test", "user": "6666", "pass": "1234", "function": function}
    return api, params


@given(requests())
def test_any_request_gets_an_answer(request: tuple[str, dict[str, Any]]) -> None:
    api, params = request
    respond = agent_api.answer if api == "agent" else admin_api.answer
    answer = respond(fixture_center(), params)
    assert answer.status in (200, 500)
    assert isinstance(answer.body, str)
