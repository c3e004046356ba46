"""What a misbehaving server may cost a call: answer size, time, and bad settings.

Real loopback servers stream endless bodies and decompression bombs, never answer, or fail
then hang; the limits are small (megabytes, fractions of a second) so each test stays cheap,
and no test asserts how long anything took.
"""

from __future__ import annotations

import asyncio
import re
import tracemalloc
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web

from integrations.vicidial import (
    Transport,
    ViciAdmin,
    ViciAgent,
    ViciProtocolError,
    ViciTimeoutError,
    ViciValidationError,
)
from tests.integrations.vicidial.replay import ServerFactory

PAUSED = "SUCCESS: external_pause function set - PAUSE|1795754649|1001\n"
RECORDING = "NOTICE: not recording - 1001|||||127.0.0.1|8600051|PAUSED\n"
LIMIT = 2 * 1024 * 1024
MEGABYTE = b"\0" * (1024 * 1024)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Server:
    """One loopback dialer whose answer is the test's handler; it counts requests, and a
    handler that waits for ``release`` is let go when the test ends."""

    def __init__(self) -> None:
        self.seen = 0
        self.release = asyncio.Event()
        self.handler: Handler = self.never
        self.url = ""

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.seen += 1
        await request.read()
        return await self.handler(request)

    async def never(self, request: web.Request) -> web.StreamResponse:
        await self.release.wait()
        return web.Response(text=PAUSED)


@pytest.fixture
async def server(aiohttp_server: ServerFactory) -> AsyncIterator[Server]:
    s = Server()
    app = web.Application()
    app.router.add_route("*", "/agc/api.php", s.handle)
    app.router.add_route("*", "/vicidial/non_agent_api.php", s.handle)
    started = await aiohttp_server(app)
    s.url = str(started.make_url("")).rstrip("/")
    yield s
    s.release.set()


def agent(server: Server, **options: Any) -> ViciAgent:
    return ViciAgent(server.url, "6666", "pw", agent_user="1001", **options)


# --- answer size ----------------------------------------------------------------------------


async def endless(request: web.Request) -> web.StreamResponse:
    response = web.StreamResponse()
    await response.prepare(request)
    try:
        while True:  # until the client hangs up
            await response.write(b"1|" * 32768)
    except (ConnectionError, RuntimeError):
        return response


def bomb(megabytes: int, encoding: str) -> bytes:
    """``megabytes`` of zeros, compressed: about a thousandth of that on the wire."""
    wbits = 16 + zlib.MAX_WBITS if encoding == "gzip" else zlib.MAX_WBITS
    packer = zlib.compressobj(9, zlib.DEFLATED, wbits)
    return b"".join(packer.compress(MEGABYTE) for _ in range(megabytes)) + packer.flush()


async def test_an_endless_answer_is_refused_at_the_limit(server: Server) -> None:
    server.handler = endless
    async with agent(server, max_answer_bytes=LIMIT) as client:
        with pytest.raises(ViciProtocolError) as raised:
            await client.call("recording", value="STATUS")
    assert str(raised.value) == (
        "recording: answer larger than 2,097,152 bytes (max_answer_bytes); not read further"
    )
    assert server.seen == 1  # not a failure a retry could mend


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
async def test_a_compressed_bomb_is_counted_as_it_expands(server: Server, encoding: str) -> None:
    body = bomb(64, encoding)
    assert len(body) < LIMIT // 10  # small on the wire, 64 MB once expanded

    async def compressed(request: web.Request) -> web.Response:
        return web.Response(body=body, headers={"Content-Encoding": encoding})

    server.handler = compressed
    tracemalloc.start()
    try:
        async with agent(server, max_answer_bytes=LIMIT) as client:
            with pytest.raises(ViciProtocolError) as raised:
                await client.call("recording", value="STATUS")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "max_answer_bytes" in str(raised.value)
    assert peak < 8 * LIMIT  # the 64 MB were never held


async def test_an_answer_of_exactly_the_limit_is_read(server: Server) -> None:
    async def paused(request: web.Request) -> web.Response:
        return web.Response(text=PAUSED)

    server.handler = paused
    size = len(PAUSED.encode())
    async with agent(server, max_answer_bytes=size) as client:
        assert (await client.pause()).agent_user == "1001"
    async with agent(server, max_answer_bytes=size - 1) as client:
        with pytest.raises(ViciProtocolError, match=f"larger than {size - 1} bytes"):
            await client.pause()


