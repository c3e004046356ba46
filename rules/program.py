"""A rule's program: its steps compiled, by block, for the run's frames to point into."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rules.run_state import ROOT
from rules.schema_actions import (
    ChooseStep,
    DelayStep,
    DidFilterStep,
    EventStep,
    IfStep,
    ParallelStep,
    RepeatStep,
    SequenceStep,
    ServiceStep,
    StopStep,
    VariablesStep,
    WaitForTriggerStep,
    WaitTemplateStep,
)
from rules.schema_conditions import ConditionBase
from rules.steps import (
    ConditionStep,
    Delay,
    DidFilter,
    FireEvent,
    SequenceBlock,
    ServiceCall,
    SetVariables,
    Step,
    Stop,
)
from rules.steps_flow import Choose, IfThenElse, Parallel, Repeat
from rules.steps_wait import WaitForTrigger, WaitTemplate
from rules.templates import Templates

STEP_CLASSES: dict[type[Any], type[Step]] = {
    ServiceStep: ServiceCall,
    DelayStep: Delay,
    EventStep: FireEvent,
    VariablesStep: SetVariables,
    StopStep: Stop,
    SequenceStep: SequenceBlock,
    WaitTemplateStep: WaitTemplate,
    WaitForTriggerStep: WaitForTrigger,
    ChooseStep: Choose,
    IfStep: IfThenElse,
    RepeatStep: Repeat,
    ParallelStep: Parallel,
    DidFilterStep: DidFilter,
}


class Program:
    """A rule's steps, by block: the run's frames point into it."""

    def __init__(self, actions: Sequence[Any], templates: Templates) -> None:
        self.templates = templates
        self.blocks: dict[str, tuple[Step, ...]] = {}
        self.steps: dict[str, Step] = {}
        self.add_block(ROOT, actions)

    def __repr__(self) -> str:
        return f"Program({len(self.steps)} steps)"

    def add_block(self, block: str, models: Sequence[Any]) -> str:
        """Compile ``models`` as the block at ``block`` (its path); the path."""
        steps = tuple(self._compile(model, f"{block}/{i}") for i, model in enumerate(models))
        self.blocks[block] = steps
        for step in steps:
            self.steps[step.path] = step
        return block

    def _compile(self, model: Any, path: str) -> Step:
        if isinstance(model, ConditionBase):
            return ConditionStep(model, path, self)
        cls = STEP_CLASSES.get(type(model))
        if cls is None:
            raise TypeError(f"no compiler for {type(model).__name__}")
        return cls(model, path, self)  # type: ignore[call-arg]
