"""The steps a rule runs: service calls, delays, condition steps, events, variables, stop,
sequences; waits (``wait_template``, ``wait_for_trigger``), branches (``choose``, ``if``),
loops (``repeat``), ``parallel``; and the answer to a DID filter (``did_filter``).

Which step a mapping is follows from its key (``action:``, or Home Assistant's older
``service:``; ``delay:``; ``condition:``; ...). Every step may have ``alias``, ``enabled``
and ``continue_on_error``; a bare template string is a condition step.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BeforeValidator, Discriminator, Field, Tag, field_validator, model_validator

from engine.services import suggest
from rules.durations import Duration
from rules.schema_common import (
    RuleModel,
    SpelledModel,
    TemplateText,
    Variables,
    as_list,
    error,
    spelled,
)
from rules.schema_conditions import Condition, Conditions
from rules.schema_triggers import Trigger

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _variable_name(value: Any) -> Any:
    if isinstance(value, str) and not _NAME.fullmatch(value):
        raise error("name", f"{value!r} is no variable name: letters, digits and _")
    return value


VariableName = Annotated[str, BeforeValidator(_variable_name)]


class StepBase(RuleModel):
    alias: str | None = Field(None, description="a name for people, shown in the records")
    enabled: bool = Field(True, description="`false`: the step is skipped (and recorded so)")
    # An error of this step is recorded and the run goes on with the next step.
    continue_on_error: bool = Field(
        False,
        description="`true`: an error of the step is recorded and the run goes on with the "
        "next step",
    )


class ServiceStep(StepBase, SpelledModel):
    """Call a service with ``data`` (templated); its result as ``response_variable``."""

    action: str = spelled(
        "action", "service", description="the service (`vicidial.agent.pause_code`, `notify.log`)"
    )
    data: dict[str, Any] = Field(
        default_factory=dict,
        description="the service's parameters, by their official names; values may be templates",
    )
    response_variable: VariableName | None = Field(
        None, description="a name for the service's result, as a mapping, in later steps"
    )


class DelayStep(StepBase):
    """Wait for a while, then go on."""

    delay: Duration = Field(description="how long")


class EventStep(StepBase):
    """Fire a custom event with ``event_data`` (templated)."""

    event: str = Field(
        description="the event type; the engine's own types and `vicidial_*` cannot be fired"
    )
    event_data: dict[str, Any] = Field(
        default_factory=dict, description="the event's data; values may be templates"
    )


class VariablesStep(StepBase):
    """Set variables for the steps after it, each rendered in order."""

    variables: Variables = Field(description="names and values (values may be templates)")


class StopStep(StepBase):
    """End the run: a reason, ``error: true`` to end it as an error, and a ``response``
    (templated) for whoever waits on the run (a DID filter decider)."""

    stop: str = Field("", description="the reason, kept with the run")
    error: bool = Field(False, description="`true`: the run ends as an error")
    response: Any = Field(
        None, description="the run's answer (may be a template), for whoever waits on it"
    )
    response_variable: VariableName | None = Field(
        None, description="answer with this variable's value instead of `response`"
    )


class SequenceStep(StepBase):
    """Steps run in order, as one step (``continue_on_error`` covers them all)."""

    sequence: Annotated[tuple[Action, ...], BeforeValidator(as_list)] = Field(
        description="the steps"
    )


class _Waits(StepBase):
    # How long the wait may last (none: for ever); when it runs out, the run goes on unless
    # ``continue_on_timeout`` is false, when it ends there.
    timeout: Duration | None = Field(
        None, description="how long to wait at most (none: as long as it takes)"
    )
    continue_on_timeout: bool = Field(
        True, description="`false`: a wait that times out ends the run (outcome `stopped`)"
    )


class WaitTemplateStep(_Waits):
    """Wait until a template is true (checked now, and again at each change of a state)."""

    wait_template: TemplateText = Field(description="the template")


class WaitForTriggerStep(_Waits):
    """Wait until one of these triggers fires (``wait.trigger`` holds what it matched)."""

    wait_for_trigger: Annotated[
        tuple[Trigger, ...], BeforeValidator(as_list), Field(min_length=1)
    ] = Field(description="one trigger or a list (any kind but `count`)")

    @field_validator("wait_for_trigger")
    @classmethod
    def _no_count(cls, value: tuple[Any, ...]) -> tuple[Any, ...]:
        if any(getattr(t, "trigger", None) == "count" for t in value):
            raise error(
                "wait_for_trigger",
                "a count trigger cannot be waited for; wait for the "
                "trigger it counts, or count in a rule of its own",
            )
        return value


class ChooseOption(SpelledModel):
    """One option of a ``choose``: its conditions (all must hold) and its steps."""

    alias: str | None = Field(None, description="a name for people, shown in the records")
    conditions: Conditions = spelled(
        "conditions", "condition", description="the conditions (all must hold)"
    )
    sequence: Annotated[tuple[Action, ...], BeforeValidator(as_list), Field(min_length=1)] = Field(
        description="the steps run when they hold"
    )


class ChooseStep(StepBase):
    """The steps of the first option whose conditions hold, else those of ``default``."""

    choose: Annotated[tuple[ChooseOption, ...], BeforeValidator(as_list), Field(min_length=1)] = (
        Field(description="the options, each `conditions` and `sequence`, tried in order")
    )
    default: Annotated[tuple[Action, ...], BeforeValidator(as_list)] = Field(
        (), description="the steps run when no option's conditions hold"
    )


class IfStep(StepBase):
    """``then`` when every condition of ``if`` holds, else ``else``."""

    if_: Conditions = Field(alias="if", description="the conditions (all must hold)")
    then: Annotated[tuple[Action, ...], BeforeValidator(as_list), Field(min_length=1)] = Field(
        description="the steps run when they hold"
    )
    else_: Annotated[tuple[Action, ...], BeforeValidator(as_list)] = Field(
        (), alias="else", description="the steps run when they do not"
    )


# A number of times: a whole number, or a template rendered when the loop starts.
Count = Annotated[int, Field(ge=0)] | TemplateText


class Repeat(RuleModel):
    """``sequence`` again and again: ``count`` times, for each item of ``for_each``, while the
    ``while`` conditions hold (checked before each time), or until the ``until`` conditions
    hold (checked after each time)."""

    count: Count | None = Field(
        None, description="this many times (a template is rendered when the loop starts)"
    )
    for_each: list[Any] | TemplateText | None = Field(
        None,
        description="once for each item of a list (or of a template giving one): `repeat.item`",
    )
    while_: Conditions | None = Field(
        None, alias="while", description="while these conditions hold, checked before each time"
    )
    until: Conditions | None = Field(
        None, description="until these conditions hold, checked after each time"
    )
    sequence: Annotated[tuple[Action, ...], BeforeValidator(as_list), Field(min_length=1)] = Field(
        description="the steps run each time"
    )

    @model_validator(mode="after")
    def _one_kind(self) -> Repeat:
        given = [
            name
            for name, value in (
                ("count", self.count),
                ("for_each", self.for_each),
                ("while", self.while_),
                ("until", self.until),
            )
            if value is not None
        ]
        if len(given) != 1:
            raise error("repeat", "a repeat has one of count, for_each, while or until")
        return self


class RepeatStep(StepBase):
    """Steps again and again: ``count`` times, ``for_each`` item, ``while`` or ``until``."""

    repeat: Repeat = Field(
        description="one of `count`, `for_each`, `while`, `until`, and the `sequence`"
    )


class ParallelStep(StepBase):
    """Each step (or ``sequence``) at the same time; the run goes on when all have ended."""

    parallel: Annotated[tuple[Action, ...], BeforeValidator(as_list), Field(min_length=1)] = Field(
        description="the steps, each with its own copy of the variables"
    )


class DidAnswer(RuleModel):
    match: bool | TemplateText = Field(
        description="`true` sends the call on to the DID's route; may be a template"
    )


def _did_answer(value: Any) -> Any:
    return value if isinstance(value, dict | DidAnswer) else {"match": value}


class DidFilterStep(StepBase):
    """Answer the DID filter request that triggered the run (``match``: true sends the call on
    to the DID's route); the run goes on."""

    did_filter: Annotated[DidAnswer, BeforeValidator(_did_answer)] = Field(
        description="`{match: ...}`, or the value of `match` itself"
    )


STEP_KEYS = (
    "action",
    "service",
    "delay",
    "condition",
    "event",
    "variables",
    "stop",
    "sequence",
    "wait_template",
    "wait_for_trigger",
    "choose",
    "if",
    "repeat",
    "parallel",
    "did_filter",
)


def step_kind(value: dict[Any, Any]) -> str | None:
    """Which step a mapping is, by the first step key it has."""
    for key in STEP_KEYS:
        if key in value:
            return "action" if key == "service" else key
    return None


def _kind(value: Any) -> Any:
    if isinstance(value, dict):
        return step_kind(value)
    for cls, tag in _TAGS.items():
        if isinstance(value, cls):
            return tag
    return "condition"


def _known_step(value: Any) -> Any:
    if isinstance(value, str):
        return {"condition": "template", "value_template": value}
    if not isinstance(value, dict):
        return value
    if "stop" in value and isinstance(value["stop"], dict):
        spec = value["stop"]
        return {
            **{k: v for k, v in value.items() if k != "stop"},
            "stop": spec.get("reason", ""),
            **{k: v for k, v in spec.items() if k != "reason"},
        }
    if _kind(value) is None:
        words = [str(k) for k in value]
        hints = [h for word in words for h in suggest(word, list(STEP_KEYS))]
        if hints:
            raise error("step", f"a step needs a step key; did you mean {hints[0]!r}?")
        raise error("step", f"a step needs one of {', '.join(STEP_KEYS)}")
    return value


Action = Annotated[
    Annotated[ServiceStep, Tag("action")]
    | Annotated[DelayStep, Tag("delay")]
    | Annotated[Condition, Tag("condition")]
    | Annotated[EventStep, Tag("event")]
    | Annotated[VariablesStep, Tag("variables")]
    | Annotated[StopStep, Tag("stop")]
    | Annotated[SequenceStep, Tag("sequence")]
    | Annotated[WaitTemplateStep, Tag("wait_template")]
    | Annotated[WaitForTriggerStep, Tag("wait_for_trigger")]
    | Annotated[ChooseStep, Tag("choose")]
    | Annotated[IfStep, Tag("if")]
    | Annotated[RepeatStep, Tag("repeat")]
    | Annotated[ParallelStep, Tag("parallel")]
    | Annotated[DidFilterStep, Tag("did_filter")],
    Discriminator(_kind),
    BeforeValidator(_known_step),
]
Actions = Annotated[tuple[Action, ...], BeforeValidator(as_list)]

_TAGS: dict[type, str] = {
    ServiceStep: "action",
    DelayStep: "delay",
    EventStep: "event",
    VariablesStep: "variables",
    StopStep: "stop",
    SequenceStep: "sequence",
    WaitTemplateStep: "wait_template",
    WaitForTriggerStep: "wait_for_trigger",
    ChooseStep: "choose",
    IfStep: "if",
    RepeatStep: "repeat",
    ParallelStep: "parallel",
    DidFilterStep: "did_filter",
}

for _model in (SequenceStep, ChooseOption, ChooseStep, IfStep, Repeat, RepeatStep, ParallelStep):
    _model.model_rebuild()
