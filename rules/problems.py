"""Problems found in rules at load, each at a data path; and turning those paths into places.

A ``Problem`` carries the path of what is wrong in the model's own terms (``triggers``,
``for_``). ``Placer`` translates it into the keys as they are written (``trigger``, ``for``,
the ``or:`` of a shorthand condition) and hands it to a ``Reporter`` (the config loader's
Document or a section's check context), which knows each key's file:line:column.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from pydantic import BaseModel, ValidationError

from engine.config.errors import ConfigProblem, Severity
from engine.services import suggest

Path = tuple[Hashable, ...]

# Field name -> the other ways it may be written (old spellings, aliases, shorthands).
SPELLINGS: dict[str, tuple[str, ...]] = {
    "triggers": ("trigger",),
    "conditions": ("condition", "and", "or", "not"),
    "actions": ("action",),
    "trigger": ("platform",),
    "action": ("service",),
    "from_": ("from",),
    "for_": ("for",),
    "if_": ("if",),
    "else_": ("else",),
    "while_": ("while",),
}


@dataclass(frozen=True, slots=True)
class Problem:
    path: Path
    message: str
    severity: Severity = "error"
    key: bool = False  # at the key itself, not its value
    # A path from pydantic's error locations, with the tags of discriminated unions in it.
    tagged: bool = False

    def __str__(self) -> str:
        label = "warning: " if self.severity == "warning" else ""
        return f"{describe(self.path)}: {label}{self.message}"


class Reporter(Protocol):
    def problem(
        self,
        path: Sequence[Hashable],
        message: str,
        *,
        key: bool = False,
        severity: Severity = "error",
    ) -> ConfigProblem: ...


def describe(path: Sequence[Hashable]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if type(part) is int else (f".{part}" if text else str(part))
    return text or "rules"


def written_path(raw: Any, path: Path, *, tagged: bool = False) -> Path:
    """``path`` with each part as it is written in ``raw``; parts that name no data (the
    union tags of pydantic's error locations) are dropped, and a last part that is not there
    (a missing key) is kept, so it is reported at the mapping that lacks it."""
    out: list[Hashable] = []
    node = raw
    held_by: Hashable = None  # the key of the list the node is in
    item = False  # the node is a trigger, condition or step: a union member, with tags
    tags: set[str] = set()  # the tag roles already passed at this node
    for position, part in enumerate(path):
        last = position == len(path) - 1
        if isinstance(node, dict):
            if part == 0 and not item and held_by in _UNION_LISTS:
                item = True  # one trigger, condition or step written without its list
                continue
            role = _tag_role(node, part, tags) if tagged and item else None
            if role is not None:
                tags.add(role)
                continue
            key = _spelled(node, part)
            if key is None and isinstance(node.get("stop"), dict) and part in node["stop"]:
                out.append("stop")  # ``stop: {reason, error, response}``: read as flat keys
                node = node["stop"]
                key = part
            if key is not None:
                out.append(key)
                node = node[key]
                held_by, item, tags = key, False, set()
            elif last:
                out.append(part)
            continue
        if isinstance(node, list) and type(part) is int and 0 <= part < len(node):
            out.append(part)
            node = node[part]
            item, tags = held_by in _UNION_LISTS, set()
            continue
        if type(part) is int or not isinstance(node, list):
            break
    return tuple(out)


def _tag_role(node: dict[Any, Any], part: Hashable, passed: set[str]) -> str | None:
    """Which tag ``part`` is at this trigger, step or condition mapping, if it is one: a
    discriminated union puts the member's tag before the member's own fields (a condition
    step has two: ``condition``, then the condition's own)."""
    from rules.schema_actions import step_kind

    if not isinstance(part, str) or passed - {"step"}:
        return None
    if node.get("condition") == part or ("condition" not in node and part in _SHORTHANDS):
        return "condition"
    if passed:
        return None
    if step_kind(node) == part:
        return "step"
    if part in (node.get("trigger"), node.get("platform")):
        return "trigger"
    return None


_SHORTHANDS = ("and", "or", "not")
# The lists whose items are triggers, conditions or steps (as written, old spellings too).
_UNION_LISTS = frozenset(
    {"triggers", "trigger", "conditions", "condition", "actions", "action", "sequence"}
    | {"then", "else", "default", "parallel", "if", "while", "until", "wait_for_trigger"}
    | set(_SHORTHANDS)
)


def _spelled(node: dict[Any, Any], part: Hashable) -> Hashable | None:
    if part in node:
        return part
    for other in SPELLINGS.get(str(part), ()):
        if other in node:
            return other
    return None


class Placer:
    """Problems of the rules written in ``raw`` (the section's data), placed by ``reporter``."""

    def __init__(self, raw: Any, reporter: Reporter) -> None:
        self._raw = raw
        self._reporter = reporter

    def place(self, problem: Problem) -> ConfigProblem:
        path = written_path(self._raw, problem.path, tagged=problem.tagged)
        return self._reporter.problem(
            path, problem.message, key=problem.key, severity=problem.severity
        )

    def place_all(self, problems: Iterable[Problem]) -> list[ConfigProblem]:
        return [self.place(p) for p in problems]


def _vocabulary() -> list[str]:
    from rules.schema_common import RuleModel

    names: set[str] = set()
    pending: list[type[BaseModel]] = [RuleModel]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        for name, info in cls.model_fields.items():
            names.add(info.alias or name)
            for spelled in SPELLINGS.get(name, ()):
                names.add(spelled)
    return sorted(names)


def validation_problems(exc: ValidationError, base: Path = ()) -> list[Problem]:
    """pydantic's errors as problems in our words (values are never quoted)."""
    problems = []
    vocabulary: list[str] | None = None
    for err in exc.errors(include_url=False, include_input=False):
        loc = tuple(err["loc"])
        kind = err["type"]
        last = str(loc[-1]) if loc else ""
        if kind == "extra_forbidden":
            vocabulary = vocabulary or _vocabulary()
            if last in vocabulary:  # spelled right, a key of another part of a rule
                message = f"unknown key {last!r} here"
            else:
                hint = suggest(last, vocabulary)
                more = f"; did you mean {hint[0]!r}?" if hint else ""
                message = f"unknown key {last!r}{more}"
            problems.append(Problem((*base, *loc), message, key=True, tagged=True))
        elif kind == "missing":
            problems.append(Problem((*base, *loc), f"{_plain_name(last)} is required", tagged=True))
        else:
            problems.append(Problem((*base, *loc), str(err["msg"]), tagged=True))
    return problems


def _plain_name(name: str) -> str:
    return SPELLINGS[name][0] if name.endswith("_") and name in SPELLINGS else name
