"""The served receiver under slow, idle, abrupt and too many clients, on loopback."""

from __future__ import annotations

import asyncio
import logging
import re
import socket
import subprocess
import sys
import textwrap
from collections.abc import AsyncIterator, Callable

import pytest
from aiohttp import web
from pydantic import SecretStr

from integrations.vicidial.webhooks.config import ReceiverConfig
from integrations.vicidial.webhooks.connections import ConnectionGuard
from integrations.vicidial.webhooks.handoff import discard
from integrations.vicidial.webhooks.payloads import WebhookPayload
from integrations.vicidial.webhooks.receiver import create_receiver
from integrations.vicidial.webhooks.serving import ReceiverRunner, start_receiver

from .conftest import TOKEN, Served, ServeReceiver
from .senders import exchange, request, responses, send

DISPO = f"/webhooks/dispo_callback?token={TOKEN}&lead_id=1".encode()
# Generous bounds for a loaded machine; the limits under test are far below them.
WAIT = 10.0


async def _closed_by_server(reader: asyncio.StreamReader) -> bytes:
    """Everything the server writes until it closes the connection."""
    async with asyncio.timeout(WAIT):
        return await reader.read()


def _guard(served: Served) -> ConnectionGuard:
    assert served.runner is not None
    return served.runner.guard


