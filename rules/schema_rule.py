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
from rules.schema_common import RuleModel, Variables, as_list, error, spelled
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

    key: str
    mode: Mode = "single"
    max: int = Field(DEFAULT_MAX, ge=1)


class Cooldown(RuleModel):
    """After a run starts, no new run with the same key for ``for``."""

    for_: Duration = Field(alias="for")
    key: str | None = None


class Rule(RuleModel):
    id: RuleId
    alias: str | None = None
    description: str | None = None
    enabled: bool = True
    group: str | None = None
    variables: Variables = Field(default_factory=dict)
    triggers: Annotated[tuple[Trigger, ...], BeforeValidator(as_list), Field(min_length=1)] = (
        spelled("triggers", "trigger")
    )
    conditions: Conditions = spelled("conditions", "condition", default=())
    actions: Annotated[Actions, Field(min_length=1)] = spelled("actions", "action")
    mode: Mode = "single"
    max: int = Field(DEFAULT_MAX, ge=1)
    max_exceeded: Literal["silent", "debug", "info", "warning", "error", "critical"] = "warning"
    concurrency: Concurrency | None = None
    cooldown: Cooldown | None = None
    dry_run: bool = False

    @model_validator(mode="before")
    @classmethod
    def _one_spelling(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for new, old in (
                ("triggers", "trigger"),
                ("conditions", "condition"),
                ("actions", "action"),
            ):
                if new in data and old in data:
                    raise error("spelling", f"write {new} or {old}, not both")
        return data

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
