"""Triggers on the state store: an entity's state or attribute changing (``state``) and a
number crossing into a range (``numeric_state``), each optionally held ``for`` a while.

``trigger`` variables: ``entity_id``, ``from_state`` and ``to_state`` (states as templates
read them), ``attribute``, ``for`` (seconds, when held), and ``above``/``below`` for numbers.

As in Home Assistant: a ``state`` trigger with none of from/to/not_from/not_to fires on every
change, attribute-only ones included; with any of them (even ``to: null``) it ignores changes
of attributes only, unless it watches an ``attribute``, when only that attribute's changes
count. A ``for:`` wait ends early when the entity leaves the state it entered (or, with no
``to``, changes its state again); a numeric wait ends when the number leaves the range.
"""

from __future__ import annotations

import fnmatch
import logging
import re
from collections.abc import Mapping
from typing import Any

from engine.events import STATE_CHANGED, Event
from engine.states import State, StateChange, StatesView
from rules.conditions import in_range, number_of
from rules.durations import DurationValue
from rules.errors import RuleError
from rules.filters import as_text
from rules.index import DOMAIN_KEY
from rules.schema_common import is_glob
from rules.schema_triggers import NumericStateTrigger, StateTrigger
from rules.template_functions import Scope
from rules.template_views import Lens, StateView
from rules.templates import Template, Templates
from rules.triggers import CompiledTrigger, TriggerHost

logger = logging.getLogger("rules")
_MATCH_ALL: frozenset[str | None] = frozenset()


class _Entities:
    """The entity ids and globs a trigger watches, with the index keys they offer."""

    def __init__(self, patterns: tuple[str, ...]) -> None:
        self.exact = frozenset(p for p in patterns if not is_glob(p))
        globs = [p for p in patterns if is_glob(p)]
        self.globs = tuple(re.compile(fnmatch.translate(p)) for p in globs)
        domains = {p.partition(".")[0] for p in globs}
        self.every = any(is_glob(d) for d in domains)
        self.domains = frozenset(domains)

    def keys(self) -> dict[str, frozenset[str | None]]:
        if self.every:
            return {}
        if not self.globs:
            return {"entity_id": frozenset(self.exact)}
        if not self.exact:
            return {DOMAIN_KEY: frozenset(self.domains)}
        # Both ids and globs: the domains cover all of them.
        return {DOMAIN_KEY: frozenset(self.domains | {e.partition(".")[0] for e in self.exact})}

    def match(self, entity_id: str) -> bool:
        return entity_id in self.exact or any(g.match(entity_id) for g in self.globs)


class _StateBase(CompiledTrigger):
    event_types = (STATE_CHANGED,)
    provides = CompiledTrigger.provides | {
        "entity_id",
        "from_state",
        "to_state",
        "attribute",
        "for",
    }

    def __init__(
        self, model: StateTrigger | NumericStateTrigger, index: int, templates: Templates
    ) -> None:
        super().__init__(model, index, templates)
        self.entities = _Entities(model.entity_id)
        self.attribute = model.attribute
        self.hold_for = DurationValue(model.for_, templates) if model.for_ is not None else None

    def index_keys(self) -> Mapping[str, frozenset[str | None]]:
        return self.entities.keys()

    def _variables(self, change: StateChange, lens: Lens) -> dict[str, Any]:
        variables = self.base()
        variables["entity_id"] = change.entity_id
        variables["from_state"] = StateView(change.old_state, lens) if change.old_state else None
        variables["to_state"] = StateView(change.new_state, lens) if change.new_state else None
        variables["attribute"] = self.attribute
        variables["for"] = None
        return variables

    def _fire_or_hold(
        self,
        event: Event[Any],
        host: TriggerHost,
        variables: dict[str, Any],
        still: Any,
    ) -> None:
        if self.hold_for is None:
            host.fire(self, variables, event, event.states)
            return
        scope = Scope(event.states or host.states, event.time_fired, host.clock)
        seconds = self.hold_for.seconds(variables, scope)
        variables["for"] = seconds
        host.hold(self, variables["entity_id"], seconds, variables, event, still)


