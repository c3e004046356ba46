"""Building blocks shared by the rule models: the model base, old spellings, and the small
value types (entity id patterns, state values, field filters, times of day).

Home Assistant's older spellings are accepted where its current ones are: ``trigger`` for
``triggers``, ``platform`` for ``trigger``, ``service`` for ``action``, ``condition`` for
``conditions`` and ``action`` for ``actions``. Errors point at the key as it was written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Any, ClassVar

from pydantic import AliasChoices, BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from engine.states import InvalidEntityIdError, split_entity_id
from rules.templates import is_template


class RuleModel(BaseModel):
    """Every model of the rule language: unknown keys are errors, values never change."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class SpelledModel(RuleModel):
    """A model with fields of several spellings (``spelled``): each written under one of them,
    not two."""

    _spellings: ClassVar[tuple[tuple[str, ...], ...]] = ()  # worked out once per class

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        cls._spellings = tuple(
            tuple(str(name) for name in info.validation_alias.choices)
            for info in cls.model_fields.values()
            if isinstance(info.validation_alias, AliasChoices)
        )

    @model_validator(mode="before")
    @classmethod
    def _one_spelling(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for names in cls._spellings:
                given = [name for name in names if name in data]
                if len(given) > 1:
                    raise error("spelling", f"write {' or '.join(given)}, not both")
        return data


def spelled(*names: str, default: Any = ..., **kwargs: Any) -> Any:
    """A field written under its first name or one of the older spellings after it."""
    return Field(default, validation_alias=AliasChoices(*names), **kwargs)


def error(code: str, message: str) -> PydanticCustomError:
    return PydanticCustomError(code, message)


def as_list(value: Any) -> Any:
    """One item where a list is expected stands for a list of it (as Home Assistant reads)."""
    if value is None:
        return []
    return value if isinstance(value, list | tuple) else [value]


def _text(value: Any) -> Any:
    """Numbers where text is meant (``to: 1001``, ``campaign: 300``) are read as text."""
    if isinstance(value, bool):
        raise error("text", f"{value!r} is a yes/no value; quote it if you mean the text")
    if isinstance(value, int | float):
        return str(value)
    return value


# A state, a filter value, a name: text, with numbers read as text.
Text = Annotated[str, BeforeValidator(_text)]
Texts = Annotated[tuple[Text, ...], BeforeValidator(as_list)]

_GLOB = re.compile(r"[*?\[]")


def is_glob(text: str) -> bool:
    return _GLOB.search(text) is not None


def _entity_pattern(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    text = value.strip()
    if text == "*" or (is_glob(text) and "." in text):
        return text
    try:
        split_entity_id(text)
    except InvalidEntityIdError:
        raise error(
            "entity_id",
            f"{value!r} is no entity id: <domain>.<id> (agent.1001) or a glob (agent.*)",
        ) from None
    return text


EntityPattern = Annotated[str, BeforeValidator(_entity_pattern)]
EntityPatterns = Annotated[tuple[EntityPattern, ...], BeforeValidator(as_list), Field(min_length=1)]

_TIME_OF_DAY = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?")


def parse_time_of_day(value: Any) -> tuple[int, int, int]:
    """``"08:30"`` or ``"08:30:15"`` -> (8, 30, 15)."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 86400:
        return value // 3600, value // 60 % 60, value % 60  # YAML 1.1 reads 08:30 as seconds
    match = _TIME_OF_DAY.fullmatch(str(value).strip()) if isinstance(value, str) else None
    if match is None:
        raise error("time", f"{value!r} is no time of day; write HH:MM or HH:MM:SS (08:30:00)")
    return int(match[1]), int(match[2]), int(match[3] or 0)


def _time_text(value: Any) -> Any:
    hour, minute, second = parse_time_of_day(value)
    return f"{hour:02d}:{minute:02d}:{second:02d}"


TimeOfDay = Annotated[str, BeforeValidator(_time_text)]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _weekday(value: Any) -> Any:
    if isinstance(value, str) and value.strip().lower()[:3] in WEEKDAYS:
        return value.strip().lower()[:3]
    raise error("weekday", f"{value!r} is no weekday; use {', '.join(WEEKDAYS)}")


Weekdays = Annotated[
    tuple[Annotated[str, BeforeValidator(_weekday)], ...], BeforeValidator(as_list)
]


def _filter_value(value: Any) -> Any:
    values = as_list(value)
    if not values:
        raise error("filter", "a filter needs a value or a list of allowed values")
    for item in values:
        if isinstance(item, dict | list):
            raise error("filter", "a filter value is text or a number, or a list of them")
    return tuple(_text(v) if v is not None else None for v in values)


# A field filter: the field's value must equal one of these (each may be a glob).
FilterValues = Annotated[tuple[str | None, ...], BeforeValidator(_filter_value)]
Filter = dict[str, FilterValues]


def template_text(what: str) -> Callable[[Any], Any]:
    """A text that must be a template (``value_template``) or may be a plain value."""

    def check(value: Any) -> Any:
        if isinstance(value, str) and not value.strip():
            raise error("template", f"{what} is empty")
        return value

    return check


TemplateText = Annotated[str, BeforeValidator(template_text("a template"))]


def check_numeric(
    above: float | None, below: float | None, attribute: str | None, value_template: str | None
) -> None:
    """A numeric_state trigger's or condition's range and source: one that can hold."""
    if above is None and below is None:
        raise error("numeric_state", "give above, below or both")
    if above is not None and below is not None and above >= below:
        raise error("numeric_state", f"above {above:g} and below {below:g} never both hold")
    if attribute is not None and value_template is not None:
        raise error("numeric_state", "use attribute or value_template, not both")


Variables = dict[str, Any]


def is_templated(value: Any) -> bool:
    """Whether a value holds a template anywhere inside."""
    if isinstance(value, str):
        return is_template(value)
    if isinstance(value, dict):
        return any(is_templated(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(is_templated(v) for v in value)
    return False
