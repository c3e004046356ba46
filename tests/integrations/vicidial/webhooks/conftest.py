from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from ipaddress import ip_network
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from pydantic import SecretStr

from integrations.vicidial.webhooks.config import ReceiverConfig
from integrations.vicidial.webhooks.handoff import DidDecider
from integrations.vicidial.webhooks.payloads import WebhookPayload
from integrations.vicidial.webhooks.receiver import create_receiver
from integrations.vicidial.webhooks.redaction import RedactingAccessLogger, RedactingFilter

# Distinctive, so that a leak into any log line cannot be missed by a substring search.
TOKEN = "tk-Zq81vXw0PLUMBUS"
OLD_TOKEN = "tk-previous-GRUMBO"
_AIOHTTP_LOGGERS = ("aiohttp.access", "aiohttp.server", "aiohttp.web")


@dataclass
class Receiver:
    client: TestClient[web.Request, web.Application]
    received: list[WebhookPayload] = field(default_factory=list)


MakeReceiver = Callable[..., Awaitable[Receiver]]


@pytest.fixture
def make_receiver(
    aiohttp_server: Any, aiohttp_client: Any, caplog: pytest.LogCaptureFixture
) -> Iterator[MakeReceiver]:
    caplog.set_level(logging.DEBUG)
    redacting = RedactingFilter([TOKEN, OLD_TOKEN])

    async def make(
        *,
        networks: tuple[str, ...] | None = None,
        did_decider: DidDecider | None = None,
        failing: bool = False,
        filter_logs: bool = True,
        **settings: Any,
    ) -> Receiver:
        if filter_logs:
            for name in _AIOHTTP_LOGGERS:
                logging.getLogger(name).addFilter(redacting)
        received: list[WebhookPayload] = []

        async def handoff(payload: WebhookPayload) -> None:
            if failing:
                raise RuntimeError("bus is closed")
            received.append(payload)

        config = ReceiverConfig(
            tokens=(SecretStr(TOKEN), SecretStr(OLD_TOKEN)),
            allowed_networks=None if networks is None else tuple(ip_network(n) for n in networks),
            **settings,
        )
        app = web.Application()
        app.add_subapp("/webhooks", create_receiver(config, handoff, did_decider))
        server = await aiohttp_server(app, access_log_class=RedactingAccessLogger)
        client = await aiohttp_client(server)
        return Receiver(client, received)

    yield make
    for name in _AIOHTTP_LOGGERS:
        logging.getLogger(name).removeFilter(redacting)
    assert_no_secret_logged(caplog)


def assert_no_secret_logged(caplog: pytest.LogCaptureFixture) -> None:
    for record in caplog.records:
        text = record.getMessage() + (record.exc_text or "")
        assert TOKEN not in text, text
        assert OLD_TOKEN not in text, text
        assert "Traceback" not in text, text
        assert record.exc_info is None, text
