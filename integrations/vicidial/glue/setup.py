"""The ViciDial integration's one setup function, and the object that owns its parts.

``setup`` registers everything with the core without touching the network, so ``vicibus
check`` sees every service and event type the daemon would: the vocabulary in the catalog,
every API function as a service, the push, drop and sale listeners, and the receiver
sub-application. ``start`` then reaches the dialer (or starts the embedded simulated one with
its callbacks at the daemon's receiver), the poller and the clock coupling; ``stop`` undoes it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from pydantic import SecretStr

from engine.clock import ClockMode
from engine.config import LoadedConfig
from engine.core import Core
from engine.events import webhook_event_type
from integrations.vicidial.admin.client import ViciAdmin
from integrations.vicidial.agent.client import ViciAgent
from integrations.vicidial.client import BaseClient
from integrations.vicidial.glue.config import VICIDIAL, WEBHOOKS, VicidialConfig, WebhooksConfig
from integrations.vicidial.glue.entities import DailyCounts
from integrations.vicidial.glue.gaps import GapDetector
from integrations.vicidial.glue.limits import CircuitBreaker, Rate, RateLimiter
from integrations.vicidial.glue.poller import Poller, PollPlan
from integrations.vicidial.glue.push import PushTracker
from integrations.vicidial.glue.services import Gate, register_services
from integrations.vicidial.glue.simulated import EmbeddedDialer, ExternalClockFollower
from integrations.vicidial.glue.sources import (
    DailyCounter,
    DidDecisions,
    PushListener,
    WebhookHandoff,
    gap_reporter,
)
from integrations.vicidial.glue.vocabulary import declare
from integrations.vicidial.simulator.scenario import load_named
from integrations.vicidial.transport import Transport
from integrations.vicidial.webhooks.config import ReceiverConfig
from integrations.vicidial.webhooks.kinds import Kind
from integrations.vicidial.webhooks.receiver import create_receiver

logger = logging.getLogger(__name__)


class NotStartedError(RuntimeError):
    pass


@dataclass(frozen=True, slots=True)
class DialerInfo:
    """What the banner says about the dialer: never a credential."""

    description: str  # "https://dialer.example.com" or "simulated: demo at 60x"
    base_url: str


class VicidialIntegration:
    def __init__(
        self,
        core: Core,
        config: VicidialConfig,
        webhooks: WebhooksConfig,
        tokens: list[str],
        *,
        follow_simulator: bool = False,
    ) -> None:
        if not tokens:
            raise ValueError("the receiver needs at least one webhook token")
        self.core = core
        self.config = config
        self._tokens = tokens
        self._follow_simulator = follow_simulator
        self.agent: ViciAgent | None = None
        self.admin: ViciAdmin | None = None
        self._receiver_base = ""
        self.gate = Gate(_limiter(config, core), _breaker(config, core))
        declare(core.catalog)
        self._undo = register_services(core.services, self._client, self.gate)
        self.push = PushTracker()
        self.daily = DailyCounts()
        self.gaps = GapDetector(core.clock, gap_reporter(core), session_id=self._session_id)
        self.counter = DailyCounter(core, self.daily)
        self.did = DidDecisions(webhooks.did_filter_fallback)
        self.handoff = WebhookHandoff(core)
        self._unsubscribe = [
            core.bus.subscribe(
                webhook_event_type(Kind.AGENT_EVENT.value),
                PushListener(core, self.push, self.gaps),
                name="vicidial.push",
            ),
            core.bus.subscribe(
                webhook_event_type(Kind.NO_AGENT.value), self.counter.no_agent, name="drops"
            ),
            core.bus.subscribe(
                webhook_event_type(Kind.DISPO_CALLBACK.value), self.counter.dispo, name="sales"
            ),
        ]
        receiver = ReceiverConfig.model_validate(
            {**dict(webhooks), "tokens": tuple(SecretStr(t) for t in tokens)}
        )
        self.receiver: web.Application = create_receiver(receiver, self.handoff, self.did)
        self.plan = _plan(config)
        self.poller: Poller | None = None
        self.embedded: EmbeddedDialer | None = None
        self._follower: ExternalClockFollower | None = None

    def __repr__(self) -> str:
        return f"VicidialIntegration({self.dialer().description})"

    def _client(self, api: str) -> BaseClient:
        client = self.agent if api == "agent" else self.admin
        if client is None:
            raise NotStartedError("the ViciDial integration is not started")
        return client

    def _session_id(self, user: str) -> int | None:
        state = self.core.states.get(f"agent.{user}")
        value = state.attributes.get("session_id") if state else None
        return value if isinstance(value, int) else None

    def dialer(self) -> DialerInfo:
        simulated = self.config.simulated
        if simulated is not None:
            base = self.embedded.base_url if self.embedded else ""
            speed = simulated.speed or (self.embedded.center.clock.speed if self.embedded else None)
            pace = f" at {speed:g}x" if speed and speed != 1 else ""
            if self.core.clock.mode is ClockMode.MANUAL:
                pace = " on the manual clock"  # it moves only when told (POST /api/clock)
            return DialerInfo(f"simulated: {simulated.scenario}{pace}", base)
        return DialerInfo(str(self.config.url), str(self.config.url))

    @property
    def ready(self) -> bool:
        """The first full poll is done."""
        return self.poller is not None and self.poller.first_poll.is_set()

    async def start(self, receiver_base: str) -> None:
        """Reach the dialer (starting the embedded one, its callbacks at ``receiver_base``),
        then start polling."""
        await self.connect(receiver_base)
        assert self.admin is not None
        self.counter.start()
        self.poller = Poller(self.core, self.admin, self.plan, push=self.push, daily=self.daily)
        self.poller.start()

    async def connect(
        self, receiver_base: str, *, traffic: bool = True, port: int | None = None
    ) -> None:
        """The dialer's clients (and the embedded dialer, with its traffic unless told not
        to, on ``port`` instead of the configured one if given), without polling: what
        ``vicibus check --online`` needs."""
        self._receiver_base = receiver_base
        config = self.config
        follow = self.core.clock.mode is not ClockMode.MANUAL and self._follow_simulator
        if config.simulated is not None:
            sim = config.simulated
            self.embedded = EmbeddedDialer(
                load_named(sim.scenario),
                self.core.clock,
                follow=follow,
                port=sim.port if port is None else port,
                control_token=sim.control_token.get_secret_value() if sim.control_token else None,
                seed=sim.seed,
                traffic=sim.traffic and traffic,
                speed=sim.speed,
            )
            base = await self.embedded.start(receiver_base, self._tokens[0])
            user, password = self.embedded.api_credentials()
            agent_user, agent_password = user, password
        else:
            base = str(config.url)
            user = str(config.api_user)
            password = _secret(config.api_password)
            agent_user = config.agent_api_user or user
            agent_password = (
                _secret(config.agent_api_password) if config.agent_api_password else password
            )
            if follow and config.simulator_control is not None:
                token = config.simulator_control.token.get_secret_value()
                self._follower = ExternalClockFollower(self.core.clock, base, token)
                self._follower.start()
        # One transport: both clients share each host's limit of requests in flight.
        transport = Transport(ssl=config.verify_tls)
        options: dict[str, Any] = {
            "source": config.source,
            "timeout": config.timeout,
            "transport": transport,
        }
        self.agent = ViciAgent(base, agent_user, agent_password, **options)
        self.admin = ViciAdmin(base, user, password, **options)

    async def reconfigure(self, loaded: LoadedConfig) -> None:
        """A reload: with the ``vicidial`` section changed, reach the dialer anew (clients,
        poller, the embedded simulator) behind the same receiver; else nothing changes."""
        config = loaded.section(VICIDIAL)
        if config == self.config:
            return
        logger.info("the vicidial section changed: reaching the dialer anew")
        await self.stop()
        self.config = config
        self.plan = _plan(config)
        self.gate.limiter = _limiter(config, self.core)
        self.gate.breaker = _breaker(config, self.core)
        await self.start(self._receiver_base)

    async def quiesce(self) -> None:
        """Before the daemon drains: the embedded dialer stops sending callbacks (which the
        draining receiver would refuse); a real dialer is not ours to stop."""
        if self.embedded is not None:
            await self.embedded.stop_traffic()

    async def stop(self) -> None:
        if self.poller is not None:
            await self.poller.stop()
            self.poller = None
        self.counter.stop()
        if self._follower is not None:
            await self._follower.stop()
            self._follower = None
        for client in (self.agent, self.admin):
            if client is not None:
                await client.close()
        self.agent = self.admin = None
        if self.embedded is not None:
            await self.embedded.stop()
            self.embedded = None

    def remove(self) -> None:
        """Take the services and listeners out of the core (a reload that drops the
        integration)."""
        for undo in (*self._undo, *self._unsubscribe):
            undo()


def _plan(config: VicidialConfig) -> PollPlan:
    poll = config.poll
    return PollPlan(
        interval=poll.interval,
        campaigns=poll.campaigns,
        ingroups=poll.ingroups,
        usergroups=poll.usergroups,
        discover=poll.discover,
    )


def _limiter(config: VicidialConfig, core: Core) -> RateLimiter:
    limits = config.rate_limits
    return RateLimiter(
        Rate(limits.default.rate, limits.default.burst),
        {name: Rate(r.rate, r.burst) for name, r in limits.functions.items()},
        core.clock.time,
    )


def _breaker(config: VicidialConfig, core: Core) -> CircuitBreaker:
    return CircuitBreaker(config.breaker.failures, config.breaker.reset_after, core.clock.time)


def _secret(value: SecretStr | None) -> str:
    return value.get_secret_value() if value is not None else ""


def setup(core: Core, config: LoadedConfig, tokens: list[str]) -> VicidialIntegration:
    """Register the integration with ``core`` from a loaded config; nothing is started."""
    return VicidialIntegration(
        core,
        config.section(VICIDIAL),
        config.section(WEBHOOKS),
        tokens,
        follow_simulator=config.core.clock.follow == "simulator",
    )
