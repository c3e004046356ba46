"""The keys a config model accepts at a place, found by walking the model's types along a
pydantic error location: for "did you mean" on an unknown key."""

from __future__ import annotations

import types
from collections.abc import Hashable, Mapping, Sequence
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, Discriminator, Tag
from pydantic.fields import FieldInfo

_UNIONS = (Union, types.UnionType)
_SEQUENCES = (list, tuple, set, frozenset, Sequence)


def model_at(annotation: Any, loc: Sequence[Hashable]) -> type[BaseModel] | None:
    """The model class that validated the mapping at ``loc`` below ``annotation``, if any."""
    current: Any = annotation
    for part in loc:
        current = _step(current, part)
        if current is None:
            return None
    current, _ = _unwrap(current)
    return current if _is_model(current) else None


def keys_of(model: type[BaseModel]) -> list[str]:
    names = []
    for name, info in model.model_fields.items():
        names.append(info.alias or name)
    return names


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _unwrap(annotation: Any) -> tuple[Any, str | None]:
    """``annotation`` without Annotated and Optional layers, and its discriminator if any."""
    discriminator: str | None = None
    while True:
        if get_origin(annotation) is Annotated:
            inner, *metadata = get_args(annotation)
            for item in metadata:
                found = _discriminator_of(item)
                discriminator = found or discriminator
            annotation = inner
            continue
        if get_origin(annotation) in _UNIONS:
            members = [m for m in get_args(annotation) if m is not type(None)]
            if len(members) == 1:
                annotation = members[0]
                continue
        return annotation, discriminator


def _discriminator_of(item: Any) -> str | None:
    if isinstance(item, FieldInfo):
        item = item.discriminator
    if isinstance(item, Discriminator):
        item = item.discriminator
    return item if isinstance(item, str) else None


def _step(annotation: Any, part: Hashable) -> Any:
    annotation, discriminator = _unwrap(annotation)
    origin = get_origin(annotation)
    if _is_model(annotation):
        return _field(annotation, part)
    if origin in _UNIONS:
        return _member(get_args(annotation), part, discriminator)
    if origin is tuple:
        args = get_args(annotation)
        if len(args) == 2 and args[1] is Ellipsis:
            return args[0]
        return args[part] if type(part) is int and 0 <= part < len(args) else None
    if origin in _SEQUENCES or (isinstance(origin, type) and issubclass(origin, Sequence)):
        return get_args(annotation)[0] if get_args(annotation) else None
    if origin is dict or (isinstance(origin, type) and issubclass(origin, Mapping)):
        args = get_args(annotation)
        return args[1] if len(args) == 2 else None
    return None


def _field(model: type[BaseModel], part: Hashable) -> Any:
    for name, info in model.model_fields.items():
        if part in (name, info.alias):
            annotation = info.annotation
            return annotation if info.discriminator is None else Annotated[annotation, info]
    return None


def _member(members: Sequence[Any], part: Hashable, discriminator: str | None) -> Any:
    """The union member a location part names: by its tag, or (plain unions) by its name."""
    for member in members:
        if get_origin(member) is Annotated and any(
            isinstance(m, Tag) and m.tag == part for m in get_args(member)[1:]
        ):
            return member
        inner, _ = _unwrap(member)
        if discriminator is not None and _is_model(inner):
            field = inner.model_fields.get(discriminator)
            tags = get_args(field.annotation) if field is not None else ()
            if get_origin(field.annotation if field else None) is Literal and part in tags:
                return member
        elif getattr(inner, "__name__", None) == part:
            return member
    return None
