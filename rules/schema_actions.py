"""The steps a rule runs: service calls, delays, condition steps, events, variables, stop and
sequences.

Which step a mapping is follows from its key (``action:``, or Home Assistant's older
``service:``; ``delay:``; ``condition:``; ...). Every step may have ``alias``, ``enabled``
and ``continue_on_error``; a bare template string is a condition step.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Discriminator, Field, Tag

from engine.services import suggest
from rules.durations import Duration
from rules.schema_common import RuleModel, Variables, as_list, error, spelled
from rules.schema_conditions import Condition

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _variable_name(value: Any) -> Any:
    if isinstance(value, str) and not _NAME.fullmatch(value):
        raise error("name", f"{value!r} is no variable name: letters, digits and _")
    return value


VariableName = Annotated[str, BeforeValidator(_variable_name)]


class StepBase(RuleModel):
    alias: str | None = None
    enabled: bool = True
    # An error of this step is recorded and the run goes on with the next step.
    continue_on_error: bool = False


class ServiceStep(StepBase):
    """Call a service with ``data`` (templated); its result as ``response_variable``."""

    action: str = spelled("action", "service")
    data: dict[str, Any] = Field(default_factory=dict)
    response_variable: VariableName | None = None


class DelayStep(StepBase):
    delay: Duration


class EventStep(StepBase):
    """Fire a custom event with ``event_data`` (templated)."""

    event: str
    event_data: dict[str, Any] = Field(default_factory=dict)


class VariablesStep(StepBase):
    """Set variables for the steps after it, each rendered in order."""

    variables: Variables


class StopStep(StepBase):
    """End the run: a reason, ``error: true`` to end it as an error, and a ``response``
    (templated) for whoever waits on the run (a DID filter decider)."""

    stop: str = ""
    error: bool = False
    response: Any = None
    response_variable: VariableName | None = None


class SequenceStep(StepBase):
    sequence: Annotated[tuple[Action, ...], BeforeValidator(as_list)]


STEP_KEYS = ("action", "service", "delay", "condition", "event", "variables", "stop", "sequence")
# Steps of Home Assistant's language that this version does not run yet.
LATER_KEYS = ("wait_template", "wait_for_trigger", "choose", "if", "repeat", "parallel")


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
        later = [key for key in LATER_KEYS if key in value]
        if later:
            raise error("step", f"{later[0]!r} steps are not supported in this version")
        words = [str(k) for k in value]
        hints = [h for word in words for h in suggest(word, list(STEP_KEYS))]
        more = f"; did you mean {hints[0]!r}?" if hints else ""
        raise error("step", f"a step needs one of {', '.join(STEP_KEYS)}{more}")
    return value


Action = Annotated[
    Annotated[ServiceStep, Tag("action")]
    | Annotated[DelayStep, Tag("delay")]
    | Annotated[Condition, Tag("condition")]
    | Annotated[EventStep, Tag("event")]
    | Annotated[VariablesStep, Tag("variables")]
    | Annotated[StopStep, Tag("stop")]
    | Annotated[SequenceStep, Tag("sequence")],
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
}

SequenceStep.model_rebuild()
StepKind = Literal["action", "delay", "condition", "event", "variables", "stop", "sequence"]
