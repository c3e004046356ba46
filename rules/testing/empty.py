"""A service result type's empty success: what a call with no stub answers.

Fields with a default keep it; a required field gets the emptiest value its type allows
(``""``, ``0``, ``False``, ``[]``, ``{}``, ``None`` where allowed, a literal's first value, a
nested model's own empty success), so a rule reading the result finds every field it could.
"""

from __future__ import annotations

import enum
import types
import typing
from datetime import date, datetime, time, timedelta
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

_SIMPLE: dict[Any, Any] = {
    str: "",
    bool: False,  # before int: a bool is an int
    int: 0,
    float: 0.0,
    bytes: b"",
    datetime: datetime(1970, 1, 1),
    date: date(1970, 1, 1),
    time: time(0),
    timedelta: timedelta(0),
}


def empty_result(result: type[Any] | None) -> Any:
    """The empty success of ``result`` as plain data (None for a service without one)."""
    if result is None or not (isinstance(result, type) and issubclass(result, BaseModel)):
        return None
    # Plain data as a result's own dump: an empty value (None for a type we cannot make
    # empty) is no error here.
    return _empty_model(result).model_dump(mode="json", warnings=False)


def _empty_model(model: type[BaseModel]) -> BaseModel:
    values: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if info.default is not PydanticUndefined or info.default_factory is not None:
            continue
        values[name] = _empty_value(info.annotation)
    # Built, not validated: an empty value is what a field may hold, not what a wire sends.
    return model.model_construct(**values)


def _empty_value(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _empty_value(args[0])
    if origin in (typing.Union, types.UnionType):
        if type(None) in args:
            return None
        return _empty_value(args[0])
    if origin is typing.Literal:
        return args[0]
    if origin in (list, tuple, set, frozenset) or annotation in (list, tuple, set, frozenset):
        return []
    if origin is dict or annotation is dict:
        return {}
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return _empty_model(annotation)
        if issubclass(annotation, enum.Enum):
            return next(iter(annotation))
        for kind, value in _SIMPLE.items():
            if issubclass(annotation, kind):
                return value
    return None
