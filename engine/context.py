"""Where an event or a rule run came from.

Every event carries a Context; a rule run gets a child of its triggering event's context, and
a service call made by the run carries the run's, so anything can be traced back along
``parent_id`` to the webhook, push, poll or schedule that started it.
"""

from __future__ import annotations

import threading
from contextvars import ContextVar
from enum import StrEnum

from engine.ids import format_id, next_number


class Origin(StrEnum):
    WEBHOOK = "webhook"
    PUSH = "push"
    POLL = "poll"
    SCHEDULE = "schedule"
    RULE = "rule"
    API = "api"
    SYSTEM = "system"


class Context:
    """Immutable by convention: a plain slotted class, because one is made per event and a
    frozen dataclass costs several times as much to build."""

    __slots__ = ("_id", "_number", "origin", "parent_id", "user")

    def __init__(
        self, origin: Origin, parent_id: str | None = None, user: str | None = None
    ) -> None:
        self.origin = origin
        self.parent_id = parent_id
        # Who asked, where it matters: an API token's name, or the rule that called a service.
        self.user = user
        self._number = next_number()
        self._id: str | None = None

    @classmethod
    def restored(
        cls, ident: str, origin: Origin, parent_id: str | None = None, user: str | None = None
    ) -> Context:
        """A context with a known id (read back from a recording: replay keeps the ids)."""
        context = cls(origin, parent_id, user)
        context._id = ident
        return context

    @property
    def id(self) -> str:
        if self._id is None:
            self._id = format_id(self._number)
        return self._id

    def __repr__(self) -> str:
        return f"<Context {self.origin.value} {self.id} parent={self.parent_id}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Context) and other._number == self._number and other.id == self.id

    def __hash__(self) -> int:
        return hash(self._number)

    def child(self, origin: Origin, *, user: str | None = None) -> Context:
        """A context caused by this one."""
        return Context(origin, self.id, user)

    def as_dict(self) -> dict[str, str | None]:
        return {
            "id": self.id,
            "parent_id": self.parent_id,
            "origin": self.origin.value,
            "user": self.user,
        }


# The context of the event or rule run being handled, for the log lines it causes: a rule run
# sets it for its own task, the bus for each event an async listener's task handles.
CURRENT: ContextVar[Context | None] = ContextVar("vicibus_context", default=None)


class _Dispatching:
    """The event the bus is handing to its inline listeners at this moment, or None.

    Inline listeners run one after another without yielding, so a plain slot set before them
    and cleared before the bus awaits is exact, at a tenth of a context variable's cost (a
    ``ContextVar.set`` per event was a tenth of the bus's time with one listener).
    """

    __slots__ = ("context", "thread")

    def __init__(self) -> None:
        self.context: Context | None = None
        self.thread: int | None = None  # the event loop's thread (a writer thread's lines differ)


DISPATCHING = _Dispatching()


def current_context() -> Context | None:
    """What the line being logged belongs to (its id is read only when a line is written)."""
    current = CURRENT.get()
    if current is None and DISPATCHING.thread == threading.get_ident():
        current = DISPATCHING.context
    return current
