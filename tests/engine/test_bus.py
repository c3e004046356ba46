from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest

from engine.bus import Admission, LocalBus, SourcePolicy
from engine.context import Context, Origin
from engine.errors import BusClosedError, BusFullError
from engine.events import Event

WEBHOOK = SourcePolicy(Admission.WAIT, wait=0.05)
POLL = SourcePolicy(Admission.COALESCE)
ENGINE = SourcePolicy(Admission.ALWAYS)


def ev(event_type: str, data: Any = None, origin: Origin = Origin.WEBHOOK) -> Event[Any]:
    return Event(event_type, data, 0.0, Context(origin))


@pytest.fixture
async def bus() -> Any:
    bus = LocalBus(max_queue=100, listener_queue=10)
    await bus.start()
    yield bus
    await bus.stop(timeout=1)


async def test_events_of_each_source_reach_every_listener_in_order(bus: LocalBus) -> None:
    hooks = bus.source("webhook", WEBHOOK)
    engine = bus.source("engine", ENGINE)
    seen_sync: list[tuple[str, int]] = []
    seen_async: list[tuple[str, int]] = []

    async def slow(event: Event[Any]) -> None:
        await asyncio.sleep(0)
        seen_async.append(event.data)

    bus.subscribe("t", lambda e: seen_sync.append(e.data))
    bus.subscribe_async("t", slow)
    for i in range(300):
        await hooks.publish(ev("t", ("webhook", i)))
        engine.offer(ev("t", ("engine", i)))
    assert await bus.drain(timeout=5)
    for seen in (seen_sync, seen_async):
        assert [i for src, i in seen if src == "webhook"] == list(range(300))
        assert [i for src, i in seen if src == "engine"] == list(range(300))
        assert len(seen) == 600
    # One queue: the interleaving is the order of acceptance, for every listener alike.
    assert seen_sync == seen_async


async def test_a_failing_listener_is_logged_and_never_stops_the_others(
    bus: LocalBus, caplog: pytest.LogCaptureFixture
) -> None:
    got: list[int] = []

    def broken(event: Event[Any]) -> None:
        raise RuntimeError("listener defect")

    async def broken_async(event: Event[Any]) -> None:
        raise KeyError("async defect")

    bus.subscribe("t", broken, name="broken-listener")
    bus.subscribe_async("t", broken_async, name="broken-async")
    bus.subscribe("t", lambda e: got.append(e.data))
    src = bus.source("engine", ENGINE)
    with caplog.at_level(logging.ERROR, logger="engine.bus"):
        for i in range(50):
            src.offer(ev("t", i))
        assert await bus.drain(timeout=5)
    assert got == list(range(50))
    messages = [r.getMessage() for r in caplog.records]
    assert any("broken-listener failed on t: RuntimeError" in m for m in messages)
    assert any("broken-async failed on t: KeyError" in m for m in messages)
    # A listener failing on every event is not allowed to flood the log.
    assert len(messages) == 2
    assert bus.stats().listener_errors == 100


async def test_a_slow_listener_makes_the_webhook_source_wait_then_refuse_never_drop() -> None:
    bus = LocalBus(max_queue=4, listener_queue=2)
    await bus.start()
    release = asyncio.Event()
    handled: list[int] = []

    async def stuck(event: Event[Any]) -> None:
        await release.wait()
        handled.append(event.data)

    bus.subscribe_async("t", stuck)
    src = bus.source("webhook", WEBHOOK)
    accepted: list[int] = []
    refusals: list[str] = []
    for i in range(20):
        try:
            await src.publish(ev("t", i))
            accepted.append(i)
        except BusFullError as exc:
            refusals.append(str(exc))
    refused = len(refusals)
    assert refused > 0
    assert all("refused after 0.05s" in text for text in refusals)
    assert len(accepted) < 20
    assert bus.stats().refused == refused
    release.set()
    assert await bus.drain(timeout=5)
    # Everything accepted was handled, in order; nothing accepted was dropped.
    assert handled == accepted
    await bus.stop(timeout=1)


async def test_a_waiting_publish_succeeds_when_room_frees_within_its_bound() -> None:
    bus = LocalBus(max_queue=1, listener_queue=1)
    await bus.start()
    release = asyncio.Event()

    async def stuck(event: Event[Any]) -> None:
        await release.wait()

    bus.subscribe_async("t", stuck)
    src = bus.source("webhook", SourcePolicy(Admission.WAIT, wait=5))
    # Fill the listener's hand and queue, the dispatcher's hand and the bus queue.
    filled = 0
    while src.offer(ev("t", filled)):
        filled += 1
        for _ in range(3):
            await asyncio.sleep(0)
    assert filled == 4
    waiting = asyncio.create_task(src.publish(ev("t", 99)))
    await asyncio.sleep(0.01)
    assert not waiting.done()
    release.set()
    await asyncio.wait_for(waiting, 5)
    assert await bus.drain(timeout=5)
    assert bus.stats().refused == 0
    await bus.stop(timeout=1)


