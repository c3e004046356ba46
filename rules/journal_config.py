"""``storage.traces``: what the run journal keeps, per rule, and how it writes.

::

    storage:
      traces:
        runs: 200          # the newest runs of each rule, whatever their outcome
        errors: 7d         # error runs past those, for this long
        max_age: 30d       # nothing older than this (default: no limit)
        not_runs: 200      # the newest recorded non-runs of each rule
        not_run_rate: 60   # non-runs per rule and minute recorded in full ...
        not_run_sample: 100  # ... and past that one in 100 (every one is counted)
        rules:
          pause_max_break: {runs: 1000, errors: 30d}
        flush_interval: 50ms
        batch: 1000
        sweep_every: 5m
        synchronous: normal  # or full: wait for the disk on every commit

Durations take the rules' grammar (``90``, ``"00:10:00"``, ``5m``, ``7d``, ``{days: 7}``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field

from engine.config import CheckContext, ConfigModel, ConfigProblem, ConfigSection
from engine.storage.retention import DAY, Retention, RulePolicy
from engine.storage.traces import JournalSettings
from rules.durations import DurationError, parse_duration
from rules.section import RuleList


def _seconds(value: Any) -> float:
    try:
        return parse_duration(value)
    except DurationError as exc:
        raise ValueError(str(exc)) from None


Seconds = Annotated[float, BeforeValidator(_seconds)]
_DEFAULT = RulePolicy()


class RuleTraces(ConfigModel):
    """One rule's own retention; what it leaves out is the section's."""

    runs: int | None = Field(default=None, ge=0)
    errors: Seconds | None = None
    max_age: Seconds | None = None
    not_runs: int | None = Field(default=None, ge=0)
    not_run_rate: int | None = Field(default=None, ge=0)


class TracesConfig(ConfigModel):
    runs: int = Field(default=_DEFAULT.runs, ge=0)
    errors: Seconds = _DEFAULT.errors
    max_age: Seconds | None = None
    not_runs: int = Field(default=_DEFAULT.not_runs, ge=0)
    not_run_rate: int = Field(default=_DEFAULT.not_run_rate, ge=0)
    not_run_sample: int = Field(default=100, ge=1)
    rules: dict[str, RuleTraces] = {}
    flush_interval: Seconds = Field(default=0.05, gt=0, le=10)
    batch: int = Field(default=1000, ge=1, le=100_000)
    sweep_every: Seconds = Field(default=300.0, ge=1, le=DAY)
    synchronous: Literal["normal", "full"] = "normal"

    def policy(self) -> RulePolicy:
        return RulePolicy(self.runs, self.errors, self.max_age, self.not_runs, self.not_run_rate)

    def settings(self) -> JournalSettings:
        default = self.policy()
        rules = {
            rule_id: replace(default, **own.model_dump(exclude_none=True))
            for rule_id, own in self.rules.items()
        }
        return JournalSettings(
            retention=Retention(default, rules),
            sample_every=self.not_run_sample,
            flush_interval=self.flush_interval,
            batch=self.batch,
            sweep_every=self.sweep_every,
            synchronous=self.synchronous,
        )


def _unknown_rules(config: TracesConfig, context: CheckContext) -> Iterator[ConfigProblem]:
    """A rule named under ``rules`` that the config does not have: a typo, most likely."""
    rules = context.values.get(("rules",))
    if isinstance(rules, RuleList):
        known = {rule.id for _, rule in rules.rules}
    elif isinstance(rules, list):
        known = {str(rule.get("id")) for rule in rules if isinstance(rule, dict)}
    else:
        return
    for rule_id in config.rules:
        if rule_id not in known:
            yield context.problem(
                ("rules", rule_id),
                f"no rule has the id {rule_id!r}; its traces follow these settings only once "
                "one does",
                key=True,
                severity="warning",
            )


TRACES: ConfigSection[TracesConfig] = ConfigSection(
    ("storage", "traces"),
    TracesConfig,
    default={},
    check=_unknown_rules,
    description="the run journal (rule traces)",
)
