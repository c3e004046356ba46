"""Where an event or a rule run came from.

Every event carries a Context; a rule run gets a child of its triggering event's context, and
a service call made by the run carries the run's, so anything can be traced back along
``parent_id`` to the webhook, push, poll or schedule that started it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from engine.ids import new_id


class Origin(StrEnum):
    WEBHOOK = "webhook"
    PUSH = "push"
    POLL = "poll"
    SCHEDULE = "schedule"
    RULE = "rule"
    API = "api"
    SYSTEM = "system"


@dataclass(frozen=True, slots=True)
class Context:
    origin: Origin
    parent_id: str | None = None
    # Who asked, where it matters: an API token's name, or the rule that called a service.
    user: str | None = None
    id: str = field(default_factory=new_id)

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
