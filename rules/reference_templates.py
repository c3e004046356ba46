"""The template part of the reference page: the variables templates read and the functions and
filters they have, each function with examples rendered for real (in the sandbox, against a
small demo state store on a fixed clock), so the results on the page are what a rule gets.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from engine.clock import Clock, ClockMode
from engine.context import Context, Origin
from engine.states import StateStore
from rules.reference_models import PageError, yaml_scalar
from rules.reference_vocabulary import (
    DEMO_AGE,
    DEMO_STATES,
    DEMO_TIME,
    DEMO_ZONE,
    FOREIGN_FUNCTIONS,
    FUNCTION_EXAMPLES,
)
from rules.template_functions import FILTERS, FUNCTIONS, Scope
from rules.templates import Templates


def agreed(what: str, names: Iterable[str], words: dict[str, str]) -> dict[str, str]:
    """``words`` (in their order), when they are for exactly ``names``; else PageError naming
    the difference."""
    wanted = list(dict.fromkeys(names))
    missing = [n for n in wanted if n not in words]
    extra = sorted(set(words) - set(wanted))
    if missing:
        raise PageError(f"{what}: no words for {', '.join(missing)} (rules/reference_vocabulary)")
    if extra:
        raise PageError(f"{what}: words for {', '.join(extra)}, which the code does not have")
    return dict(words)


def variable_table(prefix: str, words: dict[str, str]) -> list[str]:
    rows = [f"| `{prefix}.{name}` | {cell(text)} |" for name, text in words.items()]
    return ["| variable | holds |", "| --- | --- |", *rows]


def cell(text: str) -> str:
    # Pipes would end a Markdown table cell; new lines would end the row.
    return " ".join(text.split()).replace("|", "\\|")


# -- functions ---------------------------------------------------------------------------------


def signature(name: str, func: Callable[..., Any]) -> str:
    """``name(a, b[, default])``: a parameter whose default is a bare marker is optional
    with no value to show."""
    if name in FOREIGN_FUNCTIONS:
        return FOREIGN_FUNCTIONS[name][0]
    required: list[str] = []
    optional = ""
    for param in inspect.signature(func).parameters.values():
        if param.default is inspect.Parameter.empty:
            required.append(param.name)
        elif type(param.default) is object:
            optional += f"[, {param.name}]"
        else:
            optional += f"[, {param.name}={yaml_scalar(param.default)}]"
    return f"{name}({', '.join(required)}{optional})"


def function_text(name: str, func: Callable[..., Any]) -> str:
    if name in FOREIGN_FUNCTIONS:
        return FOREIGN_FUNCTIONS[name][1]
    doc = inspect.getdoc(func)
    if not doc:
        raise PageError(f"template function {name} ({func.__qualname__}) has no docstring")
    return " ".join(doc.split("\n\n")[0].split()).replace("``", "`")


def function_table() -> list[str]:
    agreed("template function examples", FUNCTIONS, dict.fromkeys(FUNCTION_EXAMPLES, ""))
    out = ["| function | also a filter | what it gives |", "| --- | --- | --- |"]
    for name, func in FUNCTIONS.items():
        filter_too = "yes" if FILTERS.get(name) is func else ""
        out.append(
            f"| `{signature(name, func)}` | {filter_too} | {cell(function_text(name, func))} |"
        )
    return out


def example_table() -> list[str]:
    """Each function's examples with what they give, rendered against the demo states."""
    scope = demo_scope()
    templates = Templates()
    out = ["| template | gives |", "| --- | --- |"]
    for name in FUNCTIONS:
        for expression in FUNCTION_EXAMPLES[name]:
            value = templates.compile("{{ " + expression + " }}").render({}, scope)
            out.append(f"| `{{{{ {cell(expression)} }}}}` | `{cell(shown(value))}` |")
    return out


def demo_scope() -> Scope:
    tz = ZoneInfo(DEMO_ZONE)
    clock = Clock(ClockMode.MANUAL, tz=tz, start=DEMO_TIME)
    store = StateStore(lambda: DEMO_TIME - DEMO_AGE)
    context = Context(Origin.SYSTEM)
    for entity_id, state, attributes in DEMO_STATES:
        store.set(entity_id, state, attributes, context=context)
    return Scope(store.snapshot(), DEMO_TIME, clock)


def demo_lines() -> list[str]:
    tz = ZoneInfo(DEMO_ZONE)
    now = datetime.fromtimestamp(DEMO_TIME, tz)
    states = ", ".join(
        f"`{entity_id}` is `{state}` ({', '.join(f'{k}: {v}' for k, v in attributes.items())})"
        for entity_id, state, attributes in DEMO_STATES
    )
    return [
        f"With the time {now.isoformat()} ({DEMO_ZONE}), {states}, both set "
        f"{int(DEMO_AGE // 60)} minutes before:"
    ]


def shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "none"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, str):
        return f'"{value}"'
    return repr(value)
