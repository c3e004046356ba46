"""Rules bench, loading (see rules_bench.py): 10,000 rules from a config file through the
config loader and the rules section as the daemon loads them, in a fresh process, beside the
daemon's graph built with no rules (the base RSS), as Home Assistant's harness measures its
automations. ``python bench/rules_load.py N`` is that fresh process: it prints its figures
as JSON."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def rules_yaml(n: int) -> str:
    lines = []
    for i in range(n):
        lines.append(
            f"  - id: bench_{i}\n"
            "    mode: parallel\n"
            "    max: 1000\n"
            f"    triggers: {{trigger: event, event_type: bench_evt_{i}, event_data: {{k: {i}}}}}\n"
            f"    actions: [{{action: notify.log, data: {{message: '{i}'}}}}]\n"
        )
    return "".join(lines)


def child_g(n: int) -> dict[str, float]:
    """In a fresh process: the daemon's graph for a config with no rules (the base), then
    the config with ``n`` rules through the config loader and the rules section."""
    from engine.app import App
    from engine.config import load_document
    from engine.memory import release_freed_memory

    directory = tempfile.mkdtemp(prefix="rules-bench-g-")
    head = (
        "timezone: UTC\nclock: {mode: manual}\n"
        "vicidial: {simulated: {scenario: demo, traffic: false}}\n"
        f"storage: {{path: {directory}}}\n"
    )
    base_file = Path(directory) / "base.yaml"
    base_file.write_text(head + "rules: []\n")
    full_file = Path(directory) / "rules.yaml"
    full_file.write_text(head + "rules:\n" + rules_yaml(n))
    app = App.load(base_file, environ={})
    gc.collect()
    base = rss_bytes()
    started = time.perf_counter()
    document = load_document(full_file, environ={})
    compiled = app.compile_rules(document)
    load_s = time.perf_counter() - started
    assert len(compiled) == n, len(compiled)
    del document  # App.load keeps no document either
    gc.collect()
    release_freed_memory()  # as App.load does after each load
    after = rss_bytes()
    return {"load_s": load_s, "rss_delta": after - base, "rss_base": base}


def scenario_g(n: int, runs: int) -> list[dict[str, float]]:
    results = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, __file__, str(n)],
            check=True,
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parents[1],
        )
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return results


if __name__ == "__main__":
    print(json.dumps(child_g(int(sys.argv[1]))))
