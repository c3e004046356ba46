"""Rate limits and a circuit breaker between rules and the dialer.

A runaway rule (a loop, a storm of callbacks) must not flood ViciDial, whose web servers are
fragile: each function has a token bucket (a default for all, overridable per function) and the
dialer has one breaker that opens after repeated connection failures and half-opens after a
pause, letting one call through to try. Both run on the engine's clock, so tests step them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from integrations.vicidial.glue.errors import ViciCircuitOpenError, ViciRateLimitedError

Now = Callable[[], float]


@dataclass(frozen=True, slots=True)
class Rate:
    per_second: float
    burst: int


class TokenBucket:
    def __init__(self, rate: Rate, now: Now) -> None:
        self.rate = rate
        self._now = now
        self._tokens = float(rate.burst)
        self._stamp = now()

    def __repr__(self) -> str:
        return f"TokenBucket({self.rate.per_second:g}/s, burst {self.rate.burst})"

    def take(self) -> bool:
        now = self._now()
        elapsed = max(0.0, now - self._stamp)
        self._stamp = now
        self._tokens = min(float(self.rate.burst), self._tokens + elapsed * self.rate.per_second)
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return True
        return False


class RateLimiter:
    """One bucket per function, made on first use from its own rate or the default."""

    def __init__(self, default: Rate, functions: Mapping[str, Rate], now: Now) -> None:
        self._default = default
        self._rates = dict(functions)
        self._now = now
        self._buckets: dict[str, TokenBucket] = {}

    def check(self, function: str) -> None:
        bucket = self._buckets.get(function)
        if bucket is None:
            rate = self._rates.get(function, self._default)
            bucket = self._buckets[function] = TokenBucket(rate, self._now)
        if not bucket.take():
            rate = bucket.rate
            raise ViciRateLimitedError(
                f"rate limit of {rate.per_second:g}/s (burst {rate.burst}) reached; not sent",
                function=function,
                sent=False,
            )


class BreakerState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class CircuitBreaker:
    def __init__(self, failures: int, reset_after: float, now: Now) -> None:
        if failures < 1 or reset_after <= 0:
            raise ValueError("the breaker needs failures >= 1 and reset_after > 0")
        self._threshold = failures
        self._reset_after = reset_after
        self._now = now
        self._failures = 0
        self._opened_at = 0.0
        self._trial = False
        self.state = BreakerState.CLOSED

    def __repr__(self) -> str:
        return f"CircuitBreaker({self.state.value}, {self._failures}/{self._threshold})"

    def before(self, function: str) -> None:
        """Raise when the breaker holds calls back; in half-open state one call may try."""
        if self.state is BreakerState.OPEN:
            waited = self._now() - self._opened_at
            if waited < self._reset_after:
                raise ViciCircuitOpenError(
                    f"the dialer failed {self._failures} times in a row; calls are held back "
                    f"for {self._reset_after - waited:.0f}s more; not sent",
                    function=function,
                    sent=False,
                )
            self.state = BreakerState.HALF_OPEN
            self._trial = False
        if self.state is BreakerState.HALF_OPEN:
            if self._trial:
                raise ViciCircuitOpenError(
                    "the dialer is being tried again by another call; not sent",
                    function=function,
                    sent=False,
                )
            self._trial = True

    def succeeded(self) -> None:
        self._failures = 0
        self._trial = False
        self.state = BreakerState.CLOSED

    def abandoned(self) -> None:
        """A call that ended without a word from the dialer: the next call may try."""
        self._trial = False

    def failed(self) -> None:
        """A connection failure (no answer at all); answers with errors are not failures."""
        self._failures += 1
        self._trial = False
        if self.state is BreakerState.HALF_OPEN or self._failures >= self._threshold:
            self.state = BreakerState.OPEN
            self._opened_at = self._now()
