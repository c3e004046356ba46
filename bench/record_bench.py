"""The recording's cost (``storage.record``): events per second through the bus with it and
without it, in the same run, as bus_bench measures the bus.

Events enter through a WAIT source in chunks of 1,000 with a yield after each (bus_bench's
scenario); one plain listener counts them, and the clock stops when it counted every one.
The recording is a second listener on every event; its thread makes plain data of each
event, masks it, encodes it and writes it. Two payloads: a small mapping (bus_bench's) and a
webhook payload as the receiver makes one (a pydantic model, a pause_max callback).

Figures: the loop's events/s without and with the recording (the ratio is the loop's cost),
then how long the thread took after the last event to have every line written (lines/s),
and what it dropped (past 200,000 lines waiting it drops and counts, never the loop waits).

The file goes to a temporary directory (TMPDIR decides the disk).

Run: .venv/bin/python bench/record_bench.py [--events N] [--runs N]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import Any

from bus_bench import Counter, publish_chunks

from engine.bus import Admission, LocalBus, SourcePolicy
from engine.clock import Clock, ClockMode
from engine.logs import Redactor
from engine.states import StateStore
from engine.storage.recording import Recording, RecordSettings
from integrations.vicidial.webhooks.parser import build_payload
from rules.masking import mask

SECRETS = ("api-token-0123456789abcdef", "webhook-token-0123456789", "vicidial-password-1")


def _payload() -> Any:
    fields = [("user", "1001"), ("campaign", "DEMO"), ("pass", "agentpass1"), ("epoch", "1")]
    return build_payload("pause_max", fields)


async def one(
    n_events: int, data: Any, directory: Path | None
) -> tuple[float, float | None, int, int]:
    """Events/s on the loop; with a recording, the seconds its thread took after the last
    event, the lines written and dropped."""
    clock = Clock(ClockMode.REAL)
    states = StateStore(clock.time)
    bus = LocalBus()
    source = bus.source("webhook", SourcePolicy(Admission.WAIT, wait=5))
    counter = Counter()
    bus.subscribe("bench_record", counter.hit)
    recording = None
    if directory is not None:
        recording = Recording(
            RecordSettings(directory / "recording.jsonl", max_bytes=256 * 1024 * 1024),
            mask=partial(mask, secret=frozenset({"crm_key"})),
            redact=Redactor(SECRETS),
        )
        bus.subscribe(None, recording)
        await recording.start()
    await bus.start()
    counter.arm(n_events)
    gc.collect()
    started = time.perf_counter()
    await publish_chunks(source, "bench_record", data, n_events, clock, states)
    await asyncio.wait_for(counter.done.wait(), 120)
    loop_done = time.perf_counter()
    rate = n_events / (loop_done - started)
    await bus.stop(timeout=5)
    if recording is None:
        return rate, None, 0, 0
    await recording.flush()
    behind = time.perf_counter() - loop_done
    await recording.stop()
    return rate, behind, recording.stats.lines, recording.stats.dropped


async def main(n_events: int, runs: int) -> None:
    print(f"{n_events} events a run, median of {runs} runs")
    for name, data in (("small mapping", {"v": 1}), ("pause_max payload", _payload())):
        bare: list[float] = []
        recorded: list[float] = []
        behind: list[float] = []
        lines: list[int] = []
        dropped: list[int] = []
        for _ in range(runs):
            bare.append((await one(n_events, data, None))[0])
            with tempfile.TemporaryDirectory() as directory:
                rate, late, written, lost = await one(n_events, data, Path(directory))
            recorded.append(rate)
            behind.append(late or 0.0)
            lines.append(written)
            dropped.append(lost)
        base, with_it = statistics.median(bare), statistics.median(recorded)
        after = statistics.median(behind)
        print(f"== {name}")
        print(f"  bus alone (baseline):     {base:>10,.0f} events/s")
        print(f"  bus + recording:          {with_it:>10,.0f} events/s  ({with_it / base:.2f}x)")
        total = n_events / (n_events / with_it + after)
        print(
            f"  recording thread:         {after:>10.2f} s after the last event; "
            f"{total:,.0f} lines/s end to end; {statistics.median(lines):,.0f} written, "
            f"{statistics.median(dropped):,.0f} dropped"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(main(args.events, args.runs))
