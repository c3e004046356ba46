from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from engine.clock import Clock, ClockMode
from engine.schedule import (
    Schedule,
    ScheduleError,
    cron_trigger,
    daily_trigger,
    interval_trigger,
)

NY = ZoneInfo("America/New_York")


def clock_at(moment: datetime) -> Clock:
    return Clock(ClockMode.MANUAL, tz=NY, start=moment.timestamp())


async def test_a_nightly_cron_fires_at_local_time_across_daylight_saving() -> None:
    # 2026-11-01 is the end of daylight saving time in New York.
    clock = clock_at(datetime(2026, 10, 30, 12, 0, tzinfo=NY))
    fired: list[datetime] = []
    schedule = Schedule(clock, cron_trigger("30 2 * * *", NY), fired.append)
    schedule.start()
    assert schedule.next_fire == datetime(2026, 10, 31, 2, 30, tzinfo=NY)
    await clock.advance(4 * 86400)
    assert [f.strftime("%m-%d %H:%M %Z") for f in fired] == [
        "10-31 02:30 EDT",
        "11-01 02:30 EST",
        "11-02 02:30 EST",
        "11-03 02:30 EST",
    ]
    # Each fired when the clock reached it, not all at the end of the advance.
    assert all(f.tzinfo is not None for f in fired)
    schedule.stop()
    await clock.advance(86400)
    assert len(fired) == 4


async def test_a_time_of_day_on_weekdays_and_an_interval() -> None:
    clock = clock_at(datetime(2026, 12, 4, 0, 0, tzinfo=NY))  # a Friday
    fired: list[str] = []
    weekly = Schedule(
        clock, daily_trigger(7, 0, 0, NY, ("mon", "fri")), lambda t: fired.append(t.strftime("%a"))
    )
    weekly.start()
    await clock.advance(7 * 86400)
    assert fired == ["Fri", "Mon"]
    times: list[float] = []
    start = clock.now()
    every = Schedule(clock, interval_trigger(90, NY, start), lambda t: times.append(t.timestamp()))
    every.start()
    await clock.advance(300)
    assert [t - start.timestamp() for t in times] == [0, 90, 180, 270]


def test_bad_schedules_are_refused_with_the_reason() -> None:
    with pytest.raises(ScheduleError, match="five fields"):
        cron_trigger("0 2 * *", NY)
    with pytest.raises(ScheduleError, match="bad cron expression"):
        cron_trigger("0 25 * * *", NY)
    with pytest.raises(ScheduleError, match="unknown weekday 'monday'"):
        daily_trigger(1, 0, 0, NY, ("monday",))
    with pytest.raises(ScheduleError, match="longer than zero"):
        interval_trigger(0, NY, datetime.now(NY))
