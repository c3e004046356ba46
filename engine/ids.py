"""Sortable unique ids for events, contexts and rule runs.

An id is 26 lowercase hex digits: 12 of wall-clock milliseconds, 6 of a random per-process
node and 8 of a counter. Ids of one process sort in creation order; ids of several processes
(daemons sharing a Redis backend later) sort by millisecond and never collide unless two
processes draw the same node in the same millisecond at the same counter value.
"""

from __future__ import annotations

import itertools
import secrets
import time

_NODE = f"{secrets.randbits(24):06x}"
# A random start keeps two processes with the same node apart as well.
_COUNTER = itertools.count(secrets.randbits(31))
_last_ms = 0


def new_id() -> str:
    global _last_ms
    # Never go backwards when the wall clock is set back: ids stay sortable.
    ms = max(time.time_ns() // 1_000_000, _last_ms)
    _last_ms = ms
    return f"{ms:012x}{_NODE}{next(_COUNTER) & 0xFFFFFFFF:08x}"


def id_time(ident: str) -> float:
    """The wall-clock time (epoch seconds) an id was made at."""
    return int(ident[:12], 16) / 1000
