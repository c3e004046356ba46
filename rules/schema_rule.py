"""A rule: its identity, triggers, conditions and actions, and how its runs may overlap.

``mode`` and ``max`` apply to the whole rule as in Home Assistant (default ``single``);
``concurrency`` applies a mode per key instead (a rule has one or the other). ``cooldown``
keeps a started run's key from starting another for a while. ``dry_run`` records the
services with side effects instead of calling them.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, model_validator

from rules.durations import Duration
from rules.schema_actions import Actions
from rules.schema_common import RuleModel, SpelledModel, Text, Variables, as_list, error, spelled
from rules.schema_conditions import Conditions
from rules.schema_triggers import Trigger

_RULE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,127}")
DEFAULT_MAX = 10


def _rule_id(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str) and not _RULE_ID.fullmatch(value):
        raise error(
            "rule_id",
            f"{value!r} is no rule id: letters, digits, _ . - (at most 128, no spaces)",
        )
    return value


RuleId = Annotated[str, BeforeValidator(_rule_id)]
Mode = Literal["single", "restart", "queued", "parallel"]


class Concurrency(RuleModel):
    """The mode applied per key (``key: "{{ trigger.payload.user }}"``) instead of per rule."""

    key: str = Field(description="a template rendered after the conditions: the run's key")
    mode: Mode = Field("single", description="the mode applied to the runs of each key")
    max: int = Field(
        DEFAULT_MAX,
        ge=1,
        description="runs of one key at once (`parallel`), or running and waiting (`queued`)",
    )


class Cooldown(RuleModel):
    """After a run starts, no new run with the same key for ``for``."""

    for_: Duration = Field(alias="for", description="how long no new run of the key starts")
    key: str | None = Field(
        None, description="a template rendered after the conditions; none: the whole rule"
    )


class Rule(SpelledModel):
    """A rule: when it runs (triggers), whether (conditions), what it does (actions)."""

    id: RuleId = Field(
        description="unique: letters, digits, `_ . -` (at most 128); records and the API use it"
    )
    alias: str | None = Field(None, description="a name for people, shown in records and events")
    description: str | None = Field(None, description="what the rule is for, for people")
    enabled: bool = Field(True, description="`false`: loaded and checked, but listening to nothing")
    group: Text | None = Field(None, description="a name for rules switched on and off together")
    variables: Variables = Field(
        default_factory=dict,
        description="rendered in order when a trigger fires, after the trigger's, before "
        "the conditions",
    )
    triggers: Annotated[tuple[Trigger, ...], BeforeValidator(as_list), Field(min_length=1)] = (
        spelled("triggers", "trigger", description="one trigger or a list: what starts a run")
    )
    conditions: Conditions = spelled(
        "conditions", "condition", default=(), description="all must hold; none: always"
    )
    actions: Annotated[Actions, Field(min_length=1)] = spelled(
        "actions", "action", description="the steps, in order"
    )
    mode: Mode = Field("single", description="what a new run does while one is going")
    max: int = Field(
        DEFAULT_MAX,
        ge=1,
        description="runs at once (`parallel`), or running and waiting (`queued`)",
    )
    max_exceeded: Literal["silent", "debug", "info", "warning", "error", "critical"] = Field(
        "warning", description="the log level of a run the mode drops"
    )
    concurrency: Concurrency | None = Field(
        None, description="the mode per key instead of per rule (instead of `mode` and `max`)"
    )
    cooldown: Cooldown | None = Field(
        None, description="after a run starts, no new run of the same key for a while"
    )
    dry_run: bool = Field(
        False,
        description="`true`: services with side effects are recorded with their data, not called",
    )

    @model_validator(mode="after")
    def _mode_or_concurrency(self) -> Rule:
        if self.concurrency is not None and (
            "mode" in self.model_fields_set or "max" in self.model_fields_set
        ):
            raise error("concurrency", "a rule has mode/max or concurrency, not both")
        return self

    @property
    def name(self) -> str:
        return self.alias or self.id
