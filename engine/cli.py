"""The ``vicibus`` command line.

One argparse parser; each feature adds its subcommand through a small ``add_*`` function so
the parser is the single place that lists them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from importlib.metadata import PackageNotFoundError, version

from integrations.vicidial.cli import add_call
from integrations.vicidial.simulator.cli import add_simulate
from integrations.vicidial.webhooks.cli import add_urls

Handler = Callable[[argparse.Namespace], int]


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
    add_call(sub)
    add_simulate(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return 2
    return handler(args)


if __name__ == "__main__":
    raise SystemExit(main())
