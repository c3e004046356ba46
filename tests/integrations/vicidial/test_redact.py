"""Secrets never leave the client: not as sent, not as the dialer strips them, not URL-encoded.

Both APIs strip the password of characters they do not allow before echoing it (the agent API
keeps ``-.+/=_``, digits and letters, the non-agent API ``-_``, digits and letters). The echo
servers here replay captured bodies with the echo spelled that way, by the PHP rules written
out independently of the client's code.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from urllib.parse import quote_plus

import pytest
from aiohttp import web
from hypothesis import given
from hypothesis import strategies as st

from engine.cli import main
from integrations.vicidial import (
    ViciAdmin,
    ViciAgent,
    ViciAuthError,
    ViciError,
    ViciHttpError,
    ViciNotFoundError,
    ViciPermissionError,
    ViciValidationError,
)
from integrations.vicidial.admin.functions import ADMIN_FUNCTIONS
from integrations.vicidial.agent.functions import AGENT_FUNCTIONS
from integrations.vicidial.client import parse_answer
from integrations.vicidial.redact import (
    MASK,
    dialer_kept,
    echo_forms,
    redact_body,
    redact_fields,
    redact_line,
    scrub_error,
)
from integrations.vicidial.simulator.server import ADMIN_PATH, AGENT_PATH
from tests.integrations.vicidial.leaks import (
    ADMIN_KEPT,
    AGENT_KEPT,
    MIXED,
    PUNCTUATED,
    assert_clean,
    php_admin_kept,
    php_agent_kept,
    spellings,
)
from tests.integrations.vicidial.replay import FIXTURES, ServerFactory

# -- the stripping rules ---------------------------------------------------------------------


@pytest.mark.parametrize("password", [PUNCTUATED, MIXED])
def test_each_api_keeps_what_its_php_keeps(password: str) -> None:
    assert dialer_kept(password, "agent") == php_agent_kept(password) == AGENT_KEPT[password]
    assert dialer_kept(password, "admin") == php_admin_kept(password) == ADMIN_KEPT[password]


def test_letters_of_any_script_are_kept_only_when_non_latin_is_on() -> None:
    assert dialer_kept("Jürgen-Ωmega!9", "admin") == "Jrgen-mega9"
    assert dialer_kept("Jürgen-Ωmega!9", "admin", any_script=True) == "Jürgen-Ωmega9"
    assert dialer_kept("Jürgen.Ω+9", "agent", any_script=True) == "Jürgen.Ω+9"


def test_echo_forms_hold_every_spelling() -> None:
    forms = echo_forms(PUNCTUATED)
    assert {PUNCTUATED, "S3cr3t-Pa55w0rd", "S3cr3t-Pa55w0rd%21"} <= forms
    assert {"Kx.7+Lw/9=Qp", "Kx7Lw9Qp", "Kx.7%2BLw%2F9%3DQp", "Kx.7%2BLw%2F9%3DQp%21%23"} <= (
        echo_forms(MIXED)
    )
    assert "" not in echo_forms("!!")


# -- the echo positions, in every answer -----------------------------------------------------


def test_redaction_covers_fields_and_sql() -> None:
    line = (
        "ERROR: Invalid Username/Password: |7777|1234|0|0|BAD|0|api|SELECT count(*) from "
        "vicidial_users where user='7777' and pass='1234' and user_level > 0;|"
    )
    redacted = redact_line(line, "1234")
    assert "1234" not in redacted
    assert redacted.count(MASK) == 2
    assert "|7777|" in redacted


def test_the_login_field_is_masked_whatever_it_holds() -> None:
    # Stripped to two letters: too short to look for anywhere else, but its place is known.
    for line in (
        "ERROR: Invalid Username/Password: |6666|ab|0|0|BAD|0|api|SELECT 1 where pass='ab';|",
        "ERROR: Login incorrect, please try again: |6666|ab|BAD|",
    ):
        redacted = redact_line(line, "ab!!")
        assert redacted.split("|")[2] == MASK
        assert "pass='ab'" not in redacted
        assert redacted.startswith(line.split("|")[0])  # the message itself is whole


def test_redaction_covers_links_that_repeat_the_password() -> None:
    body = (FIXTURES / "non_agent" / "sounds_list__selectframe_by_date.txt").read_text()
    assert "pass=1234&" in body
    redacted = redact_body(body, "1234")
    assert "pass=1234" not in redacted
    assert redacted.count(f"pass={MASK}&") == body.count("pass=1234&")
    assert redact_line('<a href="x?pass=a%20b&u=1">', "a b") == f'<a href="x?pass={MASK}&u=1">'
    assert redact_line("x?pass=12345&u=1", "1234") == "x?pass=12345&u=1"
    # The non-agent API prints its stripped password in those links.
    stripped = body.replace("pass=1234&", "pass=S3cr3t-Pa55w0rd&")
    assert redact_body(stripped, PUNCTUATED) == redacted


def test_redaction_leaves_data_that_only_looks_like_the_password() -> None:
    for body in (
        "SUCCESS: send_dtmf function set - QQQQ1234SQQQQQ6654P|1003\n",
        "SUCCESS: external_status function set - CALLBK!2030-01-25 12:00:00!USERONLY!x!1234|1003",
        "1234 Main St|Chicago|1234\n",
    ):
        assert redact_body(body, "1234") == body
        assert redact_body(body, "1234!") == body  # stripped to 1234: still not an echo


def test_fields_echoing_another_secret_stripped_are_masked() -> None:
    body = "SUCCESS: add_user USER HAS BEEN ADDED - 6666|1020|S3cr3t-Pa55w0rd|1|Pat|AGENTS\n"
    assert redact_fields(body, [PUNCTUATED]) == body.replace("S3cr3t-Pa55w0rd", MASK)
    # A secret stripped to a flag's worth is left to the exact field it was sent as.
    flags = "SUCCESS: add_user USER HAS BEEN ADDED - 6666|1020|1|1|Pat|AGENTS\n"
    assert redact_fields(flags, ["1!"]) == flags


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


# -- errors: every spelling, everywhere ------------------------------------------------------


def error_bodies(password: str) -> list[tuple[str, str, int]]:
    """(api, body, HTTP status) as the dialer prints them for this password."""
    agent, admin = php_agent_kept(password), php_admin_kept(password)
    sql = f"SELECT count(*) from vicidial_users where user='7777' and pass='{agent}' and x=1;"
    return [
        ("agent", f"ERROR: Invalid Username/Password: |7777|{agent}|0|0|BAD|0|api|{sql}|\n", 200),
        ("agent", f"ERROR: Invalid Username/Password: |6668|{agent}|0|1|LOCK|\n", 200),
        ("agent", f"ERROR: Invalid Username/Password: |1001|{agent}|1|0|GOOD|\n", 200),
        ("admin", f"ERROR: Login incorrect, please try again: |1001|{admin}|BAD|\n", 200),
        # Not an echo place: only the second layer finds these.
        ("agent", f"ERROR: no user found - {agent}\n", 200),
        ("admin", f"NOTICE: x - {admin}\nERROR: user_details USER NOT FOUND: 6666|{admin}\n", 200),
        ("agent", f"<h1>500</h1><p>/agc/api.php?pass={quote_plus(password)} {password}</p>", 500),
    ]


def through_the_client(api: str, body: str, status: int, password: str) -> ViciError:
    """What the client raises for this answer: the client's own redaction steps, in order."""
    registry = AGENT_FUNCTIONS if api == "agent" else ADMIN_FUNCTIONS
    spec = registry.get("external_pause" if api == "agent" else "user_details")
    assert spec is not None
    raw = redact_body(body, password)
    try:
        if status >= 300:
            raise ViciHttpError("HTTP 500 from the dialer", status_code=status, raw=raw)
        parse_answer(spec, spec.params.model_construct(), raw)
    except ViciError as exc:
        return scrub_error(exc, [password])
    raise AssertionError("no error")


