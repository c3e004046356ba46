"""http targets against a real aiohttp server on loopback: each body shape, retries on the
manual clock, refusals, timeouts, and the URL and headers kept out of logs and errors."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import ssl
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from engine.config import load
from engine.core import Core
from engine.errors import ServiceValidationError
from integrations.notify import (
    CONFIG_SECTIONS,
    NotifyError,
    NotifyNotStartedError,
    NotifyRejectedError,
    NotifyTemplateError,
    NotifyTimeoutError,
    NotifyTlsError,
    NotifyUnavailableError,
    setup,
)
from integrations.notify.http import backoff
from integrations.notify.models import HttpResult
from tests.integrations.notify.conftest import Cert, Notify, backoffs, call

# The secret part of an incoming-webhook URL, and a header value: neither may leak.
TOKEN = "T0KEN-b7f3c9e1a2d4"
BEARER = "Bearer hdr-5ecret-8d2f6a"


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """A webhook receiver: records each request, answers from ``replies`` in turn (then 200),
    or holds every request while ``hold`` is set."""

    base: str = ""
    seen: list[Seen] = field(default_factory=list)
    replies: list[tuple[int, str]] = field(default_factory=list)
    hold: bool = False
    released: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def url(self) -> str:
        return f"{self.base}/hooks/{TOKEN}"

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.seen.append(
            Seen(request.method, request.path, dict(request.headers), await request.read())
        )
        if self.hold:
            await self.released.wait()
        status, text = self.replies.pop(0) if self.replies else (200, "ok")
        # An echo of the request, as a careless server's error page might print it.
        text = text.replace("{path}", request.path_qs).replace(
            "{auth}", request.headers.get("Authorization", "")
        )
        return web.Response(status=status, text=text)


async def serve(found: Receiver, context: ssl.SSLContext | None = None) -> web.AppRunner:
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", found.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=context)
    await site.start()
    scheme = "https" if context else "http"
    found.base = f"{scheme}://127.0.0.1:{runner.addresses[0][1]}"
    return runner


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    found = Receiver()
    runner = await serve(found)
    yield found
    found.released.set()
    await runner.cleanup()


@pytest.fixture
async def tls_receiver(cert: Cert) -> AsyncIterator[Receiver]:
    found = Receiver()
    runner = await serve(found, cert.server_context())
    yield found
    await runner.cleanup()


def target(url: str, extra: str = "") -> str:
    return (
        "notify:\n"
        f"  - {{name: hook, platform: http, url: '{url}',"
        f" headers: {{Authorization: '{BEARER}'}}{extra}}}\n"
    )


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def assert_no_secret(*texts: str) -> None:
    for text in texts:
        for secret in (TOKEN, BEARER, "hdr-5ecret"):
            assert secret not in text, text


def assert_clean(error: NotifyError, caplog: pytest.LogCaptureFixture) -> None:
    assert error.target == "hook"
    assert str(error).startswith("notify.hook: ")
    assert_no_secret(str(error), repr(error), caplog.text)
    for record in caplog.records:
        assert_no_secret(record.getMessage(), str(record.args))


async def test_json_body(core: Core, notify: Notify, receiver: Receiver) -> None:
    await notify(target(receiver.url))
    result = await call(
        core,
        "notify.hook",
        {"message": "3 calls waiting", "title": "Queue", "data": {"ingroup": "SALES", "n": 3}},
    )
    assert result == HttpResult(target="hook", status=200, attempts=1)
    (seen,) = receiver.seen
    assert (seen.method, seen.path) == ("POST", f"/hooks/{TOKEN}")
    assert seen.headers["Content-Type"] == "application/json"
    assert seen.headers["Authorization"] == BEARER
    assert seen.json() == {
        "title": "Queue",
        "message": "3 calls waiting",
        "data": {"ingroup": "SALES", "n": 3},
    }


async def test_put_and_no_title(core: Core, notify: Notify, receiver: Receiver) -> None:
    await notify(target(receiver.url, ", method: PUT"))
    await call(core, "notify.hook", {"message": "hello"})
    (seen,) = receiver.seen
    assert seen.method == "PUT"
    assert seen.json() == {"title": None, "message": "hello", "data": {}}


async def test_slack_message(core: Core, notify: Notify, receiver: Receiver) -> None:
    await notify(target(receiver.url, ", format: slack"))
    await call(
        core,
        "notify.hook",
        {"message": "Agent 1001 paused 12 min", "title": "Pause", "channel": "#floor"},
    )
    assert receiver.seen[0].json() == {
        "text": "*Pause*\nAgent 1001 paused 12 min",
        "channel": "#floor",
    }


async def test_mattermost_message(core: Core, notify: Notify, receiver: Receiver) -> None:
    await notify(target(receiver.url, ", format: mattermost"))
    await call(
        core,
        "notify.hook",
        {"message": "Drop rate up", "title": "TESTCAMP", "username": "vicibus"},
    )
    await call(core, "notify.hook", {"message": "no title"})
    assert [s.json() for s in receiver.seen] == [
        {"text": "**TESTCAMP**\nDrop rate up", "username": "vicibus"},
        {"text": "no title"},
    ]


async def test_teams_adaptive_card(core: Core, notify: Notify, receiver: Receiver) -> None:
    await notify(target(receiver.url, ", format: teams"))
    await call(core, "notify.hook", {"message": "Hopper low", "title": "TESTCAMP"})
    body = receiver.seen[0].json()
    assert body["type"] == "message"
    (attachment,) = body["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert (card["type"], card["version"]) == ("AdaptiveCard", "1.2")
    assert [(block["type"], block["text"]) for block in card["body"]] == [
        ("TextBlock", "TESTCAMP"),
        ("TextBlock", "Hopper low"),
    ]
    assert card["body"][0]["weight"] == "Bolder"


async def test_chat_formats_refuse_what_they_cannot_carry(
    core: Core, notify: Notify, receiver: Receiver
) -> None:
    await notify(target(receiver.url, ", format: teams"))
    with pytest.raises(ServiceValidationError, match="channel: unknown parameter"):
        await call(core, "notify.hook", {"message": "x", "channel": "#a"})
    assert receiver.seen == []


async def test_templated_json_body(core: Core, notify: Notify, receiver: Receiver) -> None:
    body = (
        '{"text": {{ message | tojson }}, "agent": {{ data.agent | tojson }}, "to": "{{ target }}"}'
    )
    await notify(target(receiver.url, f", body: '{body}'"))
    await call(core, "notify.hook", {"message": 'Said "hi"\nthen left', "data": {"agent": 1001}})
    (seen,) = receiver.seen
    assert seen.headers["Content-Type"] == "application/json"
    assert seen.json() == {"text": 'Said "hi"\nthen left', "agent": 1001, "to": "hook"}


async def test_templated_text_body(core: Core, notify: Notify, receiver: Receiver) -> None:
    await notify(target(receiver.url, ", body: '{{ title }} - {{ message }}'"))
    await call(core, "notify.hook", {"message": "m", "title": "t"})
    (seen,) = receiver.seen
    assert seen.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert seen.body == b"t - m"


async def test_template_error_sends_nothing(
    core: Core, notify: Notify, receiver: Receiver, caplog: pytest.LogCaptureFixture
) -> None:
    await notify(target(receiver.url, ", body: '{{ data.campaign }}'"))
    with pytest.raises(NotifyTemplateError) as caught:
        await call(core, "notify.hook", {"message": "m", "data": {"agent": "1001"}})
    assert caught.value.template == "body"
    assert "has no attribute 'campaign'" in str(caught.value)
    assert_clean(caught.value, caplog)
    assert receiver.seen == []


async def test_503_is_retried_with_backoff_then_succeeds(
    core: Core, notify: Notify, receiver: Receiver, caplog: pytest.LogCaptureFixture
) -> None:
    await notify(target(receiver.url))
    receiver.replies = [(503, "busy"), (502, "bad gateway"), (500, "")]
    task = asyncio.ensure_future(call(core, "notify.hook", {"message": "m"}))
    with caplog.at_level(logging.DEBUG):
        waits = await backoffs(core, task)
    assert waits == [1.0, 2.0, 4.0]
    assert task.result() == HttpResult(target="hook", status=200, attempts=4)
    assert len(receiver.seen) == 4
    assert "HTTP 503 (busy); trying again in 1s (attempt 2 of 4)" in caplog.text
    assert_no_secret(caplog.text)


async def test_5xx_after_every_retry_is_unavailable(
    core: Core, notify: Notify, receiver: Receiver, caplog: pytest.LogCaptureFixture
) -> None:
    await notify(target(receiver.url, ", retries: 2"))
    echo = "upstream failed for {path} with {auth}"
    receiver.replies = [(503, echo)] * 3
    task = asyncio.ensure_future(call(core, "notify.hook", {"message": "m"}))
    with caplog.at_level(logging.DEBUG):
        waits = await backoffs(core, task)
    assert waits == [1.0, 2.0]
    with pytest.raises(NotifyUnavailableError) as caught:
        task.result()
    assert (caught.value.status, caught.value.attempts) == (503, 3)
    # The echoed request is not quoted: it holds the URL's token and the header.
    assert str(caught.value) == "notify.hook: HTTP 503 after 3 attempts"
    assert_clean(caught.value, caplog)


async def test_400_is_not_retried(
    core: Core, notify: Notify, receiver: Receiver, caplog: pytest.LogCaptureFixture
) -> None:
    await notify(target(receiver.url, ", format: slack"))
    receiver.replies = [(400, "invalid_payload")]
    with caplog.at_level(logging.DEBUG), pytest.raises(NotifyRejectedError) as caught:
        await call(core, "notify.hook", {"message": "m"})
    assert str(caught.value) == "notify.hook: HTTP 400 (invalid_payload)"
    assert caught.value.status == 400
    assert len(receiver.seen) == 1
    assert core.clock.pending == 0
    assert_clean(caught.value, caplog)


async def test_an_echoing_4xx_quotes_nothing(
    core: Core, notify: Notify, receiver: Receiver, caplog: pytest.LogCaptureFixture
) -> None:
    await notify(target(receiver.url))
    for echo in ("no route to {path}", "bad token {auth}", f"unknown hook {TOKEN}"):
        receiver.replies = [(404, echo)]
        with caplog.at_level(logging.DEBUG), pytest.raises(NotifyRejectedError) as caught:
            await call(core, "notify.hook", {"message": "m"})
        assert str(caught.value) == "notify.hook: HTTP 404"
        assert_clean(caught.value, caplog)


async def test_a_redirect_is_refused_not_followed(
    core: Core, notify: Notify, receiver: Receiver
) -> None:
    await notify(target(receiver.url))
    receiver.replies = [(307, "")]
    with pytest.raises(NotifyRejectedError, match="HTTP 307: a redirect, not followed"):
        await call(core, "notify.hook", {"message": "m"})
    assert len(receiver.seen) == 1


async def test_connection_refused_is_retried_then_unavailable(
    core: Core, notify: Notify, caplog: pytest.LogCaptureFixture
) -> None:
    await notify(target(f"http://127.0.0.1:{closed_port()}/hooks/{TOKEN}", ", retries: 3"))
    task = asyncio.ensure_future(call(core, "notify.hook", {"message": "m"}))
    with caplog.at_level(logging.DEBUG):
        waits = await backoffs(core, task)
    assert waits == [1.0, 2.0, 4.0]
    with pytest.raises(NotifyUnavailableError) as caught:
        task.result()
    assert caught.value.attempts == 4
    assert caught.value.status is None
    assert "cannot connect" in str(caught.value)
    assert_clean(caught.value, caplog)


async def test_a_timeout_is_not_retried(
    core: Core, notify: Notify, receiver: Receiver, caplog: pytest.LogCaptureFixture
) -> None:
    await notify(target(receiver.url, ", timeout: 0.05, retries: 3"))
    receiver.hold = True
    with caplog.at_level(logging.DEBUG), pytest.raises(NotifyTimeoutError) as caught:
        await call(core, "notify.hook", {"message": "m"})
    assert str(caught.value) == "notify.hook: no answer within 0.05s"
    assert (caught.value.timeout, caught.value.attempts) == (0.05, 1)
    assert len(receiver.seen) == 1
    assert_clean(caught.value, caplog)


async def test_https_with_a_private_ca(
    core: Core, notify: Notify, tls_receiver: Receiver, cert: Cert
) -> None:
    await notify(target(tls_receiver.url, f", ca_file: '{cert.cert}'"))
    result = await call(core, "notify.hook", {"message": "over TLS"})
    assert result.status == 200
    assert tls_receiver.seen[0].json()["message"] == "over TLS"


async def test_an_untrusted_certificate_is_a_tls_error_not_retried(
    core: Core, notify: Notify, tls_receiver: Receiver, caplog: pytest.LogCaptureFixture
) -> None:
    await notify(target(tls_receiver.url))
    with caplog.at_level(logging.DEBUG), pytest.raises(NotifyTlsError) as caught:
        await call(core, "notify.hook", {"message": "m"})
    assert str(caught.value) == (
        "notify.hook: TLS failed: self-signed certificate (a private CA goes in ca_file)"
    )
    assert core.clock.pending == 0
    assert tls_receiver.seen == []
    assert_clean(caught.value, caplog)


async def test_a_call_before_start_is_a_typed_error(
    core: Core, receiver: Receiver, tmp_path: Path
) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(target(receiver.url))
    setup(core, load(path, CONFIG_SECTIONS))
    with pytest.raises(NotifyNotStartedError, match="not started"):
        await call(core, "notify.hook", {"message": "m"})
    assert receiver.seen == []


def test_backoff_doubles_up_to_its_cap() -> None:
    assert [backoff(n) for n in (1, 2, 3, 4, 5, 6, 7)] == [1, 2, 4, 8, 16, 30, 30]
