"""Compiled conditions: each checks one thing and records what it compared.

A condition reads one of two scopes: the state store as of the triggering event (a snapshot
the event carries, so a newer poll cannot change what the rule sees) or the store as it is now.
``state_at`` picks one; without it a rule's conditions read the trigger's and a condition step
reads now. A time condition reads the time of its scope: the event's time, or now.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from engine.states import State
from rules.durations import DurationValue
from rules.filters import as_text
from rules.records import ConditionRecord
from rules.schema_common import is_glob, parse_time_of_day
from rules.schema_conditions import (
    AndCondition,
    ConditionBase,
    NotCondition,
    NumericStateCondition,
    OrCondition,
    StateCondition,
    TemplateCondition,
    TimeCondition,
    TriggerCondition,
)
from rules.template_functions import Scope
from rules.template_views import StateView
from rules.templates import Template, Templates


@dataclass(slots=True)
class Check:
    """One evaluation: the variables, the two scopes, and the records it adds."""

    variables: dict[str, Any]
    trigger_scope: Scope
    now_scope: Callable[[], Scope]
    default: str  # "trigger" or "now": what a condition without state_at reads
    trigger_id: str | None
    trace: list[ConditionRecord] = field(default_factory=list)

    def scope(self, state_at: str | None) -> Scope:
        return self.trigger_scope if (state_at or self.default) == "trigger" else self.now_scope()


class Compiled:
    __slots__ = ("kind", "path")

    def __init__(self, kind: str, path: str) -> None:
        self.kind = kind
        self.path = path

    def __repr__(self) -> str:
        return f"<condition {self.kind} at {self.path}>"

    def __call__(self, check: Check) -> bool:
        raise NotImplementedError

    def _note(self, check: Check, result: bool, **detail: Any) -> bool:
        check.trace.append(ConditionRecord(self.path, self.kind, result, detail))
        return result

    def templates(self) -> list[tuple[str, Template]]:
        """Every template inside, with the path of its condition."""
        return []


class _Group(Compiled):
    __slots__ = ("children",)

    def __init__(self, kind: str, path: str, children: Sequence[Compiled]) -> None:
        super().__init__(kind, path)
        self.children = tuple(children)

    def templates(self) -> list[tuple[str, Template]]:
        return [t for child in self.children for t in child.templates()]


class AllOf(_Group):
    __slots__ = ()

    def __call__(self, check: Check) -> bool:
        for child in self.children:
            if not child(check):
                return self._note(check, False, failed=child.path)
        return self._note(check, True)


class AnyOf(_Group):
    __slots__ = ()

    def __call__(self, check: Check) -> bool:
        for child in self.children:
            if child(check):
                return self._note(check, True, held=child.path)
        return self._note(check, False)


class NoneOf(_Group):
    __slots__ = ()

    def __call__(self, check: Check) -> bool:
        for child in self.children:
            if child(check):
                return self._note(check, False, held=child.path)
        return self._note(check, True)


class _Entities:
    __slots__ = ("exact", "globs")

    def __init__(self, patterns: Sequence[str]) -> None:
        self.exact = tuple(p for p in patterns if not is_glob(p))
        self.globs = tuple(p for p in patterns if is_glob(p))

    def states(self, scope: Scope) -> list[tuple[str, State | None]]:
        found: list[tuple[str, State | None]] = [(e, scope.states.get(e)) for e in self.exact]
        for pattern in self.globs:
            found.extend((s.entity_id, s) for s in scope.states.glob(pattern))
        return found


class StateCheck(Compiled):
    __slots__ = ("any", "attribute", "entities", "hold_for", "state_at", "wanted")

    def __init__(self, model: StateCondition, path: str, templates: Templates) -> None:
        super().__init__("state", path)
        self.entities = _Entities(model.entity_id)
        self.wanted = frozenset(model.state)
        self.attribute = model.attribute
        self.any = model.match == "any"
        self.state_at = model.state_at
        self.hold_for = DurationValue(model.for_, templates) if model.for_ is not None else None

    def __call__(self, check: Check) -> bool:
        scope = check.scope(self.state_at)
        seen: dict[str, str | None] = {}
        results = []
        for entity_id, state in self.entities.states(scope):
            ok = state is not None and self._holds(state, scope, check)
            seen[entity_id] = None if state is None else self._value(state, scope)
            results.append(ok)
        result = bool(results) and (any(results) if self.any else all(results))
        return self._note(check, result, seen=seen, wanted=sorted(self.wanted))

    def _value(self, state: State, scope: Scope) -> str | None:
        if self.attribute is None:
            return state.state
        return as_text(state.attribute(self.attribute, scope.at))

    def _holds(self, state: State, scope: Scope, check: Check) -> bool:
        if self._value(state, scope) not in self.wanted:
            return False
        if self.hold_for is None:
            return True
        return scope.at - state.last_changed >= self.hold_for.seconds(check.variables, scope)


class NumericCheck(Compiled):
    __slots__ = ("above", "attribute", "below", "entities", "state_at", "value_template")

    def __init__(self, model: NumericStateCondition, path: str, templates: Templates) -> None:
        super().__init__("numeric_state", path)
        self.entities = _Entities(model.entity_id)
        self.attribute = model.attribute
        self.above = model.above
        self.below = model.below
        self.state_at = model.state_at
        self.value_template = (
            templates.compile(model.value_template) if model.value_template else None
        )

    def __call__(self, check: Check) -> bool:
        scope = check.scope(self.state_at)
        seen: dict[str, float | None] = {}
        for entity_id, state in self.entities.states(scope):
            seen[entity_id] = None if state is None else self._number(state, scope, check)
        numbers = list(seen.values())
        result = bool(numbers) and all(n is not None and self._in_range(n) for n in numbers)
        return self._note(check, result, seen=seen, above=self.above, below=self.below)

    def _number(self, state: State, scope: Scope, check: Check) -> float | None:
        return number_of(state, self.attribute, self.value_template, check.variables, scope)

    def _in_range(self, number: float) -> bool:
        return in_range(number, self.above, self.below)

    def templates(self) -> list[tuple[str, Template]]:
        return [(self.path, self.value_template)] if self.value_template else []


def number_of(
    state: State,
    attribute: str | None,
    value_template: Template | None,
    variables: dict[str, Any],
    scope: Scope,
) -> float | None:
    """What numeric_state reads: the value template's result (with ``state``), the
    attribute, or the state; None when that is no number (unknown, unavailable, text)."""
    raw: Any
    if value_template is not None:
        raw = value_template.render({**variables, "state": StateView(state, scope.lens)}, scope)
    elif attribute is not None:
        raw = state.attribute(attribute, scope.at)
    else:
        raw = state.state
    try:
        number = float(raw)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def in_range(number: float | None, above: float | None, below: float | None) -> bool:
    if number is None:
        return False
    if above is not None and not number > above:
        return False
    return not (below is not None and not number < below)


class TemplateCheck(Compiled):
    __slots__ = ("state_at", "template")

    def __init__(self, model: TemplateCondition, path: str, templates: Templates) -> None:
        super().__init__("template", path)
        self.template = templates.compile(model.value_template)
        self.state_at = model.state_at

    def __call__(self, check: Check) -> bool:
        scope = check.scope(self.state_at)
        return self._note(check, self.template.render_bool(check.variables, scope))

    def templates(self) -> list[tuple[str, Template]]:
        return [(self.path, self.template)]


class TimeCheck(Compiled):
    __slots__ = ("after", "before", "state_at", "weekdays")

    def __init__(self, model: TimeCondition, path: str) -> None:
        super().__init__("time", path)
        self.after = _seconds_of_day(model.after)
        self.before = _seconds_of_day(model.before)
        self.weekdays = frozenset(model.weekday)
        self.state_at = model.state_at

    def __call__(self, check: Check) -> bool:
        scope = check.scope(self.state_at)
        when = datetime.fromtimestamp(scope.at, scope.clock.tz)
        now = when.hour * 3600 + when.minute * 60 + when.second
        weekday = when.strftime("%a").lower()
        result = not self.weekdays or weekday in self.weekdays
        after, before = self.after, self.before
        if after is not None and before is not None and after > before:
            result = result and (now >= after or now < before)  # across midnight
        else:
            if after is not None:
                result = result and now >= after
            if before is not None:
                result = result and now < before
        return self._note(check, result, time=when.isoformat(), weekday=weekday)


def _seconds_of_day(text: str | None) -> int | None:
    if text is None:
        return None
    hour, minute, second = parse_time_of_day(text)
    return hour * 3600 + minute * 60 + second


class TriggerCheck(Compiled):
    __slots__ = ("ids",)

    def __init__(self, model: TriggerCondition, path: str) -> None:
        super().__init__("trigger", path)
        self.ids = frozenset(model.id)

    def __call__(self, check: Check) -> bool:
        return self._note(check, check.trigger_id in self.ids, trigger_id=check.trigger_id)


def compile_condition(model: ConditionBase, path: str, templates: Templates) -> Compiled | None:
    """The compiled condition; None when it is disabled (a disabled condition is left out)."""
    if not model.enabled:
        return None
    if isinstance(model, AndCondition | OrCondition | NotCondition):
        children = compile_conditions(model.conditions, f"{path}/conditions", templates)
        group = {AndCondition: AllOf, OrCondition: AnyOf, NotCondition: NoneOf}[type(model)]
        return group(model.condition, path, children)
    if isinstance(model, StateCondition):
        return StateCheck(model, path, templates)
    if isinstance(model, NumericStateCondition):
        return NumericCheck(model, path, templates)
    if isinstance(model, TemplateCondition):
        return TemplateCheck(model, path, templates)
    if isinstance(model, TimeCondition):
        return TimeCheck(model, path)
    if isinstance(model, TriggerCondition):
        return TriggerCheck(model, path)
    raise TypeError(f"no compiler for {type(model).__name__}")


def compile_conditions(
    models: Sequence[ConditionBase], path: str, templates: Templates
) -> list[Compiled]:
    compiled = (compile_condition(m, f"{path}/{i}", templates) for i, m in enumerate(models))
    return [c for c in compiled if c is not None]
