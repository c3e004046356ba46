"""The optional fields of the non-agent API's writes: what each accepts, and its refusal.

Each write checks its optional fields in a fixed order and stops at the first it refuses,
printing ``ERROR: <function> <reason>: |<api user>|<value>``. A table of ``Rule`` per
function says the same once, so each handler only lists its rules.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from integrations.vicidial.simulator.wire import ApiRequest

OPTIONAL = "THIS IS AN OPTIONAL FIELD"
# The value that empties a text field instead of being stored.
BLANK = "--BLANK--"

Accepts = Callable[[str], bool]


@dataclass(frozen=True, slots=True)
class Rule:
    param: str
    accepts: Accepts
    # The refusal's reason after the function name (", THIS IS AN OPTIONAL FIELD" included
    # where the real server prints it).
    reason: str
    # The parameter whose value the refusal prints, when not this one (a ViciDial slip).
    shows: str | None = None
    # The function the refusal names, when not the one called (another slip).
    names: str | None = None


def optional(
    param: str, accepts: Accepts, what: str, shows: str | None = None, names: str | None = None
) -> Rule:
    """A rule whose refusal ends with ", THIS IS AN OPTIONAL FIELD"."""
    return Rule(param, accepts, f"{what}, {OPTIONAL}", shows, names)


def length(low: int, high: int) -> Accepts:
    return lambda value: low <= len(value) <= high


def at_most(high: int) -> Accepts:
    """Up to ``high`` characters; the BLANK word always."""
    return lambda value: value == BLANK or len(value) <= high


def one_of(*choices: str) -> Accepts:
    return lambda value: value in choices


def number(low: float, high: float) -> Accepts:
    def accepts(value: str) -> bool:
        try:
            return low <= float(value) <= high
        except ValueError:
            return False

    return accepts


def starts_with(*prefixes: str) -> Accepts:
    """ViciDial's ``preg_match("/^A|^B/")`` checks."""
    return lambda value: value.startswith(prefixes)


# The time zones ViciDial accepts for phones (compared as numbers: "-5" is "-5.00").
TIMEZONES = frozenset(
    {12.75, 12.0, 11.0, 10.0, 9.5, 9.0, 8.0, 7.0, 6.5, 6.0, 5.75, 5.5, 5.0, 4.5, 4.0, 3.5}
    | {3.0, 2.0, 1.0, 0.0, -1.0, -2.0, -3.0, -3.5, -4.0, -5.0, -6.0, -7.0, -8.0, -9.0}
    | {-10.0, -11.0, -12.0}
)


def timezone(value: str) -> bool:
    try:
        return float(value) in TIMEZONES
    except ValueError:
        return False


def refused(req: ApiRequest, rules: Sequence[Rule]) -> str | None:
    """The refusal of the first rule a sent field breaks, or None."""
    for rule in rules:
        if rule.param in req.params and not rule.accepts(req.get(rule.param)):
            shown = req.get(rule.shows or rule.param)
            function = rule.names or req.function
            return f"ERROR: {function} {rule.reason}: |{req.user.user}|{shown}\n"
    return None


def sent(req: ApiRequest, names: Sequence[str]) -> dict[str, str]:
    """The fields among ``names`` the request sent, BLANK as empty."""
    return {
        name: "" if req.get(name) == BLANK else req.get(name)
        for name in names
        if name in req.params
    }
