"""``vicibus check`` as users run it: a real subprocess, its lines and its exit status."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path
from typing import Any, NoReturn

import pytest

from engine.cli import main
from tests.engine.config.support import FIXTURES, SIMULATED, write


def check(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "engine.cli", "check", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin", "VICIBUS_PORT": "8200"},
    )


def test_the_issue_example_checks_ok() -> None:
    done = check(str(FIXTURES / "full" / "config.yaml"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == f"{FIXTURES / 'full' / 'config.yaml'}: OK (5 files read, 2 rules)\n"
    assert done.stderr == ""


def test_a_broken_config_prints_one_line_per_problem_and_fails(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "config.yaml": "vicidial: !include dialer.yaml\nhttp: {port: 70000}\n",
            "dialer.yaml": "url: https://u:hunter2@dialer.example.com\napi_user: a\n"
            "api_password: !secret pw\n",
            "secrets.yaml": "pw: s3cret-pw\n",
        },
    )
    done = check("config.yaml", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "config.yaml:2:14: http.port: should be less than or equal to 65535 (got 70000)",
        "dialer.yaml:1:6: vicidial.url: must not carry credentials (user:password@): set "
        "api_user and api_password instead",
        "config.yaml: 2 errors",
    ]
    assert done.stderr == ""
    assert "hunter2" not in done.stdout
    assert "s3cret-pw" not in done.stdout


def test_warnings_pass_unless_strict(tmp_path: Path) -> None:
    write(tmp_path, {"config.yaml": SIMULATED + "clock: {mode: manual, speed: 2}\n"})
    warning = (
        "config.yaml:2:30: warning: speed applies only to an accelerated clock; a manual clock "
        "ignores it"
    )
    done = check("config.yaml", cwd=tmp_path)
    assert (done.returncode, done.stdout.splitlines()) == (
        0,
        [warning, "config.yaml: OK (1 file read, 0 rules, 1 warning)"],
    )
    strict = check("config.yaml", "--strict", cwd=tmp_path)
    assert (strict.returncode, strict.stdout.splitlines()) == (
        1,
        [warning, "config.yaml: 1 warning (failing with --strict)"],
    )


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("missing.yaml", "missing.yaml:1:1: cannot read this file: No such file or directory"),
        ("garbage.yaml", "garbage.yaml:1:2: not UTF-8 text"),
        ("notes.d", "notes.d:1:1: cannot read this file: Is a directory"),
        ("control.yaml", "control.yaml:1:5: character '\\x07' is not allowed in YAML text"),
    ],
)
def test_unreadable_files_never_give_a_traceback(tmp_path: Path, name: str, problem: str) -> None:
    (tmp_path / "garbage.yaml").write_bytes(b"a\xff{[: \t- !include\n")
    (tmp_path / "control.yaml").write_bytes(b"a: b\x07\n")
    (tmp_path / "notes.d").mkdir()
    done = check(name, cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.splitlines() == [problem, f"{name}: 1 error"]
    assert done.stderr == ""


def test_usage_error_without_a_config(tmp_path: Path) -> None:
    done = check(cwd=tmp_path)
    assert done.returncode == 2
    assert "usage: vicibus check" in done.stderr


def test_check_opens_no_socket(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> NoReturn:
        raise AssertionError("vicibus check opened a socket")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    write(
        tmp_path,
        {
            "config.yaml": SIMULATED
            + "notify:\n  - {name: a, platform: http, url: 'https://x.example'}\n"
        },
    )
    monkeypatch.chdir(tmp_path)
    assert main(["check", "config.yaml"]) == 0
    assert capsys.readouterr().out == "config.yaml: OK (1 file read, 0 rules)\n"
