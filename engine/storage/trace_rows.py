"""What the run journal is handed: plain rows, one kind per thing that happened.

Values may be any data ``engine.jsonable`` makes JSON of (mappings, lists, dataclasses, enums,
scalars); they are encoded in the writer thread, so whoever hands a row over must not change
it afterwards. Rows are named tuples: one or more is made per step of every run, and a tuple is
several times cheaper to build than a frozen dataclass.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from engine.context import Context


class EventRef(NamedTuple):
    """The triggering event as the journal keeps it: its type and Context (the chain back to
    the webhook, push or poll goes through its ``parent_id``), and the ids in its data."""

    type: str
    context: Context
    time: float
    ids: Mapping[str, Any]  # no personal data: ids and codes


class Keys(NamedTuple):
    """What a trace is looked up by, besides its rule, outcome and time: from the triggering
    event, and the run's variables as it starts."""

    agent: str | None = None
    lead: str | None = None
    campaign: str | None = None


class RunStart(NamedTuple):
    run_id: str
    rule_id: str
    trigger_id: str
    platform: str
    context_id: str  # the run's own: what its service calls and events carry
    started: float
    event: EventRef
    keys: Keys
    conditions: Any = None  # each condition's result and what it compared
    key: str | None = None  # the concurrency key it counts under


class StepRow(NamedTuple):
    run_id: str
    seq: int  # 0, 1, ... in the order the steps ended
    path: str
    kind: str
    alias: str | None
    service: str | None
    started: float
    ended: float | None
    outcome: str | None
    data: Any = None  # rendered, secrets masked
    result: Any = None
    error: Any = None


class RunEnd(NamedTuple):
    run_id: str
    ended: float
    outcome: str
    reason: str
    error: Any = None
    response: Any = None


class NotRunRow(NamedTuple):
    id: str
    rule_id: str
    trigger_id: str
    platform: str
    time: float
    reason: str
    event: EventRef
    keys: Keys
    conditions: Any = None
    sampled: bool = False  # recorded past the rule's rate, as one of a sample
    key: str | None = None  # the concurrency or cooldown key it was kept from running under


# The run's position and variables as plain data, read on the loop when the journal writes
# them (``RunState.to_dict`` of a live run).
StateSource = Callable[[], Any]
# Told in the writer thread once the row is committed (None) or could not be (the error).
Written = Callable[[BaseException | None], None]
