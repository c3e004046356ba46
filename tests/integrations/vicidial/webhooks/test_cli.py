"""``vicibus urls`` and ``vicibus token``: the token is taken like a password."""

from __future__ import annotations

import io
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from pydantic import SecretStr

from engine.cli import main
from integrations.vicidial.webhooks.cli import TOKEN_ENV, TOKEN_FILE_ENV, TOKEN_RULES
from integrations.vicidial.webhooks.config import ReceiverConfig
from integrations.vicidial.webhooks.errors import UrlBuildError
from integrations.vicidial.webhooks.kinds import Kind
from integrations.vicidial.webhooks.payloads import DidFilterPayload, WebhookPayload
from integrations.vicidial.webhooks.receiver import create_receiver
from integrations.vicidial.webhooks.urls import build_url
from tests.commands import vicibus

# Distinctive, so a leak into any output is found by a substring search.
TOKEN = "urls-cli-token-Q7ZX93kdWERTY"
ServerFactory = Callable[[web.Application], Awaitable[TestServer]]


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    monkeypatch.delenv(TOKEN_FILE_ENV, raising=False)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # not a terminal: no prompt


def urls(*argv: str) -> int:
    return main(["urls", "--base", "https://dialer.example.com", *argv])


def token_file(tmp_path: Path, text: str, mode: int = 0o600) -> Path:
    path = tmp_path / "webhook-token"
    path.write_text(text)
    path.chmod(mode)
    return path


def printed_token(out: str) -> str:
    url = next(line for line in out.splitlines() if "/webhooks/dispo_callback?" in line)
    return url.split("token=")[1].split("&")[0]


def test_the_token_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    assert urls() == 0
    out = capsys.readouterr()
    assert printed_token(out.out) == TOKEN
    assert out.err == ""


def test_the_token_comes_from_a_file_named_by_flag_or_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = token_file(tmp_path, TOKEN + "\n")
    assert urls("--token-file", str(path)) == 0
    out = capsys.readouterr()
    assert (printed_token(out.out), out.err) == (TOKEN, "")
    monkeypatch.setenv(TOKEN_FILE_ENV, str(path))
    monkeypatch.setenv(TOKEN_ENV, "the-file-wins-over-this-one")
    assert urls() == 0
    assert printed_token(capsys.readouterr().out) == TOKEN


def test_a_token_file_others_can_read_draws_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = token_file(tmp_path, TOKEN, mode=0o644)
    assert urls("--token-file", str(path)) == 0
    err = capsys.readouterr().err
    assert "holds a webhook token and others may read it" in err
    assert TOKEN not in err


def test_the_token_comes_from_standard_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(TOKEN + "\n"))
    assert urls("--token-stdin") == 0
    assert printed_token(capsys.readouterr().out) == TOKEN


def test_a_token_argument_still_works_with_a_warning(capsys: pytest.CaptureFixture[str]) -> None:
    assert urls("--token", TOKEN) == 0
    out = capsys.readouterr()
    assert printed_token(out.out) == TOKEN
    assert out.err.startswith("vicibus urls: warning: a webhook token on the command line is seen")
    assert TOKEN not in out.err


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        ([], "no webhook token: use --token-file FILE, --token-stdin, "),
        (["--token-stdin"], "the webhook token from standard input is empty"),
        (["--token-file", "/nonexistent/token"], "cannot read webhook token file"),
    ],
)
def test_no_token_is_a_usage_error(
    argv: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert urls(*argv) == 2
    assert said in capsys.readouterr().err


def test_a_bad_token_is_refused_without_being_printed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = token_file(tmp_path, "short+secret!")
    assert urls("--token-file", str(path)) == 2
    err = capsys.readouterr().err
    assert "token must be at least 16 characters" in err
    assert "short+secret!" not in err


@pytest.mark.parametrize(
    ("base", "said"),
    [
        ("http://[::1", "base is not a valid URL: Invalid IPv6 URL"),
        ("https://h:99999", "base is not a valid URL: Port out of range 0-65535"),
    ],
)
def test_a_malformed_base_is_one_line(
    base: str, said: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    assert main(["urls", "--base", base]) == 2
    assert capsys.readouterr().err == f"vicibus urls: {said}\n"


def test_one_place_for_the_token_at_a_time(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        urls("--token-stdin", "--token-file", "x")
    assert exit_.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_the_rules_in_the_help_are_the_ones_enforced() -> None:
    assert "16 or more of the characters A-Z a-z 0-9 - _ . ~" in TOKEN_RULES
    alphabet = "AZaz09-_.~"
    build_url(Kind.START_CALL, "https://h", (alphabet * 2)[:16])
    for bad in [(alphabet * 2)[:15], "+" + alphabet * 2, "%" + alphabet * 2]:
        with pytest.raises(UrlBuildError):
            build_url(Kind.START_CALL, "https://h", bad)


@pytest.mark.parametrize("command", ["urls", "token", "simulate"])
def test_help_states_the_token_rules(command: str) -> None:
    done = vicibus(command, "--help")
    assert done.returncode == 0
    text = " ".join(done.stdout.split())  # argparse wraps lines anywhere
    assert "16 or more of the characters A-Z a-z 0-9 - _ . ~" in text
    assert TOKEN_FILE_ENV in text
    if command != "token":
        assert "--token-stdin" in text
        assert "--token TOKEN" not in text  # the old way works but is not offered


async def test_a_generated_token_is_accepted_by_the_url_builder_and_the_receiver(
    aiohttp_server: ServerFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["token"]) == 0
    token = capsys.readouterr().out.strip()
    assert main(["token"]) == 0
    assert capsys.readouterr().out.strip() != token
    assert len(token) == 43  # 32 random bytes

    received: list[WebhookPayload] = []

    async def handoff(payload: WebhookPayload) -> None:
        received.append(payload)

    async def decide(payload: DidFilterPayload) -> bool:
        return False

    app = web.Application()
    config = ReceiverConfig(tokens=(SecretStr(token),))
    app.add_subapp("/webhooks", create_receiver(config, handoff, decide))
    server = await aiohttp_server(app)
    base = str(server.make_url("")).rstrip("/")
    url = build_url(Kind.DISPO_CALLBACK, base, token, variables=["lead_id"])
    async with (
        aiohttp.ClientSession() as session,
        session.get(url.replace("--A--lead_id--B--", "12")) as response,
    ):
        assert (response.status, await response.text()) == (200, "OK")
    assert [payload.kind for payload in received] == [Kind.DISPO_CALLBACK]
