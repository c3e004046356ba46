"""PHP's loose conversions, which the real server applies to what a request sends: a
number's leading digits count, anything else is 0 (``intval("12abc")`` is 12,
``intval("TESTCAMP")`` is 0)."""

from __future__ import annotations

import re

_LEADING_NUMBER = re.compile(r"\s*([+-]?(\d+(\.\d*)?|\.\d+))")


def floatval(text: str) -> float:
    found = _LEADING_NUMBER.match(text)
    return float(found.group(1)) if found else 0.0


def intval(text: str) -> int:
    return int(floatval(text))