@given(password=st.text(min_size=1, max_size=24).filter(lambda s: s.strip("*") != ""))
def test_no_spelling_of_any_password_survives_in_an_error(password: str) -> None:
    for api, body, status in error_bodies(password):
        error = through_the_client(api, body, status, password)
        assert_clean(error, password, framed=False)
        if body.startswith(("ERROR: Invalid", "ERROR: Login")) and error.details[2]:
            assert error.details[2] == MASK


def test_the_class_is_decided_before_the_mask() -> None:
    # A password spelled like the verdict must not turn a permission answer into another.
    classes = [type(through_the_client(*b, "GOOD")) for b in error_bodies("GOOD")[:4]]
    assert classes == [ViciAuthError, ViciAuthError, ViciPermissionError, ViciAuthError]


def test_outcomes_and_details_are_scrubbed_in_place() -> None:
    error = through_the_client("admin", error_bodies(MIXED)[5][1], 200, MIXED)
    assert isinstance(error, ViciNotFoundError)
    assert error.details == ("6666", MASK)
    assert error.outcomes[0].text == f"NOTICE: x - {MASK}"
    assert (
        str(error)
        == f"user_details: user_details USER NOT FOUND [6666|{MASK}] (after 1 earlier outcome(s))"
    )


# -- end to end: both clients, replayed captures and the simulator ---------------------------


def echo_app(captured: str, keep: str) -> web.Application:
    """Answers a captured bad-login body, its echoed 1234 replaced by the password sent, stripped
    by the ``keep`` rule the way that API strips it."""
    text = (FIXTURES / captured).read_text()

    async def handle(request: web.Request) -> web.Response:
        form = dict(await request.post()) if request.method == "POST" else dict(request.query)
        kept = re.sub(keep, "", str(form["pass"]))
        return web.Response(text=text.replace("|1234|", f"|{kept}|").replace("'1234'", f"'{kept}'"))

    app = web.Application()
    app.router.add_route("*", AGENT_PATH, handle)
    app.router.add_route("*", ADMIN_PATH, handle)
    return app


