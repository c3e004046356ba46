"""Rules: event -> matching rule -> service call, a template condition, and loading rules,
beside Home Assistant's figures for the same scenarios and a baseline measured in this run.

Scenarios of ../shared/anchors/ha_bench (see its README):

- b: N rules, each an event trigger on its own event type with an event_data filter, one
  rule matching each event; 20,000 events fired in windows of 10 (fire 10, wait until their
  10 service calls ran). Rules run in ``mode: parallel`` with max 1000, as there.
- b shared: the same N rules all on ONE event type, differing only in their event_data
  filter (Home Assistant checks every filter for every event; the index does not).
- e: the moderate template condition, rendered 20,000 times with trigger variables.
- load: 10,000 rules loaded (validated, checked, compiled): time and the Python heap they
  hold (tracemalloc), beside Home Assistant's load time and RSS growth.

Baselines in this run: for b, a bare loop that starts one asyncio task per event calling the
same service handler; for e, the same template in a plain (unsandboxed) Jinja environment
with plain functions. Run records are kept in memory (MemoryRecorder); traces on disk come
with the traces journal.

Home Assistant's figures come from its harness, run in the same session when ``--ha-python
PATH`` names the interpreter of its venv (see the anchor's README), else from the results.json
recorded beside it (marked "recorded").

Run: .venv/bin/python bench/rules_bench.py [--runs N] [--quick] [--ha-python PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import gc
import json
import os
import statistics
import subprocess
import tempfile
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import jinja2
from pydantic import BaseModel, ConfigDict

from engine.clock import Clock, ClockMode
from engine.config.errors import ConfigProblem, Severity
from engine.context import Context, Origin
from engine.core import Core
from engine.events import Event
from engine.services import Service, ServiceCall
from rules.engine import RuleEngine
from rules.loading import load_rules
from rules.template_functions import Scope
from rules.template_views import EventView, Lens
from rules.templates import Templates

ANCHOR = Path(__file__).resolve().parents[1].parent / "shared" / "anchors" / "ha_bench"
WINDOW = 10
EVENTS = 20_000
ROOMS = ("kitchen", "living", "hall")
TEMPLATE_CONDITION = (
    "{% set t = states('sensor.bench_temp') | float(0) %}"
    "{% set h = state_attr('sensor.bench_temp', 'humidity') | int(0) %}"
    "{{ is_state('input_boolean.bench_flag', 'on')"
    " and t > 18.5 and t < 35"
    " and h in range(20, 90)"
    " and (trigger.event.data.value | int(0)) % 7 != 8"
    " and trigger.event.data.room in ['kitchen', 'living', 'hall']"
    " and now().year >= 2020 }}"
)


class CountParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    i: int


class Counter:
    def __init__(self) -> None:
        self.n = 0
        self.target = 0
        self.done = asyncio.Event()

    def arm(self, target: int) -> None:
        self.n, self.target = 0, target
        self.done = asyncio.Event()

    async def count(self, params: CountParams, call: ServiceCall | None = None) -> None:
        self.n += 1
        if self.n >= self.target:
            self.done.set()


class _Unplaced:
    def problem(
        self, path: Any, message: str, *, key: bool = False, severity: Severity = "error"
    ) -> ConfigProblem:
        if severity == "error":
            raise SystemExit(f"bench rule {list(path)}: {message}")
        return ConfigProblem("<bench>", 0, 0, message, severity)  # its event types: nobody fires


def _rules(n: int, shared: bool) -> list[dict[str, Any]]:
    return [
        {
            "id": f"bench_{i}",
            "mode": "parallel",
            "max": 1000,
            "triggers": {
                "trigger": "event",
                "event_type": "bench_evt" if shared else f"bench_evt_{i}",
                "event_data": {"k": i},
            },
            "actions": [{"action": "bench.count", "data": {"i": i}}],
        }
        for i in range(n)
    ]


async def _windowed(
    counter: Counter,
    fire: Callable[[int], None],
    n_events: int,
    settle: Callable[[], Awaitable[None]],
) -> float:
    started = time.perf_counter()
    for first in range(0, n_events, WINDOW):
        counter.arm(WINDOW)
        for j in range(first, first + WINDOW):
            fire(j)
        await counter.done.wait()
    elapsed = time.perf_counter() - started
    await settle()
    return n_events / elapsed


async def scenario_b(n_rules: int, n_events: int, *, shared: bool) -> float:
    core = Core(Clock(ClockMode.REAL))
    counter = Counter()
    core.services.register(Service("bench.count", CountParams, counter.count))
    loaded = load_rules(_rules(n_rules, shared), core, _Unplaced())
    engine = RuleEngine(core, loaded.rules)
    await core.start()
    await engine.start()
    context = Context(Origin.SYSTEM)

    def fire(j: int) -> None:
        k = j % n_rules
        core.fire("bench_evt" if shared else f"bench_evt_{k}", {"k": k}, context=context)

    await _windowed(counter, fire, min(1000, n_events), engine.settle)  # warm-up
    gc.collect()
    rate = await _windowed(counter, fire, n_events, engine.settle)
    await engine.stop()
    await core.stop()
    return rate


async def bare_b(n_events: int) -> float:
    """One task per event calling the service handler: no bus, no rules."""
    counter = Counter()
    params = CountParams(i=1)
    tasks: set[asyncio.Task[None]] = set()

    def fire(j: int) -> None:
        task = asyncio.get_running_loop().create_task(counter.count(params))
        tasks.add(task)
        task.add_done_callback(tasks.discard)

    async def settle() -> None:
        await asyncio.sleep(0)

    await _windowed(counter, fire, 1000, settle)
    gc.collect()
    return await _windowed(counter, fire, n_events, settle)


def _template_core() -> Core:
    core = Core(Clock(ClockMode.REAL))
    context = Context(Origin.POLL)
    core.states.set("sensor.bench_temp", "21.5", {"humidity": 45}, context=context)
    core.states.set("input_boolean.bench_flag", "on", context=context)
    return core


def scenario_e(n: int) -> float:
    core = _template_core()
    template = Templates().compile(TEMPLATE_CONDITION)
    scope = Scope(core.states.snapshot(), core.clock.time(), core.clock)
    lens = Lens(core.clock.tz, core.clock.time())
    context = Context(Origin.SYSTEM)
    variables = [
        {
            "trigger": {
                "platform": "event",
                "event": EventView(
                    Event("bench_tpl", {"value": j, "room": ROOMS[j % 3]}, 0.0, context), lens
                ),
            }
        }
        for j in range(100)
    ]
    for j in range(1000):
        assert template.render_bool(variables[j % 100], scope)
    gc.collect()
    started = time.perf_counter()
    for j in range(n):
        template.render_bool(variables[j % 100], scope)
    return n / (time.perf_counter() - started)


def baseline_e(n: int) -> float:
    core = _template_core()
    snapshot = core.states.snapshot()

    def states(entity_id: str) -> str:
        found = snapshot.get(entity_id)
        return "unknown" if found is None else found.state

    def state_attr(entity_id: str, name: str) -> Any:
        found = snapshot.get(entity_id)
        return None if found is None else found.attributes.get(name)

    def is_state(entity_id: str, state: str) -> bool:
        found = snapshot.get(entity_id)
        return found is not None and found.state == state

    env = jinja2.Environment()
    env.globals.update(states=states, state_attr=state_attr, is_state=is_state, now=core.clock.now)
    template = env.from_string(TEMPLATE_CONDITION)
    variables = [
        {"trigger": {"platform": "event", "event": {"data": {"value": j, "room": ROOMS[j % 3]}}}}
        for j in range(100)
    ]
    gc.collect()
    started = time.perf_counter()
    for j in range(n):
        assert template.render(variables[j % 100]) == "True"
    return n / (time.perf_counter() - started)


def scenario_load(n: int) -> tuple[float, int]:
    """Seconds to load ``n`` rules, and the heap the loaded rules hold (measured apart:
    tracing every allocation slows the load several times)."""
    core = Core(Clock(ClockMode.REAL))
    counter = Counter()
    core.services.register(Service("bench.count", CountParams, counter.count))
    data = _rules(n, shared=False)
    gc.collect()
    started = time.perf_counter()
    loaded = load_rules(data, core, _Unplaced())
    elapsed = time.perf_counter() - started
    assert len(loaded.rules) == n
    del loaded
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    kept = load_rules(data, core, _Unplaced())
    gc.collect()
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    assert len(kept.rules) == n
    return elapsed, held


def run_b(n_rules: int, n_events: int, *, shared: bool) -> float:
    return asyncio.run(scenario_b(n_rules, n_events, shared=shared))


def ha_figures(ha_python: str | None, quick: bool) -> tuple[dict[str, float], str]:
    """Home Assistant's figures: its harness run now with ``ha_python`` (scenarios b and e),
    else those recorded in its results.json."""
    if ha_python:
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "ha.json")
            cmd = [ha_python, str(ANCHOR / "ha_bench.py"), "--out", out, "--runs", "3"]
            cmd += ["--only", "b_event_trigger", "--only", "e_template"]
            if quick:
                cmd.append("--quick")
            subprocess.run(cmd, check=True, capture_output=True, cwd=ANCHOR)
            figures = json.loads(Path(out).read_text())["figures"]
        label = "measured now"
    else:
        figures = json.loads((ANCHOR / "results.json").read_text())["figures"]
        label = "recorded"
    recorded = json.loads((ANCHOR / "results.json").read_text())["figures"]
    for key, value in recorded.items():  # what the harness was not asked for now
        figures.setdefault(key, value)
    medians = {key: value["median"] for key, value in figures.items() if isinstance(value, dict)}
    return medians, label


def median(runs: int, bench: Callable[[], float]) -> float:
    return float(statistics.median(bench() for _ in range(runs)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="fewer events and rules")
    parser.add_argument("--ha-python", help="the python of Home Assistant's bench venv")
    args = parser.parse_args()
    events = 4_000 if args.quick else EVENTS
    sizes = (10, 1_000) if args.quick else (10, 1_000, 10_000)
    ha, label = ha_figures(args.ha_python, args.quick)
    print(f"Home Assistant's figures: {label}")

    bare = median(args.runs, lambda: asyncio.run(bare_b(events)))
    print(
        f"b: event -> rule -> service call, windows of {WINDOW}, {events:,} events,"
        f" median of {args.runs}"
    )
    print(f"   bare loop (a task per event, no rules): {bare:,.0f} events/s")
    print(
        f"{'rules':>8} {'vicibus':>10} {'HA':>8} {'x HA':>6}"
        f" {'shared':>10} {'HA shared':>10} {'x HA':>7}"
    )
    for n in sizes:
        ours = median(args.runs, functools.partial(run_b, n, events, shared=False))
        shared = median(args.runs, functools.partial(run_b, n, events, shared=True))
        theirs = ha.get(f"b_event_trigger[N={n}].events_per_s", float("nan"))
        theirs_shared = ha.get(f"b_event_trigger_shared_type[N={n}].events_per_s", float("nan"))
        print(
            f"{n:>8,} {ours:>10,.0f} {theirs:>8,.0f} {ours / theirs:>6.2f}"
            f" {shared:>10,.0f} {theirs_shared:>10,.0f} {shared / theirs_shared:>7.2f}"
        )

    n_evals = events
    ours_e = median(args.runs, lambda: scenario_e(n_evals))
    plain_e = median(args.runs, lambda: baseline_e(n_evals))
    ha_e = ha.get("e_template_condition.direct_evals_per_s", float("nan"))
    print(f"e: template condition, {n_evals:,} renders, median of {args.runs}")
    print(
        f"   vicibus (sandboxed) {ours_e:,.0f}/s, plain Jinja {plain_e:,.0f}/s"
        f" ({ours_e / plain_e:.2f}x), HA {ha_e:,.0f}/s ({ours_e / ha_e:.2f}x HA)"
    )

    n_load = 2_000 if args.quick else 10_000
    load_s, held = scenario_load(n_load)
    ha_load = ha.get("g_memory[N=10000].load_s", float("nan"))
    ha_rss = ha.get("g_memory[N=10000].rss_delta_bytes", float("nan"))
    print(f"load: {n_load:,} rules")
    print(
        f"   vicibus {load_s:.2f} s, {held / 2**20:.0f} MiB held (Python heap);"
        f" HA (10,000) {ha_load:.2f} s, {ha_rss / 2**20:.0f} MiB RSS growth (recorded)"
    )


if __name__ == "__main__":
    main()
