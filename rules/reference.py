"""docs/rules.md, the rule language reference, written from the rule models.

``python -m rules.reference`` (``make docs``) rewrites the page. What the models know is
generated: every trigger, condition and step with its keys (as written, with Home Assistant's
older spellings), their types, defaults and descriptions (the models' ``description=`` and
docstrings); the variables each trigger sets (its ``provides``); ``this``, ``repeat`` and
``wait``; the modes; the template functions from their registry, with examples rendered for
real. The examples are whole rules (rules/reference_examples.py) that the page's test loads
through the rule checker.

The prose is the page's own: each ``<!-- prose: NAME -->`` ... ``<!-- /prose -->`` region of
the committed page is kept as it is, in the place the generator gives its name. A region the
page needs and lacks, or one that has no place any more, is a PageError, as is a field,
variable or kind without words or without an example. A test regenerates the page and fails
when it differs from the committed one.
"""

from __future__ import annotations

import re
import sys
import typing
from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel

from rules.reference_examples import EXAMPLES
from rules.reference_models import PageError, field_docs, summary
from rules.reference_templates import (
    agreed,
    cell,
    demo_lines,
    example_table,
    function_table,
    variable_table,
)
from rules.reference_vocabulary import (
    MODES,
    REPEAT_VARIABLES,
    THIS_VARIABLES,
    TRIGGER_VARIABLES,
    WAIT_VARIABLES,
)
from rules.schema_actions import (
    Action,
    ChooseOption,
    DidAnswer,
    Repeat,
    StepBase,
)
from rules.schema_conditions import CONDITION_TYPES, ConditionBase
from rules.schema_rule import Concurrency, Cooldown, Mode, Rule
from rules.schema_triggers import TRIGGER_TYPES, CountTrigger, TriggerBase
from rules.steps_flow import repeat_variable
from rules.this import This
from rules.trigger_kinds import TRIGGER_CLASSES
from rules.triggers import CompiledTrigger
from rules.triggers_count import CountListener

PAGE = Path(__file__).resolve().parents[1] / "docs" / "rules.md"
_REGION = re.compile(r"<!-- prose: ([\w.-]+) -->\n(.*?)<!-- /prose -->\n", re.S)
# Pages beside this one, linked from it.
RELATED = (
    ("testing-rules.md", "Testing rules", "rule test files, `vicibus test` and replay"),
    ("blueprints.md", "Blueprints", "parameterised rules for the common automations"),
    ("agent-api.md", "Agent API", "the `vicidial.agent.*` services and their parameters"),
    ("admin-api.md", "Non-agent API", "the `vicidial.admin.*` services and their parameters"),
    ("notify.md", "Notifications", "the `notify.*` services"),
    ("webhooks.md", "Webhooks", "ViciDial's callbacks and their fields (`trigger.payload`)"),
    ("entities.md", "Entities", "agents, campaigns, in-groups: states and attributes"),
    ("traces.md", "Traces", "what each run matched, why, and what it did"),
)
CONDITION_STEP = (
    "Any [condition](#conditions) as a step: when it does not hold, the run ends there "
    "(outcome `finished`). A bare template is a template condition."
)


def regions(text: str) -> dict[str, str]:
    return {name: body for name, body in _REGION.findall(text)}


class _Writer:
    def __init__(self, prose: dict[str, str]) -> None:
        self.prose = prose
        self.used: set[str] = set()
        self.out: list[str] = []

    def add(self, *lines: str) -> None:
        self.out.extend(lines)

    def region(self, name: str, *, required: bool = True) -> None:
        if name not in self.prose:
            if required:
                raise PageError(
                    f"docs/rules.md lacks its prose region {name!r}: add "
                    f"<!-- prose: {name} --> ... <!-- /prose --> where it belongs"
                )
            return
        self.used.add(name)
        self.add(f"<!-- prose: {name} -->", *self.prose[name].rstrip("\n").split("\n"))
        self.add("<!-- /prose -->", "")

    def example(self, key: str) -> None:
        if key not in EXAMPLES:
            raise PageError(f"no example for {key}: add one to rules/reference_examples.py")
        self.add("```yaml", *EXAMPLES[key].rstrip("\n").split("\n"), "```", "")

    def fields(
        self, model: type[BaseModel], skip: Iterable[str] = (), first: str | None = None
    ) -> None:
        """The table of ``model``'s fields but ``skip``; the key ``first`` leads."""
        rows = []
        docs = field_docs(model, skip=frozenset(skip))
        for doc in sorted(docs, key=lambda doc: doc.key != first):
            key = f"`{doc.key}`" + "".join(f" (or `{old}`)" for old in doc.older)
            rows.append(f"| {key} | {cell(doc.kind)} | {doc.default} | {cell(doc.description)} |")
        if rows:
            self.add("| key | type | default | description |", "| --- | --- | --- | --- |")
            self.add(*rows, "")

    def finish(self) -> str:
        unused = sorted(set(self.prose) - self.used)
        if unused:
            raise PageError(f"docs/rules.md has prose regions with no place: {', '.join(unused)}")
        return "\n".join(self.out).rstrip("\n") + "\n"


