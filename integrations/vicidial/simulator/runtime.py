"""One running simulated dialer beyond its HTTP answers: scheduler, callbacks and traffic.

``Simulation`` wires them onto a call center. On a stepped (manual) clock, tests and demos
call ``advance``; on a real or accelerated clock ``run`` plays the scheduler as time passes.
"""

from __future__ import annotations

import asyncio
import contextlib

from integrations.vicidial.simulator.callbacks import CallbackDispatcher
from integrations.vicidial.simulator.rawhttp import RawHttp
from integrations.vicidial.simulator.scheduler import Scheduler
from integrations.vicidial.simulator.state import CallCenter
from integrations.vicidial.simulator.traffic import Traffic
from integrations.vicidial.simulator.traffic_schema import TrafficModel


class Simulation:
    def __init__(
        self,
        center: CallCenter,
        traffic: TrafficModel | None = None,
        *,
        transport: RawHttp | None = None,
    ) -> None:
        self.center = center
        self.scheduler = Scheduler(center.clock)
        self.callbacks = CallbackDispatcher(center, self.scheduler, transport)
        self.traffic = Traffic(center, self.scheduler, self.callbacks, traffic) if traffic else None
        self._runner: asyncio.Task[None] | None = None

    def __repr__(self) -> str:
        return f"Simulation({self.center.clock!r}, traffic={self.traffic is not None})"

    async def start(self, *, run: bool = False) -> None:
        """Start the callbacks and the traffic; with ``run``, play the clock in the
        background (real or accelerated time)."""
        self.callbacks.start()
        if self.traffic is not None:
            self.traffic.start()
        if run:
            self._runner = asyncio.get_running_loop().create_task(self.scheduler.run())

    async def advance(self, seconds: float) -> None:
        """Stepped time: play ``seconds`` of the simulated call center exactly."""
        await self.scheduler.advance(seconds)

    async def settle(self) -> None:
        """Wait until every callback queued so far was sent."""
        await self.callbacks.drain()

    async def stop(self) -> None:
        if self._runner is not None:
            self._runner.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._runner
            self._runner = None
        await self.callbacks.stop()
