from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from ipaddress import ip_network
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from pydantic import SecretStr

from integrations.vicidial.webhooks.config import ReceiverConfig
from integrations.vicidial.webhooks.handoff import DidDecider, Handoff
from integrations.vicidial.webhooks.payloads import WebhookPayload
from integrations.vicidial.webhooks.receiver import create_receiver
from integrations.vicidial.webhooks.redaction import (
    RedactingAccessLogger,
    RedactingFilter,
    Redactor,
)
from integrations.vicidial.webhooks.serving import ReceiverRunner, start_receiver

# Distinctive, so that a leak into any log line cannot be missed by a substring search.
TOKEN = "tk-Zq81vXw0PLUMBUS"
OLD_TOKEN = "tk-previous-GRUMBO"
# An agent's password, as a URL carrying --A--pass--B-- holds it; never in a log either.
AGENT_PASSWORD = "pw-Kq3vSNORKEL"
_AIOHTTP_LOGGERS = ("aiohttp.access", "aiohttp.server", "aiohttp.web")


@dataclass
class Receiver:
    client: TestClient[web.Request, web.Application]
    received: list[WebhookPayload] = field(default_factory=list)


MakeReceiver = Callable[..., Awaitable[Receiver]]


@dataclass
class Served:
    """A receiver served through ``serving.start_receiver``, as the daemon serves it."""

    host: str
    port: int
    received: list[WebhookPayload] = field(default_factory=list)
    runner: ReceiverRunner | None = None


ServeReceiver = Callable[..., Awaitable[Served]]


def _receiver_app(
    received: list[WebhookPayload],
    *,
    networks: tuple[str, ...] | None = None,
    did_decider: DidDecider | None = None,
    failing: bool = False,
    handoff: Handoff | None = None,
    **settings: Any,
) -> web.Application:
    async def append(payload: WebhookPayload) -> None:
        if failing:
            raise RuntimeError("bus is closed")
        received.append(payload)

    config = ReceiverConfig(
        tokens=(SecretStr(TOKEN), SecretStr(OLD_TOKEN)),
        allowed_networks=None if networks is None else tuple(ip_network(n) for n in networks),
        **settings,
    )
    app = web.Application()
    app.add_subapp("/webhooks", create_receiver(config, handoff or append, did_decider))
    return app


@pytest.fixture
def make_receiver(
    aiohttp_server: Any, aiohttp_client: Any, caplog: pytest.LogCaptureFixture
) -> Iterator[MakeReceiver]:
    """The receiver on aiohttp's plain test server (its C parser), for the receiver's logic."""
    caplog.set_level(logging.DEBUG)
    redacting = RedactingFilter(Redactor([TOKEN, OLD_TOKEN]))

    async def make(*, filter_logs: bool = True, **options: Any) -> Receiver:
        if filter_logs:
            for name in _AIOHTTP_LOGGERS:
                logging.getLogger(name).addFilter(redacting)
        received: list[WebhookPayload] = []
        app = _receiver_app(received, **options)
        server = await aiohttp_server(app, access_log_class=RedactingAccessLogger)
        client = await aiohttp_client(server)
        return Receiver(client, received)

    yield make
    for name in _AIOHTTP_LOGGERS:
        logging.getLogger(name).removeFilter(redacting)
    assert_no_secret_logged(caplog)


@pytest.fixture
async def serve_receiver(caplog: pytest.LogCaptureFixture) -> AsyncIterator[ServeReceiver]:
    """The receiver on loopback through ``start_receiver``; no filter is added here, so the
    redaction checked at the end is the one the entry point sets up itself."""
    caplog.set_level(logging.DEBUG)
    runners: list[ReceiverRunner] = []

    async def serve(*, runner_settings: dict[str, Any] | None = None, **options: Any) -> Served:
        received: list[WebhookPayload] = []
        app = _receiver_app(received, **options)
        runner = await start_receiver(app, "127.0.0.1", 0, **(runner_settings or {}))
        runners.append(runner)
        host, port = runner.addresses[0][:2]
        return Served(host, port, received, runner)

    yield serve
    for runner in runners:
        await runner.cleanup()
    assert_no_secret_logged(caplog)


def assert_no_secret_logged(caplog: pytest.LogCaptureFixture) -> None:
    for record in caplog.records:
        text = record.getMessage() + (record.exc_text or "")
        assert TOKEN not in text, text
        assert OLD_TOKEN not in text, text
        assert AGENT_PASSWORD not in text, text
        assert "Traceback" not in text, text
        assert record.exc_info is None, text
