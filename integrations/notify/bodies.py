"""What an http target sends: a JSON object, a chat service's incoming-webhook message, or the
target's own template.

- ``json``: ``{"title": ..., "message": ..., "data": {...}}``;
- ``slack``: ``{"text": "*title*\\nmessage"}`` in Slack's mrkdwn, with ``channel``,
  ``username`` and ``icon_url`` when the call gives them (legacy webhooks honour them);
- ``mattermost``: the same shape in Markdown (``**title**``); Mattermost honours the overrides
  when its admin allows them;
- ``teams``: a message holding one Adaptive Card (a bold title block and the text), which both
  Teams' incoming webhooks and its Workflows ("when a Teams webhook request is received")
  accept.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from engine.jsonable import to_jsonable
from integrations.notify.models import ChatParams, DataParams, NotifyParams
from integrations.notify.templates import TargetTemplate, variables

JSON = "application/json"
TEXT = "text/plain; charset=utf-8"
_CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"


@dataclass(frozen=True, slots=True)
class Body:
    data: bytes
    content_type: str


def _json(value: Any) -> Body:
    return Body(json.dumps(value, ensure_ascii=False).encode(), JSON)


def json_body(params: DataParams) -> Body:
    return _json(
        {"title": params.title, "message": params.message, "data": to_jsonable(params.data)}
    )


def _chat(params: ChatParams, bold: str) -> Body:
    text = f"{bold}{params.title}{bold}\n{params.message}" if params.title else params.message
    message: dict[str, str] = {"text": text}
    for key in ("channel", "username", "icon_url"):
        value = getattr(params, key)
        if value is not None:
            message[key] = value
    return _json(message)


def slack_body(params: ChatParams) -> Body:
    return _chat(params, "*")


def mattermost_body(params: ChatParams) -> Body:
    return _chat(params, "**")


def teams_body(params: NotifyParams) -> Body:
    blocks: list[dict[str, Any]] = []
    if params.title:
        blocks.append(
            {
                "type": "TextBlock",
                "text": params.title,
                "weight": "Bolder",
                "size": "Medium",
                "wrap": True,
            }
        )
    blocks.append({"type": "TextBlock", "text": params.message, "wrap": True})
    card = {"$schema": _CARD_SCHEMA, "type": "AdaptiveCard", "version": "1.2", "body": blocks}
    attachment = {"contentType": "application/vnd.microsoft.card.adaptive", "content": card}
    return _json({"type": "message", "attachments": [attachment]})


def template_body(template: TargetTemplate, params: DataParams, target: str) -> Body:
    """The target's template rendered; sent as JSON when it reads as JSON, else as text."""
    text = template.render(variables(target, params.message, params.title, params.data))
    try:
        json.loads(text)
    except ValueError:
        return Body(text.encode(), TEXT)
    return Body(text.encode(), JSON)
