"""Is the daemon alive? The loop runs and the bus keeps up: never the dialer.

``/healthz`` and systemd's watchdog ask the same question. A dialer outage is not a failure of
vicibus (restarting it would not bring ViciDial back), so only two things count: the event loop
runs (a heartbeat task beats), and the bus makes progress (no event waits longer than the stall
limit, and no listener is stuck on one event that long).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass

from engine.bus import LocalBus
from engine.sdnotify import Notifier

DEFAULT_STALL = 30.0
_BEAT = 0.5


@dataclass(frozen=True, slots=True)
class Liveness:
    alive: bool
    reason: str  # "" when alive


class HealthMonitor:
    def __init__(self, bus: LocalBus, *, stall_after: float = DEFAULT_STALL) -> None:
        self._bus = bus
        self._stall = stall_after
        self._last_beat = time.monotonic()
        self._delivered = -1
        self._progress_at = time.monotonic()
        self._task: asyncio.Task[None] | None = None

    def start(self, notifier: Notifier | None = None) -> None:
        self._task = asyncio.get_running_loop().create_task(self._beat(notifier), name="health")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def check(self) -> Liveness:
        now = time.monotonic()
        if now - self._last_beat > self._stall:
            return Liveness(False, f"the event loop has not run for {now - self._last_beat:.0f}s")
        stats = self._bus.stats()
        if stats.delivered != self._delivered:
            self._delivered = stats.delivered
            self._progress_at = now
        elif stats.queue_depth and now - self._progress_at > self._stall:
            return Liveness(
                False,
                f"the bus has delivered nothing for {now - self._progress_at:.0f}s "
                f"with {stats.queue_depth} events queued",
            )
        if stats.longest_busy > self._stall:
            return Liveness(
                False, f"a bus listener has been on one event for {stats.longest_busy:.0f}s"
            )
        return Liveness(True, "")

    async def _beat(self, notifier: Notifier | None) -> None:
        interval = notifier.watchdog_interval if notifier is not None else None
        # Beat well inside the stall limit, and at least as often as the pings are due.
        beat = min(_BEAT, self._stall / 4, *([interval] if interval else []))
        next_ping = time.monotonic()
        while True:
            self._last_beat = time.monotonic()
            if interval is not None and notifier is not None and self._last_beat >= next_ping:
                next_ping = self._last_beat + interval
                # Pinged only while vicibus keeps up: systemd restarts a daemon that stops.
                if self.check().alive:
                    notifier.watchdog()
            await asyncio.sleep(beat)
