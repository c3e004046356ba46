"""The shipped systemd unit: systemd itself verifies it, and it runs what the docs install."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from engine.app import DEFAULT_DRAIN
from integrations.vicidial.webhooks.config import ReceiverConfig
from integrations.vicidial.webhooks.serving import start_receiver

ROOT = Path(__file__).resolve().parents[2]
UNIT = ROOT / "deploy" / "systemd" / "vicibus.service"
OPERATIONS = ROOT / "docs" / "operations.md"


def unit() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(UNIT.read_text())
    return parser


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd is not installed")
def test_systemd_analyze_verify_passes(tmp_path: Path) -> None:
    # verify checks that ExecStart's program exists: point it at this checkout's installed
    # vicibus, which is what /opt/vicibus/venv/bin/vicibus is in production.
    vicibus = Path(sys.executable).with_name("vicibus")
    assert vicibus.exists()
    copy = tmp_path / "vicibus.service"
    copy.write_text(UNIT.read_text().replace("/opt/vicibus/venv/bin/vicibus", str(vicibus)))
    done = subprocess.run(
        ["systemd-analyze", "verify", str(copy)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == ""


def test_exec_start_runs_the_installed_vicibus_on_the_documented_config() -> None:
    service = unit()["Service"]
    program, command, config = service["ExecStart"].split()
    assert (command, program, config) == (
        "run",
        "/opt/vicibus/venv/bin/vicibus",
        "/etc/vicibus/config.yaml",
    )
    docs = OPERATIONS.read_text()
    # The layout the docs install is the one the unit runs.
    assert "python3 -m venv /opt/vicibus/venv" in docs
    assert "/opt/vicibus/venv/bin/pip install" in docs
    assert "/etc/vicibus/config.yaml" in docs
    assert service["StateDirectory"] == "vicibus"
    assert "/var/lib/vicibus" in docs


def test_the_unit_is_a_notify_service_with_a_watchdog_and_hardening() -> None:
    service = unit()["Service"]
    assert service["Type"] == "notify"
    assert service["ExecReload"] == "/bin/kill -HUP $MAINPID"
    assert int(service["WatchdogSec"]) > 0
    assert service["Restart"] == "on-failure"
    for setting in (
        "ProtectSystem",
        "ProtectHome",
        "NoNewPrivileges",
        "PrivateTmp",
        "RestrictAddressFamilies",
    ):
        assert setting in service, setting
    assert service["ProtectSystem"] == "strict"


def test_limit_nofile_fits_the_receivers_connection_cap() -> None:
    limit = int(unit()["Service"]["LimitNOFILE"])
    cap = ReceiverConfig.model_fields["max_connections"].default
    backlog = 128
    assert (start_receiver.__kwdefaults__ or {})["backlog"] == backlog
    # The cap and the backlog, plus room for the dialer's connections and the state files.
    assert cap + backlog + 256 <= limit <= 4 * (cap + backlog)


def test_systemd_waits_for_the_whole_stop_and_lets_the_notify_socket_through() -> None:
    service = unit()["Service"]
    # The daemon's own deadline for running work, plus its closing: systemd must not SIGKILL
    # it first (open runs would be marked interrupted instead of cancelled at shutdown).
    assert "--stop-timeout" not in service["ExecStart"]
    assert float(service["TimeoutStopSec"]) >= DEFAULT_DRAIN + 10
    # sd_notify is a datagram on a Unix socket: refusing AF_UNIX would silence READY=1.
    assert "AF_UNIX" in service["RestrictAddressFamilies"].split()
