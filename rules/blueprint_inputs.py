"""A blueprint's inputs: how each is declared, and checking a value given for one.

An input has a type that says what a user may give for it; a value that does not fit is an
``InputError`` with the place inside the value (a list's item) and a message in our words.
Values are kept as written, except that numbers given for text become text and a notify
target's bare name (``supervisors``) becomes its service (``notify.supervisors``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from rules.durations import DurationError, parse_duration

InputType = Literal[
    "text",
    "integer",
    "number",
    "boolean",
    "duration",
    "campaign",
    "ingroup",
    "user",
    "notify",
    "list",
]
INPUT_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")


class InputError(ValueError):
    def __init__(self, message: str, at: tuple[Hashable, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.at = at  # inside the value: a list item's index


class BlueprintInput(BaseModel):
    """One input: shown as ``name`` with its ``description``; without a ``default`` it is
    required. A ``list`` holds items of type ``item`` (text unless said)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str | None = None
    description: str | None = None
    type: InputType = "text"
    item: InputType | None = None
    default: Any = None

    @property
    def required(self) -> bool:
        return "default" not in self.model_fields_set

    def check(self, value: Any) -> Any:
        """``value`` as the rule gets it, or an InputError saying what this input takes."""
        if self.type != "list":
            return _check(self.type, value)
        items = value if isinstance(value, list) else [value]
        kind = self.item or "text"
        checked = []
        for index, item in enumerate(items):
            try:
                checked.append(_check(kind, item))
            except InputError as exc:
                raise InputError(f"item {index}: {exc.message}", (index,)) from None
        return checked

    @property
    def takes(self) -> str:
        """What the input takes, for messages and the docs: ``a list of campaign ids``."""
        if self.type == "list":
            return f"a list of {_PLURAL.get(self.item or 'text', 'texts')}"
        return _ARTICLE[self.type]


def _text(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise InputError(f"{_shown(value)} is no text")
    return str(value)


def _integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(f"{_shown(value)} is no whole number")
    return value


def _number(value: Any) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(f"{_shown(value)} is no number")
    return value


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise InputError(f"{_shown(value)} is no yes/no value (true or false)")
    return value


def _duration(value: Any) -> Any:
    try:
        parse_duration(value)
    except DurationError as exc:
        raise InputError(str(exc)) from None
    return value


# ViciDial's ids: letters, digits, _ and -; * and ? make a glob where the rule filters on it.
_VICI_ID = re.compile(r"[A-Za-z0-9_\-*?]{1,50}")


def _vici_id(what: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        text = _text(value)
        if not _VICI_ID.fullmatch(text):
            raise InputError(f"{text!r} is no {what}: letters, digits, _ and - (* ? for a glob)")
        return text

    return check


_NOTIFY = re.compile(r"(?:notify\.)?([a-z0-9_]{1,64})")


def _notify(value: Any) -> str:
    text = _text(value)
    match = _NOTIFY.fullmatch(text)
    if match is None:
        raise InputError(
            f"{text!r} is no notify target: its name (supervisors) or service (notify.supervisors)"
        )
    return f"notify.{match[1]}"


_CHECKS: dict[str, Callable[[Any], Any]] = {
    "text": _text,
    "integer": _integer,
    "number": _number,
    "boolean": _boolean,
    "duration": _duration,
    "campaign": _vici_id("campaign id"),
    "ingroup": _vici_id("in-group id"),
    "user": _vici_id("user"),
    "notify": _notify,
}
_ARTICLE = {
    "text": "a text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "duration": "a duration (90s, 5m, 00:10:00)",
    "campaign": "a campaign id",
    "ingroup": "an in-group id",
    "user": "a user",
    "notify": "a notify target (supervisors or notify.supervisors)",
    "list": "a list",
}
_PLURAL = {
    "text": "texts",
    "integer": "whole numbers",
    "number": "numbers",
    "boolean": "true/false values",
    "duration": "durations",
    "campaign": "campaign ids",
    "ingroup": "in-group ids",
    "user": "users",
    "notify": "notify targets",
}


def _check(kind: str, value: Any) -> Any:
    if kind == "list":
        raise InputError("a list input holds single values, not lists")
    return _CHECKS[kind](value)


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "an empty value"
    return repr(value)
