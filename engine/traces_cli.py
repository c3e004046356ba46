"""``vicibus traces --config CONFIG [RULE_ID] [--last N] [--errors] [--agent A] [--lead L]
[--campaign C] [--outcome O] [--before B] [--run ID] [--json]``: what the rules did, and why not.

It reads the run journal of the config's state directory, whether the daemon runs (the journal
is read beside its writer) or not. Each run is printed with its triggering event, conditions and
a tree of its steps with their timings, data and results; each non-run with its reason; oldest
first, the newest last. Past the rate at which non-runs are recorded, the counts say how many
there were. ``--json`` prints the same as the API gives.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any, TextIO

from engine.app import SECTIONS
from engine.config import ConfigError, load
from engine.storage.database import StorageError, StorageMissingError
from engine.storage.trace_store import (
    MAX_LIMIT,
    OUTCOMES,
    StepTrace,
    Trace,
    TraceQuery,
    TraceStore,
    is_trace_id,
    parse_before,
)
from rules.journal import duration

EXIT_FAILED = 1
MAX_VALUE_TEXT = 300  # characters of a step's data or result on one line


def add_traces(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "traces",
        help="show what the rules did (and why they did not), from the run journal",
        description="Print rule runs from the run journal of the config's state directory: "
        "the triggering event, the conditions, each step with its timing, data and result; "
        "and non-runs with their reason. Works whether the daemon runs or not.",
    )
    parser.add_argument("--config", required=True, metavar="CONFIG", help="the config file")
    parser.add_argument("rule", nargs="?", metavar="RULE_ID", help="only this rule's traces")
    parser.add_argument(
        "--last", type=int, default=10, metavar="N", help="the newest N traces (default 10)"
    )
    parser.add_argument("--errors", action="store_true", help="only runs that ended in error")
    parser.add_argument("--agent", metavar="USER", help="only traces of this agent")
    parser.add_argument("--lead", metavar="LEAD_ID", help="only traces of this lead")
    parser.add_argument("--campaign", metavar="ID", help="only traces of this campaign")
    parser.add_argument("--outcome", choices=OUTCOMES, help="only traces with this outcome")
    parser.add_argument(
        "--before", metavar="WHEN", help="older than this trace id or time (2026-03-02T09:00)"
    )
    parser.add_argument("--run", metavar="ID", help="one trace in full, with its causes")
    parser.add_argument("--json", action="store_true", help="JSON, as the API gives it")
    parser.set_defaults(handler=run_traces)


def run_traces(args: argparse.Namespace, *, out: TextIO | None = None) -> int:
    stream = out or sys.stdout
    try:
        config = load(args.config, SECTIONS)
    except ConfigError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return _fail(f"{args.config} is not valid")
    tz = config.core.timezone
    try:
        query = None if args.run else _query(args, tz)
    except ValueError as exc:
        return _fail(str(exc))
    if args.run is not None and not is_trace_id(args.run):
        return _fail(f"--run takes a trace id (24 hex digits), not {args.run!r}")
    directory = Path(config.core.storage.path)
    try:
        with TraceStore(directory) as store:
            if query is None:
                _show_one(store.trace(args.run), args.json, tz, stream)
                return 0
            found = store.traces(query)
            since = min((t.started for t in found), default=None)
            counts = store.not_run_counts(query.rule, since) if found else {}
            known = store.rule_ids() if query.rule is not None and not found else []
    except StorageMissingError:
        return _fail(f"no run journal in {directory} yet: the daemon has not run with it")
    except StorageError as exc:
        return _fail(str(exc))
    if args.json:
        body = {"traces": [t.as_dict() for t in found], "not_run_counts": counts}
        print(json.dumps(body, ensure_ascii=False, indent=2), file=stream)
        return 0
    if not found:
        print("no traces match", file=stream)
        if known and query.rule not in known:
            # Most often a typo: say which rules the journal does know.
            print(
                f"the journal holds no trace of rule {query.rule!r}; it has traces of: "
                + ", ".join(known),
                file=stream,
            )
        return 0
    for trace in reversed(found):
        _print_trace(trace, tz, stream)
    _print_counts(found, counts, tz, stream)
    return 0


def _query(args: argparse.Namespace, tz: tzinfo) -> TraceQuery:
    if args.errors and args.outcome not in (None, "error"):
        raise ValueError("--errors and --outcome ask for different outcomes")
    if not 1 <= args.last <= MAX_LIMIT:
        raise ValueError(f"--last is from 1 to {MAX_LIMIT}")
    return TraceQuery(
        rule=args.rule,
        agent=args.agent,
        lead=args.lead,
        campaign=args.campaign,
        outcome="error" if args.errors else args.outcome,
        limit=args.last,
        before=None if args.before is None else parse_before(args.before, tz),
    )


def _fail(message: str) -> int:
    print(f"vicibus traces: {message}", file=sys.stderr)
    return EXIT_FAILED


# -- printing --------------------------------------------------------------------------------


def _show_one(trace: Trace, as_json: bool, tz: tzinfo, stream: TextIO) -> None:
    if as_json:
        print(json.dumps(trace.as_dict(), ensure_ascii=False, indent=2), file=stream)
        return
    _print_trace(trace, tz, stream)
    for link in trace.chain[1:]:
        print(f"    caused by: {_link(link)}", file=stream)
    if trace.chain:
        print(f"    first: {_link(trace.chain[-1])}", file=stream)
    if isinstance(trace.state, dict):
        print(f"    state: {_text(trace.as_dict()['state'])}", file=stream)


def _link(link: dict[str, Any]) -> str:
    text = f"{link['type']} ({link['origin']} {link['context_id']})"
    if "run_id" in link:
        text += f", fired by run {link['run_id']} of {link['rule_id']}"
    return text


def _print_trace(trace: Trace, tz: tzinfo, stream: TextIO) -> None:
    when = _when(trace.started, tz)
    if trace.kind == "not_run":
        sampled = " (one of a sample)" if trace.sampled else ""
        key = f" for key {trace.key}" if trace.key else ""
        print(f"{when}  {trace.rule_id}  not run: {trace.reason}{key}{sampled}", file=stream)
    else:
        outcome = trace.outcome or "running"
        took = "" if trace.ended is None else f" in {duration(trace.ended - trace.started)}"
        reason = f" ({trace.reason})" if trace.reason else ""
        key = f" key {trace.key}" if trace.key else ""
        print(f"{when}  {trace.rule_id}  {trace.id}  {outcome}{took}{reason}{key}", file=stream)
    event = trace.event
    ids = ", ".join(f"{k}={v}" for k, v in sorted(event["ids"].items()))
    origin = f"{event['origin']} {event['context_id']}"
    print(f"    event: {event['type']} ({origin}){f' {ids}' if ids else ''}", file=stream)
    keys = [f"{k} {v}" for k, v in (("agent", trace.agent), ("lead", trace.lead)) if v]
    if trace.campaign:
        keys.append(f"campaign {trace.campaign}")
    if keys:
        print(f"    for: {', '.join(keys)}", file=stream)
    for condition in trace.conditions or ():
        held = "true" if condition.get("result") else "false"
        detail = condition.get("detail") or {}
        shown = f" {_text(detail)}" if detail else ""
        print(f"    condition {condition['path']} {condition['kind']}: {held}{shown}", file=stream)
    if trace.error:
        print(f"    error: {trace.error['type']}: {trace.error['message']}", file=stream)
    for step in trace.steps:
        _print_step(step, stream)


def _print_step(step: StepTrace, stream: TextIO) -> None:
    pad = "    " + "  " * step.depth
    what = step.service or step.kind
    took = "" if step.ended is None else f", {duration(step.ended - step.started)}"
    alias = f" ({step.alias})" if step.alias else ""
    outcome = step.outcome or "running"
    if step.error:
        outcome += f" {step.error['type']}: {step.error['message']}"
    print(f"{pad}- {step.path} {what}{alias}: {outcome}{took}", file=stream)
    for label, value in (("data", step.data), ("result", step.result)):
        if value not in (None, {}, []):
            print(f"{pad}    {label}: {_text(value)}", file=stream)


def _print_counts(
    found: list[Trace], counts: dict[str, dict[str, int]], tz: tzinfo, stream: TextIO
) -> None:
    """The non-runs counted over the span shown, where more were counted than are shown."""
    shown: dict[str, int] = {}
    for trace in found:
        if trace.kind == "not_run":
            shown[trace.rule_id] = shown.get(trace.rule_id, 0) + 1
    since = _when(min(t.started for t in found), tz)
    for rule_id, reasons in counts.items():
        total = sum(reasons.values())
        if total > shown.get(rule_id, 0):
            by_reason = ", ".join(f"{reason} {n:,}" for reason, n in sorted(reasons.items()))
            print(f"{rule_id}: {total:,} non-runs since {since} ({by_reason})", file=stream)


def _when(epoch: float, tz: tzinfo) -> str:
    return datetime.fromtimestamp(epoch, tz).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]


def _text(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    return text if len(text) <= MAX_VALUE_TEXT else text[: MAX_VALUE_TEXT - 1] + "…"
