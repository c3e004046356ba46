"""The rules' typed errors. Each says what was wrong in the words of the rule that has it."""

from __future__ import annotations


class RuleError(Exception):
    """Base of the errors a rule's load or run can meet."""


class TemplateCompileError(RuleError):
    """A template that does not compile; ``line`` is the line inside the template (1-based)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        where = f" (template line {line})" if line is not None and line > 1 else ""
        super().__init__(f"template: {message}{where}")
        self.line = line


class TemplateRenderError(RuleError):
    """A template failed while the rule ran: an undefined name, a refused operation, a limit
    reached, or an error of the expression itself (a division by zero, a bad argument)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind  # undefined | security | limit | error


class ValueRenderError(RuleError):
    """A rendered value that the step cannot use (a duration that is none, an event type)."""


class RunStoppedError(RuleError):
    """A ``stop`` step with ``error: true``: the run ends as an error with this reason."""
