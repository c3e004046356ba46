from __future__ import annotations

from typing import Any

from aiohttp import web

from integrations.vicidial.webhooks.payloads import WebhookPayload
from integrations.vicidial.webhooks.router import Router


async def test_on_and_on_event_dispatch() -> None:
    router = Router()
    seen: list[str] = []

    async def by_kind(payload: WebhookPayload) -> None:
        seen.append("kind:" + payload.kind.value)

    router.on("agent_event", by_kind)
    router.on_event("call_dead", lambda p: seen.append("event:" + p.values["event"]))
    await router.handle("user=1001&event=call_dead", kind="agent_event")
    await router.handle("/webhooks/agent_event?event=logged_in")
    await router.handle(b"?kind=no_agent&status=DROP")
    assert seen == ["kind:agent_event", "event:call_dead", "kind:agent_event"]


async def test_handle_an_aiohttp_request(aiohttp_client: Any) -> None:
    router = Router()
    got: list[WebhookPayload] = []
    router.on("dispo_callback", got.append)

    async def view(request: web.Request) -> web.Response:
        payload = await router.handle(request)
        return web.Response(text=payload.dedupe_key)

    app = web.Application()
    app.router.add_route("*", "/hooks/{kind}", view)
    client = await aiohttp_client(app)
    resp = await client.post("/hooks/dispo_callback?lead_id=4", data=b"dispo=SALE")
    assert await resp.text() == "dispo_callback|lead_id=4|dispo=SALE"
    assert [p.values for p in got] == [{"lead_id": "4", "dispo": "SALE"}]
