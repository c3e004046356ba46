"""``vicibus call`` end to end: the real command, a real loopback server, real fixtures."""

from __future__ import annotations

import asyncio
import io
import json
import os
import sys
from argparse import Namespace
from pathlib import Path

import pytest
from aiohttp import web

from engine.cli import main
from integrations.vicidial.cli import (
    check_param_names,
    find_function,
    parse_params,
    plain,
    render,
    resolve_connection,
)
from integrations.vicidial.secret_input import UsageError
from tests.commands import interrupt, vicibus, vicibus_process
from tests.integrations.vicidial.replay import PASSWORD, ServerFactory, fixture, replay_app

# A password that stands out, so a leak anywhere in the output is found.
SECRET = "Zq7!leak-canary-Pw"
ENV_KEYS = (
    "VICIBUS_URL",
    "VICIBUS_USER",
    "VICIBUS_PASSWORD",
    "VICIBUS_PASSWORD_FILE",
    "VICIBUS_SOURCE",
    "VICIBUS_CONFIG",
    "VICIBUS_TIMEOUT",
    "VICIBUS_METHOD",
)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in ENV_KEYS:
        monkeypatch.delenv(key, raising=False)


async def replay(aiohttp_server: ServerFactory, key: str) -> str:
    server = await aiohttp_server(replay_app(fixture(key)))
    return str(server.make_url("")).rstrip("/")


async def run(command: str, *more: str) -> int:
    """``vicibus <command> <more...>``; main() runs its own event loop, so it runs in a thread
    while this test's loop serves the dialer."""
    return await asyncio.to_thread(main, [*command.split(), *more])


