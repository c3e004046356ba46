"""``vicibus replay CONFIG --events FILE [--events FILE ...] [--rules OTHER] [--from T] [--to T]
[--json]``: a recording (``storage.record``) through the config's rules again, offline.

The rules run on a pseudo clock that follows the recorded events' times, with the state store
rebuilt from the recorded state changes and every service answered from the recording (or,
for a call the live run did not make, by the result type's empty success). It prints each run
with its triggering event and rendered actions, and each non-run with its reason. With
``--rules OTHER`` (a rules file or a config) the same recording goes through those rules too,
and it prints which actions would change, be new, or be gone.

A line of the recording that cannot be read is named by file:line and left out; the rest is
replayed. The status is 1 then, unless the one bad line is a file's cut-short last line (the
daemon was stopped while it wrote it).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any, TextIO

from pydantic import ValidationError

from engine.check import summary
from engine.config import ConfigError
from engine.events import WEBHOOK_PREFIX
from engine.rule_tests_wiring import ERRORS, WEBHOOK_PAYLOADS, RulesSetup
from engine.storage.record_lines import RecordingError
from engine.storage.trace_store import parse_before
from integrations.vicidial.webhooks.errors import UnknownKindError
from integrations.vicidial.webhooks.kinds import kind_from_name
from integrations.vicidial.webhooks.payloads import PAYLOAD_TYPES
from rules.replay.recorded import Recording, read_recording
from rules.replay.replayer import BadEventError, Replayer, ReplayHarness, Window, window
from rules.replay.report import NOT_RUN, Diff, Ran, Summary, diff, report_of

EXIT_FAILED = 1
MAX_DATA_TEXT = 200  # characters of an action's data on one line


def add_replay(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "replay",
        help="run a recording through the rules again, offline, and say what they did",
        description="Replay a recording (storage.record) through the config's rules on a clock "
        "that follows the recorded times, with services answered from the recording. With "
        "--rules, compare another rule set's actions against the configured ones.",
    )
    parser.add_argument("config", metavar="CONFIG", help="the config file whose rules run")
    parser.add_argument(
        "--events",
        action="append",
        required=True,
        metavar="FILE",
        help="the recording (repeat for rotated files; lines are put in time order)",
    )
    parser.add_argument("--rules", metavar="OTHER", help="a candidate rules file (or config)")
    parser.add_argument("--from", dest="since", metavar="T", help="start here (ISO time, epoch)")
    parser.add_argument("--to", dest="until", metavar="T", help="stop here (ISO time, epoch)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(handler=_cmd_replay)


def decode(event_type: str, data: Any) -> Any:
    """A webhook's typed payload again; other events keep their plain data."""
    if not event_type.startswith(WEBHOOK_PREFIX) or not isinstance(data, dict):
        return data
    try:
        kind = kind_from_name(event_type.removeprefix(WEBHOOK_PREFIX))
    except UnknownKindError:
        return data  # an engine event of the integration (vicidial_connectivity, ...)
    try:
        return PAYLOAD_TYPES[kind].model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the payload"
        raise ValueError(f"{where}: {first['msg']}") from None


@dataclass(frozen=True, slots=True)
class Outcome:
    runs: list[Ran]
    skipped: int


async def replay_rules(setup: RulesSetup, recording: Recording, span: Window) -> Outcome:
    """The rules of ``setup`` through the window; ConfigError if they do not load."""
    built = setup.build(start=span.start)
    harness = ReplayHarness(
        built.core, (), events=WEBHOOK_PAYLOADS, errors=ERRORS, answers=recording.answers()
    )
    # Loaded once the harness's engine exists: it registers the rules.* services they call.
    loaded = setup.load_rules(built.core)
    if loaded.errors:
        raise ConfigError(list(loaded.errors))
    harness.load(loaded.rules)
    replayer = Replayer(harness, decode)
    try:
        await replayer.run(recording, span)
    finally:
        await harness.stop()
    runs = report_of(harness.timeline, harness.calls, harness.replay_caller.recorded)
    return Outcome(runs, replayer.skipped)


def _time(text: str | None, tz: tzinfo, flag: str) -> float | None:
    if text is None:
        return None
    try:
        when = parse_before(text, tz)
    except ValueError:
        when = ""
    if isinstance(when, str):
        raise ValueError(f"{flag} is epoch seconds or an ISO time (2026-03-02T09:00), not {text!r}")
    return when


