"""Dispatching payloads to handlers, for programs that use the parsers as a library.

The router does not check tokens: put it behind the receiver (it is a Handoff) or behind your
own authentication when you hand it requests directly.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import TypeAlias

from aiohttp import web

from .kinds import Kind, kind_from_name
from .parser import kind_in_url, parse_url
from .payloads import AgentEventPayload, WebhookPayload

Handler: TypeAlias = Callable[[WebhookPayload], Awaitable[None] | None]


class Router:
    def __init__(self) -> None:
        self._by_kind: dict[Kind, list[Handler]] = {}
        self._by_event: dict[str, list[Handler]] = {}

    def on(self, kind: Kind | str, handler: Handler) -> Handler:
        """Call ``handler`` with every payload of ``kind``."""
        chosen = kind_from_name(kind) if not isinstance(kind, Kind) else kind
        self._by_kind.setdefault(chosen, []).append(handler)
        return handler

    def on_event(self, event: str, handler: Handler) -> Handler:
        """Call ``handler`` with every agent push whose event is ``event`` (known or not)."""
        self._by_event.setdefault(str(event), []).append(handler)
        return handler

    async def __call__(self, payload: WebhookPayload, /) -> None:
        handlers = list(self._by_kind.get(payload.kind, ()))
        if isinstance(payload, AgentEventPayload) and payload.event is not None:
            handlers += self._by_event.get(payload.event, ())
        for handler in handlers:
            result = handler(payload)
            if inspect.isawaitable(result):
                await result

    async def handle(
        self, request: web.BaseRequest | str | bytes, kind: Kind | str | None = None
    ) -> WebhookPayload:
        """Parse a request, URL or query string and dispatch it; returns the payload."""
        if isinstance(request, web.BaseRequest):
            raw = request.raw_path
            if request.method == "POST" and request.can_read_body:
                raw += ("&" if "?" in raw else "?") + (await request.read()).decode(
                    "utf-8", "surrogateescape"
                )
            chosen = kind if kind is not None else _request_kind(request)
            payload = parse_url(raw, chosen)
        else:
            payload = parse_url(request if "?" in _text(request) else b"?" + _bytes(request), kind)
        await self(payload)
        return payload


def _request_kind(request: web.BaseRequest) -> Kind:
    named = request.match_info.get("kind") if isinstance(request, web.Request) else None
    return kind_from_name(named) if named else kind_in_url(request.raw_path)


def _text(data: str | bytes) -> str:
    return data if isinstance(data, str) else data.decode("latin-1")


def _bytes(data: str | bytes) -> bytes:
    return data if isinstance(data, bytes) else data.encode("utf-8", "surrogateescape")
