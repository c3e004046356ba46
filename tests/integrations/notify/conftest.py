"""A real Core on a manual clock and a notify integration set up from a real config file."""

from __future__ import annotations

import asyncio
import ssl
import subprocess
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest

from engine.clock import Clock, ClockMode, Timer
from engine.config import load
from engine.context import Context, Origin
from engine.core import Core
from integrations.notify import CONFIG_SECTIONS, NotifyIntegration, setup

START = 1_795_000_000.0  # 2026-11-18, a Wednesday
# A condition waited for comes within this many seconds of real time, or the test fails.
PATIENCE = 10.0


class ArmedClock(Clock):
    """A manual clock that says when a timer is armed: a backoff has begun."""

    def __init__(self) -> None:
        super().__init__(ClockMode.MANUAL, tz=UTC, start=START)
        self.armed = asyncio.Event()

    def call_at(self, when: float, callback: Callable[[], None]) -> Timer:
        timer = super().call_at(when, callback)
        self.armed.set()
        return timer


@pytest.fixture
async def core() -> AsyncIterator[Core]:
    core = Core(ArmedClock())
    await core.start()
    yield core
    await core.stop(timeout=2)


@dataclass(frozen=True)
class Cert:
    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, self.key)
        return context


@pytest.fixture(scope="session")
def cert(tmp_path_factory: pytest.TempPathFactory) -> Cert:
    """A throwaway self-signed certificate for 127.0.0.1, made with openssl."""
    folder = tmp_path_factory.mktemp("tls")
    made = Cert(folder / "cert.pem", folder / "key.pem")
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout", str(made.key), "-out", str(made.cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return made


Notify = Callable[[str], Awaitable[NotifyIntegration]]


@pytest.fixture
async def notify(core: Core, tmp_path: Path) -> AsyncIterator[Notify]:
    """``await notify(yaml)``: the integration from a config with that ``notify:`` section,
    set up and started on the core; stopped at the end."""
    started: list[NotifyIntegration] = []

    async def make(section: str) -> NotifyIntegration:
        path = tmp_path / "config.yaml"
        path.write_text(f"timezone: UTC\nclock: {{mode: manual}}\n{section}")
        integration = setup(core, load(path, CONFIG_SECTIONS))
        await integration.start()
        started.append(integration)
        return integration

    yield make
    for integration in started:
        await integration.stop()


async def call(core: Core, service: str, data: dict[str, Any]) -> Any:
    """A service call as a rule makes it: validated by the registry, then handled."""
    return await core.services.call(
        service, data, context=Context(Origin.SYSTEM), caller="rule:test"
    )


async def backoffs(core: Core, task: asyncio.Future[Any]) -> list[float]:
    """Move the manual clock past each backoff ``task`` waits on, until it is done: the
    waits, in seconds. The task's outcome is then ``task.result()``."""
    clock = core.clock
    assert isinstance(clock, ArmedClock)
    waits: list[float] = []
    while True:
        armed = asyncio.ensure_future(clock.armed.wait())
        try:
            async with asyncio.timeout(PATIENCE):
                await asyncio.wait([task, armed], return_when=asyncio.FIRST_COMPLETED)
        finally:
            armed.cancel()
        if task.done():
            return waits
        clock.armed.clear()
        due = clock.next_due()
        assert due is not None
        waits.append(due - clock.time())
        await core.advance(due - clock.time())
