"""Config sections contributed from outside the engine core.

An integration or the rules declare where their section lives and what validates it::

    VICIDIAL = ConfigSection(("vicidial",), VicidialConfig, check=vicidial_problems)
    WEBHOOKS = ConfigSection(("http", "webhooks"), WebhooksConfig, default={})

and the caller of the loader (the CLI, the daemon) passes them in; the engine never imports an
integration. A section's errors carry file:line:column like the core's, and its ``check`` hook
can report more problems (errors or warnings) once everything validated, at any place of the
document.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Final, Generic, TypeVar

from pydantic import TypeAdapter

from engine.config.document import Document
from engine.config.errors import ConfigProblem, Severity
from engine.config.schema import CoreConfig

T = TypeVar("T")
U = TypeVar("U")


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


# The ``default`` of a section that must be written in the config.
REQUIRED: Final = _Required()


@dataclass(frozen=True, eq=False)
class ConfigSection(Generic[T]):
    """A section at ``path`` (``("vicidial",)``, ``("http", "webhooks")``), validated by
    ``model``: a pydantic model class, or any type pydantic validates (``tuple[Target, ...]``).

    ``default`` is the data validated when the section is absent (``REQUIRED``: absent is an
    error). ``check(value, context)`` yields further problems once every section validated.
    The parent of a nested section must be a mapping of the core (``http``, ``storage``).
    """

    path: tuple[str, ...]
    model: Any
    default: Any = REQUIRED
    check: Callable[[T, CheckContext], Iterable[ConfigProblem]] | None = None
    description: str = ""

    @cached_property
    def adapter(self) -> TypeAdapter[T]:
        return TypeAdapter(self.model)

    @property
    def name(self) -> str:
        return ".".join(self.path)


# Until the rules plug in their own section, a rule is any mapping.
RULES: ConfigSection[list[dict[str, Any]]] = ConfigSection(
    ("rules",), list[dict[str, Any]], default=[], description="automation rules"
)
BUILTIN_SECTIONS: tuple[ConfigSection[Any], ...] = (RULES,)


@dataclass(frozen=True, eq=False)
class CheckContext:
    """What a section's check hook sees: the document's places, the validated core and the
    other sections' values. Paths given to ``problem`` start at the section's own path."""

    document: Document
    core: CoreConfig
    path: tuple[str, ...]
    values: Mapping[tuple[str, ...], Any] = field(repr=False)

    @property
    def base_dir(self) -> Path:
        """The main config file's directory, where relative paths start."""
        return Path(self.document.base_dir)

    def shown(self, path: str | os.PathLike[str]) -> str:
        """A file's name as the user reads it: below the config's directory, joined to the
        config file's name as given (``conf/scenarios/a.yaml``); elsewhere, as it is."""
        relative = os.path.relpath(path, self.document.base_dir)
        if relative.startswith(os.pardir):
            return os.fspath(path)
        return os.path.normpath(os.path.join(os.path.dirname(self.document.file), relative))

    def problem(
        self,
        path: Sequence[Hashable],
        message: str,
        *,
        key: bool = False,
        severity: Severity = "error",
    ) -> ConfigProblem:
        """A problem at ``path`` below this section (``key=True``: at the key itself)."""
        return self.document.problem((*self.path, *path), message, key=key, severity=severity)

    def problem_at(
        self,
        path: Sequence[Hashable],
        message: str,
        *,
        key: bool = False,
        severity: Severity = "error",
    ) -> ConfigProblem:
        """A problem at ``path`` from the top of the config (another section's key)."""
        return self.document.problem(path, message, key=key, severity=severity)

    def value(self, section: ConfigSection[U]) -> U | None:
        """Another section's validated value; None when it was not given to the loader."""
        found: U | None = self.values.get(section.path)
        return found
