from __future__ import annotations

import asyncio
from datetime import UTC

import pytest

from engine.clock import Clock, ClockMode
from engine.context import Context, Origin
from engine.core import Core
from integrations.vicidial.admin.client import ViciAdmin
from integrations.vicidial.agent.client import ViciAgent
from integrations.vicidial.errors import ViciConnectionError
from integrations.vicidial.glue.errors import ViciCircuitOpenError, ViciRateLimitedError
from integrations.vicidial.glue.limits import BreakerState, CircuitBreaker, Rate, RateLimiter
from integrations.vicidial.glue.services import Gate, register_services
from tests.integrations.vicidial.glue.conftest import Dialer

CTX = Context(Origin.RULE)


async def test_a_token_bucket_per_function_refuses_past_its_burst_then_refills() -> None:
    clock = Clock(ClockMode.MANUAL, start=0, tz=UTC)
    limiter = RateLimiter(Rate(1, 2), {"external_pause": Rate(0.5, 1)}, clock.time)
    limiter.check("agent_status")
    limiter.check("agent_status")
    with pytest.raises(ViciRateLimitedError, match=r"1/s \(burst 2\)") as refused:
        limiter.check("agent_status")
    assert refused.value.sent is False
    limiter.check("external_pause")
    with pytest.raises(ViciRateLimitedError, match=r"0\.5/s \(burst 1\)"):
        limiter.check("external_pause")
    await clock.advance(2)
    limiter.check("external_pause")
    limiter.check("agent_status")


async def test_the_breaker_opens_after_failures_and_half_opens_after_a_pause() -> None:
    clock = Clock(ClockMode.MANUAL, start=0, tz=UTC)
    breaker = CircuitBreaker(3, 30, clock.time)
    for _ in range(3):
        breaker.before("agent_status")
        breaker.failed()
    assert breaker.state is BreakerState.OPEN
    with pytest.raises(ViciCircuitOpenError, match="held back for 30s more"):
        breaker.before("agent_status")
    await clock.advance(30)
    breaker.before("agent_status")  # one trial call
    with pytest.raises(ViciCircuitOpenError, match="tried again"):
        breaker.before("agent_status")
    breaker.failed()  # the trial failed: open again
    with pytest.raises(ViciCircuitOpenError):
        breaker.before("agent_status")
    await clock.advance(30)
    breaker.before("agent_status")
    breaker.succeeded()
    assert breaker.state.value == "closed"
    breaker.before("agent_status")


async def test_services_refuse_through_limits_and_breaker_with_typed_errors(
    core: Core, dialer: Dialer
) -> None:
    async with (
        ViciAgent(dialer.url, "6666", "1234", retries=0) as agent,
        ViciAdmin(dialer.url, "6666", "1234", retries=0) as admin,
    ):
        gate = Gate(
            RateLimiter(Rate(100, 100), {"agent_status": Rate(1, 1)}, core.clock.time),
            CircuitBreaker(2, 60, core.clock.time),
        )
        clients = {"agent": agent, "admin": admin}
        register_services(core.services, clients.__getitem__, gate)
        assert len(core.services) == len(agent.registry) + len(admin.registry)
        result = await core.services.call(
            "vicidial.admin.agent_status", {"agent_user": "1001"}, context=CTX
        )
        assert result.records[0].status.value == "PAUSED"
        with pytest.raises(ViciRateLimitedError):
            await core.services.call(
                "vicidial.admin.agent_status", {"agent_user": "1001"}, context=CTX
            )
        # A pause through the agent API changes the dialer's state.
        await core.services.call(
            "vicidial.agent.external_pause", {"agent_user": "1002", "value": "PAUSE"}, context=CTX
        )
        assert dialer.center.sessions["1002"].status.value == "PAUSED"
        await dialer.stop()
        for _ in range(2):
            with pytest.raises(ViciConnectionError):
                await core.services.call("vicidial.admin.version", {}, context=CTX)
        with pytest.raises(ViciCircuitOpenError) as held:
            await core.services.call("vicidial.admin.version", {}, context=CTX)
        assert held.value.sent is False


async def test_a_trial_call_cancelled_half_open_lets_the_next_call_try(
    core: Core, dialer: Dialer
) -> None:
    async with ViciAdmin(dialer.url, "6666", "1234", retries=0) as admin:
        gate = Gate(
            RateLimiter(Rate(100, 100), {}, core.clock.time), CircuitBreaker(1, 60, core.clock.time)
        )
        register_services(core.services, {"admin": admin}.__getitem__, gate)
        await dialer.stop()
        with pytest.raises(ViciConnectionError):
            await core.services.call("vicidial.admin.version", {}, context=CTX)
        await dialer.start()
        await core.advance(60)
        answering = asyncio.Event()

        async def hang() -> None:
            answering.set()
            await asyncio.Event().wait()

        dialer.before_answer["version"] = hang
        trial = asyncio.create_task(core.services.call("vicidial.admin.version", {}, context=CTX))
        await answering.wait()
        trial.cancel()  # the rule run that made the trial call was cancelled (a timeout, a stop)
        with pytest.raises(asyncio.CancelledError):
            await trial
        assert gate.breaker.state is BreakerState.HALF_OPEN
        result = await core.services.call("vicidial.admin.version", {}, context=CTX)
        assert result.version
        assert gate.breaker.state.value == "closed"
