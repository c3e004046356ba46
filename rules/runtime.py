"""One loaded rule at run time: its triggers' host, its mode's gate and its runs.

When a trigger matches, the runtime renders the trigger's and the rule's variables, checks the
conditions against the states as of the triggering event, asks the gate, and then starts a run
or records why it did not. It keeps the rule's ``for:`` waits and time schedules too, so that a
reload that keeps the rule keeps them, and one that changes it ends them with its runs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from engine.clock import Clock, Timer
from engine.context import Context, Origin
from engine.core import Core
from engine.events import RULE_FINISHED, Event
from engine.ids import new_id
from engine.jsonable import to_jsonable
from engine.schedule import Schedule
from engine.services import Service
from engine.states import State, StatesView
from rules.compiler import CompiledRule
from rules.conditions import Check
from rules.errors import RuleError
from rules.masking import mask, secret_values
from rules.modes import Admit, Gate
from rules.records import (
    ErrorInfo,
    NonRunRecord,
    NotRunReason,
    Outcome,
    RuleFinished,
    RuleTriggered,
    RunRecord,
    RunRecorder,
)
from rules.run_state import RunState
from rules.runner import Run
from rules.service_calls import ServiceCaller, find_service
from rules.template_functions import Scope
from rules.triggers import CompiledTrigger, Detach, StillHolds

logger = logging.getLogger("rules")

_LOG_LEVELS = {
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warning": logging.WARNING,
    "error": logging.ERROR,
    "critical": logging.CRITICAL,
}


@dataclass(frozen=True, slots=True)
class Shared:
    """What every rule's runtime uses of the engine."""

    core: Core
    caller: ServiceCaller
    recorder: RunRecorder
    started: Callable[[Run], None]  # the engine tracks every run
    ended: Callable[[Run], None]


class This:
    """``this`` in templates: the rule, with its last start as the run saw it when it began."""

    __slots__ = ("_last", "_runtime")

    def __init__(self, runtime: RuleRuntime, last_triggered: float | None) -> None:
        self._runtime = runtime
        self._last = last_triggered

    def __repr__(self) -> str:
        return f"<this rule {self.id}>"

    @property
    def id(self) -> str:
        return self._runtime.rule.id

    @property
    def alias(self) -> str | None:
        return self._runtime.rule.model.alias

    @property
    def description(self) -> str | None:
        return self._runtime.rule.model.description

    @property
    def group(self) -> str | None:
        return self._runtime.rule.model.group

    @property
    def mode(self) -> str:
        return self._runtime.rule.model.mode

    @property
    def current(self) -> int:
        """Runs of the rule going now."""
        return len(self._runtime.gate.active)

    @property
    def last_triggered(self) -> datetime | None:
        last = self._last
        return None if last is None else datetime.fromtimestamp(last, self._runtime.clock.tz)

    @property
    def last_run(self) -> dict[str, Any] | None:
        """How the rule's last finished run ended: run_id, outcome, reason, started, ended."""
        record = self._runtime.last_run
        if record is None:
            return None
        tz = self._runtime.clock.tz
        return {
            "run_id": record.run_id,
            "outcome": None if record.outcome is None else record.outcome.value,
            "reason": record.reason,
            "started": datetime.fromtimestamp(record.started, tz),
            "ended": None if record.ended is None else datetime.fromtimestamp(record.ended, tz),
        }

    def as_plain(self) -> dict[str, Any]:
        return {"id": self.id, "last_triggered": self._last}


class _Held:
    __slots__ = ("still", "timer")

    def __init__(self, timer: Timer, still: StillHolds) -> None:
        self.timer = timer
        self.still = still


