"""What names a run's triggering event across a live run and its replay.

An event that came from outside (a webhook, a push, a poll's state change) keeps its recorded
id in replay. A time trigger's event is made afresh by each clock, so it is named by its type
and due time instead (``schedule@1894007700.105``).
"""

from __future__ import annotations

from typing import Any

from engine.context import Context, Origin
from engine.events import Event


def event_key(event_type: str, event_id: str, origin: str, time: float) -> str:
    if origin == Origin.SCHEDULE.value:
        return f"{event_type}@{time:.3f}"
    return event_id


def key_of(event_type: str, context: Context, event: Event[Any] | None) -> str:
    """The key of a run's (or non-run's) triggering event, from its record."""
    time = event.time_fired if event is not None else 0.0
    return event_key(event_type, context.id, context.origin.value, time)
