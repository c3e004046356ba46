"""``vicibus check CONFIG [--strict] [--online]``: is this config ready to run?

Without ``--online`` nothing is listened on and nothing is sent: the config, its includes,
secrets and scenario files are read, the daemon's object graph is built as ``vicibus run``
builds it (every service and event type the integrations register), and every rule is checked
against it. Each problem is one ``FILE:LINE:COL: message`` line on standard output (warnings
read ``FILE:LINE:COL: warning: message``), then a summary line. Exit 1 on any error (with
``--strict``, on any warning), else 0.

``--online`` then logs in with the configured API users (or the embedded simulated dialer's)
and asks the dialer, function by function, whether they may call what the poller and the rules
call (see integrations.vicidial.glue.online); a function they may not call is an error.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Iterable
from typing import Any, TextIO

from engine.app import App
from engine.config import ConfigError, ConfigProblem
from integrations.vicidial.glue.online import check_online, service_functions
from integrations.vicidial.glue.setup import VicidialIntegration


def add_check(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "check",
        help="validate a config file and its rules without starting anything",
        description="Validate a config file, its includes, secrets and rules without starting "
        "anything. Prints one FILE:LINE:COL: message line per problem on standard output; "
        "exits 1 on any error, 0 otherwise. --online also asks the dialer whether the API "
        "users may call every function the poller and the rules use.",
    )
    parser.add_argument("config", metavar="CONFIG", help="the config file (YAML)")
    parser.add_argument("--strict", action="store_true", help="fail on warnings too")
    parser.add_argument(
        "--online",
        action="store_true",
        help="log in to the dialer and check the API users' permissions (sends requests)",
    )
    parser.set_defaults(handler=run_check)


def run_check(args: argparse.Namespace, *, out: TextIO | None = None) -> int:
    stream = out or sys.stdout
    name = args.config
    try:
        app = App.load(name, keep_tokens=False)
    except ConfigError as exc:
        _print(exc.problems, stream)
        print(f"{name}: {summary(exc.problems)}", file=stream)
        return 1
    warnings = app.config.warnings
    _print(warnings, stream)
    if warnings and args.strict:
        print(f"{name}: {summary(warnings)} (failing with --strict)", file=stream)
        return 1
    files = len(app.config.files)
    read = f"{files} file{'s' if files != 1 else ''} read"
    rules = len(app.compiled)
    warned = f", {summary(warnings)}" if warnings else ""
    print(f"{name}: OK ({read}, {rules} rule{'s' if rules != 1 else ''}{warned})", file=stream)
    if args.online:
        return asyncio.run(_online(app, stream))
    return 0


async def _online(app: App, stream: TextIO) -> int:
    integration = app.vicidial
    used = sorted(_services(rule.model for rule in app.compiled))
    try:
        await _reach(app, integration)
        clients: dict[str, Any] = {"agent": integration.agent, "admin": integration.admin}
        probes = await check_online(clients, service_functions(used))
    finally:
        await integration.stop()
    for probe in probes:
        print(probe, file=stream)
    failed = [p for p in probes if p.failed]
    verdict = f"{len(failed)} function(s) the API users may not call" if failed else "OK"
    print(f"{app.config.file}: online: {verdict}", file=stream)
    return 1 if failed else 0


async def _reach(app: App, integration: VicidialIntegration) -> None:
    """The dialer's clients, without the poller (and the embedded dialer, when simulated, on
    a free port: the running daemon's holds the configured one)."""
    await integration.connect("http://127.0.0.1:9", traffic=False, port=0)


def _services(models: Iterable[Any]) -> set[str]:
    """Every service name an action of these rules calls (``action:`` steps, at any depth)."""
    found: set[str] = set()
    stack: list[Any] = [m.model_dump() for m in models]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            action = item.get("action")
            if isinstance(action, str) and "." in action:
                found.add(action)
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return found


def _print(problems: Iterable[ConfigProblem], stream: TextIO) -> None:
    for problem in problems:
        print(problem, file=stream)


def summary(problems: Iterable[ConfigProblem]) -> str:
    problems = list(problems)
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    parts = [f"{errors} error{'s' if errors != 1 else ''}"] if errors else []
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return ", ".join(parts)
