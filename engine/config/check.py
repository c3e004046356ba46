"""``vicibus check CONFIG [--strict]``: validate a config without starting anything.

Nothing is listened on and nothing is sent: the file, its includes, secrets.yaml and scenario
files are read, and every section is validated. Each problem is one ``FILE:LINE:COL: message``
line on standard output (warnings read ``FILE:LINE:COL: warning: message``), then one summary
line. The exit status is 1 on any error (and, with ``--strict``, on any warning), else 0.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from engine.config.errors import ConfigError, ConfigProblem
from engine.config.sections import ConfigSection
from engine.config.validate import load


def add_check(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    sections: Sequence[ConfigSection[Any]],
) -> None:
    """The ``check`` subcommand, validating the core and ``sections`` (the integrations')."""
    parser = sub.add_parser(
        "check",
        help="validate a config file without starting anything",
        description="Validate a config file, its includes and secrets without starting "
        "anything. Prints one FILE:LINE:COL: message line per problem on standard output; "
        "exits 1 on any error, 0 otherwise.",
    )
    parser.add_argument("config", metavar="CONFIG", help="the config file (YAML)")
    parser.add_argument("--strict", action="store_true", help="fail on warnings too")
    parser.set_defaults(handler=functools.partial(run_check, sections=tuple(sections)))


def run_check(
    args: argparse.Namespace,
    *,
    sections: Sequence[ConfigSection[Any]],
    out: TextIO | None = None,
) -> int:
    stream = out or sys.stdout
    name = args.config
    try:
        config = load(name, sections)
    except ConfigError as exc:
        _print(exc.problems, stream)
        print(f"{name}: {_summary(exc.problems)}", file=stream)
        return 1
    _print(config.warnings, stream)
    if config.warnings and args.strict:
        print(f"{name}: {_summary(config.warnings)} (failing with --strict)", file=stream)
        return 1
    read = f"{len(config.files)} file{'s' if len(config.files) != 1 else ''} read"
    warned = f", {_summary(config.warnings)}" if config.warnings else ""
    print(f"{name}: OK ({read}{warned})", file=stream)
    return 0


def _print(problems: Sequence[ConfigProblem], stream: TextIO) -> None:
    for problem in problems:
        print(problem, file=stream)


def _summary(problems: Sequence[ConfigProblem]) -> str:
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    parts = [f"{errors} error{'s' if errors != 1 else ''}"] if errors else []
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return ", ".join(parts)
