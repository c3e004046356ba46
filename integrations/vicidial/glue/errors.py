"""Refusals of the integration itself: calls it keeps from reaching the dialer."""

from __future__ import annotations

from integrations.vicidial.errors import ViciError


class ViciRateLimitedError(ViciError):
    """A function's rate limit is spent: the call was not sent. Slow the rule down, or raise
    ``vicidial.rate_limits`` for this function if the dialer can take it."""


class ViciCircuitOpenError(ViciError):
    """The dialer failed to answer repeatedly, so calls are held back for a while instead of
    piling onto it: the call was not sent."""
