"""Replaying captured ViciDial answers from a real aiohttp server on loopback.

The server answers a fixture's body only when the request's method, path and parameters are
exactly those of the fixture's index entry, so request building is tested with every answer.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from aiohttp import web
from aiohttp.test_utils import TestServer

from integrations.vicidial.client import BaseClient

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "vicidial"
# The fixtures' index shows the password as xxxx; the real one was 1234.
PASSWORD = "1234"


@dataclass(frozen=True)
class Fixture:
    api: str
    function: str
    case: str
    method: str
    path: str
    params: dict[str, str]
    http_status: int
    content_type: str
    file: str

    @property
    def key(self) -> str:
        return f"{self.function}/{self.case}"

    @property
    def body(self) -> bytes:
        return (FIXTURES / self.file).read_bytes()

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def expected_params(self) -> dict[str, str]:
        return {k: (PASSWORD if k == "pass" else v) for k, v in self.params.items()}


def load_fixtures(api: str | None = None) -> list[Fixture]:
    entries: list[dict[str, Any]] = json.loads((FIXTURES / "index.json").read_text())
    fixtures = [Fixture(**entry) for entry in entries]
    return [f for f in fixtures if api is None or f.api == api]


def fixture(key: str) -> Fixture:
    """One fixture by ``function/case``."""
    for item in load_fixtures():
        if item.key == key:
            return item
    raise KeyError(key)


def replay_app(item: Fixture, requests: list[dict[str, str]] | None = None) -> web.Application:
    async def handle(request: web.Request) -> web.Response:
        if request.method == "POST":
            form = await request.post()
            got = {k: str(v) for k, v in form.items()}
            got.update(request.query)
        else:
            got = dict(request.query)
        if requests is not None:
            requests.append(got)
        expected = item.expected_params()
        if request.method != item.method or got != expected:
            shown = {k: ("***" if k == "pass" else v) for k, v in got.items()}
            return web.Response(
                status=418,
                text=f"request mismatch: {request.method} {shown} != {item.method} {item.params}",
            )
        return web.Response(
            status=item.http_status, body=item.body, headers={"Content-Type": item.content_type}
        )

    app = web.Application()
    app.router.add_route("*", item.path, handle)
    return app


ServerFactory = Callable[[web.Application], Awaitable[TestServer]]
CREDENTIALS = ("source", "user", "pass", "function")
C = TypeVar("C", bound=BaseClient)


def call_params(item: Fixture) -> dict[str, Any]:
    """The fixture's function parameters, without credentials and the function name."""
    return {k: v for k, v in item.params.items() if k not in CREDENTIALS}


def client_for(cls: type[C], url: str, item: Fixture) -> C:
    """A client sending exactly what the fixture's request carried, without retries."""
    return cls(
        url,
        item.params.get("user", "6666"),
        PASSWORD,
        source=item.params.get("source", "test"),
        method="POST" if item.method == "POST" else "GET",
        retries=0,
    )


async def serve(aiohttp_server: ServerFactory, item: Fixture) -> str:
    """Start the replaying server; the base URL for a client."""
    server = await aiohttp_server(replay_app(item))
    return str(server.make_url("")).rstrip("/")
