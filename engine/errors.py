"""The engine's own typed errors. Each says what was wrong and what to do."""

from __future__ import annotations

from dataclasses import dataclass


class EngineError(Exception):
    """Base of every error the engine core raises."""


class BusFullError(EngineError):
    """The bus has no room for an outside event within its source's wait: refuse it (503)."""


class BusClosedError(EngineError):
    """The bus is stopping and takes no more outside events."""


class ServiceNotFoundError(EngineError):
    def __init__(self, name: str, suggestions: list[str]) -> None:
        hint = f"; did you mean {' or '.join(repr(s) for s in suggestions)}?" if suggestions else ""
        super().__init__(f"no service {name!r}{hint}")
        self.name = name
        self.suggestions = suggestions


@dataclass(frozen=True, slots=True)
class FieldProblem:
    field: str  # dotted path of the parameter; "" for the data as a whole
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class ServiceValidationError(EngineError):
    """The data for a service call does not fit its parameters; values are never echoed."""

    def __init__(self, service: str, problems: list[FieldProblem]) -> None:
        super().__init__(f"{service}: " + "; ".join(str(p) for p in problems))
        self.service = service
        self.problems = problems
