"""How fast tabular non-agent answers become typed records, next to a bare ``str.split``.

Builds 100,000-row answers of the hopper_list and lead_all_info shapes in each stage, then
times, in the same run, (a) a bare loop splitting the text into lines and fields, and (b) the
client's whole answer path (line reading, records, the result model). Records convert a field
when it is first read, so (b) is timed three ways: parsed only, parsed with two fields read
from every record (what a rule watching a hopper does), and parsed with every field read.
Prints rows/s, MB/s and the ratio of each to (a); the target is a ratio of at least 0.2.

    .venv/bin/python bench/parse_bench.py [rows]
"""

from __future__ import annotations

import dataclasses
import sys
import time
from collections.abc import Callable
from typing import Any

from integrations.vicidial.admin import ADMIN_FUNCTIONS
from integrations.vicidial.admin.records import DELIMITERS, Stage
from integrations.vicidial.client import parse_answer

ROWS = 100_000
REPEATS = 3

HOPPER_ROW = (
    "{i}", "0", "{lead}", "101", "312555{n:04d}", "1", "NY", "NEW", "3", "-5.00", "0",
    "NONE", "S", "VLC{n:04d}", "LIST", "6", "NEVER    ",
)  # fmt: skip
LEAD_ROW = (
    "SALE", "1001", "VLC{n:04d}", "WEB", "101", "-5.00", "1", "407555{n:04d}", "Dr", "Henry",
    "S", "Jekyll", "1 Lab Rd", "", "", "Orlando", "FL", "", "32801", "USA", "M", "1960-03-03",
    "", "henry@example.com", "", "bought premium", "3", "2026-11-26 04:44:08", "5", "1001",
    "101", "{lead}",
)  # fmt: skip


def body(template: tuple[str, ...], stage: Stage, rows: int) -> str:
    delimiter = DELIMITERS[stage]
    line = delimiter.join(template)
    return "".join(line.format(i=i, lead=10_000 + i, n=i % 10_000) + "\n" for i in range(rows))


def best(run: Callable[[], Any]) -> float:
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def bare_split(text: str, delimiter: str) -> int:
    count = 0
    for line in text.split("\n"):
        if line:
            line.split(delimiter)
            count += 1
    return count


def read_fields(records: Any, names: tuple[str, ...]) -> None:
    for record in records:
        for name in names:
            getattr(record, name)


def main(rows: int) -> None:
    cases: list[tuple[str, tuple[str, ...], dict[str, Any]]] = [
        ("hopper_list", HOPPER_ROW, {"campaign_id": "TESTCAMP"}),
        ("lead_all_info", LEAD_ROW, {"lead_id": 12}),
    ]
    print(f"{rows:,} rows per answer, best of {REPEATS}")
    print(f"{'shape':<14}{'stage':<6}{'split rows/s':>14}{'MB/s':>8}"
          f"{'records rows/s':>16}{'MB/s':>8}{'ratio':>7}"
          f"{'2 fields read':>15}{'ratio':>7}{'all read':>12}{'ratio':>7}")  # fmt: skip
    for function, template, params in cases:
        spec = ADMIN_FUNCTIONS.get(function)
        assert spec is not None
        for stage in (Stage.PIPE, Stage.CSV, Stage.TAB):
            text = body(template, stage, rows)
            model = spec.params.model_validate({**params, "stage": stage})
            result = parse_answer(spec, model, text)
            assert len(result.records) == rows  # type: ignore[attr-defined]
            megabytes = len(text.encode()) / 1e6
            split = best(lambda: bare_split(text, DELIMITERS[stage]))  # noqa: B023
            typed = best(lambda: parse_answer(spec, model, text))  # noqa: B023
            every = tuple(f.name for f in dataclasses.fields(result.records[0]))  # type: ignore[attr-defined]
            two = best(
                lambda: read_fields(parse_answer(spec, model, text).records, every[2:4])  # type: ignore[attr-defined]  # noqa: B023
            )
            full = best(
                lambda: read_fields(parse_answer(spec, model, text).records, every)  # type: ignore[attr-defined]  # noqa: B023
            )
            print(
                f"{function:<14}{stage.value:<6}{rows / split:>14,.0f}{megabytes / split:>8.1f}"
                f"{rows / typed:>16,.0f}{megabytes / typed:>8.1f}{split / typed:>7.2f}"
                f"{rows / two:>15,.0f}{split / two:>7.2f}{rows / full:>12,.0f}{split / full:>7.2f}"
            )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else ROWS)
