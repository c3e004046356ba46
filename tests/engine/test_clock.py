from __future__ import annotations

import asyncio
import functools
import math
import time
from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from engine.clock import Clock, ClockError, ClockMode

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC).timestamp()


def manual(start: float = T0) -> Clock:
    return Clock(ClockMode.MANUAL, tz=ZoneInfo("America/New_York"), start=start)


async def test_manual_timers_fire_in_order_each_at_its_own_time() -> None:
    clock = manual()
    fired: list[tuple[str, float]] = []

    def record(label: str) -> Callable[[], None]:
        return lambda: fired.append((label, clock.time()))

    for label, delay in (("c", 30), ("a", 10), ("b", 20), ("a2", 10)):
        clock.call_later(delay, record(label))
    await clock.advance(15)
    assert fired == [("a", T0 + 10), ("a2", T0 + 10)]
    assert clock.time() == T0 + 15
    await clock.advance(100)
    assert fired[2:] == [("b", T0 + 20), ("c", T0 + 30)]
    assert clock.time() == T0 + 115


async def test_manual_sleep_wakes_exactly_when_advanced_past_it() -> None:
    clock = manual()
    woke: list[float] = []

    async def sleeper(seconds: float) -> None:
        await clock.sleep(seconds)
        woke.append(clock.time())
        await clock.sleep(seconds)  # a chain: each sleep starts from the time it woke
        woke.append(clock.time())

    task = asyncio.create_task(sleeper(10))
    await asyncio.sleep(0)
    await clock.advance(9.999)
    assert woke == []
    await clock.advance(15)
    assert woke == [T0 + 10, T0 + 20]
    await task


async def test_a_cancelled_timer_never_runs_and_cancelled_timers_do_not_pile_up() -> None:
    clock = manual()
    fired: list[int] = []
    timers = [clock.call_later(60, functools.partial(fired.append, i)) for i in range(5000)]
    for timer in timers[:4990]:
        timer.cancel()
    assert clock.pending == 10
    # Long-dead timers were compacted away instead of waiting in the heap for their time.
    assert len(clock._heap) < 5000
    await clock.advance(60)
    assert fired == list(range(4990, 5000))
    assert clock.pending == 0


async def test_a_timer_cancelling_many_others_keeps_the_count_of_pending_timers() -> None:
    clock = manual()
    fired: list[str] = []
    later = [clock.call_later(100 + i, lambda: fired.append("later")) for i in range(3000)]

    def cancel_all() -> None:  # a rule reload cancelling every timer of the old rules
        for timer in later:
            timer.cancel()

    clock.call_later(1, cancel_all)
    clock.call_later(1, lambda: fired.append("same time"))
    clock.call_later(2, lambda: fired.append("next"))
    await clock.advance(5)
    assert fired == ["same time", "next"]
    assert clock.pending == 0
    await clock.advance(5000)
    assert fired == ["same time", "next"]
    assert clock.pending == 0


async def test_accelerated_clock_runs_fast_and_fires_in_real_time_scaled() -> None:
    clock = Clock(ClockMode.ACCELERATED, speed=1000, start=T0, tz=UTC)
    clock.start()
    fired: list[float] = []
    started = time.monotonic()
    clock.call_later(20, lambda: fired.append(clock.time()))  # 20 s at 1000x: 20 ms
    clock.call_later(10, lambda: fired.append(clock.time()))
    await asyncio.wait_for(clock.sleep(30), timeout=5)
    clock.stop()
    assert len(fired) == 2
    assert T0 + 10 <= fired[0] < fired[1]
    assert fired[1] >= T0 + 20
    assert clock.time() >= T0 + 30
    assert time.monotonic() - started < 5


async def test_retime_follows_another_clock_and_re_arms_the_next_timer() -> None:
    clock = Clock(ClockMode.ACCELERATED, speed=1, start=T0, tz=UTC)
    clock.start()
    fired: list[float] = []
    clock.call_at(T0 + 3600, lambda: fired.append(clock.time()))
    # The simulator jumped ahead an hour and runs 100x: the timer is due now.
    clock.retime(at=T0 + 3600, speed=100)
    await asyncio.wait_for(clock.sleep(0.5), timeout=5)
    clock.stop()
    assert fired
    assert fired[0] >= T0 + 3600
    assert clock.speed == 100


async def test_followers_step_in_time_order_with_the_clock_timers() -> None:
    clock = manual()
    order: list[tuple[str, float]] = []

    class Sim:
        def __init__(self) -> None:
            self.due = [T0 + 5, T0 + 25]

        def next_due(self) -> float | None:
            return self.due[0] if self.due else None

        async def run_until(self, when: float) -> None:
            while self.due and self.due[0] <= when:
                order.append(("sim", self.due.pop(0)))

    clock.add_follower(Sim())
    clock.call_at(T0 + 10, lambda: order.append(("timer", clock.time())))
    clock.call_at(T0 + 30, lambda: order.append(("timer", clock.time())))
    await clock.advance(60)
    assert order == [("sim", T0 + 5), ("timer", T0 + 10), ("sim", T0 + 25), ("timer", T0 + 30)]


async def test_a_timer_set_while_advancing_fires_in_the_same_advance() -> None:
    clock = manual()
    fired: list[float] = []

    def first() -> None:
        clock.call_later(5, lambda: fired.append(clock.time()))

    clock.call_later(10, first)
    await clock.advance(20)
    assert fired == [T0 + 15]


async def test_only_a_manual_clock_moves_by_hand_and_only_forward() -> None:
    with pytest.raises(ClockError, match="only a manual clock"):
        await Clock(ClockMode.REAL).advance(1)
    clock = manual()
    for bad in (-1, math.nan, math.inf):
        with pytest.raises(ValueError, match="finite number"):
            await clock.advance(bad)
    for speed in (0, -2, math.inf, math.nan, 1e308, 10_001):
        with pytest.raises(ValueError, match="speed"):
            Clock(ClockMode.ACCELERATED, speed=speed)
    with pytest.raises(ValueError, match="NaN"):
        clock.call_at(math.nan, lambda: None)


def test_now_is_aware_in_the_call_centers_zone() -> None:
    clock = manual()
    now = clock.now()
    assert now.tzinfo == ZoneInfo("America/New_York")
    assert (now.hour, now.utcoffset()) == (4, datetime(2026, 12, 1, tzinfo=now.tzinfo).utcoffset())
    assert clock.utcnow().hour == 9
    assert Clock(ClockMode.REAL).time() == pytest.approx(time.time(), abs=1)


async def test_real_clock_fires_timers_on_the_loop() -> None:
    clock = Clock(ClockMode.REAL)
    clock.start()
    done = asyncio.Event()
    clock.call_later(0.01, done.set)
    await asyncio.wait_for(done.wait(), timeout=5)
    clock.stop()


async def test_a_follower_that_does_not_move_cannot_hang_an_advance(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = manual()

    class Stuck:
        def next_due(self) -> float | None:
            return T0 + 1

        async def run_until(self, when: float) -> None:
            return None

    clock.add_follower(Stuck())
    fired: list[float] = []
    clock.call_later(5, lambda: fired.append(clock.time()))
    await clock.advance(10)
    assert fired == [T0 + 5]
    assert clock.time() == T0 + 10
    assert "did not run what was due" in caplog.text
