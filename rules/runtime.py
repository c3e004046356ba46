"""One loaded rule at run time: its triggers' host, its cooldowns, its mode's gates and runs.

When a trigger matches, the runtime renders the trigger's and the rule's variables, checks the
conditions against the states as of the triggering event, then the cooldown of the run's key,
then asks the gate of its concurrency key, and starts a run or records why it did not (each
non-run with its reason, and counted: ``dropped``). It keeps the rule's ``for:`` waits, count
windows, cooldowns and time schedules too, so that a reload that keeps the rule keeps them,
and one that changes it ends them with its runs. Switching a rule off (``suspend``) ends its
waits and schedules, and its runs unless told otherwise; its cooldowns and counts stay.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from engine.bus import Listener, Unsubscribe
from engine.clock import Clock
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
from rules.cooldowns import Cooldowns
from rules.errors import RuleError
from rules.filters import as_text
from rules.holds import Holds, StillHolds
from rules.masking import mask, secret_values
from rules.modes import Admit, Gates
from rules.records import (
    ConditionRecord,
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
from rules.this import This
from rules.triggers import CompiledTrigger, Detach
from rules.triggers_count import CountHost, CountListener

logger = logging.getLogger("rules")

_LOG_LEVELS = {
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warning": logging.WARNING,
    "error": logging.ERROR,
    "critical": logging.CRITICAL,
}
RESTART = "restart"


@dataclass(frozen=True, slots=True)
class Shared:
    """What every rule's runtime uses of the engine."""

    core: Core
    caller: ServiceCaller
    recorder: RunRecorder
    started: Callable[[Run], None]  # the engine tracks every run
    ended: Callable[[Run], None]
    queued: Callable[[Run], None]  # a run admitted to wait for its turn


