"""Replaying captured non-agent answers to a real ViciAdmin over loopback."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from integrations.vicidial.admin import ViciAdmin
from tests.integrations.vicidial.replay import (
    PASSWORD,
    Fixture,
    ServerFactory,
    load_fixtures,
    serve,
)

Replay = Callable[[str], Awaitable[ViciAdmin]]


def admin_fixture(key: str) -> Fixture:
    """A non-agent fixture by ``function/case`` (the agent API has cases of the same name)."""
    for item in load_fixtures("non_agent"):
        if item.key == key:
            return item
    raise KeyError(key)


@pytest.fixture
async def replay(aiohttp_server: ServerFactory) -> AsyncIterator[Replay]:
    """``await replay("function/case")``: a client whose server answers only that fixture."""
    clients: list[ViciAdmin] = []

    async def start(key: str) -> ViciAdmin:
        item = admin_fixture(key)
        base = await serve(aiohttp_server, item)
        user = item.params.get("user", "6666")
        method = "POST" if item.method == "POST" else "GET"
        admin = ViciAdmin(
            base, user, PASSWORD, source=item.params.get("source", "test"), method=method, retries=0
        )
        clients.append(admin)
        return admin

    yield start
    for admin in clients:
        await admin.close()
