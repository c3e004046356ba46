"""Rules that use a blueprint, expanded into the rules they stand for, before validation.

A rule written as::

    - id: pause_max_sales
      alias: Sales agents over max pause
      use_blueprint:
        path: pause_max.yaml
        input: {campaigns: [SALES], pause_code: LONG}

becomes the blueprint's body with its inputs put in, and its own ``id``, ``alias``,
``description``, ``enabled`` and ``group`` over the body's. What is wrong with the use is
reported in the user's file: an unknown input at its key, a missing one at ``input:``, a
value of the wrong type at the value. What the rules loader later finds in an expanded rule
is placed back the same way (``Uses.placed``): at the input whose value it is in, at the
rule's own key, or else at ``use_blueprint`` with the place in the blueprint file.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.services import suggest
from rules.blueprint import (
    META,
    OWN_KEYS,
    Blueprint,
    BlueprintError,
    blueprint_file,
    bundled,
    load_blueprint,
    substitute,
)
from rules.blueprint_inputs import InputError
from rules.problems import Path as DataPath
from rules.problems import Problem, written_path

USE = "use_blueprint"
_USE_KEYS = ("path", "input")


@dataclass(frozen=True, eq=False)
class Expanded:
    """One rule's use of a blueprint: the rule it stands for, and where its parts came from."""

    blueprint: Blueprint
    data: dict[str, Any]
    given: frozenset[str]  # the inputs the rule gave (the others took their defaults)
    own: frozenset[str]  # the rule's own keys (id, alias, ...)
    sources: dict[DataPath, str] = field(repr=False)  # path in ``data`` -> the input there


@dataclass(frozen=True, eq=False)
class Uses:
    """The blueprint uses of a rules list: the expanded rules by index, the uses that could
    not be expanded (their rules are left out), and what was wrong with those."""

    expanded: dict[int, Expanded] = field(default_factory=dict)
    failed: frozenset[int] = frozenset()
    problems: tuple[Problem, ...] = ()

    def item(self, index: int, written: Any) -> Any:
        """What to validate as the rule at ``index``."""
        found = self.expanded.get(index)
        return written if found is None else found.data

    def placed(self, problems: Iterable[Problem]) -> list[Problem]:
        """``problems`` with those of expanded rules moved to where the user wrote them."""
        if not self.expanded:
            return list(problems)
        return [self._place(p) for p in problems]

    def _place(self, problem: Problem) -> Problem:
        index = problem.path[0] if problem.path else None
        found = self.expanded.get(index) if type(index) is int else None
        if found is None:
            return problem
        assert type(index) is int
        at = written_path(found.data, problem.path[1:], tagged=problem.tagged)
        message, severity, key = problem.message, problem.severity, problem.key
        if at and at[0] in found.own:
            return Problem((index, *at), message, severity, key)
        for depth in range(len(at), 0, -1):
            name = found.sources.get(at[:depth])
            if name is None:
                continue
            if name in found.given:
                return Problem((index, USE, "input", name, *at[depth:]), message, severity, key)
            where = found.blueprint.where((META, "input", name, "default", *at[depth:]))
            return Problem(
                (index, USE, "path"),
                f"blueprint {where}: the default of input {name!r}: {message}",
                severity,
            )
        where = found.blueprint.where(at, key=key)
        return Problem((index, USE, "path"), f"blueprint {where}: {message}", severity)


def expand(data: Any, base_dir: Path | None = None) -> Uses:
    """Expand every rule of ``data`` (the rules section as written) that uses a blueprint."""
    if not isinstance(data, list):
        return Uses()
    cache: dict[Path, Blueprint | BlueprintError] = {}
    expanded: dict[int, Expanded] = {}
    failed: set[int] = set()
    problems: list[Problem] = []
    for index, item in enumerate(data):
        if not isinstance(item, dict) or USE not in item:
            continue
        found = _expand(index, item, base_dir, cache)
        if isinstance(found, Expanded):
            expanded[index] = found
        else:
            failed.add(index)
            problems += found
    return Uses(expanded, frozenset(failed), tuple(problems))


