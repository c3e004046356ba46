"""The triggers a rule can have: what starts it.

``trigger: webhook`` (or Home Assistant's older ``platform: webhook``) picks the kind; each
trigger may carry an ``id`` (``trigger.id`` in templates, ``condition: trigger`` selects by it),
``variables`` rendered when it fires, and ``enabled: false``.
"""

from __future__ import annotations

import zoneinfo
from datetime import UTC
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BeforeValidator, Discriminator, Field, Tag, field_validator, model_validator

from engine.schedule import ScheduleError, cron_trigger
from engine.services import suggest
from rules.durations import Duration, TemplatedDuration
from rules.schema_common import (
    EntityPatterns,
    FilterValues,
    SpelledModel,
    Text,
    Texts,
    TimeOfDay,
    Variables,
    Weekdays,
    as_list,
    check_numeric,
    error,
    spelled,
)


class TriggerBase(SpelledModel):
    id: Text | None = Field(
        None,
        description="a name for the trigger, read as `trigger.id` and selected by "
        "`condition: trigger`; by default its position (`0`, `1`, ...)",
    )
    alias: str | None = Field(None, description="a name for people, shown in the records")
    enabled: bool = Field(True, description="`false`: the trigger is checked but never fires")
    variables: Variables = Field(
        default_factory=dict,
        description="variables rendered when the trigger fires, before the rule's own",
    )


class WebhookTrigger(TriggerBase):
    """A ViciDial callback of one kind, optionally only when its fields match ``filter``."""

    trigger: Literal["webhook"] = spelled("trigger", "platform")
    kind: str = Field(
        description="the callback kind (`pause_max`, `dispo_callback`, `no_agent`, ...)"
    )
    filter: dict[str, FilterValues] = Field(
        default_factory=dict,
        description="payload fields and the values they must have: a value, a list of "
        "allowed values, or a glob (`SALES*`); numbers compare as text",
    )


class AgentEventTrigger(TriggerBase):
    """An agent screen push event (``event``: one or more names; none: every event)."""

    trigger: Literal["agent_event"] = spelled("trigger", "platform")
    event: Texts = Field((), description="the push event names (none: every event)")
    user: FilterValues | None = Field(
        None, description="only the pushes of these agents (a value, a list or a glob)"
    )
    campaign: FilterValues | None = Field(
        None,
        description="only pushes in these campaigns: the push's own campaign, else the "
        "agent entity's as of the push",
    )


def _maybe_list(value: Any) -> Any:
    return None if value is None else as_list(value)


# ``to: null`` is not ``to`` left out: it means any change of the state (not attributes only).
StateValues = Annotated[tuple[Text, ...] | None, BeforeValidator(_maybe_list)]


class StateTrigger(TriggerBase):
    """An entity's state (or one attribute) changing, optionally held ``for`` a while."""

    trigger: Literal["state"] = spelled("trigger", "platform")
    entity_id: EntityPatterns = Field(description="the entities watched: ids or globs (`agent.*`)")
    attribute: str | None = Field(None, description="watch this attribute instead of the state")
    from_: StateValues = Field(None, alias="from", description="the old state was one of these")
    to: StateValues = Field(
        None,
        description="the new state is one of these; `to: null` means any change of the "
        "state, attribute-only changes left out",
    )
    not_from: StateValues = Field(None, description="the old state was none of these")
    not_to: StateValues = Field(None, description="the new state is none of these")
    for_: Duration | None = Field(
        None, alias="for", description="the new state must hold this long before it fires"
    )

    @model_validator(mode="after")
    def _consistent(self) -> StateTrigger:
        if self.from_ is not None and self.not_from is not None:
            raise error("state_trigger", "use from or not_from, not both")
        if self.to is not None and self.not_to is not None:
            raise error("state_trigger", "use to or not_to, not both")
        return self


class NumericStateTrigger(TriggerBase):
    """An entity's number (its state, an attribute, or ``value_template``) crossing into the
    range ``above`` .. ``below``, optionally staying there ``for`` a while."""

    trigger: Literal["numeric_state"] = spelled("trigger", "platform")
    entity_id: EntityPatterns = Field(
        description="the entities watched: ids or globs (`campaign.*`)"
    )
    attribute: str | None = Field(None, description="read this attribute instead of the state")
    value_template: str | None = Field(
        None,
        description="a template giving the number; `state` is the entity's state in it",
    )
    above: float | None = Field(None, description="the number is greater than this")
    below: float | None = Field(None, description="the number is less than this")
    for_: Duration | None = Field(
        None, alias="for", description="the number must stay in the range this long"
    )

    @model_validator(mode="after")
    def _range(self) -> NumericStateTrigger:
        check_numeric(self.above, self.below, self.attribute, self.value_template)
        return self


class EventTrigger(TriggerBase):
    """Any event on the bus by its type, optionally only when its data matches."""

    trigger: Literal["event"] = spelled("trigger", "platform")
    event_type: Annotated[tuple[Text, ...], BeforeValidator(as_list), Field(min_length=1)] = Field(
        description="the event type, or a list of them"
    )
    event_data: dict[str, FilterValues] = Field(
        default_factory=dict,
        description="data fields and the values they must have, as a webhook's `filter`",
    )


