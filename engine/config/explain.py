"""pydantic's validation errors as config problems: at the key or value they concern, in words
that say what was expected.

- an unknown key is reported at the key, with "did you mean" from the keys the model at that
  place accepts (and the sections nested there);
- a missing key at the mapping that lacks it;
- a bad value at the value; a union's several complaints about one value become one line;
- an input value is quoted only when it is a number, a boolean or a word from a fixed set,
  never a string that could be a password or a URL with one in it; and every message is
  scrubbed of the document's secrets all the same.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Sequence
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from engine.config.document import Document, Location
from engine.config.errors import ConfigProblem
from engine.config.fields import LOCATED
from engine.config.keys import keys_of, model_at
from engine.services import suggest

_KEY = "[key]"
_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'")
_MAPPING_TYPES = {"model_type", "model_attributes_type", "dict_type", "mapping_type"}
_LIST_TYPES = {"list_type", "tuple_type", "set_type", "frozen_set_type", "iterable_type"}
_VOCABULARY = {"literal_error", "enum"}
_MAX_LISTED = 15
_ALONE = {"missing", "extra_forbidden", "union_tag_not_found", "union_tag_invalid", LOCATED}


def explain(
    exc: ValidationError,
    document: Document,
    *,
    prefix: tuple[Hashable, ...],
    annotation: Any,
    nested: Iterable[tuple[str, ...]] = (),
) -> list[ConfigProblem]:
    """The problems of ``exc``, raised validating the data at ``prefix`` with ``annotation``.

    ``nested`` lists the paths (from the top) of sections that were taken out of that data
    before validation: they are keys the user may write too, for "did you mean".
    """
    nested = tuple(nested)
    # A union's members each complain about the same value: one line says "this or that".
    # Other errors at one place (two missing keys) stay lines of their own.
    merged: dict[tuple[Location, str, int], list[str]] = {}
    for number, error in enumerate(exc.errors(include_url=False)):
        where, subject, message = _explain(error, document, prefix, annotation, nested)
        alone = error["type"] in _ALONE
        messages = merged.setdefault((where, subject, number if alone else -1), [])
        if message not in messages:
            messages.append(message)
    problems = []
    for (where, subject, _), messages in merged.items():
        text = " or ".join(messages)
        text = f"{subject}: {text}" if subject else text
        problems.append(
            ConfigProblem(where.file, where.line, where.column, document.scrub(text), "error")
        )
    return problems


def _explain(
    error: ErrorDetails,
    document: Document,
    prefix: tuple[Hashable, ...],
    annotation: Any,
    nested: tuple[tuple[str, ...], ...],
) -> tuple[Location, str, str]:
    """(where, the subject's dotted path or "", what is wrong) for one pydantic error."""
    kind = error["type"]
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    relative: tuple[Hashable, ...] = tuple(error["loc"])
    at_key = False
    if relative and relative[-1] == _KEY:
        relative, at_key = relative[:-1], True
    if kind == LOCATED:
        relative += tuple(ctx["vicibus_at"])
        at_key = at_key or bool(ctx["vicibus_key"])
    found = document.find((*prefix, *relative), skip_unknown=True)
    subject = found.shown

    if kind == "extra_forbidden":
        key = relative[-1]
        parent = found.parent_shown
        message = f"unknown key {key!r}" + (f" in {parent}" if parent else "")
        return found.key, "", message + _hint(key, _expected(annotation, relative, prefix, nested))
    if kind == "missing":
        return found.value, subject, f"missing required key {relative[-1]!r}"
    if kind == "union_tag_not_found":
        name = str(ctx.get("discriminator", "")).strip("'")
        return found.value, subject, f"missing required key {name!r}"
    if kind == "union_tag_invalid":
        name = str(ctx.get("discriminator", "")).strip("'")
        tag_at = document.find((*found.path, name))
        expected = _QUOTED.findall(str(ctx.get("expected_tags", "")))
        tag = ctx.get("tag")
        message = f"unknown {name} {tag!r}; expected {_either(expected)}"
        hint = suggest(str(tag), expected)
        message += f"; did you mean {hint[0]!r}?" if hint else ""
        return tag_at.value, tag_at.shown, message
    if kind == "invalid_key":  # a key that is not a string: the key is what is wrong
        at_key = True
    where = found.key if at_key and found.path else found.value
    if kind == LOCATED:
        return where, subject, error["msg"]
    return where, subject, _message(error, kind, ctx)


def _message(error: ErrorDetails, kind: str, ctx: dict[str, Any]) -> str:
    got = error.get("input")
    if kind in _MAPPING_TYPES:
        return f"should be a mapping (got {_kind_of(got)})"
    if kind in _LIST_TYPES:
        return f"should be a list (got {_kind_of(got)})"
    message = _reword(error["msg"])
    if kind in _VOCABULARY and isinstance(got, str):
        expected = _QUOTED.findall(str(ctx.get("expected", "")))
        hint = suggest(got, expected)
        return f"{message} (got {got!r})" + (f"; did you mean {hint[0]!r}?" if hint else "")
    if isinstance(got, (bool, int, float)) or got is None:
        return f"{message} (got {_yaml_scalar(got)})"
    if isinstance(got, (dict, list)) and kind.endswith(("_type", "_parsing")):
        return f"{message} (got {_kind_of(got)})"
    return message


def _reword(message: str) -> str:
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    for old, new in (("Input should be ", "should be "), ("Input is ", "is ")):
        if message.startswith(old):
            return new + message[len(old) :]
    return message[:1].lower() + message[1:]


def _kind_of(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def _yaml_scalar(value: bool | float | None) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def _either(words: Sequence[str]) -> str:
    quoted = [repr(w) for w in words]
    if len(quoted) <= 1:
        return "".join(quoted) or "nothing"
    return ", ".join(quoted[:-1]) + " or " + quoted[-1]


def _expected(
    annotation: Any,
    relative: tuple[Hashable, ...],
    prefix: tuple[Hashable, ...],
    nested: tuple[tuple[str, ...], ...],
) -> list[str]:
    parent = relative[:-1]
    model = model_at(annotation, parent)
    keys = keys_of(model) if model is not None else []
    here = (*prefix, *parent)
    keys += [path[-1] for path in nested if path[:-1] == here and path[-1] not in keys]
    return keys


def _hint(key: Hashable, expected: list[str]) -> str:
    if not expected:
        return ""
    near = suggest(str(key), expected)
    if near:
        return f"; did you mean {near[0]!r}?"
    if len(expected) <= _MAX_LISTED:
        return "; expected one of: " + ", ".join(expected)
    return ""
