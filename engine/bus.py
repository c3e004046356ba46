"""The event bus: one ordered queue, bounded where outside senders wait on it.

Events enter through named sources, each with an explicit admission policy:

- ``WAIT``: events acknowledged to an outside sender (a webhook answered 200). The source waits
  a short while for room and otherwise refuses (the receiver answers 503, which ViciDial logs);
  an event is never accepted and then dropped.
- ``COALESCE``: derived state (state changes from polls and pushes). A newer event with the same
  key replaces one still queued, so the newest state wins and the queue holds at most one event
  per key; the source never waits.
- ``ALWAYS``: the engine's own events (rule runs, lifecycle). Always accepted: refusing them
  would lose work already acknowledged, and waiting would deadlock a listener that fires one.

Once a stop has begun (``close``), only WAIT sources refuse: the others carry what the engine
derives from events it accepted, which the drain still delivers.

One dispatcher task delivers events in the order they were accepted, so events from one source
reach every listener in order. Plain listeners are called inline and must be quick (like Home
Assistant's ``@callback``); async listeners each get a bounded queue and a worker task of their
own, so a slow one delays only itself until its queue fills, and then holds the dispatcher, which
fills the bus and makes WAIT sources refuse: backpressure all the way back, never a drop. A
failing listener is logged with its name and the event type and never stops the others.

``EventBus`` is the small interface a journal or a second backend implements later.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from engine.context import CURRENT, DISPATCHING
from engine.errors import BusClosedError, BusFullError
from engine.events import Event

logger = logging.getLogger(__name__)

Listener = Callable[[Event[Any]], None]
AsyncListener = Callable[[Event[Any]], Awaitable[None]]
EventFilter = Callable[[Event[Any]], bool]
Merge = Callable[[Event[Any], Event[Any]], Event[Any]]
Unsubscribe = Callable[[], None]

DEFAULT_MAX_QUEUE = 10_000
DEFAULT_LISTENER_QUEUE = 1_000
# The dispatcher empties the queue in one go, but yields to the loop after this long so that
# senders and timers keep running. Emptying it keeps events short-lived: a long queue makes
# every event survive into the garbage collector's older generations, which then dominate.
_SLICE = 0.005
_CHECK_EVERY = 256
# A listener failing on every event is logged once per this many seconds, with a count.
_ERROR_LOG_INTERVAL = 10.0


class Admission(StrEnum):
    WAIT = "wait"
    COALESCE = "coalesce"
    ALWAYS = "always"


@dataclass(frozen=True, slots=True)
class SourcePolicy:
    admission: Admission
    wait: float = 1.0  # seconds a WAIT source waits for room before it refuses
    # COALESCE: how a queued event and its newer replacement become one (default: the newer).
    merge: Merge | None = None


@dataclass(slots=True)
class SourceStats:
    fired: int = 0
    refused: int = 0
    coalesced: int = 0


@dataclass(frozen=True, slots=True)
class BusStats:
    fired: int
    delivered: int  # events handed to listeners, once per listener of the event's type
    refused: int
    coalesced: int
    listener_errors: int
    queue_depth: int
    max_queue: int
    oldest_lag: float  # engine-clock seconds since the oldest queued event was fired
    listeners: int
    sources: dict[str, SourceStats] = field(default_factory=dict)
    longest_busy: float = 0.0  # seconds the slowest async listener has been on one event


class Publisher(Protocol):
    name: str
    policy: SourcePolicy

    def offer(self, event: Event[Any], key: Hashable | None = None) -> bool:
        """Accept without waiting; False when a WAIT source finds no room."""

    async def publish(self, event: Event[Any], key: Hashable | None = None) -> None:
        """Accept under the source's policy; BusFullError or BusClosedError when refused."""


class EventBus(Protocol):
    def source(self, name: str, policy: SourcePolicy) -> Publisher: ...

    def subscribe(
        self,
        event_type: str | None,
        listener: Listener,
        *,
        filter: EventFilter | None = None,
        name: str | None = None,
    ) -> Unsubscribe: ...

    def subscribe_async(
        self,
        event_type: str | None,
        listener: AsyncListener,
        *,
        filter: EventFilter | None = None,
        name: str | None = None,
    ) -> Unsubscribe: ...

    async def drain(self, timeout: float | None = None) -> bool: ...

    def stats(self) -> BusStats: ...

    async def start(self) -> None: ...

    async def stop(self, timeout: float | None = None) -> None: ...


class _Slot:
    """A queued COALESCE event: a newer event with the same key replaces ``event`` in place."""

    __slots__ = ("event", "key")

    def __init__(self, event: Event[Any], key: tuple[str, Hashable]) -> None:
        self.event = event
        self.key = key


