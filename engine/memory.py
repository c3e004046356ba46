"""Handing back to the operating system the memory a config load used only while it ran.

Loading a config builds a YAML node graph and validation's intermediate data, then frees them;
CPython returns its emptied object arenas, but the C heap (dict and list tables, long strings)
keeps its freed space mapped, so the daemon's resident size would stay at the load's peak.
glibc's ``malloc_trim`` releases it; elsewhere (musl, macOS) this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from collections.abc import Callable


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        trim: Callable[[int], int] = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return None
    return trim


def release_freed_memory() -> bool:
    """Give the C heap's free pages back to the system; whether this platform can."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
