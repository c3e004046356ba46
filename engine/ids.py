"""Sortable unique ids for events, contexts and rule runs.

An id is 24 lowercase hex digits: 12 of wall-clock milliseconds, 6 of a sequence within the
millisecond, and 6 of a random per-process node. Ids of one process sort in creation order
(the sequence carries on when the wall clock is set back); ids of several processes (daemons
sharing a Redis backend later) sort by millisecond and differ by node.

Making one is on the path of every event, so the number is drawn at once and the text is made
only when something reads it (``format_id``).
"""

from __future__ import annotations

import secrets
import time

_NODE = f"{secrets.randbits(24):06x}"
_last = 0


def next_number() -> int:
    """The next id as a number: milliseconds << 24 | sequence, never smaller than the last."""
    global _last
    candidate = (time.time_ns() // 1_000_000) << 24
    _last = candidate if candidate > _last else _last + 1
    return _last


def format_id(number: int) -> str:
    return f"{number:018x}{_NODE}"


def new_id() -> str:
    return format_id(next_number())


def id_time(ident: str) -> float:
    """The wall-clock time (epoch seconds) an id was made at."""
    return int(ident[:12], 16) / 1000
