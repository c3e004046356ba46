"""The one place a received payload leaves the receiver.

Today the engine passes a coroutine that puts the payload on its bus; a durable journal will
implement the same protocol later, so the receiver answers 200 only after ``deliver`` returned.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol

from .payloads import DidFilterPayload, WebhookPayload


class Handoff(Protocol):
    async def __call__(self, payload: WebhookPayload, /) -> None: ...


# Decides a DID filter request: True answers 1 (match), False answers 0.
DidDecider = Callable[[DidFilterPayload], Awaitable[bool]]


async def discard(payload: WebhookPayload, /) -> None:
    """A hand-off that drops every payload (benchmarks, dry runs)."""