class TimeTrigger(TriggerBase):
    """A time of day (``at``, one or more), on some weekdays, in the call center's zone."""

    trigger: Literal["time"] = spelled("trigger", "platform")
    at: Annotated[tuple[TimeOfDay, ...], BeforeValidator(as_list), Field(min_length=1)] = Field(
        description="`HH:MM` or `HH:MM:SS`, or a list of them"
    )
    weekday: Weekdays = Field((), description="only on these days (none: every day)")


def _zone(value: Any) -> Any:
    if value is None or isinstance(value, ZoneInfo):
        return value
    try:
        return ZoneInfo(str(value))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        hint = suggest(str(value), sorted(zoneinfo.available_timezones()))
        more = f"; did you mean {hint[0]!r}?" if hint else " (an IANA name such as Europe/Paris)"
        raise error("timezone", f"unknown time zone {value!r}{more}") from None


class ScheduleTrigger(TriggerBase):
    """A cron expression (five fields, optionally in its own ``timezone``) or ``every`` N."""

    trigger: Literal["schedule"] = spelled("trigger", "platform")
    cron: str | None = Field(
        None, description="five fields: minute hour day-of-month month day-of-week"
    )
    every: Duration | None = Field(
        None,
        description="a fixed interval; the first one interval after the rule is loaded",
    )
    timezone: Annotated[ZoneInfo | None, BeforeValidator(_zone)] = Field(
        None, description="the IANA zone the cron expression is read in (default: the config's)"
    )

    @field_validator("cron")
    @classmethod
    def _cron(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                cron_trigger(value, UTC)
            except ScheduleError as exc:
                raise error("cron", str(exc)) from None
        return value

    @model_validator(mode="after")
    def _one(self) -> ScheduleTrigger:
        if (self.cron is None) == (self.every is None):
            raise error("schedule", "give cron or every (one of them)")
        if isinstance(self.every, TemplatedDuration):
            raise error("schedule", "every takes a fixed duration, not a template")
        if self.every is not None and self.every <= 0:
            raise error("schedule", "every must be longer than zero")
        if self.every is not None and self.timezone is not None:
            raise error("schedule", "timezone applies to cron only")
        return self


class StartupTrigger(TriggerBase):
    """The daemon started (``vicibus_started``)."""

    trigger: Literal["startup"] = spelled("trigger", "platform")


class ReloadTrigger(TriggerBase):
    """The configuration was reloaded (``vicibus_reloaded``)."""

    trigger: Literal["reload"] = spelled("trigger", "platform")


class CountTrigger(TriggerBase):
    """Fires when ``events`` (another trigger) matched ``threshold`` times within the sliding
    window ``within`` (per ``key`` when given: a template read with the counted trigger's
    variables); once per crossing, armed again when the count falls below the threshold."""

    trigger: Literal["count"] = spelled("trigger", "platform")
    events: Trigger = Field(description="the trigger whose matches are counted (not a count)")
    within: Duration = Field(description="the sliding window, a fixed duration")
    threshold: int = Field(ge=1, description="fire when the count in the window reaches this")
    key: str | None = Field(
        None,
        description="a template: count per key (per campaign, per agent); none: one count",
    )

    @model_validator(mode="after")
    def _counted(self) -> CountTrigger:
        inner = self.events
        if isinstance(inner, CountTrigger):
            raise error("count", "a count trigger counts another kind of trigger, not a count")
        if inner.id is not None or inner.variables:
            raise error("count", "give id and variables to the count trigger, not to its events")
        if isinstance(self.within, TemplatedDuration) or self.within <= 0:
            raise error("count", "within takes a fixed duration longer than zero")
        return self


TRIGGER_TYPES: dict[str, type[TriggerBase]] = {
    "webhook": WebhookTrigger,
    "agent_event": AgentEventTrigger,
    "state": StateTrigger,
    "numeric_state": NumericStateTrigger,
    "event": EventTrigger,
    "time": TimeTrigger,
    "schedule": ScheduleTrigger,
    "startup": StartupTrigger,
    "reload": ReloadTrigger,
    "count": CountTrigger,
}


def _platform(value: Any) -> Any:
    if isinstance(value, dict):
        return value.get("trigger", value.get("platform"))
    return getattr(value, "trigger", None)


def _known_platform(value: Any) -> Any:
    if not isinstance(value, dict):
        if isinstance(value, TriggerBase):
            return value
        raise error("trigger", "a trigger is a mapping with trigger: <type>")
    name = _platform(value)
    if name is None:
        raise error("trigger", f"a trigger needs trigger: one of {', '.join(TRIGGER_TYPES)}")
    if name not in TRIGGER_TYPES:
        hint = suggest(str(name), list(TRIGGER_TYPES))
        more = f"did you mean {hint[0]!r}?" if hint else f"use one of {', '.join(TRIGGER_TYPES)}"
        raise error("trigger", f"unknown trigger {name!r}; {more}")
    return value


Trigger = Annotated[
    Annotated[WebhookTrigger, Tag("webhook")]
    | Annotated[AgentEventTrigger, Tag("agent_event")]
    | Annotated[StateTrigger, Tag("state")]
    | Annotated[NumericStateTrigger, Tag("numeric_state")]
    | Annotated[EventTrigger, Tag("event")]
    | Annotated[TimeTrigger, Tag("time")]
    | Annotated[ScheduleTrigger, Tag("schedule")]
    | Annotated[StartupTrigger, Tag("startup")]
    | Annotated[ReloadTrigger, Tag("reload")]
    | Annotated[CountTrigger, Tag("count")],
    Discriminator(_platform),
    BeforeValidator(_known_platform),
]
CountTrigger.model_rebuild()