AGENT_BAD = ("agent/external_pause__err_unknown_user.txt", r"[^-.+/=_0-9a-zA-Z]")
ADMIN_BAD = ("non_agent/agent_status__err_agent_creds.txt", r"[^-_0-9a-zA-Z]")


async def serve(aiohttp_server: ServerFactory, app: web.Application) -> str:
    return str((await aiohttp_server(app)).make_url("")).rstrip("/")


@pytest.mark.parametrize("password", [PUNCTUATED, MIXED])
async def test_replayed_echoes_never_leak(
    aiohttp_server: ServerFactory, caplog: pytest.LogCaptureFixture, password: str
) -> None:
    caplog.set_level(logging.DEBUG)
    agent_url = await serve(aiohttp_server, echo_app(*AGENT_BAD))
    admin_url = await serve(aiohttp_server, echo_app(*ADMIN_BAD))
    async with ViciAgent(agent_url, "7777", password, retries=0) as agent:
        with pytest.raises(ViciAuthError) as by_agent:
            await agent.pause(agent_user="1001")
    async with ViciAdmin(admin_url, "1001", password, retries=0) as admin:
        with pytest.raises(ViciAuthError) as by_admin:
            await admin.call("agent_status", agent_user="1001")
    for error in (by_agent.value, by_admin.value):
        assert error.details[2] == MASK
        assert_clean(error, password)
    assert "pass='********'" in by_agent.value.raw
    assert all(form not in caplog.text for form in spellings(password))
    assert any("external_pause" in record.getMessage() for record in caplog.records)


async def test_an_http_error_body_is_scrubbed(aiohttp_server: ServerFactory) -> None:
    async def broken(request: web.Request) -> web.Response:
        # PHP's error page for a failed query: the request and the query, password stripped.
        return web.Response(
            status=500,
            text=f"<b>Fatal error</b>: Uncaught mysqli_sql_exception in {request.path_qs}: "
            "SELECT count(*) from vicidial_users where user='6666' and pass='S3cr3t-Pa55w0rd';",
        )

    app = web.Application()
    app.router.add_get(AGENT_PATH, broken)
    url = await serve(aiohttp_server, app)
    async with ViciAgent(url, "6666", PUNCTUATED, method="GET", retries=0) as agent:
        with pytest.raises(ViciHttpError) as raised:
            await agent.pause(agent_user="1001")
    assert f"pass={MASK}:" in raised.value.raw
    assert f"pass='{MASK}'" in raised.value.raw
    assert_clean(raised.value, PUNCTUATED)


async def test_success_data_keeps_what_looks_like_the_password(
    aiohttp_server: ServerFactory,
) -> None:
    async def dtmf(request: web.Request) -> web.Response:
        return web.Response(text="SUCCESS: send_dtmf function set - QQQQ1234SQQQQQ6654P|1003\n")

    app = web.Application()
    app.router.add_post(AGENT_PATH, dtmf)
    url = await serve(aiohttp_server, app)
    async with ViciAgent(url, "6666", "1234!", retries=0) as agent:
        result = await agent.send_dtmf("QQQQ1234SQQQQQ6654P", agent_user="1003")
    assert result.digits == "QQQQ1234SQQQQQ6654P"


@pytest.mark.parametrize(
    ("api", "function", "captured"),
    [
        ("agent", "external_pause agent_user=1002 value=PAUSE", AGENT_BAD),
        ("admin", "agent_status agent_user=1001", ADMIN_BAD),
    ],
)
@pytest.mark.parametrize("as_json", [False, True])
async def test_vicibus_call_prints_no_spelling_of_the_password(
    aiohttp_server: ServerFactory,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    api: str,
    function: str,
    captured: tuple[str, str],
    as_json: bool,
) -> None:
    url = await serve(aiohttp_server, echo_app(*captured))
    for key in ("VICIBUS_CONFIG", "VICIBUS_PASSWORD_FILE"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("VICIBUS_PASSWORD", PUNCTUATED)
    argv = ["call", api, *function.split(), "--url", url, "--user", "7777", "--source", "test"]
    code = await asyncio.to_thread(main, argv + (["--json"] if as_json else []))
    out = capsys.readouterr()
    assert code == 1
    assert out.err.startswith("ViciAuthError:")
    assert MASK in out.err
    for form in spellings(PUNCTUATED):
        assert form not in out.out + out.err
    if as_json:
        assert json.loads(out.out)["details"][2] == MASK


def test_validation_errors_do_not_echo_the_password() -> None:
    agent = ViciAgent("http://127.0.0.1", "6666", PUNCTUATED, agent_user="1001")
    with pytest.raises(ViciValidationError) as raised:
        agent.build("external_pause", {"value": PUNCTUATED})
    assert PUNCTUATED not in str(raised.value)
    assert "value" in str(raised.value)
