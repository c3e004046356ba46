"""The rule engine: the loaded rules on the bus and the clock.

The daemon builds one ``RuleEngine(core, rules)`` (rules from ``rules.loading``), starts it
after the integrations have set up, fires ``vicibus_started`` (startup triggers), and on a
config reload calls ``reload(new_rules)`` and fires ``vicibus_reloaded``. ``stop()`` cancels
what still runs (reason ``shutdown``).

One bus listener per event type the rules listen to hands each event to the trigger index;
the candidates check it in full, and the rule's runtime checks the conditions and the mode,
inline, so an event that starts nothing costs no task. ``handle(event)`` does the same for an
event given directly and returns the runs it started (a synchronous decider, such as the DID
filter, waits on their outcome).

A reload swaps the whole set at once: a rule whose fingerprint is unchanged keeps its runtime
(its runs, ``for:`` waits and schedules go on); a changed rule's runs are cancelled with the
reason ``rule_changed``, a removed rule's with ``rule_removed``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from engine.bus import Unsubscribe
from engine.core import Core
from engine.events import Event
from rules.compiler import CompiledRule
from rules.index import Entry, TriggerIndex
from rules.records import MemoryRecorder, RunRecorder, declare_run_events
from rules.runner import Run
from rules.runtime import RuleRuntime, Shared
from rules.service_calls import RegistryCaller, ServiceCaller

logger = logging.getLogger("rules")


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
        self._shared = Shared(
            core,
            caller if caller is not None else RegistryCaller(core.services),
            self.recorder,
            self._run_started,
            self._run_ended,
        )
        self._pending_rules = list(rules)
        self._runtimes: dict[str, RuleRuntime] = {}
        self._index = TriggerIndex(())
        self._listening: dict[str, Unsubscribe] = {}
        self._runs: set[Run] = set()
        self._collect: list[Run] | None = None
        self._started = False
        declare_run_events(core.catalog)

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
        fresh: list[RuleRuntime] = []
        for rule in rules:
            kept = old.get(rule.id)
            if kept is not None and kept.rule.fingerprint == rule.fingerprint:
                runtimes[rule.id] = kept
            else:
                runtimes[rule.id] = RuleRuntime(rule, self._shared)
                fresh.append(runtimes[rule.id])
        entries = [
            Entry(trigger, runtime)
            for runtime in runtimes.values()
            if runtime.rule.model.enabled
            for trigger in runtime.rule.listeners
        ]
        index = TriggerIndex(entries)
        # The swap: from here on every event meets the new set only.
        self._runtimes = runtimes
        self._index = index
        self._listen(index.event_types)
        cancelled: list[Run] = []
        for rule_id, runtime in old.items():
            if runtimes.get(rule_id) is not runtime:
                reason = "rule_changed" if rule_id in runtimes else "rule_removed"
                cancelled.extend(runtime.shutdown(reason))
        for runtime in fresh:
            if runtime.rule.model.enabled:
                runtime.attach()
        return cancelled

    def _listen(self, event_types: frozenset[str]) -> None:
        for event_type in list(self._listening):
            if event_type not in event_types:
                self._listening.pop(event_type)()
        for event_type in event_types:
            if event_type not in self._listening:
                self._listening[event_type] = self.core.bus.subscribe(
                    event_type, self._on_event, name=f"rules:{event_type}"
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
                logger.exception("rule %s failed on %s", entry.host.rule.id, event.type)

    def handle(self, event: Event[Any]) -> list[Run]:
        """Hand ``event`` to the rules now (not through the bus); the runs it started."""
        outer = self._collect
        started: list[Run] = []
        self._collect = started
        try:
            self._on_event(event)
        finally:
            self._collect = outer
        return started

    def _run_started(self, run: Run) -> None:
        self._runs.add(run)
        self.stats.runs += 1
        if self._collect is not None:
            self._collect.append(run)

    def _run_ended(self, run: Run) -> None:
        self._runs.discard(run)

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

    # -- tests and replay on a manual clock -----------------------------------------------------

    async def settle(self) -> None:
        """Until the bus is idle and every run has ended or waits on the clock."""
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


async def _ended(runs: list[Run]) -> None:
    if runs:
        await asyncio.gather(*(asyncio.shield(run.done) for run in runs))
