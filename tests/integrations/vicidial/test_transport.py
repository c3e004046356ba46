"""The transport against real loopback servers: methods, limits, retries, timeouts, TLS."""

from __future__ import annotations

import asyncio
import shutil
import ssl
import subprocess
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from integrations.vicidial import (
    Transport,
    ViciAgent,
    ViciConnectionError,
    ViciHttpError,
    ViciTimeoutError,
    ViciValidationError,
)
from tests.integrations.vicidial.replay import ServerFactory

PAUSED = "SUCCESS: external_pause function set - PAUSE|1795754649|1001\n"
RECORDING = "NOTICE: not recording - 1001|||||127.0.0.1|8600051|PAUSED\n"


class Dialer:
    """A scripted agent API: answers, delays and failures per request, and what it saw."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, dict[str, str], str]] = []
        self.fail_first = 0
        self.fail_status = 503
        self.delay_first = 0
        self.delay = 0.0
        self.in_flight = 0
        self.peak = 0
        self.hold = 0.0

    async def handle(self, request: web.Request) -> web.Response:
        form = dict(await request.post()) if request.method == "POST" else {}
        params = {k: str(v) for k, v in form.items()}
        self.seen.append((request.method, params, request.query_string))
        number = len(self.seen)
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        try:
            if self.hold:
                await asyncio.sleep(self.hold)
            if number <= self.delay_first:
                await asyncio.sleep(self.delay)
            if number <= self.fail_first:
                return web.Response(status=self.fail_status, text="")
        finally:
            self.in_flight -= 1
        function = params.get("function") or request.query.get("function")
        return web.Response(text=RECORDING if function == "recording" else PAUSED)

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_route("*", "/agc/api.php", self.handle)
        return app


@pytest.fixture
async def dialer(aiohttp_server: ServerFactory) -> tuple[Dialer, str]:
    d = Dialer()
    server = await aiohttp_server(d.app())
    return d, str(server.make_url("")).rstrip("/")


async def test_post_keeps_credentials_out_of_the_url(dialer: tuple[Dialer, str]) -> None:
    d, url = dialer
    async with ViciAgent(url, "6666", "s3cr3t-pw", agent_user="1001") as agent:
        await agent.pause()
    method, form, query = d.seen[0]
    assert method == "POST"
    assert query == ""
    assert form == {
        "function": "external_pause",
        "value": "PAUSE",
        "agent_user": "1001",
        "user": "6666",
        "pass": "s3cr3t-pw",
        "source": "vicibus",
    }


async def test_get_is_selectable(dialer: tuple[Dialer, str]) -> None:
    d, url = dialer
    async with ViciAgent(url, "6666", "pw", agent_user="1001", method="GET") as agent:
        await agent.pause()
    method, _, query = d.seen[0]
    assert method == "GET"
    assert "function=external_pause" in query


async def test_in_flight_limit_is_per_host_and_shared(dialer: tuple[Dialer, str]) -> None:
    d, url = dialer
    d.hold = 0.05
    async with Transport(max_in_flight=3) as transport:
        agent_a = ViciAgent(url, "6666", "pw", agent_user="1001", transport=transport)
        agent_b = ViciAgent(url, "6667", "pw", agent_user="1002", transport=transport)
        calls = [agent_a.pause() for _ in range(10)] + [agent_b.pause() for _ in range(10)]
        await asyncio.gather(*calls)
    assert len(d.seen) == 20
    assert d.peak == 3


async def test_reads_retry_on_5xx(dialer: tuple[Dialer, str]) -> None:
    d, url = dialer
    d.fail_first = 2
    async with Transport(retries=2, backoff=0.001) as transport:
        agent = ViciAgent(url, "6666", "pw", agent_user="1001", transport=transport)
        result = await agent.call("recording", value="STATUS")
    assert result.message == "not recording"
    assert len(d.seen) == 3


async def test_writes_are_never_retried(dialer: tuple[Dialer, str]) -> None:
    d, url = dialer
    d.fail_first = 1
    async with Transport(retries=2, backoff=0.001) as transport:
        agent = ViciAgent(url, "6666", "pw", agent_user="1001", transport=transport)
        with pytest.raises(ViciHttpError) as raised:
            await agent.call("recording", value="START")
    assert raised.value.status_code == 503
    assert len(d.seen) == 1


async def test_write_timeout_says_outcome_unknown(dialer: tuple[Dialer, str]) -> None:
    d, url = dialer
    d.delay_first, d.delay = 5, 2.0
    async with ViciAgent(url, "6666", "pw", agent_user="1001", retries=2) as agent:
        with pytest.raises(ViciTimeoutError) as raised:
            await agent.call("external_pause", value="PAUSE", timeout=0.2)
    error = raised.value
    assert error.outcome_unknown is True
    assert error.timeout == 0.2
    assert "outcome is unknown" in str(error)
    assert len(d.seen) == 1


async def test_connection_refused_is_typed_and_not_sent(unused_tcp_port: int) -> None:
    url = f"http://127.0.0.1:{unused_tcp_port}"
    async with ViciAgent(url, "6666", "pw", agent_user="1001", retries=0) as agent:
        with pytest.raises(ViciConnectionError) as raised:
            await agent.pause()
    assert raised.value.sent is False
    assert raised.value.function == "external_pause"


def test_source_longer_than_20_is_refused_at_construction() -> None:
    with pytest.raises(ViciValidationError) as raised:
        ViciAgent("http://127.0.0.1", "6666", "pw", source="x" * 21)
    assert raised.value.sent is False
    assert "source" in str(raised.value)
    ViciAgent("http://127.0.0.1", "6666", "pw", source="x" * 20)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


async def test_tls_is_verified_by_default_and_a_context_is_accepted(
    certificate: tuple[Path, Path],
) -> None:
    cert, key = certificate
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(cert, key)
    d = Dialer()
    server = TestServer(d.app(), host="127.0.0.1")
    await server.start_server(ssl=server_context)
    try:
        url = f"https://127.0.0.1:{server.port}"
        async with ViciAgent(url, "6666", "pw", agent_user="1001", retries=0) as agent:
            with pytest.raises(ViciConnectionError):
                await agent.pause()
        trusting = ssl.create_default_context(cafile=str(cert))
        async with ViciAgent(url, "6666", "pw", agent_user="1001", ssl=trusting) as agent:
            result = await agent.pause()
        assert result.agent_user == "1001"
    finally:
        await server.close()


async def test_redirects_are_not_followed(aiohttp_server: ServerFactory) -> None:
    seen: list[str] = []

    async def moved(request: web.Request) -> web.Response:
        seen.append(request.path)
        raise web.HTTPFound("/elsewhere")

    app = web.Application()
    app.router.add_route("*", "/agc/api.php", moved)
    app.router.add_route("*", "/elsewhere", moved)
    server = await aiohttp_server(app)
    url = str(server.make_url("")).rstrip("/")
    async with ViciAgent(url, "6666", "pw", agent_user="1001", retries=0) as agent:
        with pytest.raises(ViciHttpError) as raised:
            await agent.pause()
    assert raised.value.status_code == 302
    assert "check base_url" in str(raised.value)
    assert seen == ["/agc/api.php"]
