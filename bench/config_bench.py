"""Loading a config with many rules: time and memory, beside ruamel's own loaders.

A config with N rules (the shape of the example rules: a webhook trigger with a filter, a
template condition, two actions with data) spread over ten files of a rules.d/ directory, read
with !include_dir_merge_list, then validated with the core and integration sections (rules as
the built-in placeholder: any list of mappings).

Beside it, in the same run, the same text read by ruamel's pure safe loader and by its
round-trip loader (which keeps line and column, as this loader does, but in CommentedMaps).
Memory is what tracemalloc sees: the peak while loading, and what the loaded result keeps.

Run: .venv/bin/python bench/config_bench.py [--rules N]
"""

from __future__ import annotations

import argparse
import gc
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from engine.config import load_document, validate
from engine.config import parse as parse_module
from integrations.notify import CONFIG_SECTIONS as NOTIFY_SECTIONS
from integrations.vicidial.glue import CONFIG_SECTIONS as VICIDIAL_SECTIONS

FILES = 10
RULE = """- id: rule_{i}
  alias: Rule number {i}
  triggers:
    - trigger: webhook
      kind: pause_max
      filter: {{campaign: CAMP{i}}}
  conditions:
    - "{{{{ states('agent.' ~ trigger.payload.user) == 'PAUSED' }}}}"
  actions:
    - action: vicidial.agent.send_notification
      data: {{recipient: "{{{{ trigger.payload.user }}}}", recipient_type: USER,
             notification_text: "You have been paused too long"}}
    - action: vicidial.agent.pause_code
      data: {{agent_user: "{{{{ trigger.payload.user }}}}", value: BREAK}}
"""


def write_tree(root: Path, rules: int) -> Path:
    (root / "rules.d").mkdir()
    per_file = -(-rules // FILES)
    for f in range(FILES):
        chunk = range(f * per_file, min(rules, (f + 1) * per_file))
        text = "".join(RULE.format(i=i) for i in chunk)
        (root / "rules.d" / f"part{f:02}.yaml").write_text(text)
    config = root / "config.yaml"
    config.write_text(
        "vicidial: {simulated: {scenario: demo}}\nrules: !include_dir_merge_list rules.d\n"
    )
    return config


def measure(name: str, work: Callable[[], Any]) -> tuple[float, float, float]:
    """(seconds, peak MiB, kept MiB) of one run of ``work``."""
    gc.collect()
    started = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - started
    del result
    gc.collect()
    tracemalloc.start()
    result = work()
    gc.collect()
    kept, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del result
    mib = 1024 * 1024
    print(
        f"  {name:<44} {seconds:7.2f} s   peak {peak / mib:7.1f} MiB   kept {kept / mib:7.1f} MiB"
    )
    return seconds, peak / mib, kept / mib


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rules", type=int, default=10_000)
    args = parser.parse_args()
    sections = (*VICIDIAL_SECTIONS, *NOTIFY_SECTIONS)
    with tempfile.TemporaryDirectory() as tmp:
        config = write_tree(Path(tmp), args.rules)
        texts = [p.read_text() for p in sorted((Path(tmp) / "rules.d").iterdir())]
        lines = sum(t.count("\n") for t in texts)
        print(f"{args.rules} rules, {lines} lines in {FILES} files")

        def ours() -> Any:
            return validate(load_document(config), sections)

        def ours_document() -> Any:
            return load_document(config)

        def ruamel(typ: str, pure: bool) -> Callable[[], Any]:
            def run() -> Any:
                return [YAML(typ=typ, pure=pure).load(text) for text in texts]

            return run

        fast = measure("vicibus load + validate", ours)
        document = measure("vicibus load (the Document alone)", ours_document)
        c_loader = parse_module._CLoader
        parse_module._CLoader = None
        try:
            pure = measure("vicibus load + validate, pure parser only", ours)
        finally:
            parse_module._CLoader = c_loader
        safe = measure("ruamel safe loader (pure, no places)", ruamel("safe", True))
        rt = measure("ruamel round-trip loader (places kept)", ruamel("rt", True))
        print(f"  C fast path vs pure parser: {pure[0] / fast[0]:.1f}x faster")
        print(
            f"  vs ruamel safe: {safe[0] / fast[0]:.1f}x faster; "
            f"vs round-trip: {rt[0] / fast[0]:.1f}x faster"
        )
        print(
            f"  memory kept by the Document (data and places) vs round-trip: "
            f"{document[2] / rt[2]:.2f}x; the places alone: {document[2] - fast[2]:.1f} MiB"
        )


if __name__ == "__main__":
    main()
