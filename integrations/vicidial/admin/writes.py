"""What the functions that change things answer: typed outcomes, one per result line, in order.

A write answers with one or more ``SUCCESS``/``NOTICE`` lines (one NOTICE per lead or DID then
a SUCCESS, a SUCCESS then NOTICEs, NOTICEs only). Each line becomes a typed ``Done`` picked by
its reason, so a caller sees every piece of work the dialer reports, in the dialer's order; the
function's main line's fields are also copied onto the result (``add_lead`` gives
``lead_id`` directly). A NOTICE is never an exception; an ERROR after outcomes raises with
them attached (``read_reply``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, SerializeAsAny, StringConstraints

from integrations.vicidial.lines import LineKind, Reply, ResultLine
from integrations.vicidial.models import Params, Result, build_result, positional, split_text
from integrations.vicidial.redact import MASK

R = TypeVar("R", bound="WriteResult")

# ViciDial's word for "set this field to empty".
BLANK = "--BLANK--"


# A text field that may be ``--BLANK--`` to clear it. "" is refused: ViciDial ignores an empty
# value instead of clearing the field, so sending one would silently do nothing.
Blank6 = Annotated[str, StringConstraints(pattern=r"^(--BLANK--|[^\n]{1,6})$")]
Blank20 = Annotated[str, StringConstraints(pattern=r"^(--BLANK--|[^\n]{1,20})$")]
Blank30 = Annotated[str, StringConstraints(pattern=r"^(--BLANK--|[^\n]{1,30})$")]
Blank50 = Annotated[str, StringConstraints(pattern=r"^(--BLANK--|[^\n]{1,50})$")]
Blank100 = Annotated[str, StringConstraints(pattern=r"^(--BLANK--|[^\n]{1,100})$")]
Blank255 = Annotated[str, StringConstraints(pattern=r"^(--BLANK--|[^\n]{1,255})$")]
BlankText = Annotated[str, StringConstraints(pattern=r"^(--BLANK--|[\s\S]+)$")]

Ids = Annotated[list[int], BeforeValidator(split_text(","))]


class Done(BaseModel):
    """One SUCCESS or NOTICE line. ``reason`` is ViciDial's, without the function name;
    ``details`` every data field as printed (secrets masked)."""

    model_config = ConfigDict(frozen=True)

    kind: LineKind
    reason: str
    details: tuple[str, ...]
    text: str


class WriteResult(Result):
    """Base of write results: ``outcomes`` holds every result line, typed, in order."""

    outcomes: tuple[SerializeAsAny[Done], ...] = ()


@dataclass(frozen=True, slots=True)
class Shape:
    """How one kind of result line reads: its reason, its model and its fields by position.

    A ``reason`` pattern with a ``data`` group takes the data from the reason itself (a line
    such as ``CID GROUP INFO AS FOLLOWS CIDGRP1|212||1`` has no separator). ``secret`` lists
    positions masked everywhere (add_user echoes the new agent's password).
    """

    reason: str
    model: type[Done]
    names: tuple[str | None, ...]
    secret: tuple[int, ...] = ()
    fix: Callable[[dict[str, Any]], dict[str, Any]] | None = None

    def pattern(self) -> re.Pattern[str]:
        return re.compile(rf"^{self.reason}$", re.I)


def strip_function(function: str, reason: str) -> str:
    # Some lines repeat the function name ("update_user update_user USER PASSWORD ...").
    while reason.lower().startswith(function.lower() + " "):
        reason = reason[len(function) + 1 :].lstrip()
    return reason


def read_done(function: str, line: ResultLine, shapes: Sequence[Shape]) -> Done:
    reason = strip_function(function, line.reason)
    data: tuple[str, ...] = line.data
    for shape in shapes:
        match = shape.pattern().match(reason)
        if match is None:
            continue
        if "data" in match.groupdict():
            reason = reason[: match.start("data")].strip()
            data = tuple(match["data"].split("|"))
        shown = tuple(MASK if i in shape.secret else v for i, v in enumerate(data))
        text = line.text
        if shape.secret:
            text = f"{line.kind}: {function} {reason} - {'|'.join(shown)}"
        values: dict[str, Any] = dict(positional(data, shape.names))
        values.pop("unparsed", None)  # everything is in details anyway
        if shape.fix is not None:
            values = shape.fix(values)
        return shape.model.model_validate(
            {**values, "kind": line.kind, "reason": reason, "details": shown, "text": text}
        )
    return Done(kind=line.kind, reason=reason, details=data, text=line.text)


def outcome_parser(
    result: type[R], *shapes: Shape, main: type[Done] | None = None
) -> Callable[[Reply, Params], R]:
    """A parser: every outcome line typed; the first ``main`` line's fields on the result."""

    def parse(reply: Reply, _params: Params) -> R:
        done = tuple(read_done(reply.function, line, shapes) for line in reply.outcomes)
        line = reply.last
        top: dict[str, Any] = {}
        first = next((d for d in done if main is not None and isinstance(d, main)), None)
        if first is not None:
            top = {
                name: getattr(first, name)
                for name in type(first).model_fields
                if name not in Done.model_fields and name in result.model_fields
            }
            line = reply.outcomes[done.index(first)]
        return build_result(
            result,
            reply,
            line,
            message=strip_function(reply.function, line.reason),
            outcomes=done,
            **top,
        )

    return parse


# --- outcome lines more than one domain prints --------------------------------------------


class UserDone(Done):
    """A line whose data starts with the API user (``6666|...``)."""

    user: str | None = None


class NothingToUpdate(UserDone):
    """``NO UPDATES DEFINED`` printed as a NOTICE: the call changed nothing."""


# Printed "NO UPDATES DEFINED: |6666|": the data begins with an empty field.
NO_UPDATES = Shape(r"NO UPDATES DEFINED", NothingToUpdate, (None, "user"))
