"""``vicibus urls`` prints the callback URL of every kind; ``vicibus token`` makes a token.

The receiver's token is taken like a password: from a file, standard input, the environment or
a prompt, never required on the command line, where other users of the machine (``ps``) and
the shell's history see it. ``--token TOKEN`` still works, for scripts that used it, with a
warning.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

from integrations.vicidial.secret_input import (
    UsageError,
    prompt,
    read_secret_file,
    read_stdin,
    warn_on_command_line,
)

from .errors import WebhookError
from .kinds import KINDS
from .urls import build_all_urls

TOKEN_ENV = "VICIBUS_WEBHOOK_TOKEN"
TOKEN_FILE_ENV = "VICIBUS_WEBHOOK_TOKEN_FILE"
TOKEN_BYTES = 32  # 256 random bits, printed as 43 URL-safe characters
TOKEN = "webhook token"
SAFE_WAYS = f"--token-file FILE, --token-stdin, {TOKEN_FILE_ENV} or {TOKEN_ENV}"
# The rule urls.build_url enforces, in the words the help pages use (a test keeps them equal),
# and where commands take the token from.
TOKEN_RULES = (
    "A webhook token is 16 or more of the characters A-Z a-z 0-9 - _ . ~ (ViciDial's senders "
    f"alter any other). Commands read it from {SAFE_WAYS}, or ask for it at a terminal: a "
    "token given as an argument is seen by other users (ps) and kept in the shell's history."
)


def add_token_arguments(parser: argparse.ArgumentParser) -> None:
    """Where a command reads the receiver's token from (at most one of these)."""
    given = parser.add_mutually_exclusive_group()
    given.add_argument(
        "--token-file", type=Path, metavar="FILE", help="read the webhook token from FILE"
    )
    given.add_argument(
        "--token-stdin", action="store_true", help="read the webhook token from standard input"
    )
    # Kept for scripts written before the token was taken like a password; warned about.
    given.add_argument("--token", help=argparse.SUPPRESS)


def token_given(args: argparse.Namespace) -> bool:
    """Whether the command line itself says where the token is."""
    return bool(args.token_stdin or args.token_file is not None or args.token is not None)


def read_token(args: argparse.Namespace, env: Mapping[str, str], stdin: TextIO, prog: str) -> str:
    """The token from the first place that holds one, else a prompt, else a UsageError."""
    if args.token_stdin:
        return read_stdin(stdin, TOKEN)
    if args.token_file is not None:
        return read_secret_file(args.token_file, TOKEN, prog)
    if args.token is not None:
        warn_on_command_line(TOKEN, prog, SAFE_WAYS)
        return str(args.token)
    if env.get(TOKEN_FILE_ENV):
        return read_secret_file(Path(env[TOKEN_FILE_ENV]), TOKEN, prog)
    if env.get(TOKEN_ENV):
        return env[TOKEN_ENV]
    token = prompt(stdin, TOKEN, "Webhook token")
    if token is None:
        raise UsageError(f"no webhook token: use {SAFE_WAYS}")
    return token


def _cmd_urls(args: argparse.Namespace) -> int:
    try:
        token = read_token(args, os.environ, sys.stdin, "vicibus urls")
        urls = build_all_urls(args.base, token, group=args.group)
    except (UsageError, WebhookError) as exc:
        print(f"vicibus urls: {exc}", file=sys.stderr)
        return 2
    for kind, url in urls.items():
        print(f"# {kind.value}: {KINDS[kind].meaning}\n# paste into {KINDS[kind].setting}")
        print(url, end="\n\n")
    return 0


def add_urls(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "urls",
        help="print the ViciDial callback URL of every webhook kind",
        description="Print the URL to paste into each ViciDial callback setting. "
        "`vicibus token` makes a token. " + TOKEN_RULES,
    )
    parser.add_argument(
        "--base", required=True, help="where ViciDial reaches vicibus: https://HOST"
    )
    add_token_arguments(parser)
    parser.add_argument(
        "--group",
        default="INGROUP_ID",
        help="the in-group id written into the waiting call URLs (ViciDial does not send it)",
    )
    parser.set_defaults(handler=_cmd_urls)


def _cmd_token(args: argparse.Namespace) -> int:
    print(secrets.token_urlsafe(TOKEN_BYTES))
    return 0


def add_token(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "token",
        help="print a new random webhook token",
        description=(
            f"Print a new random webhook token ({TOKEN_BYTES * 8} bits, "
            "letters, digits, - and _), for the receiver's tokens and `vicibus urls`. Keep it "
            "in a file only you can read: (umask 077; vicibus token > webhook-token). "
            + TOKEN_RULES
        ),
    )
    parser.set_defaults(handler=_cmd_token)