class _Subscription:
    __slots__ = (
        "active",
        "callback",
        "errors",
        "filter",
        "last_logged",
        "name",
        "suppressed",
        "worker",
    )

    def __init__(self, name: str, callback: Callable[..., Any], filter: EventFilter | None) -> None:
        self.name = name
        self.callback = callback
        self.filter = filter
        self.active = True
        self.worker: _Worker | None = None
        self.errors = 0
        self.suppressed = 0
        self.last_logged = -_ERROR_LOG_INTERVAL


class _Worker:
    """One async listener's queue and task: its events in order, one at a time."""

    def __init__(self, bus: LocalBus, sub: _Subscription, maxsize: int) -> None:
        self._bus = bus
        self._sub = sub
        self._maxsize = maxsize
        self._queue: deque[Event[Any]] = deque()
        self._wake: asyncio.Future[None] | None = None
        self._room: asyncio.Future[None] | None = None
        self.task: asyncio.Task[None] | None = None
        self.busy_since: float | None = None  # monotonic time it took its current event

    def offer(self, event: Event[Any]) -> bool:
        if len(self._queue) >= self._maxsize:
            return False
        self._queue.append(event)
        self._bus._unfinished += 1
        wake = self._wake
        if wake is not None and not wake.done():
            wake.set_result(None)
        return True

    def close(self) -> None:
        """The listener left: the events it still had queued go with it, and a dispatcher
        waiting for room in its queue goes on."""
        dropped = len(self._queue)
        self._queue.clear()
        room = self._room
        if room is not None and not room.done():
            room.set_result(None)
        if self.task is not None:
            self.task.cancel()
        if dropped:
            self._bus._task_done(dropped)

    async def room(self) -> None:
        if len(self._queue) < self._maxsize:
            return
        if self._room is None or self._room.done():
            self._room = asyncio.get_running_loop().create_future()
        await self._room

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        queue = self._queue
        sub = self._sub
        while True:
            if not queue:
                self._wake = loop.create_future()
                await self._wake
                continue
            event = queue.popleft()
            room = self._room
            if room is not None and not room.done():
                room.set_result(None)
            self.busy_since = time.monotonic()
            CURRENT.set(event.context)
            try:
                await sub.callback(event)
            except Exception as exc:
                self._bus._listener_failed(sub, event, exc)
            finally:
                self.busy_since = None
                self._bus._task_done()


class _Source:
    def __init__(self, bus: LocalBus, name: str, policy: SourcePolicy) -> None:
        self.name = name
        self.policy = policy
        self.stats = SourceStats()
        self.always = policy.admission is Admission.ALWAYS
        self.waits = policy.admission is Admission.WAIT
        self.coalesces = policy.admission is Admission.COALESCE
        self._bus = bus

    def __repr__(self) -> str:
        return f"<bus source {self.name} {self.policy.admission.value}>"

    def offer(self, event: Event[Any], key: Hashable | None = None) -> bool:
        return self._bus._admit(self, event, key)

    async def publish(self, event: Event[Any], key: Hashable | None = None) -> None:
        bus = self._bus
        if bus._admit(self, event, key):
            return
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.policy.wait
        while True:
            try:
                async with asyncio.timeout_at(deadline):
                    await bus._wait_for_room()
            except TimeoutError:
                self.stats.refused += 1
                bus._refused += 1
                raise BusFullError(
                    f"the event bus is full ({bus.max_queue} events queued): "
                    f"{event.type} from {self.name} refused after {self.policy.wait:g}s"
                ) from None
            if bus._admit(self, event, key):
                return


