"""The rule models read for the reference page: each field's key as written (with its older
spellings), its type in words, its default and its description.

Types are named by the rule language's own value types (a duration, an entity id or glob, a
filter) where a field uses one, found by equality in the annotation as written; anything else
is read from the annotation itself (``text``, ``one of `single`, `restart` ...``).
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

import annotated_types
from pydantic import AliasChoices, BaseModel
from pydantic.fields import FieldInfo

from rules.durations import Duration
from rules.schema_actions import Action, ChooseOption, Count, DidAnswer, Repeat, VariableName
from rules.schema_common import (
    EntityPatterns,
    FilterValues,
    TemplateText,
    Text,
    Texts,
    TimeOfDay,
    Variables,
    Weekdays,
)
from rules.schema_conditions import Condition, Conditions
from rules.schema_rule import Concurrency, Cooldown, RuleId
from rules.schema_triggers import StateValues, Trigger


class PageError(Exception):
    """The models and the page's words disagree (a field, a variable or a kind without words
    or without an example); the message says what to add, and where."""


# The language's value types, as a model's annotation names them (equal aliases, same words).
NAMED: tuple[tuple[Any, str], ...] = (
    (Duration, "[duration](#durations)"),
    (EntityPatterns, "entity id or glob, or a list"),
    (FilterValues, "value, list of values, or glob"),
    (StateValues, "state, or a list of states"),
    (Texts, "text, or a list"),
    (Text, "text"),
    (TimeOfDay, "time of day (`HH:MM[:SS]`)"),
    (Weekdays, "weekday (`mon` ... `sun`), or a list"),
    (TemplateText, "template"),
    (Variables, "mapping of names to values (templates allowed)"),
    (Trigger, "[trigger](#triggers)"),
    (Condition, "[condition](#conditions)"),
    (Conditions, "[condition](#conditions), or a list"),
    (Action, "[step](#actions)"),
    (Count, "whole number, or a template"),
    (VariableName, "variable name"),
    (RuleId, "rule id"),
    (Concurrency, "mapping: [concurrency](#concurrency)"),
    (ChooseOption, "option (below)"),
    (Repeat, "mapping (below)"),
    (DidAnswer, "mapping (below)"),
    (Cooldown, "mapping: [cooldown](#cooldown)"),
)
_SIMPLE: dict[Any, str] = {
    str: "text",
    int: "whole number",
    float: "number",
    bool: "boolean",
    Any: "any value",
    ZoneInfo: "time zone (IANA name)",
}


@dataclass(frozen=True, slots=True)
class FieldDoc:
    key: str  # as written in YAML
    older: tuple[str, ...]  # Home Assistant's older spellings
    kind: str
    default: str  # "required", or the default in YAML, or "" when it is empty
    description: str


def field_docs(model: type[BaseModel], *, skip: frozenset[str] = frozenset()) -> list[FieldDoc]:
    """The documented fields of ``model`` but those in ``skip`` (model field names)."""
    hints = typing.get_type_hints(model, include_extras=True)
    docs = []
    for name, info in model.model_fields.items():
        if name in skip:
            continue
        if not info.description:
            raise PageError(
                f"{model.__module__}.{model.__name__}.{name} has no description: "
                "give its Field a description="
            )
        key, older = spellings(name, info)
        kind = type_words(hints[name])
        floor = [m.ge for m in info.metadata if isinstance(m, annotated_types.Ge)]
        if floor:
            kind = f"{kind}, at least {floor[0]}"
        docs.append(FieldDoc(key, older, kind, _default(info), info.description))
    return docs


def spellings(name: str, info: FieldInfo) -> tuple[str, tuple[str, ...]]:
    alias = info.validation_alias
    if isinstance(alias, AliasChoices):
        names = [str(choice) for choice in alias.choices]
        return names[0], tuple(names[1:])
    return info.alias or name, ()


def _default(info: FieldInfo) -> str:
    if info.is_required():
        return "required"
    value = info.get_default(call_default_factory=True)
    if value is None or value == "" or value == () or value == {}:
        return ""
    return f"`{yaml_scalar(value)}`"


def yaml_scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def type_words(annotation: Any) -> str:
    """``annotation`` in words, by the language's value types where it uses them."""
    for named, words in NAMED:
        if annotation == named:
            return words
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is Annotated:
        words = type_words(args[0])
        floor = [m.ge for m in annotation.__metadata__ if isinstance(m, annotated_types.Ge)]
        return f"{words}, at least {floor[0]}" if floor else words
    if origin in (types.UnionType, typing.Union):
        return " or ".join(dict.fromkeys(type_words(a) for a in args if a is not type(None)))
    if origin is Literal:
        return "one of " + ", ".join(f"`{yaml_scalar(a)}`" for a in args)
    if origin in (list, tuple):
        inner = [a for a in args if a is not Ellipsis and a is not Any]
        return f"{type_words(inner[0])}, or a list" if inner else "list"
    if origin is dict:
        value = type_words(args[1]) if args else "any value"
        return "mapping" if value == "any value" else f"mapping of names to {value}"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "mapping"
    if annotation in _SIMPLE:
        return _SIMPLE[annotation]
    raise PageError(f"no words for the type {annotation!r}: add it to reference_models.NAMED")


def summary(model: type[Any]) -> str:
    """The first paragraph of a model's docstring, as one line, in Markdown."""
    doc = model.__doc__ or ""
    if not doc.strip():
        raise PageError(f"{model.__module__}.{model.__name__} has no docstring: give it one")
    first = doc.strip().split("\n\n")[0]
    return " ".join(first.split()).replace("``", "`")
