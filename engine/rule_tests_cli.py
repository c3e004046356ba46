"""``vicibus test [PATH...] [--strict] [--simulator]``: run rule test files, fit for CI.

Each PATH is a test file or a directory searched for them (every ``.yaml``/``.yml`` file whose
top level has ``tests:``); with none, ``tests/rule_tests`` under the current directory. A line
per test (PASS / FAIL, and ERROR for a file that cannot run, each problem at FILE:LINE:COL),
each failure with the expected service calls beside the actual ones, then a summary. Exit 1
on any failure or file that cannot run, 0 otherwise. docs/testing-rules.md has the format.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from engine.rule_tests_wiring import OfflineBench
from rules.testing.files import find_test_files
from rules.testing.report import file_lines, summary
from rules.testing.runner import FileResult, run_path

DEFAULT_PATH = "tests/rule_tests"


def add_test(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "test",
        help="run rule test files (offline, on a manual clock); exit 1 on any failure",
        description="Run rule test files: each test feeds webhooks, push and state changes "
        "to the rules on a manual clock and checks the service calls they make, with the "
        "services answered by stubs. A PATH is a test file or a directory of them (default: "
        f"{DEFAULT_PATH}). Exits 1 on any failure. See docs/testing-rules.md.",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="test files or directories")
    parser.add_argument(
        "--strict",
        action="store_true",
        help="fail a test whose rules call a service no stub answers",
    )
    parser.add_argument(
        "--simulator",
        action="store_true",
        help="answer the vicidial.* services by a fresh embedded simulated dialer per test",
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="show unstubbed calls of passing tests too"
    )
    parser.set_defaults(handler=run_tests)


def run_tests(args: argparse.Namespace, *, out: TextIO | None = None) -> int:
    stream = out or sys.stdout
    paths: Sequence[str] = args.paths or [DEFAULT_PATH]
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        for path in missing:
            print(f"{path}: no such file or directory", file=stream)
        return 1
    files = [str(f) for f in find_test_files(paths)]
    if not files:
        print(f"no rule test files in {', '.join(paths)}", file=stream)
        return 1
    results = asyncio.run(_run(files, strict=args.strict, simulator=args.simulator))
    for result in results:
        for line in file_lines(result, verbose=args.verbose):
            print(line, file=stream)
    print(summary(results), file=stream)
    return 0 if all(r.passed for r in results) else 1


async def _run(files: Sequence[str], *, strict: bool, simulator: bool) -> list[FileResult]:
    bench = OfflineBench(simulator=simulator)
    # A rule's run errors are what a test checks, not news: keep the console for the report.
    quiet = logging.getLogger("rules")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)
    try:
        return [await run_path(path, bench, strict=strict) for path in files]
    finally:
        quiet.setLevel(level)
