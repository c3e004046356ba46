"""What ``vicibus check`` and the daemon report about a config: problems with their place."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True, order=True)
class ConfigProblem:
    """One problem at ``file:line:column`` (1-based), in the words of an editor's jump list.

    A message never quotes a secret's value: messages are built from names and expectations,
    and every message of a document is scrubbed of the secrets it loaded.
    """

    file: str
    line: int
    column: int
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        label = "warning: " if self.severity == "warning" else ""
        return f"{self.file}:{self.line}:{self.column}: {label}{self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


class ConfigError(Exception):
    """A config that cannot be used; ``str()`` is one ``FILE:LINE:COL: message`` per line.

    ``problems`` holds every error found, and the warnings found with them, in file order.
    """

    def __init__(self, problems: Iterable[ConfigProblem]) -> None:
        self.problems = tuple(sorted(problems))
        if not any(p.is_error for p in self.problems):
            raise ValueError("a ConfigError needs at least one error")
        super().__init__("\n".join(map(str, self.problems)))

    @property
    def errors(self) -> tuple[ConfigProblem, ...]:
        return tuple(p for p in self.problems if p.is_error)
