"""Triggers on the clock: a time of day (``time``) and cron or interval schedules
(``schedule``), through the engine's schedules, so they follow an accelerated or manual clock.

``trigger`` variables: ``now`` (the due time, an aware datetime in the call center's time zone,
or the cron's own zone), and ``at``, ``cron`` or ``every``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from engine.schedule import Schedule, cron_trigger, daily_trigger, interval_trigger
from rules.schema_common import parse_time_of_day
from rules.schema_triggers import ScheduleTrigger, TimeTrigger
from rules.templates import Templates
from rules.triggers import CompiledTrigger, Detach, TriggerHost


class _Timed(CompiledTrigger):
    provides = CompiledTrigger.provides | {"now"}

    def _fire(self, host: TriggerHost, due: datetime, extra: dict[str, Any]) -> None:
        variables = self.base()
        variables["now"] = due
        variables.update(extra)
        event = host.timer_event(self.platform, {"trigger": self.id, "now": due.isoformat()})
        host.fire(self, variables, event, None)

    def _callback(self, host: TriggerHost, extra: dict[str, Any]) -> Callable[[datetime], None]:
        return lambda due: self._fire(host, due, extra)

    @staticmethod
    def _detach(schedules: list[Schedule]) -> Detach:
        def detach() -> None:
            for schedule in schedules:
                schedule.stop()

        return detach


class TimeSchedule(_Timed):
    platform = "time"
    provides = _Timed.provides | {"at"}

    def __init__(self, model: TimeTrigger, index: int, templates: Templates) -> None:
        super().__init__(model, index, templates)
        self.times = tuple(parse_time_of_day(at) for at in model.at)
        self.texts = model.at
        self.weekdays = tuple(model.weekday)

    def attach(self, host: TriggerHost) -> tuple[Detach, list[Schedule]]:
        schedules = []
        for (hour, minute, second), text in zip(self.times, self.texts, strict=True):
            trigger = daily_trigger(hour, minute, second, host.clock.tz, self.weekdays)
            schedules.append(Schedule(host.clock, trigger, self._callback(host, {"at": text})))
        for schedule in schedules:
            schedule.start()
        return self._detach(schedules), schedules


class CronSchedule(_Timed):
    platform = "schedule"
    provides = _Timed.provides | {"cron", "every"}

    def __init__(self, model: ScheduleTrigger, index: int, templates: Templates) -> None:
        super().__init__(model, index, templates)
        self.cron = model.cron
        self.every = model.every if isinstance(model.every, float) else None
        self.timezone = model.timezone

    def attach(self, host: TriggerHost) -> tuple[Detach, list[Schedule]]:
        clock = host.clock
        if self.cron is not None:
            trigger = cron_trigger(self.cron, self.timezone or clock.tz)
            extra: dict[str, Any] = {"cron": self.cron}
        else:
            assert self.every is not None
            # The first run comes one interval after the rule is loaded, not at once.
            start = clock.now() + timedelta(seconds=self.every)
            trigger = interval_trigger(self.every, clock.tz, start)
            extra = {"every": self.every}
        schedule = Schedule(clock, trigger, self._callback(host, extra))
        schedule.start()
        return self._detach([schedule]), [schedule]
