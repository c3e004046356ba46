"""Sections contributed from outside the core: placement, defaults, hooks and replacement."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Literal

import pytest
from pydantic import Field

from engine.config import (
    REQUIRED,
    RULES,
    CheckContext,
    ConfigModel,
    ConfigProblem,
    ConfigSection,
    load_document,
    located,
    validate,
)
from tests.engine.config.support import SECTIONS, SIMULATED, load_tree, problems, write


class Traces(ConfigModel):
    keep: int = Field(default=200, ge=1)
    errors_for_days: int = 7


TRACES: ConfigSection[Traces] = ConfigSection(("storage", "traces"), Traces, default={})


class Rule(ConfigModel):
    id: str
    mode: Literal["single", "queued"] = "single"


def _rule_problems(rules: tuple[Rule, ...], context: CheckContext) -> Iterator[ConfigProblem]:
    seen: set[str] = set()
    for index, rule in enumerate(rules):
        if rule.id in seen:
            yield context.problem((index, "id"), f"rule id {rule.id!r} is used twice")
        seen.add(rule.id)
        if rule.mode == "queued":
            yield context.problem(
                (index, "mode"), "queued runs wait for each other", severity="warning"
            )
    if context.core.clock.mode.value == "manual" and rules:
        yield context.problem_at(("clock", "mode"), "rules on a manual clock wait for tests")


STRICT_RULES: ConfigSection[tuple[Rule, ...]] = ConfigSection(
    ("rules",), tuple[Rule, ...], default=(), check=_rule_problems
)


class Kind(ConfigModel):
    kind: Literal["a"]
    size: int = 0


class Other(ConfigModel):
    kind: Literal["b"]
    colour: str = "red"


Choice = Annotated[Kind | Other, Field(discriminator="kind")]
CHOICES: ConfigSection[dict[str, Choice]] = ConfigSection(
    ("things",), dict[str, Choice], default={}
)


def test_a_nested_section_under_a_core_mapping(here: Path) -> None:
    files = {"config.yaml": SIMULATED + "storage:\n  path: st\n  traces: {keep: 50}\n"}
    config = load_tree(here, files, sections=(*SECTIONS, TRACES))
    assert config.section(TRACES) == Traces(keep=50)
    assert config.core.storage.path == here / "st"


def test_an_absent_section_validates_its_default(here: Path) -> None:
    config = load_tree(here, {"config.yaml": SIMULATED}, sections=(*SECTIONS, TRACES))
    assert config.section(TRACES) == Traces()


def test_a_nested_section_reports_in_its_place_with_did_you_mean(here: Path) -> None:
    files = {"config.yaml": SIMULATED + "storage:\n  traces: {kep: 5, errors_for_days: x}\n"}
    assert problems(here, files, sections=(*SECTIONS, TRACES)) == [
        "config.yaml:3:12: unknown key 'kep' in storage.traces; did you mean 'keep'?",
        "config.yaml:3:37: storage.traces.errors_for_days: should be a valid integer, unable to "
        "parse string as an integer",
    ]


def test_the_core_suggests_a_nested_section_name(here: Path) -> None:
    files = {"config.yaml": SIMULATED + "storage:\n  trace: {}\n"}
    assert problems(here, files, sections=(*SECTIONS, TRACES)) == [
        "config.yaml:3:3: unknown key 'trace' in storage; did you mean 'traces'?"
    ]


def test_a_section_under_a_broken_parent_is_left_to_the_core(here: Path) -> None:
    files = {"config.yaml": SIMULATED + "storage: /var/lib/x\n"}
    assert problems(here, files, sections=(*SECTIONS, TRACES)) == [
        "config.yaml:2:10: storage: should be a mapping (got a string)"
    ]


def test_a_section_replaces_the_builtin_rules_and_its_hook_places_problems(here: Path) -> None:
    files = {
        "config.yaml": SIMULATED + "clock: {mode: manual}\nrules: !include rules.yaml\n",
        "rules.yaml": "- {id: a}\n- {id: b, mode: queued}\n- {id: a}\n",
    }
    assert problems(here, files, sections=(*SECTIONS, STRICT_RULES)) == [
        "config.yaml:2:15: rules on a manual clock wait for tests",
        "rules.yaml:2:17: warning: queued runs wait for each other",
        "rules.yaml:3:8: rule id 'a' is used twice",
    ]


def test_warnings_alone_leave_the_config_valid(here: Path) -> None:
    files = {"config.yaml": SIMULATED + "rules:\n  - {id: a, mode: queued}\n"}
    config = load_tree(here, files, sections=(*SECTIONS, STRICT_RULES))
    assert config.section(STRICT_RULES) == (Rule(id="a", mode="queued"),)
    assert [str(w) for w in config.warnings] == [
        "config.yaml:3:19: warning: queued runs wait for each other"
    ]
    with pytest.raises(KeyError):
        config.section(ConfigSection(("nowhere",), dict))


def test_without_the_rules_section_any_list_of_mappings_is_taken(here: Path) -> None:
    files = {"config.yaml": SIMULATED + "rules:\n  - {anything: [1, 2]}\n"}
    assert load_tree(here, files).section(RULES) == [{"anything": [1, 2]}]


def test_a_required_section(here: Path) -> None:
    required: ConfigSection[Traces] = ConfigSection(("storage", "traces"), Traces, REQUIRED)
    assert problems(here, {"config.yaml": SIMULATED}, sections=(*SECTIONS, required)) == [
        "config.yaml:1:1: missing required section 'storage.traces'"
    ]


def test_discriminated_unions_inside_a_mapping_section(here: Path) -> None:
    files = {
        "config.yaml": SIMULATED
        + "things:\n  one: {kind: a, size: 2}\n  two: {kind: b, colr: blue}\n"
        + "  three: {kind: c}\n"
    }
    assert problems(here, files, sections=(*SECTIONS, CHOICES)) == [
        "config.yaml:4:18: unknown key 'colr' in things.two; did you mean 'colour'?",
        "config.yaml:5:17: things.three.kind: unknown kind 'c'; expected 'a' or 'b'",
    ]


class Window(ConfigModel):
    start: int
    end: int

    def model_post_init(self, context: Any) -> None:
        if self.end < self.start:
            raise located("end comes before start", ("end",))


def test_a_model_can_point_at_its_own_key(here: Path) -> None:
    window: ConfigSection[Window] = ConfigSection(("window",), Window)
    files = {"config.yaml": SIMULATED + "window:\n  start: 5\n  end: 1\n"}
    assert problems(here, files, sections=(*SECTIONS, window)) == [
        "config.yaml:4:8: window.end: end comes before start"
    ]


def test_validate_takes_a_document_loaded_once(here: Path) -> None:
    write(here, {"config.yaml": SIMULATED + "rules: [{id: a}]\n"})
    document = load_document("config.yaml")
    first = validate(document, SECTIONS)
    second = validate(document, (*SECTIONS, STRICT_RULES))
    assert first.section(RULES) == [{"id": "a"}]
    assert second.section(STRICT_RULES) == (Rule(id="a"),)


@pytest.mark.parametrize(
    ("section", "message"),
    [
        (ConfigSection(("clock",), dict), "the core already has that key"),
        (ConfigSection(("vicidial", "extra"), dict), "its parent is not a core mapping"),
        (ConfigSection(("logging", "level", "x"), dict), "its parent is not a core mapping"),
        (ConfigSection((), dict), "needs a path"),
    ],
)
def test_misplaced_sections_are_programming_errors(
    here: Path, section: ConfigSection[Any], message: str
) -> None:
    write(here, {"config.yaml": SIMULATED})
    with pytest.raises(ValueError, match=message):
        validate(load_document("config.yaml"), (*SECTIONS, section))


def test_two_sections_at_one_path_are_a_programming_error(here: Path) -> None:
    write(here, {"config.yaml": SIMULATED})
    with pytest.raises(ValueError, match=r"two config sections at storage\.traces"):
        validate(load_document("config.yaml"), (TRACES, TRACES))
