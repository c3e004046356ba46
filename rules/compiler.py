"""From a validated rule to the rule the engine runs: templates compiled, triggers, conditions
and steps built. Every template syntax error of the rule is reported, each at its own place.

A ``CompiledRule`` is immutable and knows its fingerprint: a reload keeps the runs of a rule
whose fingerprint did not change.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rules.conditions import AllOf, Compiled, compile_conditions
from rules.errors import TemplateCompileError
from rules.problems import Problem
from rules.schema_rule import Rule
from rules.schema_triggers import (
    AgentEventTrigger,
    EventTrigger,
    NumericStateTrigger,
    ReloadTrigger,
    ScheduleTrigger,
    StartupTrigger,
    StateTrigger,
    TimeTrigger,
    TriggerBase,
    WebhookTrigger,
)
from rules.steps import Program
from rules.template_reads import Path, template_sites
from rules.templates import Templates, Value
from rules.triggers import CompiledTrigger
from rules.triggers_event import (
    AgentEventListener,
    EventListener,
    LifecycleListener,
    WebhookListener,
)
from rules.triggers_state import NumericStateListener, StateListener
from rules.triggers_time import CronSchedule, TimeSchedule

TRIGGER_CLASSES: dict[type[TriggerBase], type[CompiledTrigger]] = {
    WebhookTrigger: WebhookListener,
    AgentEventTrigger: AgentEventListener,
    EventTrigger: EventListener,
    StartupTrigger: LifecycleListener,
    ReloadTrigger: LifecycleListener,
    StateTrigger: StateListener,
    NumericStateTrigger: NumericStateListener,
    TimeTrigger: TimeSchedule,
    ScheduleTrigger: CronSchedule,
}


def fingerprint(rule: Rule) -> str:
    return hashlib.blake2b(rule.model_dump_json().encode(), digest_size=12).hexdigest()


@dataclass(frozen=True, eq=False)
class CompiledRule:
    model: Rule
    fingerprint: str
    triggers: tuple[CompiledTrigger, ...]  # the enabled ones
    conditions: Compiled | None
    variables: tuple[tuple[str, Value], ...]
    program: Program

    def __repr__(self) -> str:
        return f"<CompiledRule {self.id} {self.fingerprint}>"

    @property
    def id(self) -> str:
        return self.model.id

    @property
    def listeners(self) -> list[Any]:
        return [t for t in self.triggers if hasattr(t, "on_event")]

    @property
    def timed(self) -> list[Any]:
        return [t for t in self.triggers if hasattr(t, "attach")]


def template_problems(
    sites: Iterable[tuple[Path, str]], templates: Templates, base: Path = ()
) -> list[Problem]:
    """A problem per template (of ``template_sites``) that does not compile."""
    problems = []
    for path, source in sites:
        try:
            templates.compile(source)
        except TemplateCompileError as exc:
            problems.append(Problem((*base, *path), str(exc)))
    return problems


def compile_rule(rule: Rule, templates: Templates) -> CompiledRule:
    """The runnable rule; its templates must compile (see ``template_problems``)."""
    triggers = tuple(
        TRIGGER_CLASSES[type(model)](model, index, templates)
        for index, model in enumerate(rule.triggers)
        if model.enabled
    )
    checks = compile_conditions(rule.conditions, "conditions", templates)
    conditions = AllOf("and", "conditions", checks) if checks else None
    variables = tuple(
        (name, templates.compile_value(value, ("variables", name)))
        for name, value in rule.variables.items()
    )
    return CompiledRule(
        model=rule,
        fingerprint=fingerprint(rule),
        triggers=triggers,
        conditions=conditions,
        variables=variables,
        program=Program(rule.actions, templates),
    )


def compile_rules(
    rules: Iterable[Rule], templates: Templates, base: Path = ()
) -> tuple[list[CompiledRule], list[Problem]]:
    """Each rule compiled, and the problems of those that could not be."""
    compiled: list[CompiledRule] = []
    problems: list[Problem] = []
    for index, rule in enumerate(rules):
        found = template_problems(template_sites(rule), templates, (*base, index))
        if found:
            problems.extend(found)
            continue
        compiled.append(compile_rule(rule, templates))
    return compiled, problems
