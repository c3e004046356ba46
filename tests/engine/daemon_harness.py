"""``vicibus run`` as a real subprocess, with a NOTIFY_SOCKET of the test's own."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

API_TOKEN = "daemon-test-api-token-0123456789"
WEBHOOK_TOKEN = "daemon-test-webhook-token-01234567"
CONTROL_TOKEN = "daemon-test-control-token-0123456"


async def until(probe: Callable[[], Awaitable[bool]], timeout: float = 30) -> None:
    """Ask ``probe`` again until it says yes: for what a process does, not for time to pass."""
    async with asyncio.timeout(timeout):
        while True:
            if await probe():
                return
            await asyncio.sleep(0.02)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def write_config(directory: Path, http_port: int, sim_port: int, *, extra: str = "") -> Path:
    path = directory / "config.yaml"
    path.write_text(
        "timezone: UTC\n"
        "clock: {mode: manual}\n"
        "vicidial:\n"
        f"  simulated: {{scenario: demo, seed: 1, port: {sim_port}, "
        f"control_token: {CONTROL_TOKEN}}}\n"
        "  poll: {interval: 5}\n"
        "http:\n"
        f"  port: {http_port}\n"
        f"  api_token: {API_TOKEN}\n"
        f"  webhooks: {{tokens: [{WEBHOOK_TOKEN}]}}\n"
        f"storage: {{path: {directory / 'state'}}}\n" + extra
    )
    return path


@dataclass
class Daemon:
    process: asyncio.subprocess.Process
    notify: socket.socket
    http_port: int
    sim_port: int
    config: Path
    messages: list[str] = field(default_factory=list)
    stderr: bytearray = field(default_factory=bytearray)
    stdout: bytearray = field(default_factory=bytearray)  # the banner
    grew: asyncio.Event = field(default_factory=asyncio.Event)  # more output arrived
    _reader: asyncio.Task[None] | None = None
    _out_reader: asyncio.Task[None] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def sim_url(self) -> str:
        return f"http://127.0.0.1:{self.sim_port}"

    async def next_message(self, wanted: str, timeout: float = 30) -> str:
        """Wait for a notify datagram holding ``wanted`` (READY=1, STOPPING=1, ...)."""
        loop = asyncio.get_running_loop()
        async with asyncio.timeout(timeout):
            while True:
                data = (await loop.sock_recv(self.notify, 4096)).decode()
                self.messages.append(data)
                if wanted in data.split("\n"):
                    return data

    def log(self) -> str:
        return self.stderr.decode("utf-8", "replace")

    async def wait_log(self, text: str, timeout: float = 30) -> None:
        await self._wait(lambda: text in self.log(), timeout)

    async def wait_out(self, text: str, timeout: float = 30) -> None:
        """Wait for ``text`` on standard output (the banner)."""
        await self._wait(lambda: text in self.stdout.decode("utf-8", "replace"), timeout)

    async def _wait(self, seen: Callable[[], bool], timeout: float) -> None:
        async with asyncio.timeout(timeout):
            while not seen():
                self.grew.clear()
                await self.grew.wait()

    async def pause_max(self, user: str) -> tuple[int, str]:
        """ViciDial's pause_max callback for ``user``: the receiver's status and body."""
        url = f"{self.url}/webhooks/pause_max?token={WEBHOOK_TOKEN}&user={user}&campaign=DEMO"
        async with aiohttp.ClientSession() as session, session.get(url) as answer:
            return answer.status, await answer.text()

    def signal(self, sig: signal.Signals) -> None:
        self.process.send_signal(sig)

    async def api(
        self, method: str, path: str, *, token: str | None = API_TOKEN, json: Any = None
    ) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        async with (
            aiohttp.ClientSession() as session,
            session.request(method, self.url + path, headers=headers, json=json) as answer,
        ):
            return answer.status, await answer.json(content_type=None)

    async def control(self, method: str, path: str, json: Any = None) -> Any:
        headers = {"Authorization": f"Bearer {CONTROL_TOKEN}"}
        url = f"{self.sim_url}/simulator/control{path}"
        async with (
            aiohttp.ClientSession() as session,
            session.request(method, url, headers=headers, json=json) as answer,
        ):
            assert answer.status == 200, await answer.text()
            return await answer.json()

    async def wait_exit(self, timeout: float = 30) -> int:
        async with asyncio.timeout(timeout):
            code = await self.process.wait()
        for reader in (self._reader, self._out_reader):
            if reader is not None:
                await reader
        return code

    async def kill(self) -> None:
        if self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()
            await self.process.wait()
        for reader in (self._reader, self._out_reader):
            if reader is not None:
                reader.cancel()
        self.notify.close()


async def start_daemon(directory: Path, *, env: dict[str, str] | None = None) -> Daemon:
    http_port, sim_port = free_port(), free_port()
    config = write_config(directory, http_port, sim_port)
    return await launch(directory, config, http_port, sim_port, env=env)


async def launch(
    directory: Path,
    config: Path,
    http_port: int,
    sim_port: int,
    *,
    env: dict[str, str] | None = None,
    args: tuple[str, ...] = (),
) -> Daemon:
    address = str(directory / "notify.sock")
    notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    notify.bind(address)
    notify.setblocking(False)
    environ = {**os.environ, "NOTIFY_SOCKET": address, **(env or {})}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "engine.cli",
        "run",
        str(config),
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=environ,
    )
    daemon = Daemon(process, notify, http_port, sim_port, config)

    async def read(stream: asyncio.StreamReader | None, into: bytearray) -> None:
        assert stream is not None
        while chunk := await stream.read(4096):
            into.extend(chunk)
            daemon.grew.set()
        daemon.grew.set()

    loop = asyncio.get_running_loop()
    daemon._reader = loop.create_task(read(process.stderr, daemon.stderr))
    daemon._out_reader = loop.create_task(read(process.stdout, daemon.stdout))
    return daemon
