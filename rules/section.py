"""The ``rules`` section of the config, for the config loader and ``vicibus check``.

Two steps, as the loader runs sections:

1. validation (``RuleList``): every schema error of every rule, trigger, condition and step,
   and duplicate ids, each placed at the key as written (old spellings and shorthands
   included), reported with the other sections' errors;
2. the check hook, once every section validated: template syntax, services and their
   parameters, the vocabulary of the catalog, what templates read. It needs the core whose
   registry and catalog the integrations filled, so the section is made for one:
   ``rules_section(core)``. The rules it compiled wait in ``RulesSection.compiled`` for the
   daemon to start or reload the engine with, so a load compiles once.

``RULES`` is the section without the core's checks (validation only).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import PlainValidator, TypeAdapter, ValidationError, ValidationInfo, WithJsonSchema
from pydantic_core import InitErrorDetails, PydanticCustomError

from engine.config.errors import ConfigProblem
from engine.config.fields import LOCATED, base_dir
from engine.config.sections import CheckContext, ConfigSection
from engine.core import Core
from rules.blueprint_uses import Uses, expand
from rules.compiler import CompiledRule
from rules.loading import check_and_compile, collector_paused, validate_rules
from rules.problems import Placer, written_path
from rules.schema_rule import Rule
from rules.templates import Templates


@dataclass(frozen=True, eq=False)
class RuleList:
    """The validated section: each rule with its place in the list, and the data as written
    (the checks place their problems in it)."""

    rules: tuple[tuple[int, Rule], ...]
    written: Any = field(repr=False)
    uses: Uses = field(repr=False, default_factory=Uses)  # the blueprints it uses, expanded

    def __len__(self) -> int:
        return len(self.rules)


def _validate(data: Any, info: ValidationInfo) -> RuleList:
    if isinstance(data, RuleList):
        return data
    uses = expand(data, base_dir(info))
    validated, problems = validate_rules(data, uses)
    if problems:
        raise ValidationError.from_exception_data(
            "rules",
            [
                InitErrorDetails(
                    type=PydanticCustomError(
                        LOCATED,
                        problem.message,
                        {
                            "vicibus_at": written_path(data, problem.path, tagged=problem.tagged),
                            "vicibus_key": problem.key,
                        },
                    ),
                    loc=(),
                    input=None,
                )
                for problem in problems
            ],
        )
    return RuleList(tuple(validated), data, uses)


# The section's type: rules validated as ``rules.loading`` does; its schema is a rule list's.
Rules = Annotated[
    RuleList,
    PlainValidator(_validate),
    WithJsonSchema(TypeAdapter(list[Rule]).json_schema()),
]

RULES: ConfigSection[RuleList] = ConfigSection(
    ("rules",), Rules, default=[], description="automation rules"
)


class RulesSection:
    """The section checked against ``core``; the rules its last check compiled."""

    def __init__(self, core: Core, templates: Templates | None = None) -> None:
        self._core = core
        self.templates = templates or Templates()
        self.section: ConfigSection[RuleList] = ConfigSection(
            ("rules",), Rules, default=[], check=self._check, description="automation rules"
        )
        self._compiled: tuple[RuleList, tuple[CompiledRule, ...]] | None = None

    def __repr__(self) -> str:
        return f"RulesSection({self._core!r})"

    def _check(self, value: RuleList, context: CheckContext) -> Iterable[ConfigProblem]:
        with collector_paused():
            compiled, problems = check_and_compile(value.rules, self._core, self.templates)
        self._compiled = (value, tuple(compiled))
        return Placer(value.written, context).place_all(value.uses.placed(problems))

    def compiled(self, value: RuleList) -> tuple[CompiledRule, ...]:
        """The rules of ``value`` ready for the engine: those its check compiled, or compiled
        now (a section validated without its check)."""
        if self._compiled is not None and self._compiled[0] is value:
            return self._compiled[1]
        with collector_paused():
            compiled, _ = check_and_compile(value.rules, self._core, self.templates)
        return tuple(compiled)


def rules_section(core: Core, templates: Templates | None = None) -> RulesSection:
    return RulesSection(core, templates)
