from __future__ import annotations

from datetime import datetime

import pytest

from integrations.vicidial.simulator.clock import LATEST, MAX_SPEED, ClockMode, SimClock

START = datetime(2026, 11, 27, 4, 44, 9)


class Wall:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_real_time_follows_the_wall() -> None:
    wall = Wall()
    clock = SimClock(START, wall=wall)
    wall.now += 5
    assert clock.now() == datetime(2026, 11, 27, 4, 44, 14)


def test_accelerated_runs_faster() -> None:
    wall = Wall()
    clock = SimClock(START, mode=ClockMode.ACCELERATED, speed=60, wall=wall)
    wall.now += 2
    assert clock.now() == datetime(2026, 11, 27, 4, 46, 9)


def test_manual_stands_still_until_advanced() -> None:
    wall = Wall()
    clock = SimClock(START, mode=ClockMode.MANUAL, wall=wall)
    wall.now += 100
    assert clock.now() == START
    clock.advance(61)
    assert clock.epoch() == 1795754649 + 61
    with pytest.raises(ValueError, match="forward"):
        clock.advance(-1)


def test_switching_modes_keeps_the_time() -> None:
    wall = Wall()
    clock = SimClock(START, wall=wall)
    wall.now += 10
    clock.set_mode(ClockMode.MANUAL)
    wall.now += 10
    assert clock.now() == datetime(2026, 11, 27, 4, 44, 19)


@pytest.mark.parametrize("speed", [0, -1, float("nan"), float("inf"), 1e308, MAX_SPEED * 2])
def test_a_speed_the_clock_cannot_run_at_is_refused(speed: float) -> None:
    clock = SimClock(START, mode=ClockMode.MANUAL)
    with pytest.raises(ValueError, match="speed must be above 0 and at most"):
        clock.set_mode(ClockMode.ACCELERATED, speed)
    with pytest.raises(ValueError, match="speed must be above 0 and at most"):
        SimClock(START, mode=ClockMode.ACCELERATED, speed=speed)
    assert (clock.mode, clock.now()) == (ClockMode.MANUAL, START)  # nothing changed


@pytest.mark.parametrize("seconds", [float("nan"), float("inf"), 1e308, 1e12])
def test_an_advance_past_the_last_date_is_refused(seconds: float) -> None:
    clock = SimClock(START, mode=ClockMode.MANUAL)
    with pytest.raises(ValueError, match="forward"):
        clock.advance(seconds)
    assert clock.now() == START


def test_the_fastest_clock_stops_at_its_last_date_instead_of_overflowing() -> None:
    wall = Wall()
    clock = SimClock(START, mode=ClockMode.ACCELERATED, speed=MAX_SPEED, wall=wall)
    wall.now += 1e9  # decades of wall time at the top speed: far past year 9999
    assert clock.now() == LATEST
    clock.set_mode(ClockMode.MANUAL)
    assert clock.now() == LATEST
    with pytest.raises(ValueError, match="forward"):
        clock.advance(1)
    clock.advance(0)
