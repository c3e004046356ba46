"""From a validated rule to the rule the engine runs: templates compiled, triggers, conditions
and steps built. Every template syntax error of the rule is reported, each at its own place.

A ``CompiledRule`` is immutable and knows its fingerprint: a reload keeps the runs of a rule
whose fingerprint did not change.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from rules.conditions import AllOf, Compiled, compile_conditions
from rules.durations import DurationValue
from rules.errors import TemplateCompileError
from rules.problems import Problem
from rules.program import Program
from rules.schema_rule import Rule
from rules.template_reads import Path, template_sites
from rules.templates import Templates, Value
from rules.trigger_kinds import compile_trigger
from rules.triggers import CompiledTrigger


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
    concurrency_key: Value | None = None  # the per-key mode's key
    cooldown: CompiledCooldown | None = None

    def __repr__(self) -> str:
        return f"<CompiledRule {self.id} {self.fingerprint}>"

    @property
    def id(self) -> str:
        return self.model.id


@dataclass(frozen=True, slots=True)
class CompiledCooldown:
    seconds: DurationValue
    key: Value | None  # none: one cooldown for the whole rule


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
        compile_trigger(model, index, templates)
        for index, model in enumerate(rule.triggers)
        if model.enabled
    )
    checks = compile_conditions(rule.conditions, "conditions", templates)
    conditions = AllOf("and", "conditions", checks) if checks else None
    variables = tuple(
        (name, templates.compile_value(value, ("variables", name)))
        for name, value in rule.variables.items()
    )
    concurrency = rule.concurrency
    return CompiledRule(
        concurrency_key=templates.compile_value(concurrency.key, ("key",)) if concurrency else None,
        cooldown=_cooldown(rule, templates),
        model=rule,
        fingerprint=fingerprint(rule),
        triggers=triggers,
        conditions=conditions,
        variables=variables,
        program=Program(rule.actions, templates),
    )


def _cooldown(rule: Rule, templates: Templates) -> CompiledCooldown | None:
    spec = rule.cooldown
    if spec is None:
        return None
    key = templates.compile_value(spec.key, ("key",)) if spec.key is not None else None
    return CompiledCooldown(DurationValue(spec.for_, templates), key)


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
