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
    error,
)

StateAt = Literal["trigger", "now"] | None


class ConditionBase(RuleModel):
    alias: str | None = None
    enabled: bool = True


class AndCondition(ConditionBase):
    condition: Literal["and"]
    conditions: Annotated[tuple[Condition, ...], BeforeValidator(as_list)]


class OrCondition(ConditionBase):
    condition: Literal["or"]
    conditions: Annotated[tuple[Condition, ...], BeforeValidator(as_list)]


class NotCondition(ConditionBase):
    """True when none of its conditions is true."""

    condition: Literal["not"]
    conditions: Annotated[tuple[Condition, ...], BeforeValidator(as_list)]


class StateCondition(ConditionBase):
    """The entity is in one of ``state`` (all of the entities, or any with ``match: any``),
    optionally for at least ``for``."""

    condition: Literal["state"]
    entity_id: EntityPatterns
    state: Annotated[Texts, Field(min_length=1)]
    attribute: str | None = None
    for_: Duration | None = Field(None, alias="for")
    match: Literal["all", "any"] = "all"
    state_at: StateAt = None


class NumericStateCondition(ConditionBase):
    condition: Literal["numeric_state"]
    entity_id: EntityPatterns
    attribute: str | None = None
    value_template: str | None = None
    above: float | None = None
    below: float | None = None
    state_at: StateAt = None

    @model_validator(mode="after")
    def _range(self) -> NumericStateCondition:
        if self.above is None and self.below is None:
            raise error("numeric_state", "give above, below or both")
        if self.attribute is not None and self.value_template is not None:
            raise error("numeric_state", "use attribute or value_template, not both")
        return self


class TemplateCondition(ConditionBase):
    condition: Literal["template"]
    value_template: TemplateText
    state_at: StateAt = None


class TimeCondition(ConditionBase):
    """The time of day is after ``after`` and before ``before`` (across midnight when
    ``after`` is later), on the given weekdays."""

    condition: Literal["time"]
    after: TimeOfDay | None = None
    before: TimeOfDay | None = None
    weekday: Weekdays = ()
    state_at: StateAt = None

    @model_validator(mode="after")
    def _something(self) -> TimeCondition:
        if self.after is None and self.before is None and not self.weekday:
            raise error("time", "give after, before or weekday")
        return self


class TriggerCondition(ConditionBase):
    """The run was started by the trigger with this ``id`` (or one of these)."""

    condition: Literal["trigger"]
    id: Annotated[Texts, Field(min_length=1)]


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
