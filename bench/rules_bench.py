"""Rules against Home Assistant's automations: the scenarios of ../shared/anchors/ha_bench
(its README defines them), each figure beside HA's and beside a baseline run in this process.

- b: N rules (10, 1,000, 10,000), each an event trigger on its own event type with an
  event_data filter, one matching each event; 20,000 events in windows of 10 (fire 10, wait
  until their 10 service calls ran). Rules run ``mode: parallel``, max 1000, as there.
- b shared: the same N rules on ONE event type, differing only in their filter.
- c: 2,000 state triggers (``agent.<i>`` to ``on``), every entity set 10 times, on and off,
  in windows of 10: state changes per second (half of them start a run).
- d: 2,000 ``for: 1 second`` state triggers armed at once, on the real clock: each timer's
  lateness (its action's start minus its own due time), p50/p99/max, and the last action
  after the last arm (HA's figure).
- e: the moderate template condition (the harness's), rendered 20,000 times.
- f: 100 rules, events at a steady 500/s for 10 s: event fired -> action started, p50/p99.
- f http: the whole path, a webhook HTTP request -> the receiver -> the bus -> a rule -> the
  service's HTTP call to the simulated dialer (arrival at the dialer), p50/p99 at a steady
  rate, beside a bare aiohttp handler making one loopback HTTP call per request.
- g: loading 10,000 rules from a config file through the config loader and the rules section
  as the daemon loads them, in a fresh process: seconds and RSS over the process's base (the
  daemon's graph built, with no rules), as HA's harness measures its automations.

Runs are recorded as the daemon records them: the run journal (SQLite in a temporary
directory, ``--recorder journal``, the default) or in memory (``--recorder memory``). As the
daemon does once started, what start-up made (the rules) is frozen out of the cyclic garbage
collector's sight (``gc.freeze``). Logging is at WARNING, as in HA's harness.

Home Assistant's figures: its harness run for each scenario just before ours when
``--ha-python`` names its venv's python (``/work/ha-venv/bin/python``), so both meet the
machine as busy as it is then; else those recorded in its results.json ("recorded").

Run: .venv/bin/python bench/rules_bench.py [--runs N] [--quick] [--ha-python PATH]
     [--recorder journal|memory] [--only b,c,d,e,f,g]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import logging
import os
import statistics
import subprocess
import tempfile
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import jinja2
from pydantic import BaseModel, ConfigDict
from rules_http import bare_f_http, paced, percentile, scenario_f_http
from rules_load import scenario_g

from engine.clock import Clock, ClockMode
from engine.config.errors import ConfigProblem, Severity
from engine.context import Context, Origin
from engine.core import Core
from engine.events import Event
from engine.services import Service, ServiceCall
from engine.storage.traces import JournalSettings, TraceJournal
from rules.engine import RuleEngine
from rules.journal import JournalRecorder
from rules.loading import load_rules
from rules.records import MemoryRecorder, RunRecorder
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
    """The service every bench rule calls: counts calls, notes when each began."""

    def __init__(self) -> None:
        self.n = 0
        self.target = 0
        self.done = asyncio.Event()
        self.on_call: Callable[[int], None] | None = None

    def arm(self, target: int) -> None:
        self.n, self.target = 0, target
        self.done = asyncio.Event()

    async def count(self, params: CountParams, call: ServiceCall | None = None) -> None:
        if self.on_call is not None:
            self.on_call(params.i)
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


def event_rules(n: int, shared: bool) -> list[dict[str, Any]]:
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


def state_rules(n: int, prefix: str, hold: float | None = None) -> list[dict[str, Any]]:
    rules = []
    for i in range(n):
        trigger: dict[str, Any] = {"trigger": "state", "entity_id": f"{prefix}.{i}", "to": "on"}
        if hold is not None:
            trigger["for"] = {"seconds": hold}
        rules.append(
            {
                "id": f"{prefix}_{i}",
                "mode": "parallel",
                "max": 1000,
                "triggers": trigger,
                "actions": [{"action": "bench.count", "data": {"i": i}}],
            }
        )
    return rules


class Bench:
    """A core, the counting service, rules, and the recorder the daemon would use."""

    def __init__(self, recorder: str, clock: Clock | None = None) -> None:
        self.core = Core(clock or Clock(ClockMode.REAL))
        self.counter = Counter()
        self.core.services.register(Service("bench.count", CountParams, self.counter.count))
        self._kind = recorder
        self._directory = tempfile.TemporaryDirectory(prefix="rules-bench-")
        self.journal: TraceJournal | None = None
        self.recorder: RunRecorder
        if recorder == "journal":
            self.journal = TraceJournal(
                Path(self._directory.name), JournalSettings(), self.core.clock
            )
            self.recorder = JournalRecorder(self.journal)
        else:
            self.recorder = MemoryRecorder()
        self.engine: RuleEngine | None = None

    async def start(self, rules: list[dict[str, Any]]) -> RuleEngine:
        loaded = load_rules(rules, self.core, _Unplaced())
        self.engine = RuleEngine(self.core, loaded.rules, recorder=self.recorder)
        await self.core.start()
        if self.journal is not None:
            await self.journal.start()
        await self.engine.start()
        # As the daemon does once started (engine.app): what start-up made is out of the
        # cyclic collector's sight.
        gc.collect()
        gc.freeze()
        return self.engine

    async def stop(self) -> None:
        gc.unfreeze()
        if self.engine is not None:
            await self.engine.stop()
        if self.journal is not None:
            await self.journal.stop()
        await self.core.stop()
        self._directory.cleanup()


@contextlib.asynccontextmanager
async def bench_for(
    rules: list[dict[str, Any]], recorder: str, clock: Clock | None = None
) -> AsyncIterator[Bench]:
    bench = Bench(recorder, clock)
    await bench.start(rules)
    try:
        yield bench
    finally:
        await bench.stop()


async def windowed(
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


# -- b --------------------------------------------------------------------------------------


async def scenario_b(
    n_rules: int, n_events: int, runs: int, recorder: str, shared: bool
) -> list[float]:
    async with bench_for(event_rules(n_rules, shared), recorder) as bench:
        core, engine = bench.core, bench.engine
        assert engine is not None
        context = Context(Origin.SYSTEM)
        types = ["bench_evt" if shared else f"bench_evt_{k}" for k in range(n_rules)]
        datas = [{"k": k} for k in range(n_rules)]

        def fire(j: int) -> None:
            k = j % n_rules
            core.fire(types[k], datas[k], context=context)

        await windowed(bench.counter, fire, min(1000, n_events), engine.settle)  # warm-up
        rates = []
        for _ in range(runs):
            gc.collect()
            rates.append(await windowed(bench.counter, fire, n_events, engine.settle))
        return rates


async def bare_b(n_events: int, runs: int) -> list[float]:
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

    await windowed(counter, fire, 1000, settle)
    rates = []
    for _ in range(runs):
        gc.collect()
        rates.append(await windowed(counter, fire, n_events, settle))
    return rates


# -- c --------------------------------------------------------------------------------------


async def scenario_c(n: int, rounds: int, runs: int, recorder: str) -> list[float]:
    async with bench_for(state_rules(n, "agent"), recorder) as bench:
        core, engine, counter = bench.core, bench.engine, bench.counter
        assert engine is not None
        ids = [f"agent.{i}" for i in range(n)]
        context = Context(Origin.POLL)
        for entity in ids:
            core.states.set(entity, "off", context=context)
        await engine.settle()

        async def one(rounds: int) -> float:
            gc.collect()
            started = time.perf_counter()
            for r in range(rounds):
                value = "on" if r % 2 == 0 else "off"
                for first in range(0, n, WINDOW):
                    chunk = ids[first : first + WINDOW]
                    if value == "on":
                        counter.arm(len(chunk))
                    for entity in chunk:
                        core.states.set(entity, value, context=context)
                    if value == "on":
                        await counter.done.wait()
                    else:
                        await asyncio.sleep(0)
            elapsed = time.perf_counter() - started
            for entity in ids:
                core.states.set(entity, "off", context=context)
            await engine.settle()
            return n * rounds / elapsed

        await one(2)
        return [await one(rounds) for _ in range(runs)]


# -- d --------------------------------------------------------------------------------------


async def scenario_d(n: int, hold: float, runs: int, recorder: str) -> list[dict[str, float]]:
    async with bench_for(state_rules(n, "timer", hold), recorder) as bench:
        core, engine, counter = bench.core, bench.engine, bench.counter
        assert engine is not None
        ids = [f"timer.{i}" for i in range(n)]
        context = Context(Origin.POLL)
        for entity in ids:
            core.states.set(entity, "off", context=context)
        await engine.settle()
        started_at: list[float] = [0.0] * n
        armed_at: list[float] = [0.0] * n

        def on_call(i: int) -> None:
            started_at[i] = core.clock.time()

        counter.on_call = on_call
        # The engine arms each timer from its state change's time on the engine clock.
        unsubscribe = core.bus.subscribe(
            "state_changed",
            lambda e: armed_at.__setitem__(int(e.data.entity_id.partition(".")[2]), e.time_fired),
            name="bench",
        )

        async def one() -> dict[str, float]:
            gc.collect()
            counter.arm(n)
            t0 = time.perf_counter()
            for entity in ids:
                core.states.set(entity, "on", context=context)
            await asyncio.sleep(0)
            t_armed = time.perf_counter()
            await counter.done.wait()
            t_done = time.perf_counter()
            late = sorted(started_at[i] - (armed_at[i] + hold) for i in range(n))
            for entity in ids:
                core.states.set(entity, "off", context=context)
            await engine.settle()
            return {
                "p50": percentile(late, 50),
                "p99": percentile(late, 99),
                "max": late[-1],
                "after_last_arm": t_done - t_armed,
                "arm_s": t_armed - t0,
            }

        await one()
        results = [await one() for _ in range(runs)]
        unsubscribe()
        return results


# -- e --------------------------------------------------------------------------------------


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


# -- f --------------------------------------------------------------------------------------


async def scenario_f(
    n: int, rate: float, seconds: float, runs: int, recorder: str
) -> list[tuple[float, float]]:
    async with bench_for(event_rules(n, shared=False), recorder) as bench:
        core, engine, counter = bench.core, bench.engine, bench.counter
        assert engine is not None
        pending: list[deque[float]] = [deque() for _ in range(n)]
        latencies: list[float] = []
        perf = time.perf_counter
        counter.on_call = lambda i: latencies.append(perf() - pending[i].popleft())
        context = Context(Origin.SYSTEM)
        types = [f"bench_evt_{i}" for i in range(n)]
        datas = [{"k": i} for i in range(n)]

        def send(j: int) -> None:
            i = j % n
            pending[i].append(perf())
            core.fire(types[i], datas[i], context=context)

        async def one(seconds: float) -> tuple[float, float]:
            latencies.clear()
            total = int(rate * seconds)
            counter.arm(total)
            gc.collect()
            await paced(rate, seconds, send)
            await counter.done.wait()
            await engine.settle()
            return percentile(latencies, 50) * 1e3, percentile(latencies, 99) * 1e3

        await one(1.0)
        return [await one(seconds) for _ in range(runs)]


# -- Home Assistant's figures ---------------------------------------------------------------


class HomeAssistant:
    """HA's figures: its harness run for each scenario just before ours (``--ha-python``), so
    the two meet the machine as busy as it is then; else those of its results.json."""

    def __init__(self, python: str | None, quick: bool, runs: int) -> None:
        self._python = python
        self._quick = quick
        self._runs = runs
        recorded = json.loads((ANCHOR / "results.json").read_text())["figures"]
        self._recorded = {k: v["median"] for k, v in recorded.items() if isinstance(v, dict)}
        self.label = "measured just before each of ours" if python else "recorded"

    def figures(self, *prefixes: str) -> dict[str, float]:
        """The medians of the harness's scenarios whose keys start with ``prefixes``."""
        if self._python is None:
            return self._recorded
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "ha.json")
            cmd = [self._python, str(ANCHOR / "ha_bench.py"), "--out", out]
            cmd += ["--runs", str(self._runs)]
            for prefix in prefixes:
                cmd += ["--only", prefix]
            if self._quick:
                cmd.append("--quick")
            subprocess.run(cmd, check=True, capture_output=True, cwd=ANCHOR)
            figures = json.loads(Path(out).read_text())["figures"]
        return {k: v["median"] for k, v in figures.items() if isinstance(v, dict)}


