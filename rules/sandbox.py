"""The Jinja sandbox templates run in: no escapes, and a bounded cost per render.

On top of Jinja's ``ImmutableSandboxedEnvironment`` (no underscore attributes, no internal
attributes of functions, frames or generators, no mutation of lists, dicts and sets, sandboxed
``str.format``):

- ``StrictUndefined``: an undefined name or attribute is an error, never a silent false;
- native results: a template that is one expression yields its value with its type
  (``"{{ 5 }}"`` is 5, ``"{{ trigger.payload.user }}"`` stays the text "1001"); anything else
  yields text. No ``literal_eval`` of text (it would turn the user "1001" into a number);
- a budget per render, counted inside the sandbox: calls (functions, macros, methods), loop
  iterations (every ``for`` iterable is wrapped), and what the render creates (characters of
  new text and slots of new lists, dicts and tuples). Operations that could create a lot at
  once (``*``, ``**``, ``%``, ``str.format``, ``replace``, ``join``, ``center``, ``indent``, ...)
  are checked before they run, and turning a container into text is checked by the size of
  its text. Passing an existing value through costs nothing.

``recursive`` loops and ``lipsum`` are not available.
"""

from __future__ import annotations

import math
import types
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, TypeVar, cast

from jinja2 import StrictUndefined, nodes, pass_context
from jinja2.exceptions import TemplateSyntaxError
from jinja2.nativetypes import NativeCodeGenerator
from jinja2.runtime import Context, Undefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import _PassArg
from jinja2.visitor import NodeTransformer

from rules.render_budget import (
    BUDGET,
    FILTER_CHECKS,
    STR_METHOD_CHECKS,
    Budget,
    TemplateLimitError,
    TemplateLimits,
    check_args,
    check_format_string,
    check_percent,
    check_text_of,
    cost,
    current_budget,
    weight,
)


class _StrictUndefined(StrictUndefined):
    """Says what was missing in the words of the object it was read from, when it can."""

    __slots__ = ()

    @property
    def _undefined_message(self) -> str:
        describe = getattr(self._undefined_obj, "describe_missing", None)
        if callable(describe) and isinstance(self._undefined_name, str | int):
            return str(describe(self._undefined_name))
        return str(super()._undefined_message)


def _fail_if_undefined(value: Any) -> Any:
    if isinstance(value, Undefined):
        value._fail_with_undefined_error()
    return value


