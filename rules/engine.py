"""The rule engine: the loaded rules on the bus and the clock.

The daemon builds one ``RuleEngine(core, rules)`` (rules from ``rules.loading``), starts it
after the integrations have set up, fires ``vicibus_started`` (startup triggers), and on a
config reload calls ``reload(new_rules)`` and fires ``vicibus_reloaded``. ``stop()`` cancels
what still runs (reason ``shutdown``).

One bus listener per event type the rules listen to hands each event to the trigger index;
the candidates check it in full, and the rule's runtime checks the conditions, the cooldown
and the mode, inline, so an event that starts nothing costs no task. ``handle(event)`` does the
same for an event given directly and returns the runs it started. DID filter requests are
answered from their runs (``did_decider``, in ``rules.did_filter``).

A reload swaps the whole set at once: a rule whose fingerprint is unchanged keeps its runtime
(its runs, ``for:`` waits, cooldowns, counts and schedules go on); a changed rule's runs are
cancelled with the reason ``rule_changed``, a removed rule's with ``rule_removed``. The kill
switch (``switch``, the ``rules.enable`` / ``rules.disable`` services) is the engine's own and
holds across reloads.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from engine.bus import Unsubscribe
from engine.core import Core
from engine.errors import FieldProblem, ServiceValidationError
from engine.events import Event
from engine.services import Service, ServiceCall, suggest
from rules.compiler import CompiledRule
from rules.did_filter import DID_FILTER, DidAnswers
from rules.index import Entry, TriggerIndex
from rules.records import MemoryRecorder, RunRecorder, declare_run_events
from rules.runner import Run
from rules.runtime import RuleRuntime, Shared
from rules.service_calls import RegistryCaller, ServiceCaller
from rules.switch import DisableParams, RuleState, RuleSwitch, SwitchParams, SwitchResult

logger = logging.getLogger("rules")

DISABLED = "rule_disabled"
SWITCH_SERVICES = ("rules.enable", "rules.disable")


@dataclass(slots=True)
class EngineStats:
    events: int = 0  # events handed to the index
    checks: int = 0  # triggers that made their full check of one (the index's candidates)
    runs: int = 0  # runs started


class RuleEngine:
    def __init__(
        self,
        core: Core,
        rules: Sequence[CompiledRule] = (),
        *,
        caller: ServiceCaller | None = None,
        recorder: RunRecorder | None = None,
    ) -> None:
        self.core = core
        self.recorder = recorder if recorder is not None else MemoryRecorder()
        self.stats = EngineStats()
        self.switch = RuleSwitch()
        self._shared = Shared(
            core,
            caller if caller is not None else RegistryCaller(core.services),
            self.recorder,
            self._run_started,
            self._run_ended,
            self._run_queued,
        )
        self._pending_rules = list(rules)
        self._runtimes: dict[str, RuleRuntime] = {}
        self._index = TriggerIndex(())
        self._listening: dict[str, Unsubscribe] = {}
        self._runs: set[Run] = set()
        self._collect: list[Run] | None = None
        self._did: DidAnswers | None = None
        self._started = False
        declare_run_events(core.catalog)
        self._services = self._register_services()

    def __repr__(self) -> str:
        return f"RuleEngine({len(self._runtimes)} rules, {len(self._runs)} running)"

    # -- lifecycle ------------------------------------------------------------------------------

    async def start(self) -> None:
        if self._started:
            return
        self._started = True
        self._swap(self._pending_rules)

    async def stop(self) -> None:
        """Cancel every run (reason ``shutdown``) and detach from the bus and the clock."""
        if not self._started:
            return
        self._started = False
        cancelled = []
        for runtime in self._runtimes.values():
            cancelled.extend(runtime.shutdown("shutdown"))
        for unsubscribe in self._listening.values():
            unsubscribe()
        self._listening.clear()
        self._index = TriggerIndex(())
        await _ended(cancelled)

    async def reload(self, rules: Sequence[CompiledRule]) -> None:
        if not self._started:
            self._pending_rules = list(rules)
            return
        await _ended(self._swap(rules))

    def _swap(self, rules: Sequence[CompiledRule]) -> list[Run]:
        old = self._runtimes
        runtimes: dict[str, RuleRuntime] = {}
        for rule in rules:
            kept = old.get(rule.id)
            if kept is not None and kept.rule.fingerprint == rule.fingerprint:
                runtimes[rule.id] = kept
            else:
                runtimes[rule.id] = RuleRuntime(rule, self._shared)
        # The swap: from here on every event meets the new set only.
        self._runtimes = runtimes
        cancelled = self._follow_switch()
        for rule_id, runtime in old.items():
            if runtimes.get(rule_id) is not runtime:
                reason = "rule_changed" if rule_id in runtimes else "rule_removed"
                cancelled.extend(runtime.shutdown(reason))
        return cancelled

    def _follow_switch(self, *, stop_runs: bool = True) -> list[Run]:
        """Index the rules switched on, attach those newly on, suspend those newly off; the
        runs it cancelled."""
        active = [r for r in self._runtimes.values() if self.switch.enabled(r.rule.model)]
        index = TriggerIndex(
            Entry(trigger, host) for runtime in active for trigger, host in runtime.listeners()
        )
        self._index = index
        self._listen(index.event_types)
        cancelled: list[Run] = []
        on = {id(runtime) for runtime in active}
        for runtime in self._runtimes.values():
            if id(runtime) in on:
                runtime.attach()
            elif runtime.attached:
                cancelled.extend(runtime.suspend(DISABLED, stop_runs=stop_runs))
        return cancelled

    def _listen(self, event_types: frozenset[str]) -> None:
        for event_type in list(self._listening):
            if event_type not in event_types:
                self._listening.pop(event_type)()
        for event_type in event_types:
            if event_type not in self._listening:
                listener = self._on_did_filter if event_type == DID_FILTER else self._on_event
                self._listening[event_type] = self.core.bus.subscribe(
                    event_type, listener, name=f"rules:{event_type}"
                )

    # -- events ---------------------------------------------------------------------------------

    def _on_event(self, event: Event[Any]) -> None:
        candidates = self._index.candidates(event)
        stats = self.stats
        stats.events += 1
        stats.checks += len(candidates)
        for entry in candidates:
            try:
                entry(event)
            except Exception:
                # A defect of ours must not keep the other rules from the event.
                logger.exception("rule %s failed on %s", entry.host.rule_id, event.type)

    def handle(self, event: Event[Any]) -> list[Run]:
        """Hand ``event`` to the rules now (not through the bus); the runs it started or
        queued."""
        outer = self._collect
        started: list[Run] = []
        self._collect = started
        try:
            self._on_event(event)
        finally:
            self._collect = outer
        return started

    def _on_did_filter(self, event: Event[Any]) -> None:
        runs = self.handle(event)
        if self._did is not None:
            self._did.seen(event, runs)

    def listens(self, event_type: str) -> bool:
        """Whether a rule switched on listens to events of this type."""
        return event_type in self._index.event_types

    def did_decider(self, fallback: bool) -> DidAnswers:
        """The decider of DID filter requests: the first answering run, else ``fallback``."""
        self._did = DidAnswers(self, fallback)
        return self._did

    def _run_started(self, run: Run) -> None:
        self._runs.add(run)
        self.stats.runs += 1
        if self._collect is not None:
            self._collect.append(run)

    def _run_queued(self, run: Run) -> None:
        if self._collect is not None:
            self._collect.append(run)

    def _run_ended(self, run: Run) -> None:
        self._runs.discard(run)

    # -- the kill switch ------------------------------------------------------------------------

    def _register_services(self) -> list[Callable[[], None]]:
        """``rules.enable`` and ``rules.disable``, answered by this engine: one engine per
        core answers them, so a second one built on the core (a test trying another
        recorder) takes them over from the first."""
        registry = self.core.services
        for name in SWITCH_SERVICES:
            if name in registry:
                owner = getattr(registry.get(name).handler, "__self__", None)
                if isinstance(owner, RuleEngine):
                    owner._unregister_services()
        return [
            registry.register(
                Service(
                    "rules.enable",
                    SwitchParams,
                    self._enable_service,
                    "switch rules on again, by rule_id or group (the kill switch)",
                    SwitchResult,
                )
            ),
            registry.register(
                Service(
                    "rules.disable",
                    DisableParams,
                    self._disable_service,
                    "switch rules off, by rule_id or group; stop_actions cancels their runs",
                    SwitchResult,
                )
            ),
        ]

    def _unregister_services(self) -> None:
        for unregister in self._services:
            unregister()
        self._services = []

    def set_enabled(
        self,
        enabled: bool,
        *,
        rule_ids: Iterable[str] = (),
        groups: Iterable[str] = (),
        who: str,
        stop_actions: bool = True,
    ) -> list[RuleState]:
        """Switch rules on or off by id and by group; UnknownRulesError names any id or group
        no loaded rule has. The state of each rule it concerned."""
        ids, named = tuple(dict.fromkeys(rule_ids)), tuple(dict.fromkeys(groups))
        if not ids and not named:
            raise ServiceValidationError(
                "rules.enable" if enabled else "rules.disable",
                [FieldProblem("rule_id", "name a rule_id or a group")],
            )
        self._check_known(enabled, ids, named)
        members = [r.rule.id for r in self._runtimes.values() if r.rule.model.group in named]
        self.switch.switch(enabled, ids, named, members, who=who, now=self.core.clock.time())
        self._follow_switch(stop_runs=stop_actions)
        what = ", ".join([*ids, *(f"group {g}" for g in named)])
        if enabled:
            logger.info("rules switched on by %s: %s", who, what)
        else:
            more = "" if stop_actions else " (their runs go on)"
            logger.warning("rules switched off by %s: %s%s", who, what, more)
        concerned = dict.fromkeys([*ids, *members])
        return [self.rule_state(rule_id) for rule_id in concerned]

    def _check_known(self, enabled: bool, ids: Sequence[str], groups: Sequence[str]) -> None:
        known_groups = {
            group for r in self._runtimes.values() if (group := r.rule.model.group) is not None
        }
        problems = [
            FieldProblem("rule_id", _unknown("rule", rule_id, list(self._runtimes)))
            for rule_id in ids
            if rule_id not in self._runtimes
        ]
        problems += [
            FieldProblem("group", _unknown("group", group, sorted(known_groups)))
            for group in groups
            if group not in known_groups
        ]
        if problems:
            raise UnknownRulesError("rules.enable" if enabled else "rules.disable", problems)

    def rule_state(self, rule_id: str) -> RuleState:
        model = self._runtimes[rule_id].rule.model
        return RuleState(rule_id=rule_id, group=model.group, enabled=self.switch.enabled(model))

    async def _enable_service(self, params: SwitchParams, call: ServiceCall) -> SwitchResult:
        states = self.set_enabled(
            True, rule_ids=params.rule_id, groups=params.group, who=_who(call)
        )
        return SwitchResult(rules=states)

    async def _disable_service(self, params: DisableParams, call: ServiceCall) -> SwitchResult:
        states = self.set_enabled(
            False,
            rule_ids=params.rule_id,
            groups=params.group,
            who=_who(call),
            stop_actions=params.stop_actions,
        )
        return SwitchResult(rules=states)

    # -- reading --------------------------------------------------------------------------------

    @property
    def rules(self) -> list[CompiledRule]:
        return [runtime.rule for runtime in self._runtimes.values()]

    def runtime(self, rule_id: str) -> RuleRuntime:
        return self._runtimes[rule_id]

    @property
    def runs(self) -> list[Run]:
        """The runs going now (parked on the clock included)."""
        return list(self._runs)

    def dropped(self) -> Counter[str]:
        """Runs kept from running or cancelled by a cooldown or a mode, by reason (every
        rule's ``rule_run_dropped``)."""
        total: Counter[str] = Counter()
        for runtime in self._runtimes.values():
            total.update(runtime.dropped)
        return total

    # -- tests and replay on a manual clock -----------------------------------------------------

    async def settle(self) -> None:
        """Until the bus is idle and every run has ended or is parked (waits on the clock or
        for an event)."""
        while True:
            await self.core.settle()
            moving = [run for run in self._runs if not run.parked]
            if not moving:
                if self.core.bus.idle:
                    return
                continue
            await asyncio.gather(*(run.moved() for run in moving))

    async def advance(self, seconds: float) -> None:
        """Move a manual clock, letting runs and the bus settle before each timer."""
        await self.core.clock.advance(seconds, settle=self.settle)


class UnknownRulesError(ServiceValidationError):
    """A rule id or group that no loaded rule has."""


def _unknown(what: str, name: str, known: list[str]) -> str:
    hint = suggest(name, known)
    more = f"; did you mean {hint[0]!r}?" if hint else ""
    return f"no {what} {name!r}{more}"


def _who(call: ServiceCall) -> str:
    return call.caller or (call.context.user or "unknown")


async def _ended(runs: list[Run]) -> None:
    if runs:
        await asyncio.gather(*(asyncio.shield(run.done) for run in runs))
