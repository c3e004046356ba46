"""Plain YAML 1.2 scalars to Python values, by the tag the resolver gave them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ruamel.yaml.util import create_timestamp, timestamp_regexp

_TAG = "tag:yaml.org,2002:"


class ScalarError(ValueError):
    """A scalar its tag cannot hold (``!!int abc``, ``2024-13-45``, a 5,000-digit number)."""


def _null(text: str) -> None:
    if text not in ("", "~", "null", "Null", "NULL"):
        raise ScalarError("not a null (expected ~ or null)")


def _bool(text: str) -> bool:
    lowered = text.lower()
    if lowered not in ("true", "false"):
        raise ScalarError("not a boolean (expected true or false)")
    return lowered == "true"


def _int(text: str) -> int:
    digits = text.replace("_", "")
    sign = -1 if digits.startswith("-") else 1
    digits = digits.lstrip("+-")
    for prefix, base in (("0b", 2), ("0o", 8), ("0x", 16)):
        if digits.startswith(prefix):
            return sign * int(digits[2:], base)
    return sign * int(digits)


def _float(text: str) -> float:
    lowered = text.replace("_", "").lower()
    sign = -1.0 if lowered.startswith("-") else 1.0
    body = lowered.lstrip("+-")
    if body in (".inf", "inf"):
        return sign * float("inf")
    if body in (".nan", "nan"):
        return float("nan")
    return sign * float(body)


def _timestamp(text: str) -> Any:
    match = timestamp_regexp.match(text)
    if match is None:
        raise ScalarError("not a date or time stamp")
    return create_timestamp(**match.groupdict())


_CONVERTERS: dict[str, Callable[[str], Any]] = {
    _TAG + "str": str,
    _TAG + "null": _null,
    _TAG + "bool": _bool,
    _TAG + "int": _int,
    _TAG + "float": _float,
    _TAG + "timestamp": _timestamp,
}


def is_standard(tag: str) -> bool:
    return tag.startswith(_TAG) or tag == "!"


def convert(tag: str, text: str) -> Any:
    """The value of a scalar with a standard tag; ScalarError when it cannot be one."""
    if tag == "!":  # the non-specific tag: a quoted string stays a string
        return text
    converter = _CONVERTERS.get(tag)
    if converter is None:
        raise ScalarError(f"tag !!{tag.removeprefix(_TAG)} is not supported here")
    try:
        return converter(text)
    except ScalarError:
        raise
    except (ValueError, OverflowError, TypeError) as exc:
        what = tag.removeprefix(_TAG)
        raise ScalarError(f"cannot read this as {what}: {type(exc).__name__}") from None
