"""Events: what happened, when, with its typed data and the Context that caused it.

Event types are spelled as users write them in ``event`` triggers, the API and recordings:
``vicidial_<kind>`` for each webhook kind (agent push is ``vicidial_agent_event``), the
engine's own types below, and custom types fired by rules.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar

from engine.context import Context
from engine.jsonable import to_jsonable

if TYPE_CHECKING:
    from engine.states import StatesView

T = TypeVar("T")

STATE_CHANGED = "state_changed"
VICIDIAL_CONNECTIVITY = "vicidial_connectivity"
VICIDIAL_EVENT_GAP = "vicidial_event_gap"
RULE_TRIGGERED = "rule_triggered"
RULE_FINISHED = "rule_finished"
VICIBUS_STARTED = "vicibus_started"
VICIBUS_RELOADED = "vicibus_reloaded"
VICIBUS_STOPPING = "vicibus_stopping"
WEBHOOK_PREFIX = "vicidial_"

# Types the engine and its integrations fire themselves; webhook types are added by kind.
ENGINE_EVENT_TYPES = frozenset(
    {
        STATE_CHANGED,
        VICIDIAL_CONNECTIVITY,
        VICIDIAL_EVENT_GAP,
        RULE_TRIGGERED,
        RULE_FINISHED,
        VICIBUS_STARTED,
        VICIBUS_RELOADED,
        VICIBUS_STOPPING,
    }
)

_EVENT_TYPE = re.compile(r"[a-z][a-z0-9_]{0,63}")


def webhook_event_type(kind: str) -> str:
    """``pause_max`` -> ``vicidial_pause_max``; agent push (``agent_event``) likewise."""
    return WEBHOOK_PREFIX + kind


def is_valid_event_type(name: str) -> bool:
    """Lowercase letters, digits and underscores, starting with a letter, at most 64."""
    return _EVENT_TYPE.fullmatch(name) is not None


class Event(NamedTuple, Generic[T]):
    """Immutable: a named tuple, the cheapest immutable record to build once per event."""

    type: str
    data: T
    time_fired: float  # epoch seconds on the engine's clock
    context: Context
    # The state store as it was when the event was fired: conditions read it, so a rule sees
    # what triggered it even after a newer poll changed the state.
    states: StatesView | None = None

    def __repr__(self) -> str:
        return f"<Event {self.type} {self.context.origin.value} {self.context.id}>"

    @property
    def fired_at(self) -> datetime:
        return datetime.fromtimestamp(self.time_fired, UTC)

    def as_dict(self) -> dict[str, Any]:
        return {
            "event_type": self.type,
            "data": to_jsonable(self.data),
            "time_fired": self.fired_at.isoformat(),
            "context": self.context.as_dict(),
        }
