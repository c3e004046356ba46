"""A simulated chat service beside the dialer: incoming-webhook URLs that keep what is posted.

Supervisors read alerts in Slack, Mattermost or Teams; the demo and the tests need a place an
``http`` notify target can post to and a test can read back. ``POST /simulator/chat/<room>``
takes a JSON body (any of the chat formats) and keeps it; the control API's ``/state`` lists
every room's messages. Like a real incoming webhook, the URL is the credential: there is no
token, so bind the simulator to loopback.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from integrations.vicidial.simulator.state import CallCenter
from integrations.vicidial.simulator.wire import stamp

CHAT_PREFIX = "/simulator/chat"
MAX_MESSAGE = 64 * 1024
MAX_KEPT = 1000  # per room: the oldest go first
_ROOM = re.compile(r"[A-Za-z0-9_-]{1,64}")


@dataclass(frozen=True, slots=True)
class ChatMessage:
    room: str
    at: str  # simulated time, as the dialer prints it
    body: Any  # the JSON posted
    text: str  # its text: "text" (Slack, Mattermost, Teams) or the whole body


def text_of(body: Any) -> str:
    if isinstance(body, dict):
        for key in ("text", "message", "summary"):
            if isinstance(body.get(key), str):
                return str(body[key])
    return json.dumps(body, ensure_ascii=False)


def add_chat_routes(app: web.Application, center: CallCenter) -> None:
    async def post(request: web.Request) -> web.Response:
        room = request.match_info["room"]
        if not _ROOM.fullmatch(room):
            return web.Response(status=404, text="no such room\n")
        raw = await request.content.read(MAX_MESSAGE + 1)
        if len(raw) > MAX_MESSAGE:
            return web.Response(status=413, text="message too large\n")
        try:
            body = json.loads(raw or b"null")
        except ValueError:
            return web.Response(status=400, text="the body must be JSON\n")
        kept = center.chat.setdefault(room, [])
        kept.append(ChatMessage(room, stamp(center.now()), body, text_of(body)))
        del kept[:-MAX_KEPT]
        return web.Response(text="ok")

    app.router.add_post(CHAT_PREFIX + "/{room}", post)


def chat_snapshot(center: CallCenter) -> dict[str, list[dict[str, Any]]]:
    return {
        room: [{"at": m.at, "text": m.text, "body": m.body} for m in messages]
        for room, messages in center.chat.items()
    }
