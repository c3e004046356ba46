"""Which compiled trigger each trigger model becomes, and compiling one."""

from __future__ import annotations

from rules.schema_triggers import (
    AgentEventTrigger,
    CountTrigger,
    EventTrigger,
    NumericStateTrigger,
    ReloadTrigger,
    ScheduleTrigger,
    StartupTrigger,
    StateTrigger,
    TimeTrigger,
    TriggerBase,
    WebhookTrigger,
)
from rules.templates import Templates
from rules.triggers import CompiledTrigger
from rules.triggers_count import CountListener
from rules.triggers_event import (
    AgentEventListener,
    EventListener,
    LifecycleListener,
    WebhookListener,
)
from rules.triggers_state import NumericStateListener, StateListener
from rules.triggers_time import CronSchedule, TimeSchedule

TRIGGER_CLASSES: dict[type[TriggerBase], type[CompiledTrigger]] = {
    WebhookTrigger: WebhookListener,
    AgentEventTrigger: AgentEventListener,
    EventTrigger: EventListener,
    StartupTrigger: LifecycleListener,
    ReloadTrigger: LifecycleListener,
    StateTrigger: StateListener,
    NumericStateTrigger: NumericStateListener,
    TimeTrigger: TimeSchedule,
    ScheduleTrigger: CronSchedule,
}


def compile_trigger(model: TriggerBase, index: int, templates: Templates) -> CompiledTrigger:
    if isinstance(model, CountTrigger):
        return CountListener(
            model, index, templates, compile_trigger(model.events, index, templates)
        )
    return TRIGGER_CLASSES[type(model)](model, index, templates)


def provides(model: TriggerBase) -> frozenset[str]:
    """The ``trigger.<name>`` variables a trigger sets (for the load-time checks)."""
    if isinstance(model, CountTrigger):
        return provides(model.events) | CountListener.provides
    return TRIGGER_CLASSES[type(model)].provides
