"""Agent push events: the agent entity changes at once, and a newer push is never undone by an
older poll.

A push comes from the agent's browser the moment something happens; a poll is a picture taken
when its request was sent. When a push arrives while a poll is under way, that poll's answer is
older than the push for the fields the push set: they are kept as pushed until a poll sent after
the push confirms (or corrects) them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from integrations.vicidial.glue.entities import LOGGED_OUT, AgentView
from integrations.vicidial.webhooks.payloads import AgentEventPayload
from integrations.vicidial.webhooks.push_events import PushEvent

_KEEP = object()  # a field the event says nothing about


class KeepCurrent:
    """The entity stays as it is: a push newer than the poll already set it."""


KEEP_CURRENT = KeepCurrent()
# Attributes only pushes set.
PUSH_ATTRIBUTES = ("last_push_event", "last_push_at")

# What each push event tells about the agent's status and sub-status (ViciDial's spelling).
_EFFECTS: dict[PushEvent, tuple[object, object]] = {
    PushEvent.STATE_READY: ("READY", None),
    PushEvent.STATE_PAUSED: ("PAUSED", None),
    PushEvent.CALL_ANSWERED: ("INCALL", None),
    PushEvent.OTHER_ANSWERED: ("INCALL", None),
    PushEvent.CALL_DEAD: (_KEEP, "DEAD"),
    PushEvent.CUSTOMER_GONE: (_KEEP, "DEAD"),
    PushEvent.AGENT_HANGUP: ("PAUSED", "DISPO"),
    PushEvent.DISPO_SCREEN_OPEN: ("PAUSED", "DISPO"),
    PushEvent.DISPO_SET: (_KEEP, None),
    PushEvent.PARK_STARTED: (_KEEP, "PARK"),
    PushEvent.PARK_IVR_STARTED: (_KEEP, "PARK"),
    PushEvent.PARK_RETRIEVED: (_KEEP, None),
    PushEvent.PARK_IVR_RETRIEVED: (_KEEP, None),
    PushEvent.THREEWAY_START: (_KEEP, "3-WAY"),
    PushEvent.THREEWAY_AGENT_LEAVE: (_KEEP, None),
    PushEvent.THREEWAY_AGENT_HANGUP: (_KEEP, None),
    PushEvent.LOGGED_OUT_COMPLETE: (LOGGED_OUT, None),
}


@dataclass(slots=True)
class _Mark:
    seq: int  # when the push arrived, in the tracker's own order
    fields: dict[str, Any]  # "status", "sub_status", "lead_id" as the push set them


class PushTracker:
    """Orders pushes and polls by a sequence of its own, not by the clock: a manual clock
    stands still while a poll is in flight, and a push arriving then is still newer."""

    def __init__(self) -> None:
        self._marks: dict[str, _Mark] = {}
        self._seq = 0

    def __repr__(self) -> str:
        return f"PushTracker({len(self._marks)} agents with unconfirmed pushes)"

    def poll_sent(self) -> int:
        """Call as a poll's request goes out; hand the token to ``merge`` with its answer."""
        self._seq += 1
        return self._seq

    def apply(self, payload: AgentEventPayload, at: float) -> dict[str, Any]:
        """The fields this push changes (``status``, ``sub_status``, ``lead_id``) and the push
        attributes; an empty dict for an event that says nothing about state."""
        event = payload.push_event
        if payload.user is None:
            return {}
        changes: dict[str, Any] = {"last_push_event": payload.event, "last_push_at": at}
        status, sub_status = _EFFECTS.get(event, (_KEEP, _KEEP)) if event else (_KEEP, _KEEP)
        set_fields: dict[str, Any] = {}
        if status is not _KEEP:
            set_fields["status"] = status
        if sub_status is not _KEEP:
            set_fields["sub_status"] = sub_status
        if payload.lead_id:
            set_fields["lead_id"] = payload.lead_id
        if set_fields:
            self._seq += 1
            mark = self._marks.get(payload.user)
            if mark is None:
                self._marks[payload.user] = _Mark(self._seq, dict(set_fields))
            else:
                mark.seq = self._seq
                mark.fields.update(set_fields)
        changes.update(set_fields)
        return changes

    def merge(self, user: str, view: AgentView | None, poll: int) -> AgentView | KeepCurrent | None:
        """The agent as the poll saw it (None: not logged in), with the fields of any push newer
        than the poll laid over it; KEEP_CURRENT when the poll missed an agent a newer push
        showed. A poll sent after the last push is the truth and clears the mark."""
        mark = self._marks.get(user)
        if mark is None:
            return view
        if poll > mark.seq:
            del self._marks[user]
            return view
        if mark.fields.get("status") == LOGGED_OUT:
            return None
        if view is None:
            return KEEP_CURRENT
        attributes = dict(view.attributes)
        for name in ("sub_status", "lead_id"):
            if name in mark.fields:
                attributes[name] = mark.fields[name]
        return AgentView(str(mark.fields.get("status", view.status)), attributes)
