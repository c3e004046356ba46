"""A request over the simulator's size limit: 414 as Apache answers it, nothing echoed or logged."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import pytest

from integrations.vicidial.simulator.server import AGENT_PATH, Simulator

from .conftest import fixture_center

PASSWORD = "pw-Zr7TRUMPET"


@pytest.fixture
async def simulator() -> AsyncIterator[Simulator]:
    simulator = Simulator(fixture_center())
    await simulator.start()
    yield simulator
    await simulator.stop()


async def _exchange(simulator: Simulator, raw: bytes) -> bytes:
    host, port = simulator.base_url.removeprefix("http://").rsplit(":", 1)
    reader, writer = await asyncio.open_connection(host, int(port))
    writer.write(raw)
    async with asyncio.timeout(10):
        answer = await reader.read()
    writer.close()
    return answer


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        # a client's GET with long parameters: the request line passes Apache's 8190 bytes
        (
            f"GET {AGENT_PATH}?user=6666&pass={PASSWORD}&function=version&x={'a' * 9000} "
            "HTTP/1.1\r\nHost: dialer\r\n\r\n",
            b"414 Request-URI Too Long",
        ),
        # not HTTP at all, with the password in it
        (f"GET /{PASSWORD} \x00\r\n\r\n", b"400 Bad Request"),
    ],
)
async def test_refused_requests_echo_and_log_nothing(
    simulator: Simulator,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
    raw: str,
    status: bytes,
) -> None:
    caplog.set_level(logging.DEBUG)
    answer = await _exchange(simulator, raw.encode())
    assert answer.split(b"\r\n", 1)[0].endswith(status)
    assert PASSWORD.encode() not in answer
    assert b"a" * 100 not in answer
    captured = capsys.readouterr()
    assert PASSWORD not in captured.err + captured.out
    assert [r.getMessage() for r in caplog.records if r.name.startswith("aiohttp")] == []
