"""What one template render may cost: the limits, the budget that counts against them, and
the checks made before an operation that could create a lot at once.

A render's budget lives in a context variable while the render runs (renders are synchronous,
so one is running at a time per thread): the sandbox's hooks, its guarded filters and the
template functions find it there, with the scope the render was given.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any


class TemplateLimitError(Exception):
    """A render went past one of its limits; the message says which."""


@dataclass(frozen=True, slots=True)
class TemplateLimits:
    max_calls: int = 10_000
    max_iterations: int = 10_000
    # Characters of new text plus slots of new containers one render may create.
    max_created: int = 1 << 20


class Budget:
    """One render's counts, and what its functions read (the caller's scope)."""

    __slots__ = ("calls", "created", "iterations", "limits", "scope")

    def __init__(self, limits: TemplateLimits, scope: Any = None) -> None:
        self.limits = limits
        self.scope = scope
        self.calls = 0
        self.iterations = 0
        self.created = 0

    def call(self) -> None:
        self.calls += 1
        if self.calls > self.limits.max_calls:
            raise TemplateLimitError(f"more than {self.limits.max_calls} calls in one render")

    def iterate(self) -> None:
        self.iterations += 1
        if self.iterations > self.limits.max_iterations:
            raise TemplateLimitError(
                f"more than {self.limits.max_iterations} loop iterations in one render"
            )

    @property
    def room(self) -> int:
        return self.limits.max_created - self.created

    def charge(self, amount: int) -> None:
        self.created += amount
        if self.created > self.limits.max_created:
            raise TemplateLimitError(
                f"the render would create more than {self.limits.max_created} characters or items"
            )

    def ensure(self, amount: int) -> None:
        """Refuse, before it is made, something of ``amount`` that would not fit."""
        if amount > self.room:
            raise TemplateLimitError(
                f"the render would create more than {self.limits.max_created} characters or items"
            )


BUDGET: ContextVar[Budget | None] = ContextVar("vicibus_template_budget", default=None)


def current_budget() -> Budget:
    budget = BUDGET.get()
    if budget is None:  # a template object used outside a render (only our own code does)
        raise TemplateLimitError("template functions run only inside a render")
    return budget


def current_scope() -> Any:
    """The scope the running render was given (template functions read states from it)."""
    budget = BUDGET.get()
    if budget is None:
        raise TemplateLimitError("template functions run only inside a render")
    return budget.scope


_CONTAINERS = (str, bytes, list, tuple, dict, set, frozenset)
SCALARS = frozenset({str, int, float, bool, type(None)})


def cost(value: Any) -> int:
    """What holding ``value`` newly made costs: characters, or slots of a container."""
    if type(value) in SCALARS and type(value) is not str:
        return 0
    if isinstance(value, _CONTAINERS):
        return len(value)
    return 0


def weight(value: Any, limit: int) -> int:
    """The size of ``value`` as text (shared items counted each time); stops past ``limit``."""
    if isinstance(value, str | bytes):
        return len(value)
    if isinstance(value, Mapping):
        items: Iterable[Any] = (x for pair in value.items() for x in pair)
        total = len(value)
    elif isinstance(value, list | tuple | set | frozenset):
        items = value
        total = len(value)
    else:
        return 1
    for item in items:
        if total > limit:
            break
        total += weight(item, limit - total) if not isinstance(item, int | float) else 1
    return total


def check_text_of(value: Any, budget: Budget) -> None:
    """Before a container is turned into text: its text must fit what is left."""
    if type(value) in SCALARS:
        return
    if isinstance(value, list | tuple | dict | set | frozenset | Mapping):
        budget.ensure(weight(value, budget.room))


_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-+ #0]*(\*|\d+)?(?:\.(\*|\d+))?")
_WIDTH = re.compile(r"\d+")


def check_percent(fmt: str, budget: Budget) -> None:
    for match in _PERCENT_SPEC.finditer(fmt):
        for part in match.groups():
            if part == "*":
                raise TemplateLimitError("'*' widths are not allowed in % formats")
            if part is not None:
                budget.ensure(int(part))


def check_format_string(fmt: str, budget: Budget) -> None:
    try:
        parsed = list(string.Formatter().parse(fmt))
    except ValueError:
        return  # str.format raises its own error for it
    for _, _, spec, _ in parsed:
        if not spec:
            continue
        if "{" in spec:
            raise TemplateLimitError("nested fields in a format spec are not allowed")
        for width in _WIDTH.findall(spec):
            budget.ensure(int(width))


def check_args(args: Iterable[Any], budget: Budget) -> None:
    for arg in args:
        check_text_of(arg, budget)


# -- checks before growing operations, by name (filters and str methods) -----------------------


def _pre_width(value: Any, *args: Any, **kwargs: Any) -> None:
    width = kwargs.get("width", args[0] if args else 0)
    if isinstance(width, str):  # indent takes a text to indent with
        width = len(width)
    if isinstance(width, int):
        lines = value.count("\n") + 1 if isinstance(value, str) else 1
        current_budget().ensure(width * lines)


def _pre_replace(value: Any, old: Any = "", new: Any = "", *args: Any, **kwargs: Any) -> None:
    if isinstance(value, str) and isinstance(old, str) and isinstance(new, str):
        count = value.count(old) if old else len(value) + 1
        current_budget().ensure(count * max(0, len(new) - len(old)))


def _pre_join(value: Any, *args: Any, **kwargs: Any) -> None:
    budget = current_budget()
    if isinstance(value, str):  # str.join(items): value is the separator, items the argument
        items = args[0] if args else ()
        sep = len(value)
    else:
        items = value
        separator = kwargs.get("d", args[0] if args else "")
        sep = len(separator) if isinstance(separator, str) else 0
    if isinstance(items, list | tuple):
        total = sep * max(0, len(items) - 1)
        for item in items:
            total += weight(item, budget.room)
            budget.ensure(total)


def _pre_format(value: Any, *args: Any, **kwargs: Any) -> None:
    budget = current_budget()
    if isinstance(value, str):
        check_percent(value, budget)
    check_args((*args, *kwargs.values()), budget)


def _pre_sum(value: Any, *args: Any, **kwargs: Any) -> None:
    start = kwargs.get("start", args[1] if len(args) > 1 else 0)
    if not isinstance(start, int | float):
        raise TemplateLimitError("sum adds numbers only")


def _pre_wordwrap(value: Any, *args: Any, **kwargs: Any) -> None:
    wrap = kwargs.get("wrapstring", args[2] if len(args) > 2 else None)
    if isinstance(wrap, str) and len(wrap) > 16:
        raise TemplateLimitError("wordwrap takes a wrapstring of at most 16 characters")


def _refuse(name: str) -> Callable[..., None]:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise TemplateLimitError(f"{name} is not available in templates")

    return refuse


FILTER_CHECKS: dict[str, Callable[..., None]] = {
    "center": _pre_width,
    "indent": _pre_width,
    "replace": _pre_replace,
    "join": _pre_join,
    "format": _pre_format,
    "sum": _pre_sum,
    "wordwrap": _pre_wordwrap,
}
STR_METHOD_CHECKS: dict[str, Callable[..., None]] = {
    "center": _pre_width,
    "ljust": _pre_width,
    "rjust": _pre_width,
    "zfill": _pre_width,
    "replace": _pre_replace,
    "join": _pre_join,
    "expandtabs": _refuse("str.expandtabs"),
    "translate": _refuse("str.translate"),
    "maketrans": _refuse("str.maketrans"),
}