def _cmd_replay(args: argparse.Namespace) -> int:
    out, err = sys.stdout, sys.stderr
    try:
        setup = RulesSetup.from_file(args.config)
        candidate = None
        if args.rules is not None:
            other = RulesSetup.from_file(args.rules)
            # The candidate's rules, on the configured dialer's services and time zone.
            candidate = replace(setup, document=other.document, prefix=other.prefix)
        tz = setup.timezone
        since = _time(args.since, tz, "--from")
        until = _time(args.until, tz, "--to")
        recording = read_recording([Path(name) for name in args.events])
    except ConfigError as exc:
        return _failed(exc, "", err)
    except (RecordingError, ValueError) as exc:
        print(f"vicibus replay: {exc}", file=err)
        return EXIT_FAILED
    for bad in recording.problems:
        print(f"{bad} (line left out)", file=err)
    span = window(recording, since, until)
    if span is None:
        print("vicibus replay: the recording has no events in that window", file=err)
        return EXIT_FAILED
    try:
        configured = asyncio.run(replay_rules(setup, recording, span))
        changes = None
        if candidate is not None:
            tried = asyncio.run(replay_rules(candidate, recording, span))
            changes = diff(configured.runs, tried.runs)
    except ConfigError as exc:
        return _failed(exc, "the rules do not load: ", err)
    except BadEventError as exc:
        print(f"vicibus replay: {exc}", file=err)
        return EXIT_FAILED
    if args.json:
        _print_json(configured, changes, recording, span, out)
    else:
        _print_text(configured, changes, span, tz, out)
    cut_short = [p for p in recording.problems if p.last]
    return EXIT_FAILED if len(recording.problems) > len(cut_short) else 0


def _failed(exc: ConfigError, what: str, err: TextIO) -> int:
    for problem in exc.problems:
        print(problem, file=err)
    print(f"vicibus replay: {what}{summary(exc.problems)}", file=err)
    return EXIT_FAILED


# -- output ------------------------------------------------------------------------------------


def _print_json(
    outcome: Outcome, changes: Diff | None, recording: Recording, span: Window, out: TextIO
) -> None:
    document: dict[str, Any] = {
        "from": span.start,
        "to": span.end,
        "runs": [ran.as_dict() for ran in outcome.runs if ran.outcome != NOT_RUN],
        "not_runs": [ran.as_dict() for ran in outcome.runs if ran.outcome == NOT_RUN],
        "summary": Summary.of(outcome.runs).as_dict(),
        "left_out": outcome.skipped,  # events a run or the clock made: the replay makes its own
        "problems": [str(problem) for problem in recording.problems],
    }
    if changes is not None:
        document["diff"] = changes.as_dict()
    json.dump(document, out, indent=2, default=str)
    out.write("\n")


def _print_text(
    outcome: Outcome, changes: Diff | None, span: Window, tz: tzinfo, out: TextIO
) -> None:
    def at(when: float) -> str:
        return f"{datetime.fromtimestamp(when, tz):%Y-%m-%d %H:%M:%S}"

    print(f"replayed {at(span.start)} to {at(span.end)}", file=out)
    for ran in outcome.runs:
        event = f"{ran.event_type} {ran.event}"
        if ran.outcome == NOT_RUN:
            print(
                f"{at(ran.time)} {ran.rule_id}: matched, not run: {ran.reason} ({event})", file=out
            )
            continue
        reason = f" ({ran.reason})" if ran.reason else ""
        error = f" [{ran.error}]" if ran.error else ""
        print(
            f"{at(ran.time)} {ran.rule_id} run {ran.run_id}: {ran.outcome}{reason}{error} "
            f"({event})",
            file=out,
        )
        for action in ran.actions:
            answer = f", {action.answer} answer" if action.answer else ""
            print(
                f"    {action.service} {_short(action.data)} -> {action.outcome}{answer}", file=out
            )
    total = Summary.of(outcome.runs)
    answers = ", ".join(f"{n} {kind}" for kind, n in sorted(total.answers.items()))
    print(
        f"{total.runs} runs, {total.not_runs} matched but did not run, {total.actions} actions"
        + (f" ({answers})" if answers else ""),
        file=out,
    )
    if changes is None:
        return
    print(f"with --rules: {changes.summary()}", file=out)
    for change in changes.changes:
        line = f"  {change.kind}: {at(change.time)} {change.rule_id} {change.service} "
        if change.kind == "changed":
            line += f"{_short(change.before)} -> {_short(change.after)}"
        else:
            line += _short(change.after if change.kind == "new" else change.before)
        print(f"{line} ({change.event})", file=out)


def _short(data: Any) -> str:
    text = json.dumps(data, ensure_ascii=False, default=str)
    return text if len(text) <= MAX_DATA_TEXT else text[: MAX_DATA_TEXT - 1] + "…"