class StateListener(_StateBase):
    platform = "state"

    def __init__(self, model: StateTrigger, index: int, templates: Templates) -> None:
        super().__init__(model, index, templates)
        given = model.model_fields_set
        self.match_all = not ({"from_", "to", "not_from", "not_to"} & given)
        self.from_ = _values(model.from_)
        self.to = _values(model.to)
        self.not_from = _values(model.not_from)
        self.not_to = _values(model.not_to)

    def _value(self, state: State | None) -> str | None:
        if state is None:
            return None
        if self.attribute is None:
            return state.state
        return as_text(state.attributes.get(self.attribute))

    def _to_ok(self, value: str | None) -> bool:
        if self.to is not _MATCH_ALL and value not in self.to:
            return False
        return not (self.not_to and value in self.not_to)

    def on_event(self, event: Event[Any], host: TriggerHost) -> None:
        change: StateChange = event.data
        if not self.entities.match(change.entity_id):
            return
        old, new = change.old_state, change.new_state
        if self.hold_for is not None:
            host.recheck(self, change.entity_id, new)
        if new is None:
            return  # a removed entity is no state to be in
        old_value, new_value = self._value(old), self._value(new)
        if self.attribute is not None:
            if old is not None and old_value == new_value:
                return
        elif not self.match_all and old is not None and old.state == new.state:
            return
        if self.from_ is not _MATCH_ALL and old_value not in self.from_:
            return
        if self.not_from and old_value in self.not_from:
            return
        if not self._to_ok(new_value):
            return
        if self.to is _MATCH_ALL and not self.not_to:

            def still(state: State | None) -> bool:
                return state is not None and self._value(state) == new_value

        else:

            def still(state: State | None) -> bool:
                return state is not None and self._to_ok(self._value(state))

        lens = Lens(host.clock.tz, event.time_fired)
        self._fire_or_hold(event, host, self._variables(change, lens), still)


def _values(values: tuple[str, ...] | None) -> frozenset[str | None]:
    return _MATCH_ALL if values is None else frozenset(values)


class NumericStateListener(_StateBase):
    platform = "numeric_state"
    provides = _StateBase.provides | {"above", "below"}

    def __init__(self, model: NumericStateTrigger, index: int, templates: Templates) -> None:
        super().__init__(model, index, templates)
        self.above = model.above
        self.below = model.below
        self.value_template: Template | None = (
            templates.compile(model.value_template) if model.value_template else None
        )

    def number(
        self, state: State | None, host: TriggerHost, at: float, states: StatesView
    ) -> float | None:
        """The state's number, or None when it has none (unknown, unavailable, text)."""
        if state is None:
            return None
        scope = Scope(states, at, host.clock)
        try:
            return number_of(state, self.attribute, self.value_template, {}, scope)
        except RuleError as exc:
            # No run to record it with: the rule's log says why the trigger cannot read it.
            logger.warning("numeric_state trigger %s: its value_template failed: %s", self.id, exc)
            return None

    def in_range(self, number: float | None) -> bool:
        return in_range(number, self.above, self.below)

    def on_event(self, event: Event[Any], host: TriggerHost) -> None:
        change: StateChange = event.data
        if not self.entities.match(change.entity_id):
            return
        at = event.time_fired
        states = event.states or host.states

        def still(state: State | None) -> bool:
            return self.in_range(self.number(state, host, at, states))

        if self.hold_for is not None:
            host.recheck(self, change.entity_id, change.new_state)
        if not still(change.new_state) or still(change.old_state):
            return
        lens = Lens(host.clock.tz, at)
        variables = self._variables(change, lens)
        variables["above"] = self.above
        variables["below"] = self.below
        self._fire_or_hold(event, host, variables, still)