async def test_poll_changes_coalesce_and_the_newest_state_wins() -> None:
    bus = LocalBus(max_queue=100)
    got: list[Any] = []
    bus.subscribe("state_changed", lambda e: got.append(e.data))
    src = bus.source(
        "poll",
        SourcePolicy(Admission.COALESCE, merge=lambda a, b: ev(b.type, (a.data[0], b.data[1]))),
    )
    # The dispatcher is not running yet: everything is still queued when the next one comes.
    src.offer(ev("state_changed", ("READY", "PAUSED")), key="agent.1001")
    src.offer(ev("state_changed", ("READY", "READY")), key="agent.1002")
    src.offer(ev("state_changed", ("PAUSED", "INCALL")), key="agent.1001")
    src.offer(ev("state_changed", ("INCALL", "DISPO")), key="agent.1001")
    await bus.start()
    assert await bus.drain(timeout=5)
    assert got == [("READY", "DISPO"), ("READY", "READY")]
    assert bus.stats().coalesced == 2
    # Once delivered, the key is free again: a later change is an event of its own.
    src.offer(ev("state_changed", ("DISPO", "READY")), key="agent.1001")
    assert await bus.drain(timeout=5)
    assert got[-1] == ("DISPO", "READY")
    await bus.stop(timeout=1)


async def test_an_event_nobody_listens_to_is_counted_and_not_queued(bus: LocalBus) -> None:
    src = bus.source("engine", ENGINE)
    bus.subscribe("other", lambda e: None)
    for _ in range(1000):
        src.offer(ev("unheard"))
    stats = bus.stats()
    assert stats.fired == 1000
    assert stats.queue_depth == 0
    assert stats.sources["engine"].fired == 1000


async def test_filters_catch_all_and_unsubscribe(bus: LocalBus) -> None:
    src = bus.source("engine", ENGINE)
    even: list[int] = []
    everything: list[str] = []
    stop_even = bus.subscribe("n", lambda e: even.append(e.data), filter=lambda e: e.data % 2 == 0)
    bus.subscribe(None, lambda e: everything.append(e.type))
    for i in range(6):
        src.offer(ev("n", i))
    src.offer(ev("other"))
    assert await bus.drain(timeout=5)
    assert even == [0, 2, 4]
    assert everything == ["n"] * 6 + ["other"]
    stop_even()
    stop_even()  # twice is harmless
    src.offer(ev("n", 8))
    assert await bus.drain(timeout=5)
    assert even == [0, 2, 4]
    assert bus.listener_count("n") == 1


async def test_stop_refuses_outside_events_and_delivers_what_was_accepted() -> None:
    bus = LocalBus()
    got: list[int] = []

    async def slowish(event: Event[Any]) -> None:
        await asyncio.sleep(0)
        got.append(event.data)

    bus.subscribe_async("t", slowish)
    hooks = bus.source("webhook", WEBHOOK)
    engine = bus.source("engine", ENGINE)
    await bus.start()
    for i in range(20):
        await hooks.publish(ev("t", i))
    bus.close()
    with pytest.raises(BusClosedError, match="stopping"):
        await hooks.publish(ev("t", 100))
    engine.offer(ev("t", 20))  # the engine's own events still enter while it drains
    await bus.stop(timeout=5)
    assert got == list(range(21))


async def test_state_changes_derived_while_draining_still_reach_their_listeners() -> None:
    bus = LocalBus()
    states = bus.source("states", POLL)
    changed: list[Any] = []

    def push_listener(event: Event[Any]) -> None:
        # A push accepted before the stop updates its entity when the drain delivers it.
        states.offer(ev("state_changed", event.data), key=event.data)

    bus.subscribe("push", push_listener)
    bus.subscribe("state_changed", lambda e: changed.append(e.data))
    hooks = bus.source("webhook", WEBHOOK)
    await hooks.publish(ev("push", "agent.1001"))
    await bus.start()
    await bus.stop(timeout=5)
    assert changed == ["agent.1001"]
    assert bus.stats().listener_errors == 0


async def test_stats_report_depth_and_lag() -> None:
    bus = LocalBus(max_queue=10)
    bus.subscribe("t", lambda e: None)
    src = bus.source("webhook", WEBHOOK)
    for _ in range(3):
        assert src.offer(ev("t"))
    stats = bus.stats()
    assert (stats.queue_depth, stats.max_queue, stats.listeners) == (3, 10, 1)
    assert stats.oldest_lag >= 0
    await bus.start()
    assert await bus.drain(timeout=5)
    stats = bus.stats()
    assert (stats.queue_depth, stats.delivered, stats.oldest_lag) == (0, 3, 0.0)
    await bus.stop(timeout=1)


def test_sources_have_unique_names() -> None:
    bus = LocalBus()
    bus.source("webhook", WEBHOOK)
    with pytest.raises(ValueError, match="exists already"):
        bus.source("webhook", WEBHOOK)


async def test_unsubscribing_a_busy_async_listener_never_holds_the_bus_or_drain() -> None:
    bus = LocalBus(max_queue=100, listener_queue=2)
    await bus.start()
    gate = asyncio.Event()

    async def stuck(event: Event[Any]) -> None:
        await gate.wait()

    got: list[int] = []
    stop_stuck = bus.subscribe_async("t", stuck)
    bus.subscribe("t", lambda e: got.append(e.data))
    src = bus.source("engine", ENGINE)
    for i in range(6):
        src.offer(ev("t", i))
    await asyncio.sleep(0.01)
    assert got == [0, 1, 2]  # the stuck listener's queue is full: the dispatcher waits on it
    stop_stuck()  # what it had queued is dropped with it, and the dispatcher goes on
    assert await bus.drain(timeout=1)
    assert got == list(range(6))
    await bus.stop(timeout=1)


async def test_delivered_counts_only_what_listeners_received(bus: LocalBus) -> None:
    src = bus.source("engine", ENGINE)
    bus.subscribe("n", lambda e: None, filter=lambda e: e.data % 2 == 0)
    bus.subscribe("n", lambda e: None)
    for i in range(4):
        src.offer(ev("n", i))
    assert await bus.drain(timeout=5)
    assert bus.stats().delivered == 4 + 2
