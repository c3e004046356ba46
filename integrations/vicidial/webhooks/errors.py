"""Typed errors of the webhooks package; messages say what to do and never carry a token."""

from __future__ import annotations


class WebhookError(Exception):
    """Base class of every error raised by the webhooks package."""


class UnknownKindError(WebhookError):
    """A callback kind that vicibus does not know."""

    def __init__(self, kind: str) -> None:
        shown = kind if len(kind) <= 40 else kind[:40] + "..."
        super().__init__(
            f"unknown webhook kind {shown!r}; use one of the names listed by `vicibus urls`"
        )
        self.kind = kind


class MalformedInputError(WebhookError):
    """A request that cannot carry an event at all (the reason is one line)."""


class UrlBuildError(WebhookError):
    """A callback URL that ViciDial could not send as asked; the message names the fix."""


class HandoffRefusedError(WebhookError):
    """The hand-off declined an event on purpose (the daemon is stopping): the receiver
    answers 503 with ``reason``, which must hold no digit, and logs an INFO line, not an error."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
