"""Branches, loops and parallel steps: ``choose``, ``if``, ``repeat`` and ``parallel``.

Each opens a block of its own (``actions/2/then``, ``actions/2/repeat/sequence``), so the
run's position stays a stack of frames: a branch pushes the block it chose; a loop pushes its
body with the iteration in the frame (``Frame.loop``), and when the body ends the walker asks
the loop whether to go again. ``repeat`` in templates is the innermost loop's iteration:
``index`` (from 1), ``first``, ``last`` (when the number of iterations is known) and ``item``
(``for_each``). Conditions of branches and loops read the state when they are checked.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rules.conditions import AllOf, Check, Compiled, compile_conditions
from rules.errors import ValueRenderError
from rules.records import StepRecord
from rules.run_state import Frame
from rules.schema_actions import ChooseStep, IfStep, ParallelStep, RepeatStep
from rules.steps import Flow, Push, Step, StepHost
from rules.template_views import plain
from rules.templates import Templates, Value

if TYPE_CHECKING:
    from rules.program import Program

REPEAT = "repeat"


def _all_of(models: Sequence[Any], path: str, templates: Templates) -> Compiled:
    return AllOf("and", path, compile_conditions(models, f"{path}/conditions", templates))


def _trace(check: Check) -> list[Any]:
    return [plain(c) for c in check.trace]


class Choose(Step):
    kind = "choose"

    def __init__(self, model: ChooseStep, path: str, program: Program) -> None:
        super().__init__(model, path)
        templates = program.templates
        self.options = [
            (
                _all_of(option.conditions, f"{path}/choose/{i}", templates),
                program.add_block(f"{path}/choose/{i}/sequence", option.sequence),
            )
            for i, option in enumerate(model.choose)
        ]
        self.default = (
            program.add_block(f"{path}/default", model.default) if model.default else None
        )

    async def run(self, host: StepHost, record: StepRecord) -> Flow:
        check = host.check()
        for index, (condition, block) in enumerate(self.options):
            if condition(check):
                record.result = {"chosen": index, "conditions": _trace(check)}
                return Push(block)
        chosen = "default" if self.default is not None else None
        record.result = {"chosen": chosen, "conditions": _trace(check)}
        return Push(self.default) if self.default is not None else None


class IfThenElse(Step):
    kind = "if"

    def __init__(self, model: IfStep, path: str, program: Program) -> None:
        super().__init__(model, path)
        self.condition = _all_of(model.if_, f"{path}/if", program.templates)
        self.then = program.add_block(f"{path}/then", model.then)
        self.otherwise = program.add_block(f"{path}/else", model.else_) if model.else_ else None

    async def run(self, host: StepHost, record: StepRecord) -> Flow:
        check = host.check()
        held = self.condition(check)
        record.result = {"result": held, "conditions": _trace(check)}
        if held:
            return Push(self.then)
        return Push(self.otherwise) if self.otherwise is not None else None


def repeat_variable(loop: dict[str, Any]) -> dict[str, Any]:
    """``repeat`` as templates read it, from a loop frame's iteration."""
    index: int = loop["index"]
    view: dict[str, Any] = {"index": index, "first": index == 1}
    if "count" in loop:
        view["last"] = index == loop["count"]
    elif "items" in loop:
        items = loop["items"]
        view["last"] = index == len(items)
        view["item"] = items[index - 1]
    return view


class Repeat(Step):
    kind = "repeat"

    def __init__(self, model: RepeatStep, path: str, program: Program) -> None:
        super().__init__(model, path)
        spec = model.repeat
        templates = program.templates
        self.body = program.add_block(f"{path}/repeat/sequence", spec.sequence)
        self.count: Value | None = (
            templates.compile_value(spec.count, ("count",)) if spec.count is not None else None
        )
        self.for_each: Value | None = (
            templates.compile_value(spec.for_each, ("for_each",))
            if spec.for_each is not None
            else None
        )
        self.while_ = (
            _all_of(spec.while_, f"{path}/repeat/while", templates)
            if spec.while_ is not None
            else None
        )
        self.until = (
            _all_of(spec.until, f"{path}/repeat/until", templates)
            if spec.until is not None
            else None
        )

    async def run(self, host: StepHost, record: StepRecord) -> Flow:
        loop: dict[str, Any] = {"index": 1}
        if self.count is not None:
            count = _count(self.count.render(host.variables, host.scope()))
            record.data = {"count": count}
            if count == 0:
                return None
            loop["count"] = count
        elif self.for_each is not None:
            items = self.for_each.render(host.variables, host.scope())
            if isinstance(items, str) or not isinstance(items, list | tuple):
                raise ValueRenderError(f"for_each rendered as {type(items).__name__}, not a list")
            loop["items"] = [plain(item) for item in items]
            record.data = {"items": loop["items"]}
            if not items:
                return None
        elif self.while_ is not None:
            check = host.check()
            held = self.while_(check)
            record.result = {"iteration": 0, "again": held, "conditions": _trace(check)}
            if not held:
                return None
        host.variables[REPEAT] = repeat_variable(loop)
        return Push(self.body, loop)

    def again(self, host: StepHost, frame: Frame, record: StepRecord) -> bool:
        loop = frame.loop
        assert loop is not None
        index: int = loop["index"]
        result: dict[str, Any] = {"iteration": index}
        go: bool
        if "count" in loop:
            go = index < int(loop["count"])
        elif "items" in loop:
            go = index < len(loop["items"])
        else:
            condition = self.while_ or self.until
            assert condition is not None
            check = host.check()
            held = condition(check)
            go = held if self.while_ is not None else not held
            result["conditions"] = _trace(check)
        result["again"] = go
        record.result = result
        if go:
            loop["index"] = index + 1
            host.variables[REPEAT] = repeat_variable(loop)
        return go


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueRenderError(f"repeat count rendered as {value!r}, not a whole number")
    try:
        number = float(value)
    except ValueError:
        raise ValueRenderError(f"repeat count rendered as {value!r}, not a whole number") from None
    if not number.is_integer() or number < 0:
        raise ValueRenderError(f"repeat count rendered as {value!r}, not a whole number")
    return int(number)


class Parallel(Step):
    kind = "parallel"

    def __init__(self, model: ParallelStep, path: str, program: Program) -> None:
        super().__init__(model, path)
        # Each branch is a block of its one step (a ``sequence`` for several in order).
        self.blocks = [
            program.add_block(f"{path}/parallel/{i}", (step,))
            for i, step in enumerate(model.parallel)
        ]

    async def run(self, host: StepHost, record: StepRecord) -> Flow:
        await host.branches(self.path, self.blocks)
        return None