async def test_the_admin_client_takes_the_limit_too(server: Server) -> None:
    server.handler = endless
    async with ViciAdmin(server.url, "6666", "pw", max_answer_bytes=LIMIT) as admin:
        with pytest.raises(ViciProtocolError, match="max_answer_bytes"):
            await admin.campaigns.hopper_list("TESTCAMP")


# --- the timeout bounds the whole call ------------------------------------------------------


async def test_a_read_that_never_answers_times_out_after_one_attempt(server: Server) -> None:
    async with agent(server, retries=2, timeout=0.2) as client:
        with pytest.raises(ViciTimeoutError) as raised:
            await client.call("recording", value="STATUS")
    assert str(raised.value) == "recording: no answer within 0.2s (1 attempt)"
    assert raised.value.outcome_unknown is False
    assert server.seen == 1  # the timeout was spent: nothing is left to retry with


async def test_retries_fit_inside_the_timeout_and_are_counted(server: Server) -> None:
    async def fail_then_hang(request: web.Request) -> web.Response:
        if server.seen == 1:
            return web.Response(status=503)
        await server.release.wait()
        return web.Response(text=RECORDING)

    server.handler = fail_then_hang
    async with Transport(retries=2, backoff=0) as transport:
        client = agent(server, transport=transport)
        with pytest.raises(ViciTimeoutError) as raised:
            await client.call("recording", value="STATUS", timeout=0.3)
    assert str(raised.value) == (
        "recording: no answer within 0.3s (2 attempts; the last failed: HTTP 503)"
    )
    assert server.seen == 2


async def test_the_pause_between_attempts_counts_against_the_timeout(server: Server) -> None:
    async def unavailable(request: web.Request) -> web.Response:
        return web.Response(status=503)

    server.handler = unavailable
    # Pauses of up to 100 and 200 seconds: only the call's own timeout can end this.
    async with Transport(retries=2, backoff=100) as transport:
        client = agent(server, transport=transport)
        with pytest.raises(ViciTimeoutError) as raised:
            await client.call("recording", value="STATUS", timeout=0.3)
    found = re.fullmatch(
        r"recording: no answer within 0.3s \((\d) attempts?; the last failed: HTTP 503\)",
        str(raised.value),
    )
    assert found is not None
    assert int(found.group(1)) == server.seen


async def test_a_write_that_never_answers_says_its_outcome_is_unknown(server: Server) -> None:
    async with agent(server, retries=2, timeout=0.2) as client:
        with pytest.raises(ViciTimeoutError) as raised:
            await client.pause()
    assert str(raised.value) == (
        "external_pause: no answer within 0.2s (1 attempt); "
        "the outcome is unknown, the dialer may have acted"
    )
    assert raised.value.outcome_unknown is True


# --- settings that cannot work are refused before anything is sent -------------------------

BAD_TIMEOUTS = [0, 0.0, -1, -0.5, float("nan"), float("inf")]


@pytest.mark.parametrize("timeout", BAD_TIMEOUTS)
def test_a_client_refuses_a_timeout_that_is_not_above_zero(timeout: float) -> None:
    with pytest.raises(ViciValidationError) as raised:
        ViciAgent("http://127.0.0.1:9", "6666", "pw", timeout=timeout)
    assert raised.value.sent is False
    assert str(raised.value) == f"timeout must be a number of seconds above zero, got {timeout!r}"


@pytest.mark.parametrize("timeout", BAD_TIMEOUTS)
async def test_a_call_refuses_a_timeout_that_is_not_above_zero(
    server: Server, timeout: float
) -> None:
    async with agent(server) as client:
        with pytest.raises(ViciValidationError) as raised:
            await client.call("recording", value="STATUS", timeout=timeout)
    assert raised.value.function == "recording"
    assert raised.value.sent is False
    assert server.seen == 0


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"backoff": -1}, "backoff must be a number of seconds, 0 or more"),
        ({"max_answer_bytes": 0}, "max_answer_bytes must be at least 1"),
    ],
)
def test_a_transport_refuses_settings_that_cannot_work(
    options: dict[str, Any], message: str
) -> None:
    with pytest.raises(ViciValidationError, match=message):
        Transport(**options)
