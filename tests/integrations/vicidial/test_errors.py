"""Error classification and password redaction."""

from __future__ import annotations

import logging

import pytest
from aiohttp import web
from hypothesis import given
from hypothesis import strategies as st

from integrations.vicidial import (
    ViciAgent,
    ViciAuthError,
    ViciError,
    ViciNotFoundError,
    ViciPermissionError,
    ViciStateError,
    ViciValidationError,
)
from integrations.vicidial.errors import classify_error
from integrations.vicidial.redact import MASK, redact_body, redact_line
from tests.integrations.vicidial.replay import FIXTURES, ServerFactory, load_fixtures

# Messages the issue names and the non-agent API prints; the agent fixtures are covered
# line by line in agent/test_fixtures.py.
CLASSIFIED = [
    ("ERROR: Invalid Username/Password: |1001|x|1|0|GOOD|", ViciPermissionError),
    ("ERROR: Invalid Username/Password: |6668|x|0|1|LOCK|", ViciAuthError),
    ("ERROR: Login incorrect, please try again: |1001|x|BAD|", ViciAuthError),
    ("ERROR: Too many login attempts, try again in 15 minutes: |6668|LOCK|", ViciAuthError),
    (
        "ERROR: auth USER DOES NOT HAVE PERMISSION TO USE THIS FUNCTION: |6667|add_lead|",
        ViciPermissionError,
    ),
    ("ERROR: user_group_status NO VIEWABLE GROUPS: 6666|", ViciPermissionError),
    ("ERROR: Your IP Address is not allowed: 10.0.0.1", ViciPermissionError),
    ("ERROR: add_list CAMPAIGN DOES NOT EXIST: |6666|TESTCIMP", ViciNotFoundError),
    ("ERROR: lead_search NO MATCHES FOUND IN THE SYSTEM: |6666|||9998887777", ViciNotFoundError),
    ("ERROR: user_details USER NOT FOUND: 6666|9999", ViciNotFoundError),
    ("ERROR: lead_search NO VALID SEARCH METHOD - 6666|PHONE_NUMBER", ViciValidationError),
    ("ERROR: NO FUNCTION SPECIFIED", ViciValidationError),
    ("ERROR: add_user USER ALREADY EXISTS: |6666|1001", ViciValidationError),
    (
        "ERROR: add_lead DUPLICATE PHONE NUMBER IN LIST - 3125550110|101|10|PHONE",
        ViciValidationError,
    ),
    ("ERROR: add_phone YOU MUST USE A VALID TIMEZONE: |6666|-5.25", ViciValidationError),
    (
        "ERROR: update_remote_agent STATUS MUST BE ACTIVE OR INACTIVE, THIS IS AN OPTIONAL FIELD:",
        ViciValidationError,
    ),
    ("ERROR: update_user NO UPDATES DEFINED: |6666|", ViciValidationError),
    ("ERROR: webphone_url error - no session data - 6666", ViciStateError),
    ("ERROR: something nobody has seen - 1", ViciError),
]


@pytest.mark.parametrize(("line", "cls"), CLASSIFIED)
def test_classification(line: str, cls: type[ViciError]) -> None:
    assert classify_error(line) is cls


def test_classification_is_case_insensitive() -> None:
    assert classify_error("error: agent_user IS NOT LOGGED IN - 1") is ViciNotFoundError


def test_every_captured_error_line_is_classified() -> None:
    for item in load_fixtures():
        for line in item.text.splitlines():
            if line.startswith("ERROR:"):
                assert classify_error(line) is not ViciError, line


def test_redaction_covers_fields_and_sql() -> None:
    line = (
        "ERROR: Invalid Username/Password: |7777|1234|0|0|BAD|0|api|SELECT count(*) from "
        "vicidial_users where user='7777' and pass='1234' and user_level > 0;|"
    )
    redacted = redact_line(line, "1234")
    assert "1234" not in redacted
    assert redacted.count(MASK) == 2
    assert "|7777|" in redacted


def test_redaction_covers_links_that_repeat_the_password() -> None:
    body = (FIXTURES / "non_agent" / "sounds_list__selectframe_by_date.txt").read_text()
    assert "pass=1234&" in body
    redacted = redact_body(body, "1234")
    assert "pass=1234" not in redacted
    assert redacted.count(f"pass={MASK}&") == body.count("pass=1234&")
    assert redact_line('<a href="x?pass=a%20b&u=1">', "a b") == f'<a href="x?pass={MASK}&u=1">'
    assert redact_line("x?pass=12345&u=1", "1234") == "x?pass=12345&u=1"


def test_redaction_leaves_data_that_only_looks_like_the_password() -> None:
    for body in (
        "SUCCESS: send_dtmf function set - QQQQ1234SQQQQQ6654P|1003\n",
        "SUCCESS: external_status function set - CALLBK!2030-01-25 12:00:00!USERONLY!x!1234|1003",
        "1234 Main St|Chicago|1234\n",
    ):
        assert redact_body(body, "1234") == body


@given(
    password=st.text(min_size=1, max_size=30).filter(
        lambda s: "\n" not in s and "|" not in s and s != MASK
    )
)
def test_redaction_removes_any_password(password: str) -> None:
    sql_password = password.replace("\\", "\\\\").replace("'", "\\'")
    line = (
        f"ERROR: Invalid Username/Password: |7777|{password}|0|0|BAD|0|api|SELECT 1 from t "
        f"where user='7777' and pass='{sql_password}' and x=1;|"
    )
    redacted = redact_line(line, password)
    assert redacted.split("|")[2] == MASK
    assert f"pass='{MASK}'" in redacted


DISTINCT = "Zq9-unique-pw#42"


def echoing_dialer() -> web.Application:
    """Answers like ViciDial's bad-login paths, echoing whatever password it was sent."""

    async def agent_api(request: web.Request) -> web.Response:
        form = await request.post()
        pw = str(form["pass"])
        return web.Response(
            text=f"ERROR: Invalid Username/Password: |7777|{pw}|0|0|BAD|0|api|SELECT count(*) "
            f"from vicidial_users where user='7777' and pass='{pw}' and user_level > 0;|\n"
        )

    app = web.Application()
    app.router.add_post("/agc/api.php", agent_api)
    return app


async def test_password_never_leaks(
    aiohttp_server: ServerFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    server = await aiohttp_server(echoing_dialer())
    url = str(server.make_url("")).rstrip("/")
    async with ViciAgent(url, "7777", DISTINCT, agent_user="1001") as agent:
        assert DISTINCT not in repr(agent)
        with pytest.raises(ViciAuthError) as raised:
            await agent.pause()
    error = raised.value
    texts = [str(error), repr(error), error.raw, *error.details, *map(str, error.outcomes)]
    assert all(DISTINCT not in text for text in texts)
    assert DISTINCT not in caplog.text
    assert any("external_pause" in r.getMessage() for r in caplog.records)


def test_validation_errors_do_not_echo_the_password() -> None:
    agent = ViciAgent("http://127.0.0.1", "6666", DISTINCT, agent_user="1001")
    with pytest.raises(ViciValidationError) as raised:
        agent.build("external_pause", {"value": DISTINCT})
    assert DISTINCT not in str(raised.value)
    assert "value" in str(raised.value)
