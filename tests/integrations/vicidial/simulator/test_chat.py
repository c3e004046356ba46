from __future__ import annotations

from typing import Any

import aiohttp

from integrations.vicidial.simulator.state import CallCenter

from .conftest import TOKEN


async def test_a_chat_room_keeps_what_is_posted_and_the_state_lists_it(
    base_url: str, center: CallCenter
) -> None:
    async with aiohttp.ClientSession() as session:
        url = f"{base_url}/simulator/chat/supervisors"
        async with session.post(url, json={"text": "Drops over 3 on DEMO"}) as answer:
            assert (answer.status, await answer.text()) == (200, "ok")
        async with session.post(url, json={"@type": "MessageCard", "summary": "x"}) as answer:
            assert answer.status == 200
        async with session.post(url, data=b"not json") as answer:
            assert answer.status == 400
        async with session.post(f"{base_url}/simulator/chat/../x", json={}) as answer:
            assert answer.status == 404
        headers = {"Authorization": f"Bearer {TOKEN}"}
        async with session.get(f"{base_url}/simulator/control/state", headers=headers) as answer:
            state: dict[str, Any] = await answer.json()
    assert [m["text"] for m in state["chat"]["supervisors"]] == ["Drops over 3 on DEMO", "x"]
    assert center.chat["supervisors"][0].body == {"text": "Drops over 3 on DEMO"}
