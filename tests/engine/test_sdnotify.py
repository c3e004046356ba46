"""systemd's notify protocol on real datagram sockets: a path, an abstract name, none."""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from engine.sdnotify import Notifier


@pytest.fixture
def abstract() -> Iterator[tuple[str, socket.socket]]:
    """A datagram socket bound to an abstract name (no file), as systemd may hand out."""
    name = f"vicibus-test-{os.getpid()}-{time.monotonic_ns()}"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind("\0" + name)
    sock.settimeout(5)
    yield "@" + name, sock
    sock.close()


def test_a_leading_at_sign_is_an_abstract_socket(abstract: tuple[str, socket.socket]) -> None:
    address, sock = abstract
    notifier = Notifier({"NOTIFY_SOCKET": address})
    assert notifier.enabled
    assert notifier.ready("10 events/s")
    assert sock.recv(4096) == b"READY=1\nSTATUS=10 events/s"
    assert notifier.stopping()
    assert sock.recv(4096) == b"STOPPING=1"
    notifier.close()


def test_reloading_carries_the_monotonic_clock_in_microseconds(tmp_path: Path) -> None:
    path = str(tmp_path / "notify")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    sock.settimeout(5)
    notifier = Notifier({"NOTIFY_SOCKET": path})
    before = time.clock_gettime_ns(time.CLOCK_MONOTONIC) // 1000
    assert notifier.reloading()
    after = time.clock_gettime_ns(time.CLOCK_MONOTONIC) // 1000
    first, second = sock.recv(4096).decode().split("\n")
    assert first == "RELOADING=1"
    name, _, usec = second.partition("=")
    assert name == "MONOTONIC_USEC"
    assert before <= int(usec) <= after
    notifier.close()
    sock.close()


@pytest.mark.parametrize(
    ("environ", "interval"),
    [
        ({"WATCHDOG_USEC": "30000000"}, 15.0),
        ({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": str(os.getpid())}, 15.0),
        ({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1"}, None),  # another process's
        ({"WATCHDOG_USEC": "soon"}, None),
        ({"WATCHDOG_USEC": "0"}, None),
        ({}, None),
    ],
)
def test_the_watchdog_is_pinged_at_half_its_timeout(
    environ: dict[str, str], interval: float | None
) -> None:
    assert Notifier({"NOTIFY_SOCKET": "@x", **environ}).watchdog_interval == interval


def test_without_notify_socket_nothing_is_sent() -> None:
    notifier = Notifier({})
    assert not notifier.enabled
    assert not notifier.ready()
    assert not notifier.watchdog()


def test_a_socket_that_went_away_is_said_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    notifier = Notifier({"NOTIFY_SOCKET": str(tmp_path / "gone")})
    with caplog.at_level(logging.WARNING, logger="engine.sdnotify"):
        assert not notifier.watchdog()
        assert not notifier.stopping()
    (record,) = caplog.records
    assert "cannot notify systemd at $NOTIFY_SOCKET" in record.getMessage()
    notifier.close()
