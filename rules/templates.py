"""Templates: compiled once at load, rendered in the sandbox when a rule runs.

A string is a template when it holds ``{{``, ``{%`` or ``{#``; anything else is a literal. A
``Value`` is the compiled form of a value that may hold templates anywhere inside (a service's
``data``, an event's ``event_data``): rendering it renders each template and keeps literals as
they are, so a literal mapping costs nothing to render.

Identical sources compile once per ``Templates`` (ten thousand rules reading
``trigger.payload.user`` share one compiled template).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from jinja2 import nodes
from jinja2.exceptions import SecurityError, TemplateError, TemplateSyntaxError, UndefinedError

from rules.errors import TemplateCompileError, TemplateRenderError
from rules.render_budget import TemplateLimitError, TemplateLimits
from rules.sandbox import LimitedEnvironment
from rules.template_functions import FILTERS, FUNCTIONS, Scope, truthy
from rules.template_views import DataView

Where = tuple[str | int, ...]


def is_template(text: str) -> bool:
    return "{{" in text or "{%" in text or "{#" in text


class Template:
    """One compiled template and its source."""

    __slots__ = ("_blocks", "_env", "_globals", "_root", "source", "tree")

    def __init__(
        self,
        env: LimitedEnvironment,
        source: str,
        tree: nodes.Template,
        env_globals: dict[str, Any],
    ) -> None:
        self._env = env
        self.source = source
        self.tree = tree  # kept for the load-time checks (what the template reads)
        compiled = env.from_string(tree)
        self._root = compiled.root_render_func
        self._blocks = compiled.blocks
        self._globals = env_globals

    def __repr__(self) -> str:
        return f"Template({self.source!r})"

    def render(self, variables: dict[str, Any], scope: Scope) -> Any:
        env = self._env
        # The context Jinja's render would make, from plain dicts: its own way copies the
        # globals through a ChainMap on every render.
        context = env.context_class(env, {**self._globals, **variables}, None, self._blocks)
        try:
            return env.render_root(self._root, context, scope)
        except UndefinedError as exc:
            raise TemplateRenderError("undefined", str(exc)) from None
        except SecurityError as exc:
            raise TemplateRenderError("security", f"refused: {exc}") from None
        except TemplateLimitError as exc:
            raise TemplateRenderError("limit", f"limit: {exc}") from None
        except TemplateError as exc:
            raise TemplateRenderError("error", str(exc)) from None
        except RecursionError:
            raise TemplateRenderError("limit", "limit: nested too deeply") from None
        except Exception as exc:
            raise TemplateRenderError("error", f"{type(exc).__name__}: {exc}") from None

    def render_bool(self, variables: dict[str, Any], scope: Scope) -> bool:
        return truthy(self.render(variables, scope))

    def render_text(self, variables: dict[str, Any], scope: Scope) -> str:
        result = self.render(variables, scope)
        return result if isinstance(result, str) else str(result)


class Value:
    """A value with templates somewhere inside, or none (``static``)."""

    __slots__ = ("_kind", "_parts", "static")

    def __init__(self, kind: str, parts: Any, static: bool) -> None:
        self._kind = kind  # literal | template | dict | list
        self._parts = parts
        self.static = static

    def __repr__(self) -> str:
        return f"Value({self._kind})"

    def render(self, variables: dict[str, Any], scope: Scope) -> Any:
        kind = self._kind
        if kind == "literal":
            return self._parts
        if kind == "template":
            template: Template = self._parts
            return template.render(variables, scope)
        if kind == "dict":
            return {key: part.render(variables, scope) for key, part in self._parts}
        return [part.render(variables, scope) for part in self._parts]

    @property
    def literal(self) -> Any:
        """The value itself, when it is ``static``."""
        return self._parts

    def templates(self, where: Where = ()) -> Iterator[tuple[Where, Template]]:
        """Each template inside, with its place below this value."""
        if self._kind == "template":
            yield where, self._parts
        elif self._kind == "dict":
            for key, part in self._parts:
                yield from part.templates((*where, key))
        elif self._kind == "list":
            for index, part in enumerate(self._parts):
                yield from part.templates((*where, index))


class Templates:
    """Compiles templates in one sandboxed environment, each source once."""

    def __init__(self, limits: TemplateLimits | None = None) -> None:
        self.env = LimitedEnvironment(
            limits, functions=FUNCTIONS, filters=FILTERS, views=(DataView,)
        )
        self._globals = dict(self.env.globals)
        self._cache: dict[str, Template] = {}

    def __repr__(self) -> str:
        return f"Templates({len(self._cache)} compiled)"

    def compile(self, source: str) -> Template:
        """The compiled template, or TemplateCompileError (unknown filters are syntax here)."""
        found = self._cache.get(source)
        if found is None:
            try:
                tree = self.env.parse(source)
                found = Template(self.env, source, tree, self._globals)
            except TemplateSyntaxError as exc:
                raise TemplateCompileError(exc.message or "syntax error", exc.lineno) from None
            except TemplateError as exc:
                raise TemplateCompileError(str(exc)) from None
            self._cache[source] = found
        return found

    def compile_value(self, value: Any, where: Where = ()) -> Value:
        """A compiled value; TemplateCompileError with ``where`` (the place of the bad
        template below ``value``) as its ``where`` attribute."""
        if isinstance(value, str) and is_template(value):
            try:
                return Value("template", self.compile(value), False)
            except TemplateCompileError as exc:
                exc.where = where  # type: ignore[attr-defined]
                raise
        if isinstance(value, Mapping):
            parts = [(str(k), self.compile_value(v, (*where, str(k)))) for k, v in value.items()]
            if all(part.static for _, part in parts):
                return Value("literal", {k: part._parts for k, part in parts}, True)
            return Value("dict", parts, False)
        if isinstance(value, list | tuple):
            items = [self.compile_value(v, (*where, i)) for i, v in enumerate(value)]
            if all(part.static for part in items):
                return Value("literal", [part._parts for part in items], True)
            return Value("list", items, False)
        return Value("literal", value, True)
