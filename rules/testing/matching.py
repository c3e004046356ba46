"""How an expectation matches what happened: expected data as a subset of the actual data.

A mapping matches when each expected key is there and matches; a list when it has as many
items, each matching; a scalar when equal, where a number and its text are the same (a
template renders ``1001`` as text, and a test may write it either way).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_MISSING = object()


def differences(expected: Any, actual: Any, where: str = "") -> list[str]:
    """Each place where ``actual`` does not match ``expected`` (empty: it matches)."""
    if isinstance(expected, Mapping):
        if not isinstance(actual, Mapping):
            return [f"{where or 'value'}: expected a mapping, got {show(actual)}"]
        found = []
        for key, value in expected.items():
            inner = f"{where}.{key}" if where else str(key)
            got = actual.get(key, _MISSING)
            if got is _MISSING:
                found.append(f"{inner}: missing (expected {show(value)})")
            else:
                found.extend(differences(value, got, inner))
        return found
    if isinstance(expected, list):
        if not isinstance(actual, list | tuple) or len(actual) != len(expected):
            return [f"{where or 'value'}: expected {show(expected)}, got {show(actual)}"]
        found = []
        for index, (want, got) in enumerate(zip(expected, actual, strict=True)):
            found.extend(differences(want, got, f"{where}[{index}]"))
        return found
    if same_scalar(expected, actual):
        return []
    return [f"{where or 'value'}: expected {show(expected)}, got {show(actual)}"]


def same_scalar(expected: Any, actual: Any) -> bool:
    if expected == actual and type(expected) is type(actual):
        return True
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected == actual and isinstance(expected, bool) and isinstance(actual, bool)
    numeric = (int, float)
    if isinstance(expected, numeric) and isinstance(actual, numeric):
        return expected == actual
    if isinstance(expected, numeric) and isinstance(actual, str):
        return str(expected) == actual
    if isinstance(expected, str) and isinstance(actual, numeric):
        return expected == str(actual)
    return bool(expected == actual)


def matches(expected: Any, actual: Any) -> bool:
    return not differences(expected, actual)


def show(value: Any, limit: int = 200) -> str:
    """A value in one line, YAML-ish (``{agent_user: '1001', value: BREAK}``)."""
    text = _show(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _show(value: Any) -> str:
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {_show(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, str):
        plain = value and value.strip() == value and not any(c in value for c in ":{}[],'#\n")
        return value if plain and not _looks_like_number(value) else repr(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def _looks_like_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return text.lower() in ("true", "false", "null", "yes", "no", "on", "off")
    return True
