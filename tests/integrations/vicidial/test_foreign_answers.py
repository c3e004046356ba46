"""HTTP 200 answers that are not ViciDial's: a login page, a proxy's error page, other text.

A poller that read a login page as "nobody is logged in" would log every agent out, so such
an answer is a ViciProtocolError. Which functions may answer HTML is declared in the registry
(``FunctionSpec.html``); the captured pages of those functions still read (the replay tests
read every fixture), and this checks the declarations against the fixtures themselves.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from aiohttp import web

from integrations.vicidial import ViciAdmin, ViciAgent, ViciProtocolError, ViciValidationError
from integrations.vicidial.admin import ADMIN_FUNCTIONS
from integrations.vicidial.agent.functions import AGENT_FUNCTIONS
from integrations.vicidial.client import BaseClient, parse_answer
from tests.integrations.vicidial.admin.test_records import SAMPLE_PARAMS
from tests.integrations.vicidial.replay import ServerFactory, call_params, load_fixtures

LOGIN_PAGE = """<!DOCTYPE html>
<html><head><title>Sign in</title></head>
<body><form method="post" action="/login">
Please sign in
<input name="user"><input name="pass" type="password">
</form></body></html>
"""
PROXY_PAGE = """<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>nginx</center>
</body>
</html>
"""
PAGES = {"login page": LOGIN_PAGE, "proxy error page": PROXY_PAGE}
# Unrelated text: a maintenance notice, a JSON error, a bare status line.
TEXTS = {
    "notice": "Service temporarily unavailable, back soon\n",
    "json": '{"status": "error", "message": "maintenance"}\n',
    "status line": "502 Bad Gateway\n",
}
PAGE_REASON = (
    "an HTML page, not a ViciDial answer (a login or error page in front of the dialer? "
    "check base_url)"
)
# lead_field_info prints one field's bare value, so any single line of text can be its answer.
BARE_VALUE = {"lead_field_info"}


def _spec_params(name: str) -> tuple[Any, Any]:
    spec = ADMIN_FUNCTIONS.get(name)
    assert spec is not None
    return spec, spec.params.model_validate(SAMPLE_PARAMS[name])


@pytest.fixture
async def foreign(aiohttp_server: ServerFactory) -> dict[str, Any]:
    """A server answering both APIs' paths with HTTP 200 and whatever ``body`` is set to."""
    state: dict[str, Any] = {"body": LOGIN_PAGE}

    async def answer(request: web.Request) -> web.Response:
        return web.Response(text=state["body"], content_type="text/html")

    app = web.Application()
    app.router.add_route("*", "/agc/api.php", answer)
    app.router.add_route("*", "/vicidial/non_agent_api.php", answer)
    server = await aiohttp_server(app)
    state["url"] = str(server.make_url("")).rstrip("/")
    return state


@pytest.mark.parametrize("page", PAGES)
async def test_logged_in_agents_against_a_page_is_a_protocol_error(
    foreign: dict[str, Any], page: str
) -> None:
    # Read as lines, this page used to be "records: []": nobody logged in.
    foreign["body"] = PAGES[page]
    async with ViciAdmin(foreign["url"], "6666", "pw", retries=0) as admin:
        with pytest.raises(ViciProtocolError) as raised:
            await admin.monitoring.logged_in_agents()
    assert str(raised.value) == f"logged_in_agents: {PAGE_REASON}"
    assert raised.value.raw == PAGES[page]


async def test_an_agent_function_against_a_page_is_a_protocol_error(
    foreign: dict[str, Any],
) -> None:
    async with ViciAgent(foreign["url"], "6666", "pw", agent_user="1001", retries=0) as agent:
        with pytest.raises(ViciProtocolError) as raised:
            await agent.pause()
    assert raised.value.reason == PAGE_REASON


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("name", sorted(SAMPLE_PARAMS))
def test_no_reading_function_reads_a_page_as_an_answer(name: str, page: str) -> None:
    spec, params = _spec_params(name)
    with pytest.raises(ViciProtocolError) as raised:
        parse_answer(spec, params, PAGES[page])
    assert raised.value.reason == PAGE_REASON


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("name", sorted(set(SAMPLE_PARAMS) - BARE_VALUE))
def test_no_reading_function_reads_unrelated_text_as_an_answer(name: str, text: str) -> None:
    spec, params = _spec_params(name)
    with pytest.raises(ViciProtocolError):
        parse_answer(spec, params, TEXTS[text])


def test_a_row_may_lack_its_last_column_but_no_more() -> None:
    spec, params = _spec_params("agent_status")
    row = "INCALL|M1127043000000000010|10|TESTCAMP|2|Carol Agent|AGENTS|1|LOGIN|3-WAY|3125550110"
    # 13 of the 13 columns without include_ip, then 12 (the last one left out), then 11.
    full = parse_answer(spec, params, row + "|VLC0010|8600053\n")
    assert full.records[0].session_id == 8600053
    short = parse_answer(spec, params, row + "|VLC0010\n")
    assert short.records[0].session_id is None
    with pytest.raises(ViciProtocolError) as raised:
        parse_answer(spec, params, row + "\n")
    assert raised.value.reason == (
        "a row of 11 field(s) where AgentStatus has 13: not a ViciDial answer"
    )


def test_an_asked_for_header_that_is_missing_is_a_protocol_error() -> None:
    spec, params = _spec_params("lead_all_info")  # asks for header=YES
    with pytest.raises(ViciProtocolError, match="a header was asked for"):
        parse_answer(spec, params, "SALE|1001|VLC1\n")


def test_a_required_duration_may_not_be_empty() -> None:
    spec = ADMIN_FUNCTIONS.get("callid_info")
    assert spec is not None
    params = spec.params.model_validate({"call_id": "M1127040000000000012"})
    assert parse_answer(spec, params, "M1127040000000000012|185\n").call.custtime == 185  # type: ignore[attr-defined]
    with pytest.raises(ViciProtocolError) as raised:
        parse_answer(spec, params, "M1127040000000000012|\n")
    assert str(raised.value) == "callid_info: CallInfo.custtime not understood: ''"


# --- the declarations match the captured answers ---------------------------------------------

_PAGE_OR_TAG = re.compile(r"^\s*<(?:!|/?[A-Za-z])", re.M)


def _client(api: str) -> BaseClient:
    if api == "agent":
        return ViciAgent("http://127.0.0.1:9", "6666", "pw", agent_user="1001")
    return ViciAdmin("http://127.0.0.1:9", "6666", "pw")


def test_every_captured_html_answer_comes_from_a_function_declared_to_answer_html() -> None:
    declared_and_seen: set[str] = set()
    for item in load_fixtures():
        if item.function == "_none_" or item.function not in (
            ADMIN_FUNCTIONS.names() + AGENT_FUNCTIONS.names()
        ):
            continue
        try:
            spec, params = _client(item.api).build(item.function, call_params(item))
        except ViciValidationError:
            continue  # requests the client refuses to send are not answers it reads
        has_html = bool(_PAGE_OR_TAG.search(item.text))
        if not spec.answers_html(params):
            assert not has_html, item.key
        elif has_html:
            declared_and_seen.add(spec.name)
    declared = {
        spec.name
        for registry in (ADMIN_FUNCTIONS, AGENT_FUNCTIONS)
        for spec in registry
        if spec.html
    }
    # Every function declared to answer HTML was seen doing so.
    assert declared == declared_and_seen
