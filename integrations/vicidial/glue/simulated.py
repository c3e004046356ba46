"""The simulated dialer as the daemon's dialer: embedded in the process, or external.

Embedded (``vicidial.simulated``): the simulated call center serves both APIs on a loopback
port, its callback URLs point at the daemon's own receiver with a webhook token, and its clock
goes in step with the engine's:

- manual engine clock: the simulator's clock stands still too, and each ``advance`` of the
  engine plays the simulator's actions in time order with the engine's own timers (the
  simulator is a clock follower), waiting for the callbacks they send;
- ``clock.follow: simulator``: the engine's clock takes the simulator's time and speed (the demo
  starts on its scenario's date at 60x, and ``for: 5 minutes`` passes in five seconds);
- otherwise the simulator runs at the engine's mode and speed.

External (``vicidial.url`` pointing at a ``vicibus simulate``, with its control token): the
engine follows the simulator's clock, read from its control API, so a daemon can be killed and
restarted while the call center lives on.

The simulator prints times as ViciDial does, naive in the dialer's own zone, and its epochs
treat that wall time as UTC; the engine's epochs are real UTC. The call center's time zone
(the config's ``timezone``) converts between them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from datetime import UTC, datetime, tzinfo
from typing import Any

import aiohttp

from engine.clock import Clock, ClockMode
from integrations.vicidial.simulator.clock import ClockMode as SimMode
from integrations.vicidial.simulator.control import CONTROL_PREFIX
from integrations.vicidial.simulator.rawhttp import RawHttp
from integrations.vicidial.simulator.retarget import point_callbacks_at
from integrations.vicidial.simulator.runtime import Simulation
from integrations.vicidial.simulator.scenario import Scenario, build_center
from integrations.vicidial.simulator.server import Simulator

logger = logging.getLogger(__name__)

# How often (real seconds) the engine reads an external simulator's clock.
FOLLOW_INTERVAL = 1.0
# A drift the engine tolerates before it jumps to the simulator's time (engine seconds).
FOLLOW_TOLERANCE = 0.5


def sim_to_engine(sim_epoch: float, tz: tzinfo) -> float:
    """A simulator epoch (wall time in the dialer's zone, read as UTC) as a real epoch.

    Only whole seconds go through datetime (which keeps microseconds): the fraction is kept
    exactly, so the two conversions are each other's inverse and a due time converted there
    and back is the same float."""
    whole = math.floor(sim_epoch)
    wall = datetime.fromtimestamp(whole, UTC).replace(tzinfo=None)
    return wall.replace(tzinfo=tz).timestamp() + (sim_epoch - whole)


def engine_to_sim(epoch: float, tz: tzinfo) -> float:
    whole = math.floor(epoch)
    wall = datetime.fromtimestamp(whole, tz).replace(tzinfo=None)
    return wall.replace(tzinfo=UTC).timestamp() + (epoch - whole)


class EmbeddedDialer:
    def __init__(
        self,
        scenario: Scenario,
        clock: Clock,
        *,
        follow: bool,
        host: str = "127.0.0.1",
        port: int = 0,
        control_token: str | None = None,
        seed: int | None = None,
        traffic: bool = True,
        speed: float | None = None,
    ) -> None:
        self._clock = clock
        self._follow = follow
        self._host = host
        self._port = port
        model = scenario.traffic if traffic else None
        if model is not None and seed is not None:
            model = model.model_copy(update={"seed": seed})
        self.center = build_center(scenario)
        if speed is not None:
            self.center.clock.set_mode(SimMode.ACCELERATED, speed)
        self._traffic = model
        self.simulator = Simulator(self.center, control_token=control_token)
        self.simulation: Simulation | None = None
        self._unfollow: Any = None

    def __repr__(self) -> str:
        return f"EmbeddedDialer({self.simulator.base_url or 'not started'})"

    @property
    def base_url(self) -> str:
        return self.simulator.base_url

    def api_credentials(self) -> tuple[str, str]:
        """An API user of the scenario with every permission (the one vicibus logs in as)."""
        users = [
            u
            for u in self.center.users.values()
            if u.api_access and not u.locked and u.active and u.user_level >= 8
        ]
        if not users:
            raise ValueError("the scenario has no active API user of level 8 or more")
        best = max(users, key=lambda u: (u.user_level, len(u.permissions)))
        return best.user, best.password

    async def start(self, receiver_base: str, webhook_token: str) -> str:
        """Serve both APIs, point the callbacks at ``receiver_base``, start the clocks."""
        base = await self.simulator.start(self._host, self._port)
        retargeted = point_callbacks_at(self.center, receiver_base.rstrip("/"), webhook_token)
        transport = RawHttp(resolve=retargeted.resolve)
        self.simulation = Simulation(self.center, self._traffic, transport=transport)
        self._couple_clocks()
        await self.simulation.start(run=self._clock.mode is not ClockMode.MANUAL)
        return base

    def _couple_clocks(self) -> None:
        sim = self.center.clock
        tz = self._clock.tz
        if self._clock.mode is ClockMode.MANUAL:
            sim.set_mode(SimMode.MANUAL)
            self._clock.retime(at=sim_to_engine(sim.time(), tz))
            self._unfollow = self._clock.add_follower(self)
        elif self._follow:
            mode = ClockMode.REAL if sim.mode is SimMode.REAL else ClockMode.ACCELERATED
            self._clock.retime(at=sim_to_engine(sim.time(), tz), speed=sim.speed, mode=mode)
        else:
            sim_mode = SimMode(self._clock.mode.value)
            accelerated = sim_mode is SimMode.ACCELERATED
            sim.set_mode(sim_mode, self._clock.speed if accelerated else None)
            sim.advance(max(0.0, engine_to_sim(self._clock.time(), tz) - sim.time()))

    # The clock-follower protocol (manual engine clock).
    def next_due(self) -> float | None:
        if self.simulation is None:
            return None
        due = self.simulation.scheduler.next_due()
        return None if due is None else sim_to_engine(due, self._clock.tz)

    async def run_until(self, when: float) -> None:
        if self.simulation is None:
            return
        gap = engine_to_sim(when, self._clock.tz) - self.center.clock.time()
        await self.simulation.advance(max(0.0, gap))
        # The callbacks those actions queued reach the receiver (and so the bus) now.
        await self.simulation.settle()

    async def stop_traffic(self) -> None:
        """Stop the call center's clock and callbacks; its APIs still answer (a stopping
        daemon's last rule runs call them)."""
        if self._unfollow is not None:
            self._unfollow()
            self._unfollow = None
        if self.simulation is not None:
            await self.simulation.stop()
            self.simulation = None

    async def stop(self) -> None:
        await self.stop_traffic()
        await self.simulator.stop()


class ExternalClockFollower:
    """Keeps the engine's clock on an external ``vicibus simulate``'s clock."""

    def __init__(self, clock: Clock, base_url: str, control_token: str) -> None:
        self._clock = clock
        self._url = base_url.rstrip("/") + CONTROL_PREFIX + "/state"
        self._headers = {"Authorization": f"Bearer {control_token}"}
        self._task: asyncio.Task[None] | None = None
        self._warned = False

    def __repr__(self) -> str:
        return f"ExternalClockFollower({self._url})"

    async def sync(self, session: aiohttp.ClientSession) -> None:
        timeout = aiohttp.ClientTimeout(total=5)
        async with session.get(self._url, headers=self._headers, timeout=timeout) as answer:
            if answer.status != 200:
                raise RuntimeError(f"the simulator's control API answered HTTP {answer.status}")
            state = await answer.json()
        clock = state["clock"]
        sim_mode = SimMode(clock["mode"])
        at = sim_to_engine(float(state["epoch"]), self._clock.tz)
        mode = {
            SimMode.REAL: ClockMode.REAL,
            SimMode.ACCELERATED: ClockMode.ACCELERATED,
            SimMode.MANUAL: ClockMode.MANUAL,
        }[sim_mode]
        speed = float(clock["speed"])
        changed = mode is not self._clock.mode or (
            mode is ClockMode.ACCELERATED and speed != self._clock.speed
        )
        # Epochs are whole seconds: only a larger difference is a real jump.
        drifted = abs(self._clock.time() - at) > 1 + FOLLOW_TOLERANCE
        if changed or drifted:
            self._clock.retime(
                at=at, speed=speed if mode is ClockMode.ACCELERATED else None, mode=mode
            )

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name="simulator-clock")

    async def _run(self) -> None:
        async with aiohttp.ClientSession() as session:
            while True:
                try:
                    await self.sync(session)
                    self._warned = False
                except (
                    aiohttp.ClientError,
                    TimeoutError,
                    RuntimeError,
                    KeyError,
                    ValueError,
                ) as exc:
                    if not self._warned:
                        self._warned = True
                        logger.warning("cannot read the simulator's clock: %s", exc)
                await asyncio.sleep(FOLLOW_INTERVAL)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
