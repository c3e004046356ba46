"""The rule test file, as pydantic models (docs/testing-rules.md is its reference).

```yaml
rules: ../../config.example.yaml      # a rules file, or a config with a rules section
tests:
  - name: a second pause_max within 10 minutes is ignored
    given:
      states: {agent.1001: {state: PAUSED, attributes: {pause_code: ""}}}
      respond: {vicidial.agent.pause_code: {outcome: ok}}
      time: 2026-03-02T09:00:00
    steps:
      - webhook: {kind: pause_max, user: "1001", campaign: TESTCAMP}
      - expect_actions:
          - {action: vicidial.agent.pause_code, data: {agent_user: "1001", value: BREAK}}
```

A step is a mapping with one key, the step's kind. Unknown keys are errors everywhere, so a
misspelt expectation cannot pass by checking nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PlainValidator,
    Tag,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from engine.config.fields import TimeZone
from engine.services import suggest
from rules.durations import HINT, DurationError, parse_duration
from rules.records import NotRunReason


class TestModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _text(value: Any) -> Any:
    """A state written as a YAML number or boolean is the text the entity holds."""
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, int | float):
        return str(value)
    return value


Text = Annotated[str, BeforeValidator(_text)]


def _seconds(value: Any) -> float:
    try:
        return parse_duration(value)
    except DurationError as exc:
        raise PydanticCustomError("duration", str(exc)) from None


Seconds = Annotated[
    float,
    PlainValidator(_seconds),
    WithJsonSchema({"anyOf": [{"type": "number"}, {"type": "string"}], "description": HINT}),
]


class StateValue(TestModel):
    state: Text
    attributes: dict[str, Any] = Field(default_factory=dict)


def _state_value(value: Any) -> Any:
    """``agent.1001: READY`` stands for ``{state: READY}``."""
    return value if isinstance(value, dict) else {"state": value}


State = Annotated[StateValue, BeforeValidator(_state_value)]

_STUB_KEYS = frozenset({"result", "error", "message", "outcome"})


class StubSpec(TestModel):
    """A service's answer: ``{result: {...}}`` (or the result's fields alone), ``{outcome:
    ok}`` (its empty success, on purpose), or ``{error: ViciStateError, message: ...}``."""

    result: dict[str, Any] | None = None
    outcome: Literal["ok"] | None = None
    error: str | None = None
    message: str = ""

    @model_validator(mode="before")
    @classmethod
    def _bare_result(cls, value: Any) -> Any:
        if isinstance(value, dict) and value and not (_STUB_KEYS & set(value)):
            return {"result": value}
        return value

    @model_validator(mode="after")
    def _one_answer(self) -> StubSpec:
        if self.error is not None and (self.result is not None or self.outcome is not None):
            raise PydanticCustomError("stub", "a stub answers a result or an error, not both")
        if self.message and self.error is None:
            raise PydanticCustomError("stub", "message goes with error")
        return self


class Given(TestModel):
    states: dict[str, State] = Field(default_factory=dict)
    respond: dict[str, StubSpec] = Field(default_factory=dict)
    time: datetime | None = None


class WebhookFields(BaseModel):
    """``kind`` and the callback's fields (values as text, as the dialer sends them)."""

    model_config = ConfigDict(extra="allow", frozen=True)

    kind: str

    @property
    def fields(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


class EventSpec(TestModel):
    type: str
    data: dict[str, Any] = Field(default_factory=dict)


class StateSpec(TestModel):
    entity_id: str
    state: Text
    attributes: dict[str, Any] = Field(default_factory=dict)


class ExpectedCall(TestModel):
    action: str
    data: dict[str, Any] = Field(default_factory=dict)  # a subset of the rendered data


class ExpectedState(TestModel):
    state: Text | None = None
    attributes: dict[str, Any] = Field(default_factory=dict)  # a subset


# A run's outcome, or ``not_run`` (a matching trigger kept from running), or ``ran`` (any run).
TraceOutcome = Literal["ran", "not_run", "finished", "stopped", "error", "cancelled"]


class ExpectedTrace(TestModel):
    """A run or non-run of ``rule``: with a non-run's reason (``cooldown``, ``conditions``,
    ``single``, ``max``) or a run's end reason; a run's error type; its response (a subset)."""

    rule: str
    outcome: TraceOutcome = "ran"
    reason: str | None = None
    error: str | None = None
    response: Any = None

    @model_validator(mode="after")
    def _consistent(self) -> ExpectedTrace:
        reasons = {r.value for r in NotRunReason}
        if self.outcome == "not_run" and self.reason is not None and self.reason not in reasons:
            raise PydanticCustomError(
                "trace", f"a non-run's reason is one of: {', '.join(sorted(reasons))}"
            )
        if self.reason in reasons and self.outcome not in ("not_run", "ran"):
            raise PydanticCustomError("trace", f"reason {self.reason} is a non-run's")
        return self


class WebhookStep(TestModel):
    webhook: WebhookFields


class PushStep(TestModel):
    push: dict[str, Any]


class EventStep(TestModel):
    event: EventSpec


class SetStateStep(TestModel):
    state: StateSpec


class AdvanceStep(TestModel):
    advance: Seconds


class ExpectActionsStep(TestModel):
    expect_actions: list[ExpectedCall]


class ExpectActionsIncludeStep(TestModel):
    expect_actions_include: list[ExpectedCall] = Field(min_length=1)


class ExpectNoActionsStep(TestModel):
    expect_no_actions: Literal[True]


class ExpectStateStep(TestModel):
    expect_state: dict[str, Annotated[ExpectedState, BeforeValidator(_state_value)]] = Field(
        min_length=1
    )


class ExpectTraceStep(TestModel):
    expect_trace: ExpectedTrace


STEP_KINDS: dict[str, type[TestModel]] = {
    "webhook": WebhookStep,
    "push": PushStep,
    "event": EventStep,
    "state": SetStateStep,
    "advance": AdvanceStep,
    "expect_actions": ExpectActionsStep,
    "expect_actions_include": ExpectActionsIncludeStep,
    "expect_no_actions": ExpectNoActionsStep,
    "expect_state": ExpectStateStep,
    "expect_trace": ExpectTraceStep,
}


def _one_kind(value: Any) -> Any:
    if not isinstance(value, dict):
        raise PydanticCustomError("step", "a step is a mapping with one key: the step's kind")
    kinds = [key for key in value if key in STEP_KINDS]
    if len(value) == 1 and len(kinds) == 1:
        return value
    if len(value) == 1 and not kinds:
        hint = suggest(str(next(iter(value))), list(STEP_KINDS))
        if hint:
            raise PydanticCustomError(
                "step", f"unknown step {next(iter(value))!r}; did you mean {hint[0]!r}?"
            )
    known = ", ".join(STEP_KINDS)
    raise PydanticCustomError("step", f"a step has exactly one key, one of: {known}")


def _kind_of(value: Any) -> str | None:
    return next(iter(value)) if isinstance(value, dict) and len(value) == 1 else None


Step = Annotated[
    Annotated[WebhookStep, Tag("webhook")]
    | Annotated[PushStep, Tag("push")]
    | Annotated[EventStep, Tag("event")]
    | Annotated[SetStateStep, Tag("state")]
    | Annotated[AdvanceStep, Tag("advance")]
    | Annotated[ExpectActionsStep, Tag("expect_actions")]
    | Annotated[ExpectActionsIncludeStep, Tag("expect_actions_include")]
    | Annotated[ExpectNoActionsStep, Tag("expect_no_actions")]
    | Annotated[ExpectStateStep, Tag("expect_state")]
    | Annotated[ExpectTraceStep, Tag("expect_trace")],
    Discriminator(_kind_of),
    BeforeValidator(_one_kind),
]


class RuleTest(TestModel):
    name: str = Field(min_length=1)
    given: Given = Field(default_factory=Given)
    steps: list[Step] = Field(min_length=1)


class TestFile(TestModel):
    rules: str = Field(min_length=1)  # relative to the test file
    timezone: TimeZone | None = None  # default: the config's, else UTC
    tests: list[RuleTest] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_names(self) -> TestFile:
        seen: set[str] = set()
        for test in self.tests:
            if test.name in seen:
                raise PydanticCustomError("tests", f"two tests are named {test.name!r}")
            seen.add(test.name)
        return self


def step_kind(step: BaseModel) -> str:
    return next(iter(type(step).model_fields))