async def _eventually(condition: Callable[[], bool]) -> None:
    for _ in range(int(WAIT / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the server never got there")


async def test_a_connection_that_sends_nothing_is_closed_after_the_head_timeout(
    serve_receiver: ServeReceiver,
) -> None:
    r = await serve_receiver(head_timeout=0.2)
    reader, writer = await asyncio.open_connection(r.host, r.port)
    assert await _closed_by_server(reader) == b""  # nothing asked, nothing answered
    writer.close()


async def test_a_head_that_trickles_in_gets_408(
    serve_receiver: ServeReceiver, caplog: pytest.LogCaptureFixture
) -> None:
    # Slowloris: a byte now and then, never the end of the head.
    r = await serve_receiver(head_timeout=0.3, keepalive_timeout=30)
    reader, writer = await asyncio.open_connection(r.host, r.port)

    async def trickle() -> None:
        for byte in b"GET " + DISPO + b" HTTP/1.1\r\nHost: x\r\nX-Slow: ":
            writer.write(bytes((byte,)))
            await asyncio.sleep(0.01)

    sending = asyncio.create_task(trickle())
    answer = await _closed_by_server(reader)
    sending.cancel()
    writer.close()
    assert responses(answer) == [(408, "request head too slow\n")]
    assert r.received == []
    assert any("too slow" in rec.getMessage() for rec in caplog.records)


async def test_an_idle_keep_alive_connection_closes_after_seconds(
    serve_receiver: ServeReceiver,
) -> None:
    # aiohttp's own default keeps it for an hour.
    r = await serve_receiver(keepalive_timeout=0.2, head_timeout=30)
    reader, writer = await asyncio.open_connection(r.host, r.port)
    writer.write(request("GET", DISPO, close=False))
    answer = await _closed_by_server(reader)
    writer.close()
    assert responses(answer) == [(200, "OK")]


async def test_the_next_request_on_a_kept_alive_connection_has_the_head_timeout(
    serve_receiver: ServeReceiver,
) -> None:
    r = await serve_receiver(keepalive_timeout=30, head_timeout=0.3)
    reader, writer = await asyncio.open_connection(r.host, r.port)
    writer.write(request("GET", DISPO, close=False))
    async with asyncio.timeout(WAIT):
        first = await reader.readuntil(b"\r\n\r\n") + await reader.readexactly(2)
    writer.write(b"GET /webhooks/dispo")  # the next request starts, and stalls
    answer = await _closed_by_server(reader)
    writer.close()
    assert responses(first + answer) == [(200, "OK"), (408, "request head too slow\n")]


async def _idle_sockets(served: Served, count: int) -> list[asyncio.StreamReader]:
    readers = []
    for _ in range(count):
        reader, _ = await asyncio.open_connection(served.host, served.port)
        readers.append(reader)
    return readers


async def test_idle_connections_past_the_limit_make_room_for_real_webhooks(
    serve_receiver: ServeReceiver,
) -> None:
    r = await serve_receiver(max_connections=20, head_timeout=60, keepalive_timeout=60)
    readers = await _idle_sockets(r, 40)
    assert (await send(r, "GET", DISPO)) == (200, "OK")
    assert len(r.received) == 1
    assert _guard(r).open_connections <= 20
    # the first ones opened were the longest idle: the server closed them
    for reader in readers[:20]:
        assert await _closed_by_server(reader) == b""


async def test_a_burst_accepted_in_one_turn_of_the_loop_still_makes_room(
    serve_receiver: ServeReceiver,
) -> None:
    # Three connections made while the loop is blocked are accepted in one turn: none of the
    # first two has started its task when the third arrives, and neither is handling a
    # request, so one of them makes room (under load this refused a real webhook with 503).
    r = await serve_receiver(max_connections=2, head_timeout=60, keepalive_timeout=60)
    sockets = [socket.create_connection((r.host, r.port)) for _ in range(3)]
    try:
        sockets[2].sendall(b"GET " + DISPO + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        reader, writer = await asyncio.open_connection(sock=sockets.pop(2))
        async with asyncio.timeout(WAIT):
            answer = await reader.read()
        writer.close()
        assert answer.startswith(b"HTTP/1.1 200 OK"), answer
        assert len(r.received) == 1
    finally:
        for sock in sockets:
            sock.close()


@pytest.fixture
async def blocked() -> AsyncIterator[asyncio.Event]:
    release = asyncio.Event()
    yield release
    release.set()


async def test_a_new_connection_gets_503_when_every_connection_is_busy(
    serve_receiver: ServeReceiver, blocked: asyncio.Event
) -> None:
    async def slow_bus(payload: WebhookPayload) -> None:
        await blocked.wait()

    r = await serve_receiver(max_connections=3, handoff=slow_bus)
    busy = [asyncio.create_task(send(r, "GET", DISPO)) for _ in range(3)]
    await _eventually(lambda: _guard(r).busy_connections == 3)
    [(status, body)] = responses(await exchange(r, [request("GET", DISPO)]))
    assert (status, body) == (503, "too many connections: try again\n")
    blocked.set()
    assert await asyncio.gather(*busy) == [(200, "OK")] * 3


async def test_a_broken_gzip_body_is_info_not_error_on_the_served_path(
    serve_receiver: ServeReceiver, caplog: pytest.LogCaptureFixture
) -> None:
    r = await serve_receiver()
    body = b"this is not gzip"
    raw = request("POST", DISPO, body).replace(
        b"Content-Type", b"Content-Encoding: gzip\r\nContent-Type"
    )
    [(status, reason)] = responses(await exchange(r, [raw]))
    assert status == 400
    assert not re.search(r"\d", reason)
    assert [rec.getMessage() for rec in caplog.records if rec.levelno >= logging.WARNING] == []


async def test_a_client_that_disconnects_mid_body_is_an_info_line(
    serve_receiver: ServeReceiver, caplog: pytest.LogCaptureFixture
) -> None:
    r = await serve_receiver()
    head = request("POST", DISPO, b"x" * 100)[:-100]
    _, writer = await asyncio.open_connection(r.host, r.port)
    writer.write(head + b"lead_id=1&dis")
    await _eventually(lambda: _guard(r).busy_connections == 1)  # reading the body
    writer.close()
    await _eventually(lambda: _guard(r).open_connections == 0)
    refused = [rec.getMessage() for rec in caplog.records if "refused" in rec.getMessage()]
    assert any("400 body cut off" in line for line in refused), refused
    assert [rec.getMessage() for rec in caplog.records if rec.levelno >= logging.WARNING] == []


async def test_a_slow_body_gets_408(serve_receiver: ServeReceiver) -> None:
    r = await serve_receiver(body_timeout=0.2)
    head = request("POST", DISPO, b"x" * 100, close=True)[:-100]
    [(status, _)] = responses(await exchange(r, [head + b"lead_id=1"]))
    assert status == 408


async def test_every_refusal_of_the_whole_server_holds_no_digit(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # The daemon mounts the receiver on its own app: its router's 404 and a handler's defect
    # are answered in words too, and the defect is one line, not a traceback.
    async def broken(request: web.Request) -> web.Response:
        raise ValueError("defect 42")

    config = ReceiverConfig(tokens=(SecretStr(TOKEN),))
    app = web.Application()
    app.router.add_get("/status", broken)
    app.add_subapp("/webhooks", create_receiver(config, discard))
    runner = await start_receiver(app, "127.0.0.1", 0)
    try:
        served = Served(*runner.addresses[0][:2])
        for target, status in ((b"/nowhere", 404), (b"/status", 500), (b"/webhooks/x/y", 404)):
            [(got, body)] = responses(await exchange(served, [request("GET", target)]))
            assert got == status
            assert body.count("\n") == 1
            assert not re.search(r"\d", body), body
    finally:
        await runner.cleanup()
    errors = [rec for rec in caplog.records if rec.levelno >= logging.ERROR]
    assert [rec.getMessage().count("\n") for rec in errors] == [0]
    assert all(rec.exc_info is None for rec in caplog.records)


def test_serving_needs_a_mounted_receiver() -> None:
    with pytest.raises(ValueError, match="mounts create_receiver"):
        ReceiverRunner(web.Application())


_LOW_LIMIT_SERVER = textwrap.dedent(
    """
    import asyncio, resource, sys
    from aiohttp import web
    from pydantic import SecretStr
    from integrations.vicidial.webhooks.config import ReceiverConfig
    from integrations.vicidial.webhooks.handoff import discard
    from integrations.vicidial.webhooks.receiver import create_receiver
    from integrations.vicidial.webhooks.serving import start_receiver

    async def main() -> None:
        config = ReceiverConfig(tokens=(SecretStr(sys.argv[1]),), max_connections=20)
        app = web.Application()
        app.add_subapp("/webhooks", create_receiver(config, discard))
        runner = await start_receiver(app, "127.0.0.1", 0, backlog=32)
        print(runner.addresses[0][1], flush=True)
        await asyncio.sleep(3600)

    # systemd's default is 1024; the same exhaustion, smaller
    resource.setrlimit(resource.RLIMIT_NOFILE, (128, 128))
    asyncio.run(main())
    """
)


async def test_idle_sockets_beyond_the_descriptor_limit_lose_no_webhook() -> None:
    # Without a connection limit, 200 idle sockets exhaust 128 descriptors: every later
    # accept fails (a traceback each, in asyncio's log) and real webhooks are lost.
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        _LOW_LIMIT_SERVER,
        TOKEN,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        async with asyncio.timeout(WAIT):
            port = int(await process.stdout.readline())
        served = Served("127.0.0.1", port)
        writers = []
        for _ in range(200):
            _, writer = await asyncio.open_connection(served.host, served.port)
            writers.append(writer)
        async with asyncio.timeout(WAIT):
            assert (await send(served, "GET", DISPO)) == (200, "OK")
        for writer in writers:
            writer.close()
    finally:
        process.terminate()
        _, stderr = await process.communicate()
    assert b"Traceback" not in stderr, stderr.decode(errors="replace")[-2000:]
