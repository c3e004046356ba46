"""A readable console line for each thing that happens at the dialer (info level).

``make run`` shows the simulated call center flowing through the engine: callbacks as they
arrive and agents' state changes. Only ids, statuses and codes are printed, never phone
numbers, names or notes (personal data has no place in a log), and a busy call center is kept
to a budget of lines a second, the rest counted.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from engine.events import STATE_CHANGED, WEBHOOK_PREFIX, Event, webhook_event_type
from engine.states import StateChange
from integrations.vicidial.webhooks.kinds import Kind

logger = logging.getLogger("vicidial.events")

LINES_PER_SECOND = 20
_FIELDS = ("user", "event", "campaign", "group", "lead_id", "dispo", "status", "counter")
_WEBHOOK_TYPES = frozenset(webhook_event_type(kind.value) for kind in Kind)


def describe(event: Event[Any]) -> str | None:
    """One line about a webhook or an agent's state change; None for other events."""
    if event.type == STATE_CHANGED:
        change: StateChange = event.data
        if not change.entity_id.startswith("agent.") or change.new_state is None:
            return None
        new = change.new_state
        old = change.old_state.state if change.old_state else "new"
        if old == new.state:
            return None
        extra = [
            f"{name} {new.attributes[name]}"
            for name in ("pause_code", "sub_status", "campaign")
            if new.attributes.get(name)
        ]
        detail = f" ({', '.join(extra)})" if extra else ""
        return f"agent {new.object_id}: {old} -> {new.state}{detail}"
    if event.type in _WEBHOOK_TYPES:
        data = event.data
        kind = event.type[len(WEBHOOK_PREFIX) :]
        values = [f"{name}={getattr(data, name)}" for name in _FIELDS if getattr(data, name, None)]
        return f"dialer: {kind} {' '.join(values)}".rstrip()
    return None


class ConsoleLog:
    def __init__(self, *, per_second: int = LINES_PER_SECOND) -> None:
        self._budget = per_second
        self._window = 0.0
        self._used = 0
        self._held = 0

    def __call__(self, event: Event[Any]) -> None:
        if not logger.isEnabledFor(logging.INFO):
            return
        line = describe(event)
        if line is None:
            return
        now = time.monotonic()
        if now - self._window >= 1.0:
            if self._held:
                logger.info("(%d more dialer lines in the last second not shown)", self._held)
            self._window, self._used, self._held = now, 0, 0
        if self._used >= self._budget:
            self._held += 1
            return
        self._used += 1
        logger.info("%s", line)
