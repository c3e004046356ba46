"""Recurring times on the engine's clock: cron expressions, intervals and times of day.

APScheduler's triggers compute the fire times (cron semantics, daylight-saving changes, time
zones); the engine's clock decides when they are due, so schedules run accelerated in the demo
and step exactly on a manual clock in tests.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta, tzinfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from engine.clock import Clock, Timer

logger = logging.getLogger(__name__)

FireCallback = Callable[[datetime], None]
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class ScheduleError(ValueError):
    """A cron expression, interval or time of day that cannot be scheduled."""


def cron_trigger(expression: str, tz: tzinfo) -> BaseTrigger:
    """Five fields: minute hour day-of-month month day-of-week."""
    if len(expression.split()) != 5:
        raise ScheduleError(
            f"cron takes five fields (minute hour day month weekday), got {expression!r}"
        )
    try:
        return CronTrigger.from_crontab(expression, timezone=tz)
    except ValueError as exc:
        raise ScheduleError(f"bad cron expression {expression!r}: {exc}") from None


def daily_trigger(
    hour: int, minute: int, second: int, tz: tzinfo, weekdays: tuple[str, ...] = ()
) -> BaseTrigger:
    """At a time of day, on the given weekdays (mon..sun; none: every day)."""
    unknown = [day for day in weekdays if day not in WEEKDAYS]
    if unknown:
        raise ScheduleError(f"unknown weekday {unknown[0]!r}; use one of {', '.join(WEEKDAYS)}")
    day_of_week = ",".join(weekdays) if weekdays else None
    return CronTrigger(
        hour=hour, minute=minute, second=second, day_of_week=day_of_week, timezone=tz
    )


def interval_trigger(seconds: float, tz: tzinfo, start: datetime) -> BaseTrigger:
    if seconds <= 0:
        raise ScheduleError("an interval must be longer than zero")
    return IntervalTrigger(seconds=seconds, start_date=start, timezone=tz)


class Schedule:
    """Calls ``callback(fire_time)`` at each of a trigger's fire times, on the engine clock."""

    def __init__(self, clock: Clock, trigger: BaseTrigger, callback: FireCallback) -> None:
        self._clock = clock
        self._trigger = trigger
        self._callback = callback
        self._timer: Timer | None = None
        self._previous: datetime | None = None
        self.next_fire: datetime | None = None

    def __repr__(self) -> str:
        return f"Schedule({self._trigger}, next={self.next_fire})"

    def start(self) -> None:
        self._arm(self._clock.now())

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self.next_fire = None

    def _arm(self, now: datetime) -> None:
        fire = self._trigger.get_next_fire_time(self._previous, now)
        # A trigger can answer a time already past (the previous fire, to the second): skip it.
        while fire is not None and self._previous is not None and fire <= self._previous:
            fire = self._trigger.get_next_fire_time(fire, fire + timedelta(microseconds=1))
        self.next_fire = fire
        if fire is not None:
            self._timer = self._clock.call_at(fire.timestamp(), self._fire)

    def _fire(self) -> None:
        fire = self.next_fire
        self._timer = None
        if fire is None:
            return
        self._previous = fire
        try:
            self._callback(fire)
        except Exception:
            logger.exception("schedule callback failed at %s", fire.isoformat())
        # The clock may have jumped past several fire times (manual advance over a night):
        # each schedule fires once per due time, in order, like the timers do.
        self._arm(fire + timedelta(microseconds=1))
