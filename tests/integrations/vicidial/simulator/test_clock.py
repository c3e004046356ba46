from __future__ import annotations

from datetime import datetime

import pytest

from integrations.vicidial.simulator.clock import ClockMode, SimClock

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
