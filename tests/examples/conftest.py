"""config.example.yaml itself, started in process against its embedded simulated dialer.

The rules are the file's own; a test changes only what a test must: a manual clock instead of
following the simulator, free ports (the supervisors' chat room lives on the simulator's port,
so its URL changes with it), a state directory of the test's, the traffic off so that each
test drives the call center itself, and the reports by e-mail to a real SMTP server on
loopback instead of the log."""

from __future__ import annotations

import asyncio
import email
import email.policy
import io
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dt_time
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from aiosmtpd.smtp import SMTP, Envelope, Session
from ruamel.yaml import YAML

from engine.app import App
from integrations.vicidial.simulator.callbacks import CallbackDispatcher
from tests.engine.daemon_harness import free_port
from tests.rules.e2e.conftest import API_TOKEN, CONTROL_TOKEN, POLL_INTERVAL, WEBHOOK_TOKEN, Daemon

DEMO_DAY = date(2030, 1, 7)
EXAMPLE = Path(__file__).parents[2] / "config.example.yaml"
REPORTS_TO = "ops@center.example"
ZONE = ZoneInfo("America/New_York")  # the example's timezone


def demo_time(day: int, time: str) -> datetime:
    """``time`` (HH:MM:SS) on the ``day``-th day after the demo's first (Monday 2030-01-07,
    whose clock starts at 09:00), in the example's time zone."""
    moment = datetime.combine(DEMO_DAY + timedelta(days=day), dt_time.fromisoformat(time))
    return moment.replace(tzinfo=ZONE)


@dataclass
class Mailbox:
    """What the SMTP server took, as a mail reader sees it."""

    received: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(  # noqa: N802 (aiosmtpd's hook name)
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        content = (envelope.original_content or b"").replace(b"\r\n", b"\n")
        message = email.message_from_bytes(content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.received.append(message)
        return "250 2.0.0 queued"


def example_config(
    directory: Path, sim_port: int, smtp_port: int, *, traffic: bool = False, append: str = ""
) -> str:
    """config.example.yaml with a test's changes (see the module's docstring); with
    ``traffic``, the demo's own traffic plays as in ``make run``; ``append`` is text added at
    the file's end (more rules, as README's first rule is added)."""
    yaml = YAML()
    yaml.preserve_quotes = True
    data = yaml.load(EXAMPLE.read_text(encoding="utf-8") + append)
    assert data["timezone"] == ZONE.key
    assert data["clock"] == {"follow": "simulator"}
    data["clock"] = {"mode": "manual"}
    vicidial = data["vicidial"]
    simulated = vicidial["simulated"]
    example_port = simulated["port"]
    simulated.update(port=sim_port, traffic=traffic, control_token=CONTROL_TOKEN)
    vicidial["poll"]["interval"] = POLL_INTERVAL  # tests poll when they mean to
    data["http"].update(
        port=0,
        api_token=API_TOKEN,
        webhooks={"tokens": [WEBHOOK_TOKEN], "did_filter_timeout": 5},
    )
    targets = {target["name"]: target for target in data["notify"]}
    chat = urlsplit(targets["supervisors"]["url"])
    assert chat.port == example_port  # the chat room is the simulator's
    targets["supervisors"]["url"] = urlunsplit(chat._replace(netloc=f"127.0.0.1:{sim_port}"))
    assert targets["reports"]["platform"] == "log"
    targets["reports"].clear()
    targets["reports"].update(
        name="reports",
        platform="smtp",
        host="127.0.0.1",
        port=smtp_port,
        security="none",
        sender="vicibus@center.example",
        to=[REPORTS_TO],
        timeout=10,
    )
    data["storage"] = {"path": str(directory / "state")}
    text = io.StringIO()
    yaml.dump(data, text)
    return text.getvalue()


class Example(Daemon):
    """The example's daemon, its dialer, and the mail its reports target received."""

    def __init__(self, app: App, session: aiohttp.ClientSession, *, mailbox: Mailbox) -> None:
        super().__init__(app, session)
        self.mailbox = mailbox

    @property
    def callbacks(self) -> CallbackDispatcher:
        embedded = self.app.vicidial.embedded
        assert embedded is not None
        assert embedded.simulation is not None
        return embedded.simulation.callbacks

    async def chat(self, room: str = "supervisors") -> list[str]:
        """The texts posted to a room of the simulated chat service, oldest first."""
        rooms: dict[str, list[dict[str, Any]]] = (await self.state())["chat"]
        return [message["text"] for message in rooms.get(room, [])]

    async def until(self, moment: datetime) -> None:
        """Move the clock on to ``moment``, the rules settled on the way."""
        await self.advance(moment.timestamp() - self.app.core.clock.time())


@pytest.fixture
async def example(tmp_path: Path) -> AsyncIterator[Callable[..., Awaitable[Example]]]:
    """``await example(traffic=False, append="")``: the daemon of config.example.yaml started,
    its first poll done."""
    mailbox = Mailbox()
    mail = await asyncio.get_running_loop().create_server(
        lambda: SMTP(mailbox, hostname="mail.test"), "127.0.0.1", 0
    )
    smtp_port = mail.sockets[0].getsockname()[1]
    session = aiohttp.ClientSession()
    started: list[Example] = []

    async def start(*, traffic: bool = False, append: str = "") -> Example:
        path = tmp_path / "config.yaml"
        text = example_config(tmp_path, free_port(), smtp_port, traffic=traffic, append=append)
        path.write_text(text, encoding="utf-8")
        running = await Example.start(path, session, mailbox=mailbox)
        started.append(running)
        return running

    yield start
    for running in started:
        await running.stop()
    await session.close()
    mail.close()
    await mail.wait_closed()
