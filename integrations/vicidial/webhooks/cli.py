"""``vicibus urls``: print the callback URL of every kind, ready to paste into ViciDial."""

from __future__ import annotations

import argparse
import sys

from .errors import WebhookError
from .kinds import KINDS
from .urls import build_all_urls


def _cmd_urls(args: argparse.Namespace) -> int:
    try:
        urls = build_all_urls(args.base, args.token, group=args.group)
    except WebhookError as exc:
        print(f"vicibus urls: {exc}", file=sys.stderr)
        return 2
    for kind, url in urls.items():
        print(f"# {kind.value}: {KINDS[kind].meaning}\n# paste into {KINDS[kind].setting}")
        print(url, end="\n\n")
    return 0


def add_urls(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("urls", help="print the ViciDial callback URL of every webhook kind")
    parser.add_argument(
        "--base", required=True, help="where ViciDial reaches vicibus: https://HOST"
    )
    parser.add_argument("--token", required=True, help="one of the receiver's tokens")
    parser.add_argument(
        "--group",
        default="INGROUP_ID",
        help="the in-group id written into the waiting call URLs (ViciDial does not send it)",
    )
    parser.set_defaults(handler=_cmd_urls)
