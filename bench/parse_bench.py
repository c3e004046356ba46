"""How fast, and how compactly, tabular non-agent answers become typed records.

Builds 100,000-row answers of the hopper_list (17 columns) and lead_all_info (32 columns)
shapes in each stage and times, in the same run:

- the baseline: a bare loop splitting the text into lines and fields that KEEPS its lists
  (``[line.split(d) for line in text.split("\\n") if line]``), run as plain Python runs it,
  with the cyclic collector on; the same loop with the collector paused is printed beside it,
  since the client pauses it while it builds a table;
- the client's whole answer path (line reading, records, the result model), parsed only and
  then with every field of every record read (``operator.attrgetter`` of all fields).

Then memory, measured with tracemalloc on a fresh answer (not timed): what the records of a
one-row answer keep, and what the records of a 100,000-row answer keep per row, after every
field was read, beside the size of one copy of the data (the record objects and the field
values they hold, each object counted once).

    .venv/bin/python bench/parse_bench.py [rows]
"""

from __future__ import annotations

import dataclasses
import gc
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterable
from operator import attrgetter
from typing import Any

from integrations.vicidial.admin import ADMIN_FUNCTIONS
from integrations.vicidial.admin.records import DELIMITERS, Stage
from integrations.vicidial.client import parse_answer

ROWS = 100_000
REPEATS = 5

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
CASES: list[tuple[str, tuple[str, ...], dict[str, Any]]] = [
    ("hopper_list", HOPPER_ROW, {"campaign_id": "TESTCAMP"}),
    ("lead_all_info", LEAD_ROW, {"lead_id": 12}),
]


def body(template: tuple[str, ...], stage: Stage, rows: int) -> str:
    delimiter = DELIMITERS[stage]
    line = delimiter.join(template)
    return "".join(line.format(i=i, lead=10_000 + i, n=i % 10_000) + "\n" for i in range(rows))


def best(runs: dict[str, Callable[[], Any]]) -> dict[str, float]:
    """The least process time of each run over REPEATS rounds, the runs taking turns in each
    round, so that a change in the machine's load falls on all of them alike."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(REPEATS):
        for name, run in runs.items():
            gc.collect()  # every run starts from the same collector state
            started = time.process_time()
            kept = run()
            times[name].append(time.process_time() - started)
            del kept  # freed outside the timing, as the baseline's lists are
    return {name: min(values) for name, values in times.items()}


def split_keeping(text: str, delimiter: str) -> list[list[str]]:
    return [line.split(delimiter) for line in text.split("\n") if line]


def split_keeping_paused(text: str, delimiter: str) -> list[list[str]]:
    gc.disable()
    try:
        return split_keeping(text, delimiter)
    finally:
        gc.enable()


def read_every_field(records: Iterable[Any], names: tuple[str, ...]) -> None:
    get = attrgetter(*names)
    for record in records:
        get(record)


def kept_bytes(make: Callable[[], Any]) -> tuple[int, Any]:
    """Bytes still allocated after ``make()``, while its value is held."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        value = make()
        gc.collect()
        return tracemalloc.get_traced_memory()[0] - before, value
    finally:
        tracemalloc.stop()


def one_copy(records: Iterable[Any], names: tuple[str, ...]) -> int:
    """Bytes of the record objects and their field values, each object counted once."""
    seen: set[int] = set()
    total = 0
    for record in records:
        for value in (record, *(getattr(record, name) for name in names)):
            if id(value) not in seen and not _shared(value):
                seen.add(id(value))
                total += sys.getsizeof(value)
    return total


def _shared(value: Any) -> bool:
    # None, booleans and small ints are singletons the interpreter owns, not the table.
    return value is None or isinstance(value, bool) or (type(value) is int and -5 <= value < 257)


def main(rows: int) -> None:
    print(f"{rows:,} rows per answer, best of {REPEATS} (process time); rows/s, ratio to baseline")
    print(
        f"{'shape':<14}{'stage':<6}{'split+keep':>12}{'gc paused':>11}"
        f"{'parse':>11}{'ratio':>7}{'every field':>13}{'ratio':>7}{'vs paused':>10}"
    )
    for function, template, params in CASES:
        spec = _spec(function)
        for stage in (Stage.PIPE, Stage.CSV, Stage.TAB):
            text = body(template, stage, rows)
            model = spec.params.model_validate({**params, "stage": stage})
            result: Any = parse_answer(spec, model, text)
            assert len(result.records) == rows
            every = tuple(f.name for f in dataclasses.fields(result.records[0]))
            del result
            delimiter = DELIMITERS[stage]
            took = best(
                {
                    "keep": lambda: split_keeping(text, delimiter),  # noqa: B023
                    "paused": lambda: split_keeping_paused(text, delimiter),  # noqa: B023
                    "parse": lambda: parse_answer(spec, model, text),  # noqa: B023
                    "full": lambda: _parse_and_read(spec, model, text, every),  # noqa: B023
                }
            )
            keep, paused, parse, full = took["keep"], took["paused"], took["parse"], took["full"]
            print(
                f"{function:<14}{stage.value:<6}{rows / keep:>12,.0f}{rows / paused:>11,.0f}"
                f"{rows / parse:>11,.0f}{keep / parse:>7.2f}"
                f"{rows / full:>13,.0f}{keep / full:>7.2f}{paused / full:>10.2f}"
            )
    print()
    print("memory (pipe): bytes the records keep after every field was read")
    print(
        f"{'shape':<14}{'one-row answer':>16}{'one copy':>10}"
        f"{f'{rows:,} rows, per row':>22}{'one copy':>10}"
    )
    for function, template, params in CASES:
        spec = _spec(function)
        model = spec.params.model_validate(params)
        single = body(template, Stage.PIPE, 1)
        _parse_and_read(spec, model, single)  # a layout's reader is built once, on first use
        small, record = kept_bytes(lambda: _parse_and_read(spec, model, single))  # noqa: B023
        every = tuple(f.name for f in dataclasses.fields(record[0]))
        text = body(template, Stage.PIPE, rows)
        large, records = kept_bytes(lambda: _parse_and_read(spec, model, text))  # noqa: B023
        print(
            f"{function:<14}{small:>16,}{one_copy(record, every):>10,}"
            f"{large / rows:>22,.0f}{one_copy(records, every) / rows:>10,.0f}"
        )
        del records


def _spec(function: str) -> Any:
    spec = ADMIN_FUNCTIONS.get(function)
    assert spec is not None
    return spec


def _parse_and_read(spec: Any, model: Any, text: str, every: tuple[str, ...] = ()) -> Any:
    """The records of an answer, every field read; the result around them is let go."""
    records = parse_answer(spec, model, text).records
    read_every_field(records, every or tuple(f.name for f in dataclasses.fields(records[0])))
    return records


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else ROWS)
