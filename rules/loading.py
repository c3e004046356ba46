"""Loading rules: validate each rule, compile it, check it, and report every problem found at
its place.

``load_rules(data, core, reporter)`` takes the ``rules`` section's data as the config loader
gives it (plain lists and dicts) and a reporter that knows where each key was written (the
loader's Document, or a section check's context). It returns the compiled rules with every
problem: schema errors of any rule, trigger, condition or step; duplicate ids; template syntax
errors; and what ``rules.checks`` finds. ``strict`` makes warnings errors (``vicibus check
--strict``). A rule with an error is left out; the caller decides whether a load with errors
replaces the running rules (the daemon keeps the old ones).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from engine.config.errors import ConfigProblem, Severity
from engine.core import Core
from rules.blueprint_uses import Uses, expand
from rules.checks import RuleChecker, fired_event_types
from rules.compiler import CompiledRule, compile_rule, template_problems
from rules.problems import Placer, Problem, Reporter, validation_problems
from rules.records import declare_run_events
from rules.schema_rule import Rule
from rules.template_reads import template_sites
from rules.templates import Templates


@dataclass(frozen=True, slots=True)
class RuleLoad:
    rules: tuple[CompiledRule, ...]
    problems: tuple[ConfigProblem, ...]

    @property
    def errors(self) -> tuple[ConfigProblem, ...]:
        return tuple(p for p in self.problems if p.is_error)

    @property
    def warnings(self) -> tuple[ConfigProblem, ...]:
        return tuple(p for p in self.problems if not p.is_error)


def validate_rules(
    data: Any, uses: Uses | None = None
) -> tuple[list[tuple[int, Rule]], list[Problem]]:
    """The rules that validate (with their index in ``data``), and every schema problem.
    ``uses``: the rules of ``data`` that use a blueprint, expanded (by default, bundled
    blueprints only)."""
    if data is None:
        return [], []
    if not isinstance(data, list):
        return [], [Problem((), "rules is a list of rules, each a mapping with an id")]
    uses = expand(data) if uses is None else uses
    rules: list[tuple[int, Rule]] = []
    problems: list[Problem] = list(uses.problems)
    first: dict[str, int] = {}
    for index, item in enumerate(data):
        if index in uses.failed:
            continue
        try:
            rule = Rule.model_validate(uses.item(index, item))
        except ValidationError as exc:
            problems.extend(uses.placed(validation_problems(exc, (index,))))
            continue
        if rule.id in first:
            problems.append(
                Problem(
                    (index, "id"),
                    f"duplicate rule id {rule.id!r} (first given to rules[{first[rule.id]}])",
                )
            )
            continue
        first[rule.id] = index
        rules.append((index, rule))
    return rules, problems


def load_rules(
    data: Any,
    core: Core,
    reporter: Reporter,
    *,
    templates: Templates | None = None,
    strict: bool = False,
    base_dir: Path | None = None,
) -> RuleLoad:
    """``base_dir``: where blueprint paths not bundled start (the rules file's directory)."""
    templates = templates or Templates()
    with collector_paused():
        return _load(data, core, reporter, templates, strict, base_dir)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Loading ten thousand rules makes millions of objects at once, none of them garbage;
    the cyclic collector would walk all of them again and again (a third of the time)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _load(
    data: Any,
    core: Core,
    reporter: Reporter,
    templates: Templates,
    strict: bool,
    base_dir: Path | None,
) -> RuleLoad:
    uses = expand(data, base_dir)
    validated, problems = validate_rules(data, uses)
    compiled, found = check_and_compile(validated, core, templates, strict=strict)
    problems.extend(uses.placed(found))
    placer = Placer(data, reporter)
    placed = tuple(
        placer.place(p if not (strict and p.severity == "warning") else _as_error(p))
        for p in problems
    )
    return RuleLoad(tuple(compiled), tuple(sorted(placed)))


def check_and_compile(
    validated: Sequence[tuple[int, Rule]],
    core: Core,
    templates: Templates,
    *,
    strict: bool = False,
) -> tuple[list[CompiledRule], list[Problem]]:
    """The rules that pass the checks, compiled, and every problem the checks found."""
    declare_run_events(core.catalog)
    checker = RuleChecker(
        core.catalog, core.services, templates, fired_event_types([r for _, r in validated])
    )
    compiled: list[CompiledRule] = []
    problems: list[Problem] = []
    for index, rule in validated:
        sites = list(template_sites(rule))
        found = template_problems(sites, templates, (index,)) + checker.check(rule, (index,), sites)
        problems.extend(found)
        if not any(_is_error(p, strict) for p in found):
            compiled.append(compile_rule(rule, templates))
    return compiled, problems


def _is_error(problem: Problem, strict: bool) -> bool:
    return problem.severity == "error" or strict


def _as_error(problem: Problem) -> Problem:
    return Problem(problem.path, problem.message, "error", problem.key, problem.tagged)


class Prefixed:
    """A reporter for paths below ``prefix`` of a Document (``("rules",)``)."""

    def __init__(self, reporter: Reporter, prefix: Sequence[Hashable]) -> None:
        self._reporter = reporter
        self._prefix = tuple(prefix)

    def problem(
        self,
        path: Sequence[Hashable],
        message: str,
        *,
        key: bool = False,
        severity: Severity = "error",
    ) -> ConfigProblem:
        return self._reporter.problem((*self._prefix, *path), message, key=key, severity=severity)
