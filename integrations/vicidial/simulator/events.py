"""State changes as events, so later parts (traffic model, callbacks) can hook onto them.

Every change the simulator makes to its call center is announced here after it happened; a
listener sees the kind, the simulated time and the facts (user, lead, call, ...).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

HISTORY = 500


class SimEventKind(StrEnum):
    AGENT_LOGIN = "agent_login"
    AGENT_LOGOUT = "agent_logout"
    AGENT_PAUSED = "agent_paused"
    AGENT_READY = "agent_ready"
    PAUSE_CODE_SET = "pause_code_set"
    CALL_QUEUED = "call_queued"
    CALL_STARTED = "call_started"
    CALL_ENDED = "call_ended"
    CALL_DROPPED = "call_dropped"
    CALL_DISPOSITIONED = "call_dispositioned"
    CALL_TRANSFERRED = "call_transferred"
    CALL_PARKED = "call_parked"
    CALLBACK_SCHEDULED = "callback_scheduled"
    CALL_LOG_CHANGED = "call_log_changed"
    LEAD_SWITCHED = "lead_switched"
    SCREEN_COMMAND = "screen_command"
    MONITOR_STARTED = "monitor_started"
    RECORDING_STARTED = "recording_started"
    RECORDING_STOPPED = "recording_stopped"
    DIAL_REQUESTED = "dial_requested"
    NVA_CALL = "nva_call"
    INGROUPS_CHANGED = "ingroups_changed"
    NOTIFICATION_SENT = "notification_sent"
    LEAD_ADDED = "lead_added"
    LEAD_UPDATED = "lead_updated"
    LEAD_DELETED = "lead_deleted"
    HOPPER_CHANGED = "hopper_changed"
    LIST_CHANGED = "list_changed"
    CAMPAIGN_CHANGED = "campaign_changed"
    DNC_CHANGED = "dnc_changed"
    # A configuration table changed (users, phones, DIDs, aliases, ...): its name, the
    # record's key and added/updated/deleted.
    CONFIG_CHANGED = "config_changed"
    CLOCK_ADVANCED = "clock_advanced"


@dataclass(frozen=True, slots=True)
class SimEvent:
    kind: SimEventKind
    at: datetime
    data: Mapping[str, Any] = field(default_factory=dict)


Listener = Callable[[SimEvent], None]


class EventHub:
    """Synchronous fan-out plus a bounded history for the control API and tests."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []
        self.history: deque[SimEvent] = deque(maxlen=HISTORY)

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def emit(self, event: SimEvent) -> None:
        self.history.append(event)
        # A copy: a listener may unsubscribe itself while being called.
        for listener in list(self._listeners):
            listener(event)
