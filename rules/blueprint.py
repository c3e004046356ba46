"""Blueprints: rules with typed inputs, written once and used by many rules.

A blueprint file holds a ``blueprint:`` mapping (its name, description, domain and inputs)
and, beside it, the body of a rule in which ``!input NAME`` stands for the value a rule gives
for that input, as in Home Assistant::

    blueprint:
      name: Over max pause -> tell the agent, set a pause code
      domain: rule
      input:
        pause_code: {type: text, default: BREAK, description: the code to set}
    triggers:
      - {trigger: webhook, kind: pause_max}
    actions:
      - action: vicidial.agent.pause_code
        data: {agent_user: "{{ trigger.payload.user }}", value: !input pause_code}

``!input`` replaces the whole value it is written on (text, a number, a list, a mapping);
a template reads an input through the rule's ``variables`` (``variables: {code: !input
pause_code}``, then ``{{ code }}``). The file is read by the config loader, so every key keeps
its file:line:column. ``rules.blueprint_uses`` expands the rules that use one.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Hashable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from engine.config import ConfigError
from engine.config.document import Document
from engine.config.loader import load_document
from engine.services import suggest
from rules.blueprint_inputs import INPUT_NAME, BlueprintInput, InputError

BLUEPRINTS_DIR = Path(__file__).parent / "blueprints"
INPUT_TAG = "!input"
META = "blueprint"
# What a rule that uses a blueprint writes itself (over the body's alias or description).
OWN_KEYS = ("id", "alias", "description", "enabled", "group")
_BODY_FORBIDS = ("id", "use_blueprint")


@dataclass(frozen=True, slots=True)
class InputRef:
    """Where a blueprint's body writes ``!input name``."""

    name: str


class BlueprintMeta(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    description: str | None = None
    domain: Literal["rule"]
    author: str | None = None
    input: dict[str, BlueprintInput] = Field(default_factory=dict)

    @field_validator("input")
    @classmethod
    def _names(cls, value: dict[str, BlueprintInput]) -> dict[str, BlueprintInput]:
        for name in value:
            if not INPUT_NAME.fullmatch(name):
                raise ValueError(f"{name!r} is no input name: lower-case letters, digits and _")
        return value


class BlueprintError(Exception):
    """A blueprint that cannot be used: each problem is ``file:line:col: message``."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True, eq=False)
class Blueprint:
    path: Path
    meta: BlueprintMeta
    body: dict[str, Any]  # the rule, with InputRef where ``!input`` is written
    document: Document = field(repr=False)
    defaults: dict[str, Any] = field(repr=False, default_factory=dict)

    @property
    def inputs(self) -> dict[str, BlueprintInput]:
        return self.meta.input

    def where(self, path: tuple[Hashable, ...], *, key: bool = False) -> str:
        """``file:line:col`` of ``path`` in the blueprint file."""
        return str(self.document.locate(path, key=key))


def load_blueprint(path: Path) -> Blueprint:
    """The blueprint in the file at ``path``, checked; BlueprintError lists what is wrong."""
    try:
        document = load_document(path, tags={INPUT_TAG: _input_ref})
    except ConfigError as exc:
        raise BlueprintError([str(p) for p in exc.problems]) from None
    data = document.data
    if not isinstance(data, dict) or META not in data:
        raise BlueprintError([f"{document.locate(())}: a blueprint file starts with blueprint:"])
    problems: list[str] = []
    meta = _meta(document, problems)
    body = {k: v for k, v in data.items() if k != META}
    for key in _BODY_FORBIDS:
        if key in body:
            problems.append(f"{document.locate((key,), key=True)}: {_forbidden(key)}")
    declared = meta.input if meta is not None else {}
    for where, ref in _refs(body, ()):
        if meta is not None and ref.name not in declared:
            hint = suggest(ref.name, list(declared))
            more = f"; did you mean {hint[0]!r}?" if hint else ""
            problems.append(f"{document.locate(where)}: !input {ref.name}: no such input{more}")
    defaults: dict[str, Any] = {}
    for name, spec in declared.items():
        if spec.required:
            continue
        try:
            defaults[name] = spec.check(spec.default)
        except InputError as exc:
            at = document.locate((META, "input", name, "default", *exc.at))
            problems.append(f"{at}: the default of {name!r} is not {spec.takes}: {exc.message}")
    if problems or meta is None:
        raise BlueprintError(problems)
    return Blueprint(path, meta, body, document, defaults)


def _input_ref(text: str) -> InputRef:
    return InputRef(text.strip())


def _forbidden(key: str) -> str:
    if key == "id":
        return "a blueprint gives no rule id: each rule that uses it has its own"
    return "a blueprint cannot use another blueprint"


def _meta(document: Document, problems: list[str]) -> BlueprintMeta | None:
    try:
        return BlueprintMeta.model_validate(document.data[META])
    except ValidationError as exc:
        for err in exc.errors(include_url=False, include_input=False):
            loc = (META, *err["loc"])
            if err["type"] == "extra_forbidden":
                message = f"unknown key {loc[-1]!r}"
                problems.append(f"{document.locate(loc, key=True)}: {message}")
            elif err["type"] == "missing":
                problems.append(f"{document.locate(loc)}: {loc[-1]} is required")
            else:
                message = str(err["msg"]).removeprefix("Value error, ")
                problems.append(f"{document.locate(loc)}: {message}")
        return None


def _refs(
    node: Any, where: tuple[Hashable, ...]
) -> Iterator[tuple[tuple[Hashable, ...], InputRef]]:
    if isinstance(node, InputRef):
        yield where, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _refs(value, (*where, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _refs(value, (*where, index))


def substitute(
    node: Any, values: dict[str, Any], where: tuple[Hashable, ...], found: dict[Any, str]
) -> Any:
    """A copy of ``node`` with each ``!input`` replaced by its value; ``found`` gets the path
    of each replaced value and the input's name."""
    if isinstance(node, InputRef):
        found[where] = node.name
        return copy.deepcopy(values[node.name])  # a default is shared by every use
    if isinstance(node, dict):
        return {k: substitute(v, values, (*where, k), found) for k, v in node.items()}
    if isinstance(node, list):
        return [substitute(v, values, (*where, i), found) for i, v in enumerate(node)]
    return node


def blueprint_file(written: str, base_dir: Path | None) -> Path | None:
    """The file a rule's ``use_blueprint.path`` names: a bare name is looked up among the
    bundled blueprints, then beside the config file; ``./x.yaml``, ``../x.yaml`` and absolute
    paths only beside the config file (or where they say)."""
    start = base_dir if base_dir is not None else Path.cwd()
    candidates: list[Path] = []
    if os.path.isabs(written):
        candidates.append(Path(written))
    elif written.startswith(("./", "../")):
        candidates.append(start / written)
    else:
        candidates += [BLUEPRINTS_DIR / written, start / written]
    for candidate in candidates:
        if candidate.suffix not in (".yaml", ".yml"):
            candidate = candidate.with_name(candidate.name + ".yaml")
        if candidate.is_file():
            return candidate
    return None


def bundled() -> list[str]:
    """The bundled blueprints' names (``pause_max.yaml``)."""
    return sorted(p.name for p in BLUEPRINTS_DIR.glob("*.yaml"))
