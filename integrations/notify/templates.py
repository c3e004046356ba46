"""A target's own templates: an http body, an e-mail's subject and body.

They are written in the config by whoever runs vicibus and applied to what a call sends
(``message``, ``title``, ``data`` and the ``target``'s name), after the rules engine rendered
the call's data with its own templates. Jinja2's ``ImmutableSandboxedEnvironment``: no
underscore attributes, no mutation; ``StrictUndefined``: a name the call did not send is an
error, never an empty string in a message sent to people.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateError, TemplateSyntaxError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from integrations.notify.errors import NotifyTemplateError

# A rendered template past this many characters is refused: a loop in a config template must
# not build a message no receiver takes.
MAX_RENDERED = 1 << 20

_ENV = ImmutableSandboxedEnvironment(
    undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True
)


def syntax_problem(source: str) -> str | None:
    """What is wrong with a template's syntax, or None when it compiles."""
    try:
        _ENV.parse(source)
    except TemplateSyntaxError as exc:
        return f"template syntax error on line {exc.lineno}: {exc.message}"
    return None


def variables(
    target: str, message: str, title: str | None, data: Mapping[str, Any]
) -> dict[str, Any]:
    """What a target's template reads."""
    return {"target": target, "message": message, "title": title, "data": data}


@dataclass(frozen=True, slots=True)
class TargetTemplate:
    """One target's compiled template; ``what`` names it in errors (body, subject)."""

    target: str
    what: str
    source: str = field(repr=False)
    compiled: Template = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "compiled", _ENV.from_string(self.source))

    def render(self, variables: Mapping[str, Any]) -> str:
        try:
            text = self.compiled.render(variables)
        except TemplateError as exc:
            reason = exc.message or type(exc).__name__
            raise NotifyTemplateError(self.target, self.what, reason) from None
        except (ArithmeticError, LookupError, TypeError, ValueError) as exc:
            reason = f"{type(exc).__name__}: {exc}"
            raise NotifyTemplateError(self.target, self.what, reason) from None
        if len(text) > MAX_RENDERED:
            reason = f"the text passed {MAX_RENDERED} characters"
            raise NotifyTemplateError(self.target, self.what, reason)
        return text