async def test_agent_call_prints_a_table(
    aiohttp_server: ServerFactory,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = await replay(aiohttp_server, "external_pause/pause_ready_agent")
    monkeypatch.setenv("VICIBUS_URL", url)
    monkeypatch.setenv("VICIBUS_USER", "6666")
    monkeypatch.setenv("VICIBUS_PASSWORD", PASSWORD)
    code = await run(
        "call agent external_pause agent_user=1002 value=PAUSE --source test --method GET"
    )
    out = capsys.readouterr()
    assert code == 0, out.err
    lines = out.out.splitlines()
    assert "action: PAUSE" in lines
    assert "epoch: 1795754649" in lines
    assert "agent_user: 1002" in lines
    assert "message: external_pause function set" in lines


async def test_json_output_is_the_typed_result(
    aiohttp_server: ServerFactory,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = await replay(aiohttp_server, "external_pause/pause_ready_agent_POST")
    secret_file = tmp_path / "password"
    secret_file.write_text(PASSWORD + "\n")
    secret_file.chmod(0o600)
    code = await run(
        "call agent external_pause agent_user=1002 value=PAUSE --json --user 6666 --source test",
        *("--url", url, "--password-file", str(secret_file)),
    )
    out = capsys.readouterr()
    assert code == 0, out.err
    data = json.loads(out.out)
    assert data["action"] == "PAUSE"
    assert data["epoch"] == 1795754649
    assert data["agent_user"] == "1002"
    assert out.err == ""  # a 0600 password file draws no warning


async def test_settings_from_a_config_file(
    aiohttp_server: ServerFactory,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = await replay(aiohttp_server, "external_pause/resume_paused_agent")
    config = tmp_path / "vicibus.yaml"
    config.write_text(
        f"vicidial:\n  url: {url}\n  user: '6666'\n  password: '{PASSWORD}'\n"
        "  source: test\n  method: GET\n"
    )
    config.chmod(0o644)
    monkeypatch.setenv("VICIBUS_CONFIG", str(config))
    code = await run("call agent external_pause agent_user=1001 value=RESUME")
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "action: RESUME" in out.out.splitlines()
    # A password in a file others can read is worth a warning.
    assert "others may read it" in out.err


async def test_version_needs_no_credentials(
    aiohttp_server: ServerFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    url = await replay(aiohttp_server, "version/basic")
    code = await run("call agent version --url", url, "--method", "GET", "--json")
    out = capsys.readouterr()
    assert code == 0, out.err
    data = json.loads(out.out)
    assert (data["version"], data["build"]) == ("2.14-82", "250122-1010")
    assert data["date"] == "2026-11-27 04:44:08"


async def test_vicidial_error_prints_class_and_reason_and_fails(
    aiohttp_server: ServerFactory,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = await replay(aiohttp_server, "external_pause/err_resume_not_paused")
    monkeypatch.setenv("VICIBUS_PASSWORD", PASSWORD)
    code = await run(
        "call agent external_pause agent_user=1002 value=RESUME --user 6666 --source test",
        *("--method", "GET", "--url", url),
    )
    out = capsys.readouterr()
    assert code == 1
    assert out.err.startswith("ViciStateError: external_pause: external_pause agent is not paused")
    assert "Traceback" not in out.err
    assert out.out == ""


def echoing_dialer(seen: list[dict[str, str]]) -> web.Application:
    """Answers like ViciDial to a bad password: the submitted password echoed in the error."""

    async def handle(request: web.Request) -> web.Response:
        form = {k: str(v) for k, v in (await request.post()).items()}
        seen.append(form)
        return web.Response(
            text=f"ERROR: Invalid Username/Password: |{form['user']}|{form['pass']}|0|0|BAD|\n"
        )

    app = web.Application()
    app.router.add_route("*", "/vicidial/non_agent_api.php", handle)
    app.router.add_route("*", "/agc/api.php", handle)
    return app


@pytest.mark.parametrize("as_json", [False, True])
async def test_password_never_printed(
    aiohttp_server: ServerFactory,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    as_json: bool,
) -> None:
    seen: list[dict[str, str]] = []
    server = await aiohttp_server(echoing_dialer(seen))
    monkeypatch.setattr(sys, "stdin", io.StringIO(SECRET + "\n"))
    code = await run(
        "call agent external_pause agent_user=1002 value=PAUSE --user 7777 --password-stdin",
        *("--url", str(server.make_url("")).rstrip("/"), *(["--json"] if as_json else [])),
    )
    out = capsys.readouterr()
    assert seen[0]["pass"] == SECRET  # it was sent, from standard input, without its newline
    assert code == 1
    assert out.err.startswith("ViciAuthError:")
    assert SECRET not in out.out + out.err
    if as_json:
        assert json.loads(out.out)["error"] == "ViciAuthError"


async def test_unknown_function_is_refused_before_anything_is_asked(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = await run("call agent no_such_function --url http://127.0.0.1:9")
    out = capsys.readouterr()
    assert code == 1
    assert out.err.startswith("ViciValidationError: no_such_function: unknown agent API function")


async def test_bad_parameter_is_a_validation_error_not_a_traceback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VICIBUS_PASSWORD", SECRET)
    code = await run(
        "call agent external_pause agent_user=1002 value=NAP --url http://127.0.0.1:9 --user 6666"
    )
    out = capsys.readouterr()
    assert code == 1
    assert out.err.startswith("ViciValidationError: external_pause: value:")
    assert SECRET not in out.err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--user", "6666"], "no dialer URL"),
        (["--url", "http://x"], "no API user"),
        (["--url", "http://x", "--user", "6666"], "no password"),
        (["pass=1234", "--url", "http://x", "--user", "6666"], "the password is not a parameter"),
        (["agent_user", "--url", "http://x", "--user", "6666"], "parameters are key=value"),
        (["--url", "http://[::1", "--user", "6666"], "the dialer URL is not valid: Invalid IPv6"),
        (["--url", "http://h:99999", "--user", "6666"], "the dialer URL is not valid: Port out"),
    ],
)
def test_usage_errors_exit_2(
    argv: list[str],
    message: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # not a terminal: no prompt
    assert main(["call", "agent", "external_pause", "value=PAUSE", *argv]) == 2
    assert message in capsys.readouterr().err


def test_flags_beat_environment_beat_config(tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_text("url: http://from-config\nuser: cfg\nsource: cfgsrc\ntimeout: 7\n")
    args = Namespace(
        config=config,
        url="http://from-flag",
        user=None,
        source=None,
        timeout=None,
        method=None,
        insecure=False,
        password_stdin=False,
        password_file=None,
    )
    env = {"VICIBUS_USER": "envuser", "VICIBUS_PASSWORD": SECRET}
    conn = resolve_connection(args, env, io.StringIO(""))
    assert (conn.url, conn.user, conn.source, conn.timeout) == (
        "http://from-flag",
        "envuser",
        "cfgsrc",
        7.0,
    )
    assert SECRET not in repr(conn)
    assert conn.password.get_secret_value() == SECRET


def test_config_file_with_unknown_keys_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_text("url: http://x\npasword: typo\n")
    args = Namespace(config=config, url=None, user=None, source=None, timeout=None, method=None)
    with pytest.raises(UsageError, match="unknown setting"):
        resolve_connection(args, {}, io.StringIO(""))


def test_a_config_file_that_is_not_text_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_bytes(b"url: http://x\n\xff\xfe\n")
    args = Namespace(config=config, url=None, user=None, source=None, timeout=None, method=None)
    with pytest.raises(UsageError, match="is not UTF-8 text"):
        resolve_connection(args, {}, io.StringIO(""))


def test_parse_params_keeps_equals_signs_in_values() -> None:
    assert parse_params(["url_address=http://x/q.php?a=1&b=2", "empty="]) == {
        "url_address": "http://x/q.php?a=1&b=2",
        "empty": "",
    }
    with pytest.raises(UsageError, match="twice"):
        parse_params(["a=1", "a=2"])


def test_render_prints_lists_of_rows_as_tables() -> None:
    from integrations.vicidial.admin.html import CallMenuItem

    items = [
        CallMenuItem(value="menu1", label="menu1", name="First menu"),
        CallMenuItem(value="m2", label="m2", name="Second"),
    ]
    text = render({"title": "Call Menus", "items": items, "notices": []})
    lines = text.splitlines()
    assert lines[0] == "title: Call Menus"
    assert lines[2] == "items (2):"
    assert lines[3].split() == ["value", "label", "name"]
    assert lines[5].split() == ["menu1", "menu1", "First", "menu"]
    assert plain(items[0]) == {"value": "menu1", "label": "menu1", "name": "First menu"}


def test_console_script_call_help() -> None:
    done = vicibus("call", "--help")
    assert done.returncode == 0
    assert "--password-stdin" in done.stdout
    assert "--password " not in done.stdout  # no way to put the password on the command line


async def test_a_reader_that_went_away_ends_the_call_with_one_line(
    aiohttp_server: ServerFactory,
) -> None:
    url = await replay(aiohttp_server, "external_pause/pause_ready_agent")
    # `vicibus call ... | head -1`, made certain: the reading end is closed before the answer.
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        process = await vicibus_process(
            *[
                "call",
                "agent",
                "external_pause",
                "agent_user=1002",
                "value=PAUSE",
                "--source",
                "test",
            ],
            *("--method", "GET", "--user", "6666", "--url", url),
            stdout=write_end,
            env={**os.environ, "VICIBUS_PASSWORD": PASSWORD},
        )
    finally:
        os.close(write_end)
    _, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 141
    assert err.decode().splitlines() == [
        "vicibus: the output was closed before everything was written"
    ]


async def test_ctrl_c_during_a_call_is_one_line_and_status_130() -> None:
    connected = asyncio.Event()

    async def never_answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connected.set()
        await reader.read()  # until the client goes away
        writer.close()

    server = await asyncio.start_server(never_answer, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        process = await vicibus_process(
            *[
                "call",
                "admin",
                "agent_status",
                "agent_user=1002",
                "--user",
                "6666",
                "--timeout",
                "600",
            ],
            *("--url", f"http://127.0.0.1:{port}"),
            env={**os.environ, "VICIBUS_PASSWORD": SECRET},
        )
        try:
            await asyncio.wait_for(connected.wait(), 60)  # the call now waits for its answer
        finally:
            out, err = await interrupt(process)
    assert process.returncode == 130
    assert err.decode().splitlines() == ["vicibus: interrupted"]
    assert out == b""


@pytest.mark.parametrize(
    ("command", "said"),
    [
        (
            "call agent agent_status agent_user=1002",
            "agent_status: agent_status is a function of the non-agent (admin) API, not the agent"
            " API: vicibus call admin agent_status agent_user=1002",
        ),
        (
            "call admin external_pause agent_user=1002 value=PAUSE",
            "external_pause: external_pause is a function of the agent API, not the non-agent"
            " (admin) API: vicibus call agent external_pause agent_user=1002 value=PAUSE",
        ),
        (
            "call agent external_paus",
            "external_paus: unknown agent API function 'external_paus'; did you mean"
            " external_pause, external_status or external_hangup?",
        ),
        (
            "call agent agent_stauts",
            "agent_stauts: unknown agent API function 'agent_stauts'; did you mean agent_status"
            " or agent_stats_export of the non-agent (admin) API (vicibus call admin)?",
        ),
        (
            "call agent external_pause agentuser=1002 value=PAUSE",
            "external_pause: unknown parameter 'agentuser'; did you mean agent_user or alt_user?",
        ),
        (
            # A Python spelling finds the official name the dialer's docs use.
            "call agent send_notification recipient=1002 particle_sped=3",
            "send_notification: unknown parameter 'particle_sped'; did you mean particleSpeed?",
        ),
        (
            "call agent external_pause agent_user=1002 colour=red",
            "external_pause: unknown parameter 'colour'; it takes agent_user, alt_user or value",
        ),
        ("call admin version verbose=1", "version: unknown parameter 'verbose'; it takes no"),
    ],
)
async def test_a_misspelt_name_says_what_was_meant_before_asking_anything(
    command: str, said: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # No password anywhere and no terminal: getting this far would end in "no password".
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code = await run(command, "--url", "http://127.0.0.1:9", "--user", "6666")
    out = capsys.readouterr()
    assert code == 1
    assert out.err.startswith(f"ViciValidationError: {said}"), out.err
    assert len(out.err.splitlines()) == 1


def test_both_spellings_of_a_parameter_are_known() -> None:
    spec = find_function("agent", "send_notification", {})
    check_param_names(spec, {"particleSpeed": "3", "max_particle_count": "2", "recipient": "x"})
