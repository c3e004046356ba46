"""Secrets and control characters never reach a log line, whoever writes it."""

from __future__ import annotations

import logging
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from yarl import URL

from integrations.vicidial.webhooks.redaction import MASK, Redactor, printable

from .conftest import AGENT_PASSWORD, TOKEN, MakeReceiver, ServeReceiver
from .senders import send

# A dispo URL as an admin may write it: the agent's password substituted by ViciDial.
DISPO = f"/webhooks/dispo_callback?token={TOKEN}&user=1001&pass={AGENT_PASSWORD}&lead_id=7"


@pytest.mark.parametrize(
    ("query", "masked"),
    [
        ("user=1001&pass=secret&x=1", f"user=1001&pass={MASK}&x=1"),
        ("PASSWORD=secret&Token=t", f"PASSWORD={MASK}&Token={MASK}"),
        ("%70ass=secret&%74oken=t", f"%70ass={MASK}&%74oken={MASK}"),
        ("api_key=k&apikey=k", f"api_key={MASK}&apikey=k"),
        # a raw '&' inside a password: the receiver reads one value, so it is masked whole
        ("pass=ab&cd&lead_id=1", f"pass={MASK}&lead_id=1"),
        ("pass=ab&&cd&%zz=1&x=2", f"pass={MASK}&&x=2"),
        ("phone_pass=x&passport=y", "phone_pass=x&passport=y"),
    ],
)
def test_query_masks_every_secret_parameter(query: str, masked: str) -> None:
    assert Redactor(names=["API_KEY"]).query(query) == masked


_SECRET_NAMES = st.sampled_from(["pass", "token", "PassWord", "%70ass", "pa%73s", "TOKEN"])
_OTHER_NAMES = st.sampled_from(["x", "lead_id", "%zz", "a b", "", "passport", "phone_pass"])
_SECRET = st.sampled_from(["Zq9", "a&Zq9", "Zq9&b&c", "Zq9=&x", "%5AZq9", "Zq9 &"])
_OTHER = st.sampled_from(["1", "a&b", "&&", "=", "", "x=y", "%41"])
_PAIRS = st.lists(
    st.one_of(
        st.tuples(_SECRET_NAMES, _SECRET).map(lambda p: f"{p[0]}={p[1]}"),
        st.tuples(_OTHER_NAMES, _OTHER).map(lambda p: f"{p[0]}={p[1]}"),
        st.sampled_from(["&", "pass", "=&"]),
    ),
    max_size=8,
).map("&".join)


@given(_PAIRS)
def test_no_secret_value_survives_in_a_query(query: str) -> None:
    # Zq9 only ever appears in a secret parameter's value, raw '&' and escapes included.
    assert "Zq9" not in Redactor().query(query)


def test_text_masks_secret_values_and_parameters_anywhere() -> None:
    redactor = Redactor(secrets=["s3cr3t-token"], names=["api_key"])
    text = "GET /w?pass=pw1&api_key%3Dk2 failed: 's3cr3t-token' PASSWORD=pw3 phone_pass=pw4"
    masked = redactor.text(text)
    for secret in ("pw1", "k2", "s3cr3t-token", "pw3", "pw4"):
        assert secret not in masked


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain text", "plain text"),
        ("a\nforged line", "a\\x0aforged line"),
        ("\r\x1b[31m\x00\x7f\x85", "\\x0d\\x1b[31m\\x00\\x7f\\x85"),
        ("line\u2028break", "line\\u2028break"),
        ("back\\slash", "back\\\\slash"),
    ],
)
def test_printable_escapes_control_characters(text: str, shown: str) -> None:
    assert printable(text) == shown


@given(st.text())
def test_printable_text_is_one_line_of_printable_characters(text: str) -> None:
    shown = printable(text)
    assert len(shown.splitlines()) <= 1
    assert not re.search(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", shown)


async def test_served_access_log_masks_the_password_and_configured_names(
    serve_receiver: ServeReceiver, caplog: pytest.LogCaptureFixture
) -> None:
    r = await serve_receiver(secret_parameters=("crm_key",))
    assert (await send(r, "GET", f"{DISPO}&crm_key=K-9911Z".encode())) == (200, "OK")
    [line] = [rec.getMessage() for rec in caplog.records if rec.name == "aiohttp.access.webhooks"]
    assert f"token={MASK}&user=1001&pass={MASK}&lead_id=7&crm_key={MASK}" in line
    assert "K-9911Z" not in line
    # the fixture then asserts that no record anywhere holds the token or the password


async def test_plain_server_access_log_masks_the_password(
    make_receiver: MakeReceiver, caplog: pytest.LogCaptureFixture
) -> None:
    # No logging filter: the access logger alone must mask it.
    r = await make_receiver(filter_logs=False)
    await r.client.get(URL(DISPO + "&Password=" + AGENT_PASSWORD, encoded=True))
    [line] = [rec.getMessage() for rec in caplog.records if rec.name == "aiohttp.access"]
    assert f"pass={MASK}&lead_id=7&Password={MASK}" in line


async def test_a_refused_request_line_logs_no_password(
    serve_receiver: ServeReceiver, caplog: pytest.LogCaptureFixture
) -> None:
    r = await serve_receiver()
    status, _ = await send(r, "GET", (DISPO + "&x=" + "y" * 20_000).encode())
    assert status == 400
    # the fixture asserts that neither the password nor the token was logged


async def test_debug_lines_escape_decoded_control_characters(
    serve_receiver: ServeReceiver, caplog: pytest.LogCaptureFixture
) -> None:
    r = await serve_receiver()
    forged = "%0A2026-12-01 INFO forged: agent logged out"
    assert (await send(r, "GET", f"{DISPO}&uniqueid=1.2{forged}".encode())) == (200, "OK")
    [line] = [rec.getMessage() for rec in caplog.records if "webhook accepted" in rec.msg]
    assert "\n" not in line
    assert "uniqueid=1.2\\x0a2026-12-01 INFO forged" in line
    assert r.received[0].values["uniqueid"].startswith("1.2\n")  # the payload keeps the value


async def test_a_hand_off_error_message_is_escaped(
    serve_receiver: ServeReceiver, caplog: pytest.LogCaptureFixture
) -> None:
    async def refuse(payload: object) -> None:
        raise RuntimeError("queue refused:\nCRITICAL forged line")

    r = await serve_receiver(handoff=refuse)
    status, _ = await send(r, "GET", DISPO.encode())
    assert status == 503
    [line] = [rec.getMessage() for rec in caplog.records if rec.levelno == logging.ERROR]
    assert "\n" not in line
