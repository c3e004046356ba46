"""The ``vicibus`` command line.

One argparse parser; each feature adds its subcommand through a small ``add_*`` function so
the parser is the single place that lists them. Whatever a command meets, the user gets one
line on stderr and the exit status shells expect, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from importlib.metadata import PackageNotFoundError, version

from engine.check import add_check
from engine.daemon import add_run
from engine.replay_cli import add_replay
from engine.rule_tests_cli import add_test
from engine.traces_cli import add_traces
from integrations.vicidial.cli import add_call
from integrations.vicidial.simulator.cli import add_simulate
from integrations.vicidial.webhooks.cli import add_token, add_urls

Handler = Callable[[argparse.Namespace], int]

EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT: what a shell reports for Ctrl-C
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: what a shell reports when the reader went away


def _package_version() -> str:
    try:
        return version("vicibus")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"


def _cmd_version(args: argparse.Namespace) -> int:
    print(f"vicibus {_package_version()}")
    return 0


def add_version(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("version", help="print the vicibus version")
    parser.set_defaults(handler=_cmd_version)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vicibus", description="Automation engine and typed client for ViciDial."
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    add_version(sub)
    add_urls(sub)
    add_token(sub)
    add_call(sub)
    add_simulate(sub)
    add_check(sub)
    add_run(sub)
    add_traces(sub)
    add_test(sub)
    add_replay(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        handler: Handler | None = getattr(args, "handler", None)
        if handler is None:
            parser.print_help(sys.stderr)
            return EXIT_USAGE
        code = handler(args)
        sys.stdout.flush()  # a reader that went away shows here, not in the interpreter's exit
        return code
    except KeyboardInterrupt:
        _say("vicibus: interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _discard_stdout()
        _say("vicibus: the output was closed before everything was written")
        return EXIT_BROKEN_PIPE
    except Exception as exc:
        # A defect of ours. Its message may quote a secret (a GET URL holds the password), so
        # only its type is shown unless the user asks for the traceback.
        if os.environ.get("VICIBUS_TRACEBACK"):
            traceback.print_exc()
        _say(
            f"vicibus: internal error ({type(exc).__name__}); please report it "
            "(VICIBUS_TRACEBACK=1 shows where it happened)"
        )
        return EXIT_FAILED


def _say(line: str) -> None:
    with contextlib.suppress(OSError):  # stderr may be the closed pipe too (2>&1 | head)
        print(line, file=sys.stderr, flush=True)


def _discard_stdout() -> None:
    """Point stdout at /dev/null: what is still buffered would fail again at exit."""
    with contextlib.suppress(OSError, ValueError):  # stdout has no descriptor (captured)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


if __name__ == "__main__":
    raise SystemExit(main())
