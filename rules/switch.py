"""The kill switch: rules switched off (and on again) by id or by group while the daemon runs.

What the switch says overrides the rule's ``enabled`` from the config: by rule id, else by
the rule's group, else the config. Switching a group clears the switches of the rules in it, so
the last word wins ("group X off" turns off every rule of X, including one switched on by id
before). The switch lives in the rule engine, so it holds across a reload of the config; it
is not kept across a restart of the daemon (a later version stores it).

Every change is logged with who asked (``api:<token name>``, ``rule:<id>``) and kept in a
short history. ``rules.enable`` and ``rules.disable`` are the services rules and the API call.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from rules.schema_common import Texts
from rules.schema_rule import Rule

HISTORY = 100


class SwitchParams(BaseModel):
    """Which rules: by ``rule_id`` and/or by ``group`` (each one or a list; numbers are read
    as text, as a rule's ``id: 2024`` is)."""

    model_config = ConfigDict(extra="forbid")

    rule_id: Texts = ()
    group: Texts = ()


class DisableParams(SwitchParams):
    # As Home Assistant's automation.turn_off: the rules' running runs are cancelled too.
    stop_actions: bool = True


class RuleState(BaseModel):
    rule_id: str
    group: str | None
    enabled: bool


class SwitchResult(BaseModel):
    rules: list[RuleState] = Field(default_factory=list)


@dataclass(frozen=True, slots=True)
class SwitchChange:
    time: float
    who: str
    enabled: bool
    rule_ids: tuple[str, ...]
    groups: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "time": self.time,
            "who": self.who,
            "enabled": self.enabled,
            "rule_ids": list(self.rule_ids),
            "groups": list(self.groups),
        }


class RuleSwitch:
    def __init__(self) -> None:
        self.rules: dict[str, bool] = {}
        self.groups: dict[str, bool] = {}
        self.history: deque[SwitchChange] = deque(maxlen=HISTORY)

    def __repr__(self) -> str:
        return f"RuleSwitch({len(self.rules)} rules, {len(self.groups)} groups switched)"

    def enabled(self, rule: Rule) -> bool:
        switched = self.rules.get(rule.id)
        if switched is None and rule.group is not None:
            switched = self.groups.get(rule.group)
        return rule.enabled if switched is None else switched

    def switch(
        self,
        enabled: bool,
        rule_ids: Iterable[str],
        groups: Iterable[str],
        members: Iterable[str],
        *,
        who: str,
        now: float,
    ) -> None:
        """Switch the rules ``rule_ids`` and the groups ``groups`` (whose rules are
        ``members``) on or off."""
        ids, named = tuple(rule_ids), tuple(groups)
        for group in named:
            self.groups[group] = enabled
        for member in members:
            self.rules.pop(member, None)
        for rule_id in ids:
            self.rules[rule_id] = enabled
        self.history.append(SwitchChange(now, who, enabled, ids, named))