class RuleRuntime:
    def __init__(self, rule: CompiledRule, shared: Shared) -> None:
        self.rule = rule
        self._shared = shared
        self._core = shared.core
        self.recorder = shared.recorder
        self.caller = shared.caller
        self.caller_name = f"rule:{rule.id}"  # who asks, for the services it calls
        model = rule.model
        per_key = model.concurrency
        self.gates: Gates[Run] = (
            Gates(per_key.mode, per_key.max) if per_key else Gates(model.mode, model.max)
        )
        self._log_level = _LOG_LEVELS.get(model.max_exceeded)
        self.holds = Holds(self._core.clock)
        self.cooldowns = Cooldowns()
        self.counts = {
            trigger.index: CountHost(self, trigger)
            for trigger in rule.triggers
            if isinstance(trigger, CountListener)
        }
        self.dropped: Counter[str] = Counter()  # runs kept from running or cancelled, by reason
        self._recorded: dict[tuple[int, int], tuple[Any, Any, list[str]]] = {}
        self._detach: list[Detach] = []
        self.schedules: list[Schedule] = []
        self.last_triggered: float | None = None
        self.last_run: RunRecord | None = None  # the last run that ended
        self.attached = False  # listening: triggers fire, schedules run
        self.stopping = False

    def __repr__(self) -> str:
        return f"<RuleRuntime {self.rule.id}: {self.gates.active} running>"

    # -- what triggers and runs read ------------------------------------------------------------

    @property
    def rule_id(self) -> str:
        return self.rule.id

    @property
    def clock(self) -> Clock:
        return self._core.clock

    @property
    def states(self) -> StatesView:
        return self._core.states

    def snapshot(self) -> StatesView:
        return self._core.states.snapshot()

    def service(self, name: str) -> Service[Any] | None:
        return find_service(self._core.services, name)

    def subscribe(self, event_type: str, listener: Listener) -> Unsubscribe:
        return self._core.bus.subscribe(event_type, listener, name=f"rule {self.rule.id} wait")

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

    def to_dict(self) -> dict[str, Any]:
        """What the rule keeps between runs, as plain data: cooldowns, count windows, and
        the ``for:`` waits (slot and due time)."""
        return {
            "cooldowns": self.cooldowns.to_dict(),
            "counts": {host.trigger.id: host.windows.to_dict() for host in self.counts.values()},
            "for": [{"slot": list(slot), "until": when} for slot, when in self.holds.due_times()],
        }

    # -- attaching ------------------------------------------------------------------------------

    def listeners(self) -> list[tuple[Any, Any]]:
        """Each trigger that listens to events, with the host it fires through (a count
        trigger's host for the trigger it counts)."""
        return [pair for pair in self._hosted() if hasattr(pair[0], "on_event")]

    def _hosted(self) -> list[tuple[CompiledTrigger, Any]]:
        pairs: list[tuple[CompiledTrigger, Any]] = []
        for trigger in self.rule.triggers:
            if isinstance(trigger, CountListener):
                pairs.append((trigger.inner, self.counts[trigger.index]))
            else:
                pairs.append((trigger, self))
        return pairs

    def attach(self) -> None:
        """Start listening: the time triggers' schedules (the index brings the events)."""
        if self.attached:
            return
        self.attached = True
        for trigger, host in self._hosted():
            if hasattr(trigger, "attach"):
                detach, schedules = trigger.attach(host)
                self._detach.append(detach)
                self.schedules.extend(schedules)

    def suspend(self, reason: str, *, stop_runs: bool = True) -> list[Run]:
        """Stop listening: schedules and ``for:`` waits end, and with ``stop_runs`` the runs
        (cancelled with ``reason``). The runs it cancelled, to wait for."""
        self.attached = False
        for detach in self._detach:
            detach()
        self._detach.clear()
        self.schedules.clear()
        self.holds.cancel()
        if not stop_runs:
            return []
        runs = self.gates.all()
        for run in runs:
            run.cancel(reason)
        return runs

    def shutdown(self, reason: str) -> list[Run]:
        """End everything of this rule for good (a reload changed or removed it, the engine
        stops): its runs, waits and schedules. The runs it cancelled, to wait for."""
        self.stopping = True
        return self.suspend(reason)

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
        def due() -> None:
            self.fire(trigger, variables, event, self._core.states.snapshot())

        self.holds.hold((trigger.index, key), event.time_fired + seconds, due, still)

    def recheck(self, trigger: CompiledTrigger, key: str, state: State | None) -> None:
        self.holds.recheck((trigger.index, key), state)

    def fire(
        self,
        trigger: CompiledTrigger,
        variables: dict[str, Any],
        event: Event[Any],
        states: StatesView | None,
    ) -> None:
        if not self.attached:
            return
        rule = self.rule
        clock = self.clock
        snapshot = states if states is not None else self._core.states.snapshot()
        scope = Scope(snapshot, event.time_fired, clock)
        run_vars: dict[str, Any] = {"trigger": variables, "this": self.this()}
        conditions = rule.conditions
        trace: list[ConditionRecord] = []
        try:
            if trigger.variables is not None:
                run_vars.update(trigger.variables.render(run_vars, scope))
            for name, value in rule.variables:
                run_vars[name] = value.render(run_vars, scope)
            if conditions is not None:
                check = Check(run_vars, scope, self._now_scope, "trigger", trigger.id, trace)
                if not conditions(check):
                    self._not_run(trigger, event, NotRunReason.CONDITIONS, trace)
                    return
        except RuleError as exc:
            self._failed_before_start(trigger, event, run_vars, trace, exc)
            return
        self._admit(trigger, event, run_vars, trace, scope)

    def _admit(
        self,
        trigger: CompiledTrigger,
        event: Event[Any],
        run_vars: dict[str, Any],
        trace: list[ConditionRecord],
        scope: Scope,
    ) -> None:
        """The conditions held: the cooldown of the run's key, then the gate of its
        concurrency key; start the run, queue it, or record why not."""
        rule = self.rule
        cooldown = rule.cooldown
        try:
            key = _key(rule.concurrency_key, run_vars, scope)
            if cooldown is not None:
                cool_key = _key(cooldown.key, run_vars, scope)
                cool_for = cooldown.seconds.seconds(run_vars, scope)
        except RuleError as exc:
            self._failed_before_start(trigger, event, run_vars, trace, exc, "its keys")
            return
        now = self.clock.time()
        if cooldown is not None and self.cooldowns.active(cool_key, now):
            self._dropped(trigger, event, NotRunReason.COOLDOWN, trace, cool_key)
            return
        decision = self.gates.decide(key)
        if decision.admit is Admit.DROP:
            assert decision.reason is not None
            self._dropped(trigger, event, decision.reason, trace, key)
            return
        for running in decision.cancel:
            self.dropped[RESTART] += 1
            running.cancel(RESTART)
        if cooldown is not None:
            self.cooldowns.start(cool_key, now, cool_for)
        record = self._record(trigger, event, self._context(event), run_vars, trace, now)
        record.key = key or None
        run = Run(self, record, run_vars, event)
        if decision.admit is Admit.QUEUE:
            record.queued = now
            self.gates.queue(key, run)
            self._shared.queued(run)
            return
        self._start(run, now)

    def _now_scope(self) -> Scope:
        return Scope(self._core.states, self.clock.time(), self.clock)

    def _context(self, event: Event[Any]) -> Context:
        return event.context.child(Origin.RULE, user=self.caller_name)

    def _record(
        self,
        trigger: CompiledTrigger,
        event: Event[Any],
        context: Context,
        variables: dict[str, Any],
        trace: list[ConditionRecord],
        now: float,
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
            started=now,
            state=RunState(
                variables, run_id=run_id, rule_id=rule.id, rule_version=rule.fingerprint
            ),
            conditions=trace,
            event=event,
        )

    def _start(self, run: Run, now: float | None = None) -> None:
        """Start ``run`` now (``now``: the time it was admitted at, if that is now)."""
        run.record.started = self.clock.time() if now is None else now
        self.gates.start(run.record.key or "", run)
        self.last_triggered = run.record.started
        self.recorder.run_started(run.record)
        self._shared.started(run)
        run.start()

    def run_ended(self, run: Run) -> None:
        following = self.gates.finish(run.record.key or "", run)
        record = run.record
        self.last_run = record
        if run.task is None:  # queued, and cancelled before its turn: on record all the same
            self.recorder.run_started(record)
        self.recorder.run_finished(record)
        self._shared.ended(run)
        self.fire_engine_event(RULE_FINISHED, self._finished_data(record), run.context)
        if following is not None and not self.stopping:
            self._start(following)

    def trigger_failed(
        self,
        trigger: CompiledTrigger,
        event: Event[Any],
        variables: dict[str, Any],
        exc: RuleError,
    ) -> None:
        """A count trigger's key could not be rendered: on record as the rule's error."""
        self._failed_before_start(trigger, event, variables, [], exc, "the count's key")

    def _failed_before_start(
        self,
        trigger: CompiledTrigger,
        event: Event[Any],
        variables: dict[str, Any],
        trace: list[ConditionRecord],
        exc: RuleError,
        what: str = "conditions",
    ) -> None:
        """A variable, condition or key that cannot be rendered: a run that ends as an error
        before its first step, so the mistake is on record, never a silent false."""
        context = self._context(event)
        record = self._record(trigger, event, context, variables, trace, self.clock.time())
        record.ended = record.started
        record.outcome = Outcome.ERROR
        record.reason = f"{what} could not be checked"
        record.error = ErrorInfo.of(exc)
        self.recorder.run_started(record)
        self.recorder.run_finished(record)
        self.fire_engine_event(RULE_FINISHED, self._finished_data(record), context)
        logger.warning("rule %s: %s: %s", self.rule.id, record.reason, record.error)

    def _dropped(
        self,
        trigger: CompiledTrigger,
        event: Event[Any],
        reason: NotRunReason,
        trace: list[ConditionRecord],
        key: str,
    ) -> None:
        """Kept from running by the cooldown or the mode: recorded, counted and logged."""
        self.dropped[reason.value] += 1
        self._not_run(trigger, event, reason, trace, key)
        level = logging.DEBUG if reason is NotRunReason.COOLDOWN else self._log_level
        if level is not None and logger.isEnabledFor(level):
            of = f" of key {key!r}" if key else ""
            logger.log(level, "rule %s: not run (%s): a run%s is going", self.rule.id, reason, of)

    def _not_run(
        self,
        trigger: CompiledTrigger,
        event: Event[Any],
        reason: NotRunReason,
        trace: list[ConditionRecord],
        key: str = "",
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
                conditions=trace,
                key=key or None,
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
            record.outcome or Outcome.FINISHED,  # a StrEnum: its own text
            record.reason,
            None if record.error is None else str(record.error),
            record.response,
        )

    def fire_engine_event(self, event_type: str, data: Any, context: Context) -> None:
        self._core.fire(event_type, data, context=context)


def _key(value: Any, variables: dict[str, Any], scope: Scope) -> str:
    """A concurrency or cooldown key: its template rendered as text (none: ``""``)."""
    if value is None:
        return ""
    return as_text(value.render(variables, scope)) or ""