def page(current: str | None = None) -> str:
    """The page, with the prose regions of ``current`` (by default the committed page)."""
    text = PAGE.read_text(encoding="utf-8") if current is None else current
    w = _Writer(regions(text))
    w.add(
        "# The rule language",
        "",
        "<!-- Generated by `make docs` (rules/reference.py) from the rule models: edit their",
        "     descriptions, rules/reference_examples.py or rules/reference_vocabulary.py, and",
        "     the prose only between its markers. -->",
        "",
    )
    w.region("intro")
    w.add("Related pages:", "")
    w.add(*(f"- [{title}]({name}): {what}" for name, title, what in RELATED))
    w.add("", *_contents(), "")
    _rule(w)
    _triggers(w)
    _conditions(w)
    _actions(w)
    _templates(w)
    for title, name in (
        ("Runs", "runs"),
        ("DID filters answered by rules", "did_filters"),
        ("Switching rules off and rehearsing them", "switching"),
        ("Checked at load", "checked"),
    ):
        w.add(f"## {title}", "")
        w.region(name)
    return w.finish()


def _contents() -> list[str]:
    def links(kinds: Iterable[str], noun: str) -> str:
        return " · ".join(f"[{k}](#{k}-{noun})" for k in kinds)

    return [
        "Contents: [a rule](#a-rule) · [modes](#modes-per-rule-and-per-key) · "
        "[durations](#durations) · [triggers](#triggers) · [conditions](#conditions) · "
        "[actions](#actions) · [templates](#templates) · [runs](#runs) · "
        "[checked at load](#checked-at-load)",
        "",
        f"- triggers: {links(TRIGGER_TYPES, 'trigger')}",
        f"- conditions: {links(CONDITION_TYPES, 'condition')}",
        f"- steps: {links(step_models(), 'step')}",
    ]


def _rule(w: _Writer) -> None:
    w.add("## A rule", "", summary(Rule), "")
    w.fields(Rule)
    w.example("rule")
    w.region("rule", required=False)
    w.add("## Modes, per rule and per key", "")
    w.region("modes")
    modes = agreed("modes", typing.get_args(Mode), MODES)
    w.add("| mode | a new run, while a run of the rule (or of its key) is going |")
    w.add("| --- | --- |", *(f"| `{m}` | {cell(t)} |" for m, t in modes.items()), "")
    w.example("mode")
    for model, key in ((Concurrency, "concurrency"), (Cooldown, "cooldown")):
        w.add(f"### {key}", "", summary(model), "")
        w.region(key, required=False)
        w.fields(model)
        w.example(key)
    w.add("## Durations", "")
    w.region("durations")


# -- triggers ----------------------------------------------------------------------------------


def trigger_variables(model: type[TriggerBase]) -> frozenset[str]:
    """The ``trigger.<name>`` variables a trigger of this kind sets, beyond the common ones
    (a count trigger: its own, beside those of the trigger it counts)."""
    provided = CountListener.provides if model is CountTrigger else TRIGGER_CLASSES[model].provides
    return provided - CompiledTrigger.provides


def _opening(w: _Writer, title: str, noun: str, base: type[BaseModel]) -> None:
    """A part's heading, its prose, and the keys every one of its kinds takes."""
    w.add(f"## {title}", "")
    w.region(title.lower())
    w.add(f"Every {noun} takes:", "")
    w.fields(base)


def _overview(w: _Writer, noun: str, column: str, summaries: dict[str, str]) -> None:
    w.add(f"| {noun} | {column} |", "| --- | --- |")
    w.add(*(f"| [{k}](#{k}-{noun}) | {cell(text)} |" for k, text in summaries.items()), "")


def _kind(w: _Writer, noun: str, kind: str, text: str) -> None:
    w.add(f"### `{kind}` {noun}", "", text, "")
    w.region(f"{noun}.{kind}", required=False)