class LocalBus:
    """The in-process bus (see the module docstring)."""

    def __init__(
        self,
        *,
        max_queue: int = DEFAULT_MAX_QUEUE,
        listener_queue: int = DEFAULT_LISTENER_QUEUE,
        clock_time: Callable[[], float] = time.time,
    ) -> None:
        if max_queue < 1 or listener_queue < 1:
            raise ValueError("queue sizes must be at least 1")
        self.max_queue = max_queue
        self._listener_queue = listener_queue
        self._time = clock_time  # the engine clock: lag is in its seconds
        # Events, or _Slots for coalescing ones: no wrapper on the common path.
        self._queue: deque[Event[Any] | _Slot] = deque()
        self._keyed: dict[tuple[str, Hashable], _Slot] = {}
        self._by_type: dict[str, list[_Subscription]] = {}
        self._all: list[_Subscription] = []
        # Per event type, the listeners to call: type-specific ones, then catch-all ones.
        self._targets: dict[str, tuple[_Subscription, ...]] = {}
        self._all_targets: tuple[_Subscription, ...] = ()
        self._sources: dict[str, _Source] = {}
        self._closed = False
        self._unfinished = 0
        self._fired = 0
        self._delivered = 0
        self._refused = 0
        self._coalesced = 0
        self._listener_errors = 0
        self._wake: asyncio.Future[None] | None = None
        self._room: asyncio.Future[None] | None = None
        self._idle: asyncio.Future[None] | None = None
        self._dispatcher: asyncio.Task[None] | None = None

    def __repr__(self) -> str:
        return f"LocalBus(queued={len(self._queue)}, max_queue={self.max_queue})"

    # -- sources ---------------------------------------------------------------------------

    def source(self, name: str, policy: SourcePolicy) -> Publisher:
        if name in self._sources:
            raise ValueError(f"bus source {name!r} exists already")
        src = _Source(self, name, policy)
        self._sources[name] = src
        return src

    def _admit(self, src: _Source, event: Event[Any], key: Hashable | None) -> bool:
        # On the path of every event: the source's policy is read from plain flags.
        if self._closed and src.waits:
            raise BusClosedError(f"the event bus is stopping: {event.type} from {src.name} refused")
        queue = self._queue
        if src.waits and len(queue) >= self.max_queue:
            return False
        src.stats.fired += 1
        self._fired += 1
        if not (self._all_targets or event.type in self._targets):
            return True  # nobody listens: nothing to queue
        if src.coalesces and key is not None:
            slot = (src.name, key)
            queued = self._keyed.get(slot)
            if queued is not None:
                merge = src.policy.merge
                queued.event = merge(queued.event, event) if merge else event
                src.stats.coalesced += 1
                self._coalesced += 1
                return True
            entry = self._keyed[slot] = _Slot(event, slot)
            queue.append(entry)
        else:
            queue.append(event)
        self._unfinished += 1
        wake = self._wake
        if wake is not None and not wake.done():
            wake.set_result(None)
        return True

    async def _wait_for_room(self) -> None:
        if len(self._queue) < self.max_queue:
            return
        if self._room is None or self._room.done():
            self._room = asyncio.get_running_loop().create_future()
        await asyncio.shield(self._room)

    # -- listeners -------------------------------------------------------------------------

    def subscribe(
        self,
        event_type: str | None,
        listener: Listener,
        *,
        filter: EventFilter | None = None,
        name: str | None = None,
    ) -> Unsubscribe:
        """Call ``listener(event)`` inline for each event of the type (None: every event)."""
        return self._add(event_type, _Subscription(name or _name(listener), listener, filter))

    def subscribe_async(
        self,
        event_type: str | None,
        listener: AsyncListener,
        *,
        filter: EventFilter | None = None,
        name: str | None = None,
    ) -> Unsubscribe:
        """Await ``listener(event)`` for each event, in order, in a task of its own."""
        sub = _Subscription(name or _name(listener), listener, filter)
        sub.worker = _Worker(self, sub, self._listener_queue)
        if self._dispatcher is not None:
            sub.worker.task = asyncio.get_running_loop().create_task(sub.worker.run())
        return self._add(event_type, sub)

    def _add(self, event_type: str | None, sub: _Subscription) -> Unsubscribe:
        if event_type is None:
            self._all.append(sub)
        else:
            self._by_type.setdefault(event_type, []).append(sub)
        self._rebuild_targets()

        def unsubscribe() -> None:
            if not sub.active:
                return
            sub.active = False
            if event_type is None:
                self._all.remove(sub)
            else:
                subs = self._by_type[event_type]
                subs.remove(sub)
                if not subs:
                    del self._by_type[event_type]
            self._rebuild_targets()
            if sub.worker is not None:
                sub.worker.close()

        return unsubscribe

    def _rebuild_targets(self) -> None:
        self._all_targets = tuple(self._all)
        self._targets = {
            event_type: (*subs, *self._all) for event_type, subs in self._by_type.items()
        }

    def _subscriptions(self) -> list[_Subscription]:
        return [*self._all, *(s for subs in self._by_type.values() for s in subs)]

    def listener_count(self, event_type: str | None = None) -> int:
        if event_type is None:
            return len(self._all) + sum(len(s) for s in self._by_type.values())
        return len(self._targets.get(event_type, self._all_targets))

    # -- dispatch --------------------------------------------------------------------------

    async def start(self) -> None:
        if self._dispatcher is not None:
            return
        loop = asyncio.get_running_loop()
        self._closed = False
        self._dispatcher = loop.create_task(self._dispatch(), name="vicibus-bus")
        for sub in self._subscriptions():
            if sub.worker is not None and sub.worker.task is None:
                sub.worker.task = loop.create_task(sub.worker.run())

    async def _dispatch(self) -> None:
        loop = asyncio.get_running_loop()
        queue = self._queue
        keyed = self._keyed
        dispatching = DISPATCHING  # the event its inline listeners handle, for the log
        dispatching.thread = threading.get_ident()
        while True:
            if not queue:
                self._wake = loop.create_future()
                await self._wake
                continue
            started = time.monotonic()
            count = 0
            while queue:
                count += 1
                if count % _CHECK_EVERY == 0 and time.monotonic() - started > _SLICE:
                    break
                item = queue.popleft()
                if isinstance(item, _Slot):
                    del keyed[item.key]
                    event = item.event
                else:
                    event = item
                targets = self._targets.get(event.type, self._all_targets)
                dispatching.context = event.context
                # Counted for all, then taken back for the few skipped: no cost per delivery.
                self._delivered += len(targets)
                for sub in targets:
                    if not sub.active:
                        self._delivered -= 1
                        continue
                    try:
                        if sub.filter is not None and not sub.filter(event):
                            self._delivered -= 1
                            continue
                        worker = sub.worker
                        if worker is None:
                            sub.callback(event)
                        elif not worker.offer(event):
                            dispatching.context = None  # others run while this waits
                            await worker.room()
                            dispatching.context = event.context
                            if sub.active:
                                worker.offer(event)
                            else:
                                self._delivered -= 1  # it left while its queue was full
                    except Exception as exc:
                        self._listener_failed(sub, event, exc)
                self._unfinished -= 1
                if not self._unfinished:
                    self._now_idle()
            dispatching.context = None
            room = self._room
            if room is not None and not room.done() and len(queue) < self.max_queue:
                room.set_result(None)
            await asyncio.sleep(0)

    def _task_done(self, count: int = 1) -> None:
        self._unfinished -= count
        if not self._unfinished:
            self._now_idle()

    def _now_idle(self) -> None:
        idle = self._idle
        if idle is not None and not idle.done():
            idle.set_result(None)

    def _listener_failed(self, sub: _Subscription, event: Event[Any], exc: Exception) -> None:
        sub.errors += 1
        self._listener_errors += 1
        now = time.monotonic()
        if now - sub.last_logged < _ERROR_LOG_INTERVAL:
            sub.suppressed += 1
            return
        more = f" ({sub.suppressed} more failures not logged)" if sub.suppressed else ""
        sub.last_logged = now
        sub.suppressed = 0
        logger.error(
            "listener %s failed on %s: %s%s",
            sub.name,
            event.type,
            type(exc).__name__,
            more,
            exc_info=exc,
        )

    async def drain(self, timeout: float | None = None) -> bool:
        """Wait until every accepted event reached every listener and every async listener
        finished with it; False if ``timeout`` passed first."""
        if self._unfinished == 0:
            return True
        if self._idle is None or self._idle.done():
            self._idle = asyncio.get_running_loop().create_future()
        try:
            async with asyncio.timeout(timeout):
                await asyncio.shield(self._idle)
        except TimeoutError:
            return False
        return True

    @property
    def idle(self) -> bool:
        return self._unfinished == 0

    def close(self) -> None:
        """Refuse further WAIT events (a stop has begun: a webhook is answered 503). COALESCE
        and ALWAYS ones still enter: they are derived from events already accepted (a push's
        state change, made when the drain delivers the push), and refusing them would lose
        that work and fail the listener making it."""
        self._closed = True

    async def stop(self, timeout: float | None = None) -> None:
        """Close, let accepted events reach their listeners within ``timeout``, then stop."""
        self.close()
        drained = await self.drain(timeout)
        if not drained:
            logger.warning(
                "event bus stopped with %d deliveries unfinished after %ss",
                self._unfinished,
                timeout,
            )
        tasks = [self._dispatcher] if self._dispatcher else []
        for sub in self._subscriptions():
            if sub.worker is not None and sub.worker.task is not None:
                tasks.append(sub.worker.task)
                sub.worker.task = None
        self._dispatcher = None
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def stats(self) -> BusStats:
        lag = 0.0
        if self._queue:
            head = self._queue[0]
            fired = head.event.time_fired if isinstance(head, _Slot) else head.time_fired
            lag = max(0.0, self._time() - fired)
        now = time.monotonic()
        busy = [
            now - sub.worker.busy_since
            for sub in self._subscriptions()
            if sub.worker is not None and sub.worker.busy_since is not None
        ]
        return BusStats(
            longest_busy=max(busy, default=0.0),
            fired=self._fired,
            delivered=self._delivered,
            refused=self._refused,
            coalesced=self._coalesced,
            listener_errors=self._listener_errors,
            queue_depth=len(self._queue),
            max_queue=self.max_queue,
            oldest_lag=lag,
            listeners=self.listener_count(),
            sources={
                name: SourceStats(s.stats.fired, s.stats.refused, s.stats.coalesced)
                for name, s in self._sources.items()
            },
        )


def _name(listener: Callable[..., Any]) -> str:
    return getattr(listener, "__qualname__", None) or repr(listener)
