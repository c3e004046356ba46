"""A Document validated against the core schema and the sections given: a LoadedConfig, or a
ConfigError listing every problem."""

from __future__ import annotations

import os
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from engine.config.document import Document
from engine.config.errors import ConfigError, ConfigProblem
from engine.config.explain import explain
from engine.config.fields import validation_context
from engine.config.keys import keys_of, model_at
from engine.config.loader import load_document
from engine.config.schema import CoreConfig, core_warnings
from engine.config.sections import BUILTIN_SECTIONS, REQUIRED, CheckContext, ConfigSection

T = TypeVar("T")
_ABSENT = object()
_BROKEN = object()  # the section's parent is not a mapping: the core reports that


@dataclass(frozen=True, eq=False)
class LoadedConfig:
    """A valid config: the core's settings, each section's value, and what to keep in mind."""

    core: CoreConfig
    file: str  # the main config file, as given
    files: tuple[str, ...]  # every file read (includes, secrets.yaml): what a reload re-reads
    secret_values: frozenset[str] = field(repr=False)  # what !secret loaded: redact from logs
    warnings: tuple[ConfigProblem, ...]
    sections: Mapping[tuple[str, ...], Any] = field(repr=False)

    def section(self, section: ConfigSection[T]) -> T:
        """The validated value of ``section`` (which must have been given to the loader)."""
        value: T = self.sections[section.path]
        return value


def load(
    path: str | os.PathLike[str],
    sections: Sequence[ConfigSection[Any]] = (),
    *,
    environ: Mapping[str, str] | None = None,
) -> LoadedConfig:
    """Read, include and validate the config at ``path``; ConfigError lists every problem."""
    env = os.environ if environ is None else environ
    return validate(load_document(path, environ=env), sections, environ=env)


def validate(
    document: Document,
    sections: Sequence[ConfigSection[Any]] = (),
    *,
    environ: Mapping[str, str] | None = None,
) -> LoadedConfig:
    """Validate ``document``'s data: the core schema, then each section, then their checks.

    A section given here replaces a built-in one with the same path (the rules' own section
    replaces the placeholder that takes any list of mappings).
    """
    chosen = _choose(sections)
    root = document.data
    if not isinstance(root, dict):
        raise ConfigError(
            [document.problem((), "a config file is a mapping of sections (vicidial:, http:, ...)")]
        )
    context = validation_context(
        Path(document.base_dir), os.environ if environ is None else environ
    )
    core_data, section_data = _split(root, chosen)
    nested = [s.path for s in chosen]
    problems: list[ConfigProblem] = []
    core: CoreConfig | None = None
    try:
        core = CoreConfig.model_validate(core_data, context=context)
    except ValidationError as exc:
        problems += explain(exc, document, prefix=(), annotation=CoreConfig, nested=nested)

    values: dict[tuple[str, ...], Any] = {}
    for section in chosen:
        data = section_data.get(section.path, _ABSENT)
        if data is _BROKEN:
            continue
        if data is _ABSENT:
            if section.default is REQUIRED:
                problems.append(
                    document.problem(section.path, f"missing required section {section.name!r}")
                )
                continue
            data = section.default
        try:
            values[section.path] = section.adapter.validate_python(data, context=context)
        except ValidationError as exc:
            problems += explain(
                exc, document, prefix=section.path, annotation=section.model, nested=nested
            )

    if core is not None and not problems:
        problems += core_warnings(core, CheckContext(document, core, (), values))
        for section in chosen:
            if section.check is not None and section.path in values:
                check_context = CheckContext(document, core, section.path, values)
                problems += section.check(values[section.path], check_context)
    if core is None or any(p.is_error for p in problems):
        raise ConfigError(problems)
    return LoadedConfig(
        core=core,
        file=document.file,
        files=document.files,
        secret_values=document.secret_values,
        warnings=tuple(sorted(problems)),
        sections=values,
    )


def _choose(sections: Iterable[ConfigSection[Any]]) -> list[ConfigSection[Any]]:
    chosen: dict[tuple[str, ...], ConfigSection[Any]] = {s.path: s for s in BUILTIN_SECTIONS}
    given: set[tuple[str, ...]] = set()
    for section in sections:
        if section.path in given:
            raise ValueError(f"two config sections at {section.name}")
        given.add(section.path)
        _check_place(section)
        chosen[section.path] = section
    return list(chosen.values())


def _check_place(section: ConfigSection[Any]) -> None:
    """A section's parent must be a mapping of the core, and its key not one of the core's."""
    if not section.path:
        raise ValueError("a config section needs a path")
    parent: type[BaseModel] | None = model_at(CoreConfig, section.path[:-1])
    if parent is None:
        raise ValueError(f"config section {section.name}: its parent is not a core mapping")
    if section.path[-1] in keys_of(parent):
        raise ValueError(f"config section {section.name}: the core already has that key")


def _split(
    root: dict[Any, Any], sections: Sequence[ConfigSection[Any]]
) -> tuple[dict[Any, Any], dict[tuple[str, ...], Any]]:
    """The core's data (shallow copies, without the sections) and each section's data."""
    core = dict(root)
    copies: dict[tuple[Hashable, ...], dict[Any, Any]] = {(): core}
    found: dict[tuple[str, ...], Any] = {}
    for section in sections:
        container: dict[Any, Any] | None = core
        for depth, part in enumerate(section.path[:-1]):
            assert container is not None
            inner = container.get(part, _ABSENT)
            if inner is _ABSENT:
                container = None
                break
            if not isinstance(inner, dict):
                found[section.path] = _BROKEN
                container = None
                break
            place = section.path[: depth + 1]
            if place not in copies:
                copies[place] = container[part] = dict(inner)
            container = copies[place]
        if container is not None and section.path[-1] in container:
            found[section.path] = container.pop(section.path[-1])
    return core, found