def _expand(
    index: int,
    rule: dict[Any, Any],
    base_dir: Path | None,
    cache: dict[Path, Blueprint | BlueprintError],
) -> Expanded | list[Problem]:
    problems: list[Problem] = []
    for key in rule:
        if key != USE and key not in OWN_KEYS:
            problems.append(
                Problem(
                    (index, key),
                    f"a rule that uses a blueprint sets only {', '.join(OWN_KEYS)} beside "
                    f"use_blueprint; {key!r} comes from the blueprint (or one of its inputs)",
                    key=True,
                )
            )
    if "id" not in rule:
        problems.append(Problem((index,), "id is required (a rule that uses a blueprint too)"))
    use = rule[USE]
    if not isinstance(use, dict):
        return [*problems, Problem((index, USE), "use_blueprint is a mapping: {path, input}")]
    for key in use:
        if key not in _USE_KEYS:
            problems.append(Problem((index, USE, key), _unknown(key, _USE_KEYS), key=True))
    written = use.get("path")
    if not isinstance(written, str) or not written.strip():
        return [*problems, Problem((index, USE, "path"), "path names the blueprint's file")]
    blueprint = _blueprint(written, base_dir, cache)
    if isinstance(blueprint, str):
        return [*problems, Problem((index, USE, "path"), blueprint)]
    if isinstance(blueprint, BlueprintError):
        return [
            *problems,
            *(Problem((index, USE, "path"), f"blueprint {p}") for p in blueprint.problems),
        ]
    given = use.get("input")
    if given is None:
        given = {}
    if not isinstance(given, dict):
        return [*problems, Problem((index, USE, "input"), "input is a mapping of names to values")]
    values = _inputs(index, blueprint, given, problems, written_input="input" in use)
    if problems:
        return problems
    sources: dict[DataPath, str] = {}
    data = substitute(blueprint.body, values, (), sources)
    own = {k: v for k, v in rule.items() if k in OWN_KEYS}
    data.update(own)
    return Expanded(blueprint, data, frozenset(given), frozenset(own), sources)


def _blueprint(
    written: str, base_dir: Path | None, cache: dict[Path, Blueprint | BlueprintError]
) -> Blueprint | BlueprintError | str:
    path = blueprint_file(written, base_dir)
    if path is None:
        names = bundled()
        stems = {Path(n).stem: n for n in names}
        hint = suggest(Path(written).stem, list(stems))
        more = f"did you mean {stems[hint[0]]!r}?" if hint else "bundled: " + ", ".join(names)
        return f"no blueprint {written!r} (neither bundled nor beside the config); {more}"
    if path not in cache:
        try:
            cache[path] = load_blueprint(path)
        except BlueprintError as exc:
            cache[path] = exc
    return cache[path]


def _inputs(
    index: int,
    blueprint: Blueprint,
    given: dict[Any, Any],
    problems: list[Problem],
    *,
    written_input: bool,
) -> dict[str, Any]:
    at: DataPath = (index, USE, "input")
    declared = blueprint.inputs
    values = dict(blueprint.defaults)
    for name, value in given.items():
        spec = declared.get(str(name))
        if spec is None:
            message = _unknown(str(name), list(declared), "input", f" of {blueprint.meta.name!r}")
            problems.append(Problem((*at, name), message, key=True))
            continue
        try:
            values[str(name)] = spec.check(value)
        except InputError as exc:
            message = f"input {name!r} takes {spec.takes}: {exc.message}"
            problems.append(Problem((*at, name, *exc.at), message))
    for name, spec in declared.items():
        if spec.required and name not in given:
            about = f" ({spec.description})" if spec.description else ""
            problems.append(
                Problem(at if written_input else (index, USE), f"input {name!r} is required{about}")
            )
    return values


def _unknown(name: str, known: Iterable[str], what: str = "key", of: str = "") -> str:
    names = list(known)
    hint = suggest(name, names)
    more = f"did you mean {hint[0]!r}?" if hint else "known: " + (", ".join(names) or "none")
    return f"unknown {what} {name!r}{of}; {more}"