# -- the report -----------------------------------------------------------------------------


def med(values: list[float]) -> float:
    return float(statistics.median(values))


def spread(values: list[float]) -> str:
    return f"{min(values):,.0f}..{max(values):,.0f}"


NAN = float("nan")


def report(args: argparse.Namespace) -> Iterator[str]:
    only = set(args.only.split(",")) if args.only else set("bcdefg")
    events = 4_000 if args.quick else EVENTS
    sizes = (10, 1_000) if args.quick else (10, 1_000, 10_000)
    runs = args.runs
    ha = HomeAssistant(args.ha_python, args.quick, runs)
    yield f"Home Assistant's figures: {ha.label}; run records: {args.recorder}; median of {runs}"

    if "b" in only:
        bare = asyncio.run(bare_b(events, runs))
        yield f"b: event -> rule -> service call, windows of {WINDOW}, {events:,} events"
        yield f"   bare loop (a task per event, no rules): {med(bare):,.0f} events/s"
        yield f"{'rules':>8} {'vicibus':>10} {'runs':>15} {'HA':>8} {'x HA':>6}"
        for n in sizes:
            theirs = ha.figures(f"b_event_trigger[N={n}]").get(
                f"b_event_trigger[N={n}].events_per_s", NAN
            )
            rates = asyncio.run(scenario_b(n, events, runs, args.recorder, shared=False))
            ours = med(rates)
            ratio = ours / theirs
            yield f"{n:>8,} {ours:>10,.0f} {spread(rates):>15} {theirs:>8,.0f} {ratio:>6.2f}"
        yield "b shared: every rule on one event type, differing by their event_data filter"
        yield f"{'rules':>8} {'vicibus':>10} {'x 10 rules':>10} {'HA':>8} {'x HA':>7}"
        first = NAN
        for n in sizes:
            key = f"b_event_trigger_shared_type[N={n}]"
            theirs = ha.figures(key).get(f"{key}.events_per_s", NAN)
            ours = med(asyncio.run(scenario_b(n, events, runs, args.recorder, shared=True)))
            first = ours if n == sizes[0] else first
            ratio = ours / theirs
            yield f"{n:>8,} {ours:>10,.0f} {ours / first:>10.2f} {theirs:>8,.0f} {ratio:>7.2f}"

    if "c" in only:
        n_c = 200 if args.quick else 2_000
        theirs_c = ha.figures("c_state").get(f"c_state_trigger[N={n_c}].changes_per_s", NAN)
        ours_c = asyncio.run(scenario_c(n_c, 10, runs, args.recorder))
        yield f"c: {n_c:,} state triggers, 10 rounds, windows of {WINDOW}"
        yield (
            f"   vicibus {med(ours_c):,.0f} changes/s ({spread(ours_c)}),"
            f" HA {theirs_c:,.0f} ({med(ours_c) / theirs_c:.2f}x HA)"
        )

    if "d" in only:
        n_d = 200 if args.quick else 2_000
        ha_last = ha.figures("d_state").get(f"d_state_for[N={n_d}].lateness_s", NAN)
        ours_d = asyncio.run(scenario_d(n_d, 1.0, runs, args.recorder))
        yield f"d: {n_d:,} `for: 1 second` timers armed at once (real clock)"
        yield (
            "   lateness per timer (action start - its due time):"
            f" p50 {med([r['p50'] for r in ours_d]) * 1e3:.1f} ms,"
            f" p99 {med([r['p99'] for r in ours_d]) * 1e3:.1f} ms,"
            f" max {med([r['max'] for r in ours_d]) * 1e3:.1f} ms"
        )
        yield (
            "   last action after the last arm, minus 1 s:"
            f" vicibus {(med([r['after_last_arm'] for r in ours_d]) - 1.0) * 1e3:.0f} ms,"
            f" HA {ha_last * 1e3:.0f} ms; arming {med([r['arm_s'] for r in ours_d]) * 1e3:.0f} ms"
        )

    if "e" in only:
        ha_e = ha.figures("e_template").get("e_template_condition.direct_evals_per_s", NAN)
        ours_e = med([scenario_e(events) for _ in range(runs)])
        plain_e = med([baseline_e(events) for _ in range(runs)])
        yield f"e: template condition, {events:,} renders"
        yield (
            f"   vicibus (sandboxed) {ours_e:,.0f}/s, plain Jinja {plain_e:,.0f}/s"
            f" ({ours_e / plain_e:.2f}x), HA {ha_e:,.0f}/s ({ours_e / ha_e:.2f}x HA)"
        )

    if "f" in only:
        seconds = 2.0 if args.quick else 10.0
        ha_f = ha.figures("f_latency")
        ours_f = asyncio.run(scenario_f(100, 500, seconds, runs, args.recorder))
        yield f"f: 100 rules, 500 events/s for {seconds:g} s: event fired -> action started"
        yield (
            f"   vicibus p50 {med([r[0] for r in ours_f]):.3f} ms,"
            f" p99 {med([r[1] for r in ours_f]):.3f} ms;"
            f" HA p50 {ha_f.get('f_latency[N=100].p50_ms', NAN):.3f} ms,"
            f" p99 {ha_f.get('f_latency[N=100].p99_ms', NAN):.3f} ms"
        )
        rate = 200.0
        http_seconds = 2.0 if args.quick else 5.0
        ours_h = asyncio.run(scenario_f_http(rate, http_seconds, runs))
        bare_h = asyncio.run(bare_f_http(rate, http_seconds, runs))
        yield (
            f"f http: webhook request -> rule -> the dialer's HTTP API, {rate:g} requests/s"
            f" for {http_seconds:g} s (request sent -> call arrived at the dialer)"
        )
        yield (
            f"   vicibus p50 {med([r[0] for r in ours_h]):.2f} ms,"
            f" p99 {med([r[1] for r in ours_h]):.2f} ms;"
            f" bare aiohttp handler + one call p50 {med([r[0] for r in bare_h]):.2f} ms,"
            f" p99 {med([r[1] for r in bare_h]):.2f} ms"
        )

    if "g" in only:
        n_g = 1_000 if args.quick else 10_000
        ha_g = ha.figures("g_memory")
        ours_g = scenario_g(n_g, runs)
        ha_load = ha_g.get(f"g_memory[N={n_g}].load_s", NAN)
        ha_rss = ha_g.get(f"g_memory[N={n_g}].rss_delta_bytes", NAN)
        delta = med([r["rss_delta"] for r in ours_g])
        yield f"g: loading {n_g:,} rules through the config loader, a fresh process each"
        yield (
            f"   vicibus {med([r['load_s'] for r in ours_g]):.2f} s,"
            f" {delta / 2**20:.0f} MiB RSS over the base;"
            f" HA {ha_load:.2f} s, {ha_rss / 2**20:.0f} MiB ({delta / ha_rss:.2f}x HA's memory)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="fewer events and rules")
    parser.add_argument("--ha-python", help="the python of Home Assistant's bench venv")
    parser.add_argument("--recorder", choices=("journal", "memory"), default="journal")
    parser.add_argument("--only", help="scenarios, comma-separated: b,c,d,e,f,g")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    for line in report(args):
        print(line, flush=True)


if __name__ == "__main__":
    main()
