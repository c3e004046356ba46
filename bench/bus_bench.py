"""Events per second through the engine's bus, beside a bare asyncio loop and Home Assistant.

The bus runs as the daemon ships it: events enter through a WAIT source (ordering and
backpressure on, the default queue bound), each event is built the way the engine builds one
(a fresh Context and the state store's snapshot). As in Home Assistant's harness
(../shared/anchors/ha_bench, scenario a_bus), 200,000 events are fired in chunks of 1,000
with a yield to the loop after each chunk, and the clock stops when every listener counted
every event.

The baseline is a bare asyncio loop doing the same work without the bus: a deque, one consumer
task and the listeners called in turn.

Home Assistant's figures come from its harness, run in the same session when
``--ha-python PATH`` names the interpreter of its venv (see the anchor's README), else from
the results.json recorded beside it (marked "recorded").

Run: .venv/bin/python bench/bus_bench.py [--events N] [--runs N] [--ha-python PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

from engine.bus import Admission, LocalBus, Publisher, SourcePolicy
from engine.clock import Clock, ClockMode
from engine.context import Context, Origin
from engine.events import Event
from engine.states import StateStore

CHUNK = 1_000
ANCHOR = Path(__file__).resolve().parents[1].parent / "shared" / "anchors" / "ha_bench"


class Counter:
    def __init__(self) -> None:
        self.n = 0
        self.target = 0
        self.done = asyncio.Event()

    def arm(self, target: int) -> None:
        self.n = 0
        self.target = target
        self.done = asyncio.Event()

    def hit(self, event: object) -> None:
        self.n += 1
        if self.n == self.target:
            self.done.set()

    async def hit_async(self, event: object) -> None:
        self.hit(event)


async def publish_chunks(
    source: Publisher, event_type: str, data: Any, n: int, clock: Clock, states: StateStore
) -> None:
    """``n`` webhook events through ``source`` in chunks of CHUNK, yielding between chunks
    (waiting for room when the bus is full), as a receiver under load hands them over."""
    sent = 0
    while sent < n:
        for _ in range(min(CHUNK, n - sent)):
            event = Event(
                event_type, data, clock.time(), Context(Origin.WEBHOOK), states.snapshot()
            )
            if not source.offer(event):
                await source.publish(event)
        sent += CHUNK
        await asyncio.sleep(0)


async def run_bus(n_events: int, n_listeners: int, *, asynchronous: bool = False) -> float:
    clock = Clock(ClockMode.REAL)
    states = StateStore(clock.time)
    bus = LocalBus()
    source = bus.source("webhook", SourcePolicy(Admission.WAIT, wait=5))
    counter = Counter()
    for _ in range(n_listeners):
        if asynchronous:
            bus.subscribe_async("bench_bus", counter.hit_async)
        else:
            bus.subscribe("bench_bus", counter.hit)
    await bus.start()
    data = {"v": 1}

    async def one_run(n: int) -> float:
        counter.arm(n * n_listeners)
        gc.collect()
        started = time.perf_counter()
        await publish_chunks(source, "bench_bus", data, n, clock, states)
        await asyncio.wait_for(counter.done.wait(), 120)
        return n / (time.perf_counter() - started)

    await one_run(max(1000, n_events // 20))
    rate = await one_run(n_events)
    await bus.stop(timeout=5)
    return rate


async def run_bare(n_events: int, n_listeners: int) -> float:
    """The same work on a bare loop: the same events, a deque, a consumer task, the listeners
    in turn; no sources, ordering guarantees, bounds, filters or failure isolation."""
    clock = Clock(ClockMode.REAL)
    states = StateStore(clock.time)
    counter = Counter()
    listeners: list[Callable[[object], None]] = [counter.hit] * n_listeners
    queue: deque[Event[Any]] = deque()
    wake: list[asyncio.Future[None]] = []
    loop = asyncio.get_running_loop()

    async def consume() -> None:
        while True:
            if not queue:
                wake.append(loop.create_future())
                await wake[-1]
                wake.clear()
                continue
            while queue:
                item = queue.popleft()
                for listener in listeners:
                    listener(item)
            await asyncio.sleep(0)

    task = loop.create_task(consume())
    data = {"v": 1}

    async def one_run(n: int) -> float:
        counter.arm(n * n_listeners)
        gc.collect()
        started = time.perf_counter()
        sent = 0
        while sent < n:
            for _ in range(min(CHUNK, n - sent)):
                queue.append(
                    Event(
                        "bench_bus", data, clock.time(), Context(Origin.WEBHOOK), states.snapshot()
                    )
                )
                if wake and not wake[-1].done():
                    wake[-1].set_result(None)
            sent += CHUNK
            await asyncio.sleep(0)
        await asyncio.wait_for(counter.done.wait(), 120)
        return n / (time.perf_counter() - started)

    await one_run(max(1000, n_events // 20))
    rate = await one_run(n_events)
    task.cancel()
    return rate


async def unheard_cost(n_events: int) -> tuple[float, float]:
    """Microseconds per event nobody listens to: building it, and publishing it."""
    clock = Clock(ClockMode.REAL)
    states = StateStore(clock.time)
    bus = LocalBus()
    bus.subscribe("something_else", lambda e: None)
    source = bus.source("webhook", SourcePolicy(Admission.WAIT))
    await bus.start()
    data = {"v": 1}
    gc.collect()
    started = time.perf_counter()
    for _ in range(n_events):
        Event("unheard", data, clock.time(), Context(Origin.WEBHOOK), states.snapshot())
    built = time.perf_counter() - started
    started = time.perf_counter()
    for _ in range(n_events):
        source.offer(
            Event("unheard", data, clock.time(), Context(Origin.WEBHOOK), states.snapshot())
        )
    published = time.perf_counter() - started - built
    await bus.stop(timeout=5)
    return built / n_events * 1e6, published / n_events * 1e6


def median_of(runs: int, bench: Callable[..., Any], *args: Any, **kwargs: Any) -> float:
    return float(statistics.median(asyncio.run(bench(*args, **kwargs)) for _ in range(runs)))


def ha_figures(ha_python: str | None) -> tuple[dict[str, float], str]:
    keys = [f"a_bus[callback,L={n}].events_per_s" for n in (1, 10, 100)]
    keys += [f"a_bus[run_immediately,L={n}].events_per_s" for n in (1, 10, 100)]
    keys.append("a_bus[coroutine,L=1].events_per_s")
    if ha_python:
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "ha.json")
            cmd = [ha_python, str(ANCHOR / "ha_bench.py"), "--only", "a_bus", "--out", out]
            subprocess.run(cmd, check=True, capture_output=True, cwd=ANCHOR)
            figures = json.loads(Path(out).read_text())["figures"]
        label = "measured now"
    else:
        figures = json.loads((ANCHOR / "results.json").read_text())["figures"]
        label = "recorded"
    return {key: figures[key]["median"] for key in keys if key in figures}, label


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--ha-python", help="the python of Home Assistant's bench venv")
    args = parser.parse_args()
    n = args.events

    ha, label = ha_figures(args.ha_python)
    print(f"events through the bus ({n:,} events, chunks of {CHUNK:,}, median of {args.runs})")
    print(
        f"{'listeners':>10} {'vicibus bus':>12} {'bare loop':>12} {'bus/bare':>9}"
        f" {'HA default':>12} {'HA inline':>12} {'bus/HA':>7}   (HA {label})"
    )
    for listeners in (1, 10, 100):
        ours = median_of(args.runs, run_bus, n, listeners)
        bare = median_of(args.runs, run_bare, n, listeners)
        ha_default = ha.get(f"a_bus[callback,L={listeners}].events_per_s", float("nan"))
        ha_inline = ha.get(f"a_bus[run_immediately,L={listeners}].events_per_s", float("nan"))
        print(
            f"{listeners:>10} {ours:>12,.0f} {bare:>12,.0f} {ours / bare:>9.2f}"
            f" {ha_default:>12,.0f} {ha_inline:>12,.0f} {ours / ha_default:>7.2f}"
        )
    ours = median_of(args.runs, run_bus, n, 1, asynchronous=True)
    ha_coro = ha.get("a_bus[coroutine,L=1].events_per_s", float("nan"))
    blank = ""
    print(f"{'1 async':>10} {ours:>12,.0f} {blank:>22} {ha_coro:>12,.0f} {ours / ha_coro:>20.2f}")
    built, published = asyncio.run(unheard_cost(n))
    print(
        f"an event nobody listens to: {built:.2f} us to build, {published:.3f} us more to publish"
    )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