class _Guards(NodeTransformer):
    """Rewrites a parsed template so that loops, ``~`` and literals report to the budget.
    (Its methods are named as Jinja's visitor calls them.)"""

    def visit_For(self, node: nodes.For) -> nodes.Node:  # noqa: N802
        if node.recursive:
            raise TemplateSyntaxError("recursive loops are not allowed", node.lineno)
        self.generic_visit(node)
        node.iter = _guard_call("vb_loop", [cast(nodes.Expr, node.iter)], node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:  # noqa: N802
        self.generic_visit(node)
        return _guard_call("vb_concat", list(node.nodes), node.lineno)

    def visit_List(self, node: nodes.List) -> nodes.Node:  # noqa: N802
        return self._literal(node)

    def visit_Dict(self, node: nodes.Dict) -> nodes.Node:  # noqa: N802
        return self._literal(node)

    def visit_Tuple(self, node: nodes.Tuple) -> nodes.Node:  # noqa: N802
        if node.ctx != "load":  # an assignment target: {% for a, b in ... %}
            return node
        return self._literal(node)

    def _literal(self, node: nodes.Expr) -> nodes.Node:
        self.generic_visit(node)
        if all(isinstance(n, nodes.Const | nodes.Pair) for n in node.iter_child_nodes()) and all(
            isinstance(n, nodes.Const) for n in node.find_all(nodes.Expr) if n is not node
        ):
            return node  # made once, at compile time
        return _guard_call("vb_literal", [node], node.lineno)


def _guard_call(name: str, args: list[nodes.Expr], lineno: int) -> nodes.Call:
    return nodes.Call(nodes.EnvironmentAttribute(name), args, [], None, None, lineno=lineno)


F = TypeVar("F", bound=Callable[..., Any])


def _guard(func: F) -> F:
    """Marks the environment's own guards: calls to them are not counted as the template's."""
    func.vb_guard = True  # type: ignore[attr-defined]
    return func


class _CodeGenerator(NativeCodeGenerator):
    """Native output, with constant expressions kept as values: Jinja would fold ``{{ 5 }}``
    into the text "5" at compile time."""

    def _output_child_to_const(self, node: nodes.Expr, frame: Any, finalize: Any) -> Any:
        if not isinstance(node, nodes.TemplateData):
            raise nodes.Impossible()
        return super()._output_child_to_const(node, frame, finalize)


class LimitedEnvironment(ImmutableSandboxedEnvironment):
    """The environment of every rule template (see the module docstring)."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})
    code_generator_class = _CodeGenerator

    def __init__(
        self,
        limits: TemplateLimits | None = None,
        *,
        functions: Mapping[str, Any] | None = None,
        filters: Mapping[str, Callable[..., Any]] | None = None,
        views: Iterable[type] = (),
    ) -> None:
        super().__init__(undefined=_StrictUndefined, autoescape=False, keep_trailing_newline=True)
        self.limits = limits or TemplateLimits()
        self.globals.pop("lipsum", None)
        self._range = self._range_of  # one bound method, so that it is known by its id
        self.globals["range"] = self._range
        self.globals.update(functions or {})
        # Our own functions and filters take and give plain values and never turn a container
        # into text: they skip the checks (they are counted as calls all the same).
        self._trusted = frozenset(map(id, [*(functions or {}).values(), self._range]))
        self._safe: dict[tuple[type, str], bool] = {}
        # Types whose fields are read as attributes (``trigger.payload.user``): items first.
        self._views = frozenset(views)
        for name, func in list(self.filters.items()):
            self.filters[name] = _guarded_filter(func, FILTER_CHECKS.get(name))
        self.filters.update(filters or {})

    # -- parsing -------------------------------------------------------------------------------

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        try:
            _Guards().visit(tree)
        except TemplateSyntaxError as exc:
            exc.source = source
            raise
        return tree

    # -- rendering -----------------------------------------------------------------------------

    def render_root(
        self, root: Callable[[Context], Iterator[Any]], context: Context, scope: Any
    ) -> Any:
        budget = Budget(self.limits, scope)
        token = BUDGET.set(budget)
        try:
            return self._join(root(context), budget, root=True)
        finally:
            BUDGET.reset(token)

    def concat(self, values: Iterable[Any]) -> Any:
        """Macro bodies and ``{% set %}`` blocks join their output here."""
        return self._join(values, current_budget(), root=False)

    def _join(self, values: Iterable[Any], budget: Budget, *, root: bool) -> Any:
        iterator = iter(values)
        first = next(iterator, _END)
        if first is _END:
            return "" if root else None
        second = next(iterator, _END)
        if second is _END:
            _fail_if_undefined(first)
            if root:
                check_text_of(first, budget)  # a result is written into records as text
            return first
        return _text_of_parts(_chain([first, second], iterator), budget)

    @_guard
    def vb_concat(self, *parts: Any) -> str:
        return _text_of_parts(parts, current_budget())

    @_guard
    def vb_literal(self, value: Any) -> Any:
        current_budget().charge(len(value))
        return value

    @_guard
    def vb_loop(self, iterable: Any) -> Iterator[Any]:
        budget = current_budget()
        _fail_if_undefined(iterable)
        for item in iterable:
            budget.iterate()
            yield item

    def _range_of(self, *args: int) -> range:
        result = range(*args)
        if len(result) > self.limits.max_iterations:
            raise TemplateLimitError(
                f"range of {len(result)} numbers; at most {self.limits.max_iterations}"
            )
        return result

    # -- the sandbox's hooks -------------------------------------------------------------------

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        # The answer depends on the object's type and the name only: remember it.
        key = (type(obj), attr)
        safe = self._safe.get(key)
        if safe is None:
            safe = self._safe[key] = super().is_safe_attribute(obj, attr, value)
        return safe

    def getattr(self, obj: Any, attribute: str) -> Any:
        # Fast paths for what templates read most (trigger, variables, payloads): a plain
        # dict's key (unless the name is one of dict's own attributes) and a view's field.
        kind = type(obj)
        if kind is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        if kind in self._views:
            try:
                return obj[attribute]
            except KeyError:
                pass
        # As Jinja's sandbox does, with the safety answer remembered per type and name.
        try:
            value = getattr(obj, attribute)
        except AttributeError:
            try:
                return obj[attribute]
            except (TypeError, LookupError):
                return self.undefined(obj=obj, name=attribute)
        if type(value) in _METHODS:
            formatter = self.wrap_str_format(value)
            if formatter is not None:
                return formatter
        if self.is_safe_attribute(obj, attribute, value):
            return value
        return self.unsafe_undefined(obj, attribute)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        if kwargs:
            # What Jinja hands pass_context functions called inside loops and blocks; none of
            # ours take them, and they are no arguments of the template's to check.
            kwargs.pop("_loop_vars", None)
            kwargs.pop("_block_vars", None)
        if id(__obj) in __self._trusted:
            current_budget().call()
            return __obj(*args, **kwargs)
        if getattr(__obj, "vb_guard", False):
            return __context.call(__obj, *args, **kwargs)
        budget = current_budget()
        budget.call()
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str):
            check = STR_METHOD_CHECKS.get(getattr(__obj, "__name__", ""))
            if check is not None:
                check(owner, *args, **kwargs)
        check_args((*args, *kwargs.values()), budget)
        result = super().call(__context, __obj, *args, **kwargs)
        budget.charge(cost(result))
        return result

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        check_format_string(value.__self__, current_budget())
        return wrapped

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        budget = current_budget()
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, str | bytes | list | tuple) and isinstance(times, int):
                    budget.ensure(len(seq) * times)
                    budget.ensure(weight(seq, budget.room) * max(0, times - 1))
        elif operator == "**":
            if isinstance(left, int) and isinstance(right, int) and right > 0:
                bits = max(1, abs(left).bit_length()) * right
                if bits > 4096 * 8:
                    raise TemplateLimitError("a power with more than 32768 bits")
            elif (
                isinstance(left, float | int)
                and isinstance(right, float | int)
                and abs(right) > 1e4
            ):
                raise TemplateLimitError("an exponent above 10000")
        elif operator == "%" and isinstance(left, str):
            check_percent(left, budget)
            check_args(right if isinstance(right, tuple) else (right,), budget)
        elif operator == "+":
            budget.ensure(cost(left) + cost(right))
        result = self.binop_table[operator](left, right)
        if isinstance(result, float) and math.isinf(result):
            raise TemplateLimitError("a number too large")
        budget.charge(cost(result))
        return result


_END = object()
_DICT_ATTRIBUTES = frozenset(dir(dict))
_METHODS = frozenset({types.MethodType, types.BuiltinMethodType})


def _text_of_parts(parts: Iterable[Any], budget: Budget) -> str:
    """The parts joined as text, each checked before it is made and the whole charged."""
    total = 0
    texts: list[str] = []
    for part in parts:
        _fail_if_undefined(part)
        check_text_of(part, budget)
        text = part if isinstance(part, str) else str(part)
        total += len(text)
        budget.ensure(total)
        texts.append(text)
    budget.charge(total)
    return "".join(texts)


def _chain(head: list[Any], tail: Iterator[Any]) -> Iterator[Any]:
    yield from head
    yield from tail


def _guarded_filter(func: Callable[..., Any], check: Callable[..., None] | None) -> Any:
    pass_arg = _PassArg.from_obj(func)

    @pass_context
    def guarded(context: Context, value: Any, *args: Any, **kwargs: Any) -> Any:
        budget = current_budget()
        check_text_of(value, budget)
        if check is not None:
            check(value, *args, **kwargs)
        if pass_arg is _PassArg.context:
            result = func(context, value, *args, **kwargs)
        elif pass_arg is _PassArg.eval_context:
            result = func(context.eval_ctx, value, *args, **kwargs)
        elif pass_arg is _PassArg.environment:
            result = func(context.environment, value, *args, **kwargs)
        else:
            result = func(value, *args, **kwargs)
        budget.charge(cost(result))
        return result

    guarded.__name__ = getattr(func, "__name__", "filter")
    return guarded
