"""docs/rules.md is generated from the rule models and must match what is committed; every
example on it is a rule that the real loader and checker take, strictly; and the names it
documents are the names the code has."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, Field

from engine.app import App
from engine.config.loader import load_document
from rules import reference
from rules.loading import Prefixed, load_rules
from rules.reference_models import PageError, field_docs, spellings
from rules.reference_templates import agreed
from rules.reference_vocabulary import FUNCTION_EXAMPLES, TRIGGER_VARIABLES, WAIT_VARIABLES
from rules.schema_actions import StepBase
from rules.schema_conditions import CONDITION_TYPES, ConditionBase
from rules.schema_triggers import TRIGGER_TYPES, TriggerBase
from rules.template_functions import FUNCTIONS
from tests.rules.conftest import Harness

PAGE = reference.PAGE.read_text(encoding="utf-8")
EXAMPLES = re.findall(r"```yaml\n(.*?)```", PAGE, re.S)


def test_committed_page_is_up_to_date() -> None:
    assert reference.page() == PAGE, "docs/rules.md is stale: run `make docs`"


# -- every example loads -------------------------------------------------------------------


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> App:
    """The daemon's object graph as `vicibus check` builds it: every service and event type
    the integrations register (the embedded dialer's, not started)."""
    directory = tmp_path_factory.mktemp("reference")
    config = directory / "config.yaml"
    config.write_text(
        "timezone: America/New_York\n"
        "clock: {mode: manual}\n"
        "vicidial:\n"
        "  simulated: {scenario: demo, seed: 1, traffic: false}\n"
        f"storage: {{path: {directory / 'state'}}}\n",
        encoding="utf-8",
    )
    return App.load(config, keep_tokens=False)


def problems_of(app: App, example: str) -> list[str]:
    """Every problem `vicibus check --strict` would report for the example's rules."""
    text = example if example.startswith("rules:") else "rules:\n" + textwrap.indent(example, "  ")
    document = load_document("example.yaml", text=text)
    loaded = load_rules(
        document.data["rules"], app.core, Prefixed(document, ("rules",)), strict=True
    )
    assert loaded.problems or loaded.rules, "an example with no rule in it"
    return [str(problem) for problem in loaded.problems]


def _name(example: str) -> str:
    found = re.search(r"- id: (\S+)", example)
    return found[1] if found else example[:20]


@pytest.mark.parametrize("example", EXAMPLES, ids=[_name(e) for e in EXAMPLES])
def test_every_example_loads_through_the_checker_strictly(app: App, example: str) -> None:
    assert problems_of(app, example) == []


def test_the_example_check_finds_a_broken_example(app: App) -> None:
    broken = """\
- id: broken
  triggers: {trigger: webhook, kind: pause_maxx}
  actions:
    - action: vicidial.agent.pause_code
      data: {agent_usr: "{{ trigger.payload.lead_id }}", value: BREAK}
"""
    found = problems_of(app, broken)
    assert any("pause_maxx" in p for p in found), found
    assert any("agent_usr" in p for p in found), found


def test_there_is_an_example_for_every_part() -> None:
    assert len(EXAMPLES) >= len(TRIGGER_TYPES) + len(CONDITION_TYPES) + len(reference.step_models())


# -- the page covers the models --------------------------------------------------------------


def section(heading: str) -> str:
    assert f"\n{heading}\n" in PAGE, heading
    return PAGE.split(f"\n{heading}\n")[1].split("\n### ")[0]


def keys(model: type[BaseModel], skip: Any = ()) -> list[str]:
    return [spellings(n, f)[0] for n, f in model.model_fields.items() if n not in skip]


@pytest.mark.parametrize("kind", sorted(TRIGGER_TYPES))
def test_every_trigger_has_a_section_with_its_keys(kind: str) -> None:
    text = section(f"### `{kind}` trigger")
    model = TRIGGER_TYPES[kind]
    for key in keys(model, {"trigger", *TriggerBase.model_fields}):
        assert f"| `{key}` |" in text, (kind, key)
    assert "```yaml" in text


@pytest.mark.parametrize("kind", sorted(CONDITION_TYPES))
def test_every_condition_has_a_section_with_its_keys(kind: str) -> None:
    text = section(f"### `{kind}` condition")
    for key in keys(CONDITION_TYPES[kind], {"condition", *ConditionBase.model_fields}):
        assert f"| `{key}` |" in text, (kind, key)
    assert "```yaml" in text


@pytest.mark.parametrize("kind", sorted(reference.step_models()))
def test_every_step_has_a_section_with_its_keys(kind: str) -> None:
    text = section(f"### `{kind}` step")
    model = reference.step_models()[kind]
    for key in keys(model, StepBase.model_fields) if model is not None else []:
        assert re.search(rf"\| `{re.escape(key)}`( \(or `\w+`\))* \|", text), (kind, key)
    assert "```yaml" in text


def test_older_spellings_are_shown_beside_the_keys() -> None:
    assert "| `triggers` (or `trigger`) |" in PAGE
    assert "| `action` (or `service`) |" in PAGE
    assert "| `for` | [duration](#durations) |" in PAGE  # the alias, not the field name for_


def test_every_trigger_variable_is_documented_where_it_is_set() -> None:
    for kind, model in TRIGGER_TYPES.items():
        text = section(f"### `{kind}` trigger")
        for name in reference.trigger_variables(model):
            assert f"| `trigger.{name}` |" in text, (kind, name)
    assert set(TRIGGER_VARIABLES) >= {"id", "idx", "platform", "alias"}


def test_every_template_function_has_a_row_and_a_rendered_example() -> None:
    for name in FUNCTIONS:
        assert re.search(rf"\n\| `{name}\(", PAGE), name
        for expression in FUNCTION_EXAMPLES[name]:
            assert f"| `{{{{ {expression.replace('|', chr(92) + '|')} }}}}` |" in PAGE


def test_the_rendered_examples_show_real_results() -> None:
    assert "| `{{ states('agent.1001') }}` | `\"PAUSED\"` |" in PAGE
    assert "| `{{ state_attr('agent.1001', 'seconds_in_state') }}` | `300` |" in PAGE


def test_links_to_the_pages_beside_it() -> None:
    for name in ("testing-rules.md", "blueprints.md", "agent-api.md", "admin-api.md"):
        assert f"]({name})" in PAGE


async def test_the_wait_variable_holds_what_the_page_says(harness: Harness) -> None:
    await harness.start(
        """
        - id: waits
          mode: parallel
          triggers: {trigger: webhook, kind: pause_max}
          actions:
            - wait_template: "{{ true }}"
            - action: notify.log
              data: {message: "{{ wait.keys() | sort | join(',') }}"}
            - wait_for_trigger: {trigger: webhook, kind: no_agent}
              timeout: 10s
            - action: notify.log
              data: {message: "{{ wait.keys() | sort | join(',') }}"}
        """
    )
    harness.webhook("pause_max", user="1001")
    await harness.settle()
    await harness.advance(10)
    seen = [p.message for p in harness.calls.of("notify.log")]  # type: ignore[attr-defined]
    assert len(seen) == 2
    assert {k for message in seen for k in message.split(",")} == set(WAIT_VARIABLES)


# -- what makes the generator refuse ------------------------------------------------------------


def test_a_field_without_a_description_is_refused() -> None:
    class Undocumented(BaseModel):
        fine: int = Field(1, description="has words")
        bare: int = 2

    with pytest.raises(PageError, match=r"Undocumented\.bare has no description"):
        field_docs(Undocumented)


def test_a_missing_or_homeless_prose_region_is_refused() -> None:
    with pytest.raises(PageError, match="lacks its prose region 'intro'"):
        reference.page("")
    extra = PAGE + "<!-- prose: gone -->\nold words\n<!-- /prose -->\n"
    with pytest.raises(PageError, match="regions with no place: gone"):
        reference.page(extra)


def test_words_must_match_the_code_name_for_name() -> None:
    with pytest.raises(PageError, match="no words for b"):
        agreed("things", ["a", "b"], {"a": "x"})
    with pytest.raises(PageError, match="words for c, which the code does not have"):
        agreed("things", ["a"], {"a": "x", "c": "y"})


def test_write_keeps_the_prose_and_rewrites_the_rest(tmp_path: Path) -> None:
    target = tmp_path / "rules.md"
    stale = PAGE.replace("| `kind` | text | required |", "| `kind` | number | optional |")
    target.write_text(stale, encoding="utf-8")
    reference.write(target)
    assert target.read_text(encoding="utf-8") == PAGE