class RuleRuntime:
    def __init__(self, rule: CompiledRule, shared: Shared) -> None:
        self.rule = rule
        self._shared = shared
        self._core = shared.core
        self.recorder = shared.recorder
        self.caller = shared.caller
        model = rule.model
        self.gate: Gate[Run] = Gate(model.mode, model.max)
        self._log_level = _LOG_LEVELS.get(model.max_exceeded)
        self._held: dict[tuple[int, str], _Held] = {}
        self._recorded: dict[tuple[int, int], tuple[Any, Any, list[str]]] = {}
        self._detach: list[Detach] = []
        self.schedules: list[Schedule] = []
        self.last_triggered: float | None = None
        self.last_run: RunRecord | None = None  # the last run that ended
        self.stopping = False

    def __repr__(self) -> str:
        return f"<RuleRuntime {self.rule.id}: {len(self.gate.active)} running>"

    # -- what triggers and runs read ------------------------------------------------------------

    @property
    def clock(self) -> Clock:
        return self._core.clock

    @property
    def states(self) -> StatesView:
        return self._core.states

    def service(self, name: str) -> Service[Any] | None:
        return find_service(self._core.services, name)

    def recorded_data(
        self,
        service: Service[Any] | None,
        secret: frozenset[str],
        data: Mapping[str, Any],
        static: bool,
    ) -> tuple[Any, list[str]]:
        """A step's data as its record keeps it (plain, secrets masked) and its secret values;
        worked out once for the rule's literal data."""
        key = (id(service), id(data))
        if static:
            hit = self._recorded.get(key)
            if hit is not None and hit[0] is data:
                return hit[1], hit[2]
        recorded = mask(to_jsonable(dict(data)), secret)
        secrets = secret_values(data, secret)
        if static:
            self._recorded[key] = (data, recorded, secrets)
        return recorded, secrets

    def this(self) -> This:
        return This(self, self.last_triggered)

    # -- attaching ------------------------------------------------------------------------------

    def attach(self) -> None:
        """Start the rule's time triggers."""
        for trigger in self.rule.timed:
            detach, schedules = trigger.attach(self)
            self._detach.append(detach)
            self.schedules.extend(schedules)

    def shutdown(self, reason: str) -> list[Run]:
        """End everything of this rule: its runs (cancelled with ``reason``), its waits and
        schedules. The runs it cancelled, to wait for."""
        self.stopping = True
        for detach in self._detach:
            detach()
        self._detach.clear()
        self.schedules.clear()
        for held in self._held.values():
            held.timer.cancel()
        self._held.clear()
        runs = self.gate.all()
        for run in runs:
            run.cancel(reason)
        return runs

    # -- TriggerHost ----------------------------------------------------------------------------

    def timer_event(self, platform: str, data: dict[str, Any]) -> Event[Any]:
        return self._core.event(platform, data, Context(Origin.SCHEDULE))

    def hold(
        self,
        trigger: CompiledTrigger,
        key: str,
        seconds: float,
        variables: dict[str, Any],
        event: Event[Any],
        still: StillHolds,
    ) -> None:
        slot = (trigger.index, key)
        if slot in self._held:
            return

        def due() -> None:
            self._held.pop(slot, None)
            self.fire(trigger, variables, event, self._core.states.snapshot())

        timer = self.clock.call_at(event.time_fired + seconds, due)
        self._held[slot] = _Held(timer, still)

    def recheck(self, trigger: CompiledTrigger, key: str, state: State | None) -> None:
        held = self._held.get((trigger.index, key))
        if held is not None and not held.still(state):
            held.timer.cancel()
            del self._held[trigger.index, key]

    @property
    def waiting(self) -> int:
        """How many ``for:`` waits are running."""
        return len(self._held)

    def fire(
        self,
        trigger: CompiledTrigger,
        variables: dict[str, Any],
        event: Event[Any],
        states: StatesView | None,
    ) -> None:
        if self.stopping:
            return
        rule = self.rule
        clock = self.clock
        snapshot = states if states is not None else self._core.states.snapshot()
        scope = Scope(snapshot, event.time_fired, clock)
        run_vars: dict[str, Any] = {"trigger": variables, "this": self.this()}
        check = Check(run_vars, scope, self._now_scope, "trigger", trigger.id)
        try:
            if trigger.variables is not None:
                run_vars.update(trigger.variables.render(run_vars, scope))
            for name, value in rule.variables:
                run_vars[name] = value.render(run_vars, scope)
            passed = rule.conditions is None or rule.conditions(check)
        except RuleError as exc:
            self._failed_before_start(trigger, event, run_vars, check, exc)
            return
        if not passed:
            self._not_run(trigger, event, NotRunReason.CONDITIONS, check)
            return
        decision = self.gate.decide()
        if decision.admit is Admit.DROP:
            assert decision.reason is not None
            self._not_run(trigger, event, decision.reason, check)
            if self._log_level is not None:
                logger.log(
                    self._log_level,
                    "rule %s: not run (%s): a run is going",
                    rule.id,
                    decision.reason.value,
                )
            return
        for running in decision.cancel:
            running.cancel("restart")
        context = self._context(event)
        run = Run(self, self._record(trigger, event, context, run_vars, check), run_vars, event)
        if decision.admit is Admit.QUEUE:
            self.gate.queue(run)
            return
        self._start(run)

    def _now_scope(self) -> Scope:
        return Scope(self._core.states, self.clock.time(), self.clock)

    def _context(self, event: Event[Any]) -> Context:
        return event.context.child(Origin.RULE, user=f"rule:{self.rule.id}")

    def _record(
        self,
        trigger: CompiledTrigger,
        event: Event[Any],
        context: Context,
        variables: dict[str, Any],
        check: Check,
    ) -> RunRecord:
        run_id = new_id()
        rule = self.rule
        return RunRecord(
            run_id=run_id,
            rule_id=rule.id,
            trigger_id=trigger.id,
            platform=trigger.platform,
            event_type=event.type,
            event_context=event.context,
            context=context,
            started=self.clock.time(),
            state=RunState(run_id, rule.id, rule.fingerprint, variables),
            conditions=check.trace,
            event=event,
        )

    def _start(self, run: Run) -> None:
        run.record.started = self.clock.time()
        self.gate.start(run)
        self.last_triggered = run.record.started
        self.recorder.run_started(run.record)
        self._shared.started(run)
        run.start()

    def run_ended(self, run: Run) -> None:
        following = self.gate.finish(run)
        record = run.record
        self.last_run = record
        if run.task is None:  # queued, and cancelled before its turn: on record all the same
            self.recorder.run_started(record)
        self.recorder.run_finished(record)
        self._shared.ended(run)
        self.fire_engine_event(RULE_FINISHED, self._finished_data(record), run.context)
        if following is not None and not self.stopping:
            self._start(following)

    def _failed_before_start(
        self,
        trigger: CompiledTrigger,
        event: Event[Any],
        variables: dict[str, Any],
        check: Check,
        exc: RuleError,
    ) -> None:
        """A variable or condition that cannot be rendered: a run that ends as an error
        before its first step, so the mistake is on record, never a silent false."""
        context = self._context(event)
        record = self._record(trigger, event, context, variables, check)
        record.ended = record.started
        record.outcome = Outcome.ERROR
        record.reason = "conditions could not be checked"
        record.error = ErrorInfo.of(exc)
        self.recorder.run_started(record)
        self.recorder.run_finished(record)
        self.fire_engine_event(RULE_FINISHED, self._finished_data(record), context)
        logger.warning("rule %s: %s: %s", self.rule.id, record.reason, record.error)

    def _not_run(
        self, trigger: CompiledTrigger, event: Event[Any], reason: NotRunReason, check: Check
    ) -> None:
        self.recorder.not_run(
            NonRunRecord(
                rule_id=self.rule.id,
                trigger_id=trigger.id,
                platform=trigger.platform,
                event_type=event.type,
                event_context=event.context,
                time=self.clock.time(),
                reason=reason,
                conditions=check.trace,
                event=event,
            )
        )

    # -- events of runs -------------------------------------------------------------------------

    def triggered_data(self, run: Run) -> RuleTriggered:
        record = run.record
        return RuleTriggered(
            record.rule_id, record.run_id, record.trigger_id, self.rule.model.alias
        )

    @staticmethod
    def _finished_data(record: RunRecord) -> RuleFinished:
        return RuleFinished(
            record.rule_id,
            record.run_id,
            record.trigger_id,
            (record.outcome or Outcome.FINISHED).value,
            record.reason,
            None if record.error is None else str(record.error),
            record.response,
        )

    def fire_engine_event(self, event_type: str, data: Any, context: Context) -> None:
        self._core.fire(event_type, data, context=context)
