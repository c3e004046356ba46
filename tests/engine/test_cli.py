from __future__ import annotations

import os

import pytest

from engine.cli import main
from tests.commands import vicibus


def test_version_prints_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["version"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("vicibus ")
    assert out.strip() != "vicibus"


def test_no_command_prints_help_and_fails(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "usage: vicibus" in capsys.readouterr().err


def test_console_script_runs() -> None:
    done = vicibus("version")
    assert done.returncode == 0
    assert done.stdout.startswith("vicibus ")


def test_a_reader_that_went_away_is_one_line_and_status_141() -> None:
    # `vicibus ... | head -1`, made certain: the reading end is closed before anything is written.
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = vicibus("version", stdout=write_end)
    finally:
        os.close(write_end)
    assert done.returncode == 141
    assert done.stderr.splitlines() == [
        "vicibus: the output was closed before everything was written"
    ]


def test_a_defect_is_one_line_without_its_message(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(args: object) -> int:
        raise TypeError("a message quoting http://dialer/?pass=Zq7-leak-canary")

    monkeypatch.setattr("engine.cli._cmd_version", broken)
    monkeypatch.delenv("VICIBUS_TRACEBACK", raising=False)
    assert main(["version"]) == 1
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "vicibus: internal error (TypeError); please report it "
        "(VICIBUS_TRACEBACK=1 shows where it happened)"
    ]
    monkeypatch.setenv("VICIBUS_TRACEBACK", "1")
    assert main(["version"]) == 1
    assert "Traceback" in capsys.readouterr().err  # asked for: the user's own terminal
