"""Reading ViciDial's plain-text answers: lines, their kinds, and result lines.

Both APIs answer with lines such as ``SUCCESS: <reason> - <data>``; report functions print
unprefixed rows, and a few functions print HTML. This module knows only the shapes; what a
function's data means is the job of its result parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from integrations.vicidial.classify import classify_error
from integrations.vicidial.errors import ViciError, ViciProtocolError


class LineKind(StrEnum):
    SUCCESS = "SUCCESS"
    NOTICE = "NOTICE"
    ERROR = "ERROR"
    VERSION = "VERSION"
    HEADER = "HEADER"
    DATA = "DATA"
    HTML = "HTML"


_PREFIX = re.compile(r"^(SUCCESS|NOTICE|ERROR|VERSION):\s?")
_HTML = re.compile(r"^\s*<(?:!|/?[A-Za-z])")
# The earliest " - " or ": " ends the reason; data after it may itself hold either.
_SEPARATOR = re.compile(r" - |: | -$|:$")
_NO_UPDATES = re.compile(r"NO UPDATES DEFINED", re.I)


@dataclass(frozen=True, slots=True)
class ResultLine:
    """One ``SUCCESS``/``NOTICE``/``ERROR``/``VERSION`` line, split into reason and data."""

    kind: LineKind
    reason: str
    data: tuple[str, ...]
    text: str


def split_lines(body: str) -> list[str]:
    """The body's non-empty lines; a final newline may or may not be there, CRLF is tolerated."""
    return [line.rstrip("\r") for line in body.split("\n") if line.strip("\r") != ""]


_PREFIXES = ("SUCCESS:", "NOTICE:", "ERROR:", "VERSION:")


def classify(line: str) -> LineKind:
    # Report answers are mostly data rows: decide those with two C-level checks, no regex.
    if line.startswith(_PREFIXES):
        return LineKind(line[: line.index(":")])
    if line[:1] in ("<", " ", "\t") and _HTML.match(line):
        return LineKind.HTML
    return LineKind.DATA


def parse_result_line(line: str) -> ResultLine:
    """Split a prefixed line; ``|6666|1001`` data keeps its empty first field."""
    match = _PREFIX.match(line)
    if match is None:
        raise ValueError(f"not a result line: {line[:80]!r}")
    kind = LineKind(match.group(1))
    rest = line[match.end() :]
    if kind is LineKind.VERSION:
        # "VERSION: 2.14-82|BUILD: ...": the whole line is data, the reason is the label.
        return ResultLine(kind, "VERSION", tuple(line.split("|")), line)
    sep = _SEPARATOR.search(rest)
    if sep is None:
        return ResultLine(kind, rest.strip(), (), line)
    reason = rest[: sep.start()].strip()
    data_text = rest[sep.end() :]
    data = tuple(data_text.split("|")) if data_text != "" else ()
    return ResultLine(kind, reason, data, line)


@dataclass(slots=True)
class Reply:
    """A body read into result lines, other lines, and warnings; no ERROR line is in it."""

    function: str
    raw: str
    outcomes: list[ResultLine] = field(default_factory=list)
    warnings: list[ResultLine] = field(default_factory=list)
    rows: list[str] = field(default_factory=list)
    html: list[str] = field(default_factory=list)

    @property
    def last(self) -> ResultLine:
        if not self.outcomes:
            raise ViciProtocolError(
                "expected a SUCCESS or NOTICE line", function=self.function, raw=self.raw
            )
        return self.outcomes[-1]

    @property
    def notices(self) -> tuple[ResultLine, ...]:
        return tuple(line for line in self.outcomes if line.kind is LineKind.NOTICE)


def read_reply(function: str, body: str, *, raw: str | None = None) -> Reply:
    """Read a (password-redacted) body; the first ERROR line raises its typed error.

    The exception carries the outcome lines printed before it, so a caller knows what was done.
    One ERROR is not a failure: ``NO UPDATES DEFINED`` after an outcome line (ViciDial prints it
    after rank/grade updates, or after a NOTICE that nothing needed changing) is kept as a
    warning.
    """
    raw_text = body if raw is None else raw
    reply = Reply(function=function, raw=raw_text)
    lines = split_lines(body)
    if "<" not in body and not any(prefix in body for prefix in _PREFIXES):
        # A report of bare rows (the large answers): no line can be anything but data.
        reply.rows = lines
        return reply
    for line in lines:
        kind = classify(line)
        if kind is LineKind.DATA:
            reply.rows.append(line)
            continue
        if kind is LineKind.ERROR:
            result = parse_result_line(line)
            if reply.outcomes and _NO_UPDATES.search(line):
                reply.warnings.append(result)
                continue
            raise error_for(function, result, raw_text, reply.outcomes)
        if kind is LineKind.HTML:
            reply.html.append(line)
        else:
            reply.outcomes.append(parse_result_line(line))
    return reply


def error_for(function: str, line: ResultLine, raw: str, outcomes: list[ResultLine]) -> ViciError:
    cls = classify_error(line.text)
    return cls(line.reason, function=function, details=line.data, raw=raw, outcomes=outcomes)


def version_pairs(line: ResultLine) -> dict[str, str]:
    """``VERSION: 2.14-82|BUILD: 250122-1010|...`` as {"version": ..., "build": ...}."""
    pairs: dict[str, str] = {}
    for part in line.data:
        key, sep, value = part.partition(": ")
        if not sep:
            raise ValueError(f"version field without a label: {part[:40]!r}")
        pairs[key.strip().lower()] = value.strip()
    return pairs
