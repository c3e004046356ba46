"""Secrets out of what runs record: rendered data, results and error messages.

A value is masked when its service declares the field as ``SecretStr``, or when its name reads
like a secret (pass, password, token, secret, api_key, ...). An error message has every secret
value of the step's data replaced, so a service that quotes its input cannot leak it.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, SecretStr

from engine.jsonable import SECRET_MASK

_SECRET_NAME = re.compile(
    r"(^|_)(pass|passwd|password|pwd|secret|token|api_?key|auth|authorization|credentials?)($|_)",
    re.IGNORECASE,
)
# Shorter secrets would make masking them in messages replace ordinary words.
_MIN_SCRUB = 4
_PLAIN = frozenset({str, int, float, bool, type(None)})


@lru_cache(maxsize=4096)
def is_secret_name(name: str) -> bool:
    return _SECRET_NAME.search(name) is not None


def _holds_secret(annotation: Any) -> bool:
    if annotation is SecretStr:
        return True
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _holds_secret(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return any(_holds_secret(arg) for arg in typing.get_args(annotation))
    return False


def secret_fields(params: type[BaseModel]) -> frozenset[str]:
    """The names (and aliases) of a parameter model's SecretStr fields."""
    return _secret_fields(params)


@lru_cache(maxsize=512)
def _secret_fields(params: Any) -> frozenset[str]:
    names: set[str] = set()
    for name, info in params.model_fields.items():
        if _holds_secret(info.annotation):
            names.add(name)
            if info.alias:
                names.add(info.alias)
            if isinstance(info.validation_alias, str):
                names.add(info.validation_alias)
    return frozenset(names)


def mask(data: Any, secret: frozenset[str] = frozenset()) -> Any:
    """``data`` with every secret value replaced by the mask, recursively."""
    if type(data) in _PLAIN:
        return data
    if isinstance(data, Mapping):
        return {
            key: SECRET_MASK
            if (str(key) in secret or is_secret_name(str(key))) and data[key] is not None
            else mask(data[key], secret)
            for key in data
        }
    if isinstance(data, list | tuple):
        return [mask(item, secret) for item in data]
    if isinstance(data, SecretStr):
        return SECRET_MASK
    return data


def secret_values(data: Any, secret: frozenset[str] = frozenset()) -> list[str]:
    """Every secret text inside ``data`` (to scrub messages of them)."""
    found: list[str] = []
    if type(data) in _PLAIN:
        return found
    if isinstance(data, Mapping):
        for key, value in data.items():
            if str(key) in secret or is_secret_name(str(key)):
                if isinstance(value, SecretStr):
                    value = value.get_secret_value()
                if isinstance(value, str | int) and len(str(value)) >= _MIN_SCRUB:
                    found.append(str(value))
            else:
                found.extend(secret_values(value, secret))
    elif isinstance(data, list | tuple):
        for item in data:
            found.extend(secret_values(item, secret))
    return found


def scrub(text: str, secrets: list[str]) -> str:
    for value in sorted(secrets, key=len, reverse=True):
        text = text.replace(value, SECRET_MASK)
    return text
