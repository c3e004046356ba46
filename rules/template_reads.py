"""Where a rule's templates are, and what each one reads: for the checks made at load.

``template_sites`` walks a rule model to every template it holds, with the data path of each
(so a problem is reported at the template's own line). ``reads`` reads a compiled template's
syntax tree for the names it uses and the attribute chains it follows from them
(``trigger.payload.lead_id``), without running it.
"""

from __future__ import annotations

import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from jinja2 import meta, nodes
from pydantic import BaseModel

from rules.durations import TemplatedDuration
from rules.templates import is_template

Path = tuple[str | int, ...]

# The fields of the rule language whose text is a template (anywhere inside them).
TEMPLATE_FIELDS = frozenset(
    {
        "data",
        "event_data",
        "variables",
        "response",
        "value_template",
        "delay",
        "for_",
        "key",
        "wait_template",
        "timeout",
        "count",
        "for_each",
        "match",
    }
)


def template_sites(model: BaseModel, path: Path = ()) -> Iterator[tuple[Path, str]]:
    """Every template inside ``model``, with its path (model field names, as validated)."""
    for name, holds_templates in _plan(type(model)):
        value = getattr(model, name)
        where = (*path, name)
        if holds_templates:
            yield from _templates_in(value, where)
        elif isinstance(value, BaseModel):
            yield from template_sites(value, where)
        elif isinstance(value, tuple | list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from template_sites(item, (*where, index))


_PLANS: dict[type[BaseModel], tuple[tuple[str, bool], ...]] = {}


def _plan(cls: type[BaseModel]) -> tuple[tuple[str, bool], ...]:
    """The fields of ``cls`` worth a look: template fields, and those holding models (the
    others, names and flags, cannot hold a template). Worked out once per class."""
    plan = _PLANS.get(cls)
    if plan is None:
        plan = _PLANS[cls] = tuple(
            (name, name in TEMPLATE_FIELDS)
            for name, info in cls.model_fields.items()
            if name in TEMPLATE_FIELDS or _holds_models(info.annotation)
        )
    return plan


def _holds_models(annotation: Any) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_holds_models(arg) for arg in typing.get_args(annotation))


def _templates_in(value: Any, path: Path) -> Iterator[tuple[Path, str]]:
    if isinstance(value, TemplatedDuration):
        value = value.source
    if isinstance(value, str):
        if is_template(value):
            yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _templates_in(item, (*path, key))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _templates_in(item, (*path, index))


@dataclass(frozen=True, slots=True)
class Reads:
    names: frozenset[str]  # top-level names not set inside the template
    chains: frozenset[tuple[str, ...]]  # name.attr.attr... followed from a name, by constants


def reads(tree: nodes.Template) -> Reads:
    names = frozenset(meta.find_undeclared_variables(tree))
    chains: set[tuple[str, ...]] = set()
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        chain = _chain(node)
        if chain is not None and len(chain) > 1:
            chains.add(chain)
    return Reads(names, frozenset(chains))


def _chain(node: nodes.Node) -> tuple[str, ...] | None:
    if isinstance(node, nodes.Name):
        return (node.name,)
    if isinstance(node, nodes.Getattr):
        head = _chain(node.node)
        return None if head is None else (*head, node.attr)
    if (
        isinstance(node, nodes.Getitem)
        and isinstance(node.arg, nodes.Const)
        and isinstance(node.arg.value, str)
    ):
        head = _chain(node.node)
        return None if head is None else (*head, node.arg.value)
    return None
