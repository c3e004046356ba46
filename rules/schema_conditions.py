"""The conditions a rule (or a ``condition`` step) checks before it goes on.

A bare template string is a template condition; ``{and: [...]}``, ``{or: [...]}`` and
``{not: [...]}`` stand for the long forms. ``state_at`` chooses which state a condition reads:
``trigger`` (the store as of the triggering event) or ``now``. A rule's conditions read the
triggering state unless told otherwise; a ``condition`` step reads the state when it runs.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Discriminator, Field, Tag, model_validator

from engine.services import suggest
from rules.durations import Duration
from rules.schema_common import (
    EntityPatterns,
    RuleModel,
    TemplateText,
    Texts,
    TimeOfDay,
    Weekdays,
    as_list,
    check_numeric,
    error,
)

StateAt = Literal["trigger", "now"] | None
_STATE_AT = (
    "the state read: `trigger` (as of the triggering event) or `now`; by default `trigger` "
    "in a rule's conditions and `now` in a step"
)


def _state_at() -> Any:
    return Field(None, description=_STATE_AT)


class ConditionBase(RuleModel):
    alias: str | None = Field(None, description="a name for people, shown in the records")
    enabled: bool = Field(True, description="`false`: left out, as if it were not written")


class AndCondition(ConditionBase):
    """True when every one of its conditions is true."""

    condition: Literal["and"]
    conditions: Annotated[tuple[Condition, ...], BeforeValidator(as_list)] = Field(
        description="the conditions, in order; the first false one ends the check"
    )


class OrCondition(ConditionBase):
    """True when one of its conditions is true."""

    condition: Literal["or"]
    conditions: Annotated[tuple[Condition, ...], BeforeValidator(as_list)] = Field(
        description="the conditions, in order; the first true one ends the check"
    )


class NotCondition(ConditionBase):
    """True when none of its conditions is true."""

    condition: Literal["not"]
    conditions: Annotated[tuple[Condition, ...], BeforeValidator(as_list)] = Field(
        description="the conditions that must all be false"
    )


class StateCondition(ConditionBase):
    """The entity is in one of ``state`` (all of the entities, or any with ``match: any``),
    optionally for at least ``for``."""

    condition: Literal["state"]
    entity_id: EntityPatterns = Field(description="ids or globs (`agent.*`)")
    state: Annotated[Texts, Field(min_length=1)] = Field(
        description="the state (or attribute value), or a list of allowed ones"
    )
    attribute: str | None = Field(None, description="compare this attribute, not the state")
    for_: Duration | None = Field(
        None, alias="for", description="the entity has been in the state at least this long"
    )
    match: Literal["all", "any"] = Field(
        "all", description="with several entities: `all` of them or `any` one"
    )
    state_at: StateAt = _state_at()


class NumericStateCondition(ConditionBase):
    """The entity's number (its state, an attribute, or ``value_template``) is above
    ``above`` and below ``below``; with several entities, all of them."""

    condition: Literal["numeric_state"]
    entity_id: EntityPatterns = Field(description="ids or globs (`campaign.*`)")
    attribute: str | None = Field(None, description="read this attribute instead of the state")
    value_template: str | None = Field(
        None, description="a template giving the number; `state` is the entity's state in it"
    )
    above: float | None = Field(None, description="the number is greater than this")
    below: float | None = Field(None, description="the number is less than this")
    state_at: StateAt = _state_at()

    @model_validator(mode="after")
    def _range(self) -> NumericStateCondition:
        check_numeric(self.above, self.below, self.attribute, self.value_template)
        return self


class TemplateCondition(ConditionBase):
    """A template that renders true: `true`, a number other than 0, or the text `true`,
    `yes`, `on`, `enable` or `1`; anything else is false."""

    condition: Literal["template"]
    value_template: TemplateText = Field(description="the template")
    state_at: StateAt = _state_at()


class TimeCondition(ConditionBase):
    """The time of day is after ``after`` and before ``before`` (across midnight when
    ``after`` is later), on the given weekdays."""

    condition: Literal["time"]
    after: TimeOfDay | None = Field(None, description="`HH:MM[:SS]`: at or after this time")
    before: TimeOfDay | None = Field(None, description="`HH:MM[:SS]`: before this time")
    weekday: Weekdays = Field((), description="on one of these days")
    state_at: StateAt = Field(
        None,
        description="the time read: `trigger` (the triggering event's) or `now`; "
        "by default as the other conditions",
    )

    @model_validator(mode="after")
    def _something(self) -> TimeCondition:
        if self.after is None and self.before is None and not self.weekday:
            raise error("time", "give after, before or weekday")
        return self


class TriggerCondition(ConditionBase):
    """The run was started by the trigger with this ``id`` (or one of these)."""

    condition: Literal["trigger"]
    id: Annotated[Texts, Field(min_length=1)] = Field(description="a trigger id, or a list")


CONDITION_TYPES: dict[str, type[ConditionBase]] = {
    "and": AndCondition,
    "or": OrCondition,
    "not": NotCondition,
    "state": StateCondition,
    "numeric_state": NumericStateCondition,
    "template": TemplateCondition,
    "time": TimeCondition,
    "trigger": TriggerCondition,
}
_SHORTHANDS = ("and", "or", "not")


def _kind(value: Any) -> Any:
    if isinstance(value, dict):
        return value.get("condition")
    return getattr(value, "condition", None)


def _long_form(value: Any) -> Any:
    """Shorthands to their long form; an unknown condition named with a suggestion."""
    if isinstance(value, ConditionBase):
        return value
    if isinstance(value, str):
        return {"condition": "template", "value_template": value}
    if not isinstance(value, dict):
        raise error("condition", "a condition is a template or a mapping with condition: <type>")
    if "condition" not in value:
        for short in _SHORTHANDS:
            if short in value:
                rest = {k: v for k, v in value.items() if k != short}
                return {"condition": short, "conditions": value[short], **rest}
        raise error(
            "condition", f"a condition needs condition: one of {', '.join(CONDITION_TYPES)}"
        )
    name = value["condition"]
    if name not in CONDITION_TYPES:
        hint = suggest(str(name), list(CONDITION_TYPES))
        more = f"did you mean {hint[0]!r}?" if hint else f"use one of {', '.join(CONDITION_TYPES)}"
        raise error("condition", f"unknown condition {name!r}; {more}")
    return value


Condition = Annotated[
    Annotated[AndCondition, Tag("and")]
    | Annotated[OrCondition, Tag("or")]
    | Annotated[NotCondition, Tag("not")]
    | Annotated[StateCondition, Tag("state")]
    | Annotated[NumericStateCondition, Tag("numeric_state")]
    | Annotated[TemplateCondition, Tag("template")]
    | Annotated[TimeCondition, Tag("time")]
    | Annotated[TriggerCondition, Tag("trigger")],
    Discriminator(_kind),
    BeforeValidator(_long_form),
]
Conditions = Annotated[tuple[Condition, ...], BeforeValidator(as_list)]

for _model in (AndCondition, OrCondition, NotCondition):
    _model.model_rebuild()