def _triggers(w: _Writer) -> None:
    _opening(w, "Triggers", "trigger", TriggerBase)
    w.add("and every trigger sets, in templates:", "")
    common = [n for n in TRIGGER_VARIABLES if n in CompiledTrigger.provides]
    w.add(*variable_table("trigger", {n: TRIGGER_VARIABLES[n] for n in common}), "")
    _overview(w, "trigger", "starts a run when", {k: summary(m) for k, m in TRIGGER_TYPES.items()})
    every = [name for model in TRIGGER_TYPES.values() for name in trigger_variables(model)]
    words = agreed("trigger variables", [*CompiledTrigger.provides, *every], TRIGGER_VARIABLES)
    for kind, model in TRIGGER_TYPES.items():
        _kind(w, "trigger", kind, summary(model))
        w.fields(model, skip={"trigger", *TriggerBase.model_fields})
        names = [n for n in words if n in trigger_variables(model)]
        if names:
            w.add("It sets, in templates:", "")
            w.add(*variable_table("trigger", {n: words[n] for n in names}), "")
        w.example(f"trigger.{kind}")


# -- conditions --------------------------------------------------------------------------------


def _conditions(w: _Writer) -> None:
    _opening(w, "Conditions", "condition", ConditionBase)
    _overview(w, "condition", "holds when", {k: summary(m) for k, m in CONDITION_TYPES.items()})
    for kind, model in CONDITION_TYPES.items():
        _kind(w, "condition", kind, summary(model))
        w.fields(model, skip={"condition", *ConditionBase.model_fields})
        w.example(f"condition.{kind}")


# -- actions -----------------------------------------------------------------------------------


def step_models() -> dict[str, type[BaseModel] | None]:
    """Each step kind by its key, with its model (None: the condition step, any condition),
    read from the step union itself."""
    union = typing.get_args(Action)[0]
    found: dict[str, type[BaseModel] | None] = {}
    for member in typing.get_args(union):
        model, *metadata = typing.get_args(member)
        tag = next(m.tag for m in metadata if hasattr(m, "tag"))
        found[tag] = model if isinstance(model, type) and issubclass(model, StepBase) else None
    return found


# Models a step holds inside it, documented in the step's own section.
_INNER: dict[str, tuple[tuple[str, type[BaseModel]], ...]] = {
    "choose": (("Each option of `choose` takes:", ChooseOption),),
    "repeat": (("`repeat` takes:", Repeat),),
    "did_filter": (("`did_filter` takes:", DidAnswer),),
}


def _actions(w: _Writer) -> None:
    _opening(w, "Actions", "step", StepBase)
    steps = step_models()
    texts = {k: CONDITION_STEP if m is None else summary(m) for k, m in steps.items()}
    _overview(w, "step", "does", texts)
    for kind, model in steps.items():
        _kind(w, "step", kind, texts[kind])
        if model is not None:
            w.fields(model, skip=StepBase.model_fields, first=kind)
        for lead, inner in _INNER.get(kind, ()):
            w.add(lead, "")
            w.fields(inner)
        w.example(f"step.{kind}")


# -- templates ---------------------------------------------------------------------------------


def this_names() -> list[str]:
    return [name for name, value in vars(This).items() if isinstance(value, property)]


def repeat_names() -> list[str]:
    counted = repeat_variable({"index": 1, "count": 2})
    listed = repeat_variable({"index": 1, "items": ["a"]})
    return list(dict.fromkeys([*counted, *listed]))


def _templates(w: _Writer) -> None:
    w.add("## Templates", "")
    w.region("templates")
    w.add("### Variables", "")
    w.region("variables")
    w.add("#### this", "", "The rule the template belongs to:", "")
    w.add(*variable_table("this", agreed("this", this_names(), THIS_VARIABLES)), "")
    w.add("#### repeat", "", "Inside a [`repeat`](#repeat-step) step's `sequence`:", "")
    w.add(*variable_table("repeat", agreed("repeat", repeat_names(), REPEAT_VARIABLES)), "")
    w.add(
        "#### wait",
        "",
        "After a [`wait_template`](#wait_template-step) or "
        "[`wait_for_trigger`](#wait_for_trigger-step) step:",
        "",
    )
    w.add(*variable_table("wait", WAIT_VARIABLES), "")
    w.add("### Functions and filters", "")
    w.add(*function_table(), "")
    w.region("functions")
    w.add(*demo_lines(), "")
    w.add(*example_table(), "")
    w.add("### Strict, sandboxed, bounded", "")
    w.region("limits")


def write(path: Path = PAGE) -> Path:
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    path.write_text(page(current), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    try:
        written = write()
    except PageError as exc:
        print(f"docs/rules.md not written: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {written}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
