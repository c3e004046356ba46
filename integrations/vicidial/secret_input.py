"""Taking a secret (an API password, a webhook token) from the command line's surroundings.

Never from an argument: other users of the machine can read a process's arguments (``ps``),
and shells keep them in their history. A secret comes from a file, standard input, the
environment or a prompt at a terminal; these helpers read it and say what was wrong.
"""

from __future__ import annotations

import getpass
import stat
import sys
from pathlib import Path
from typing import TextIO


class UsageError(Exception):
    """A setting is missing or malformed; the message says which and where to set it."""


def one_line(text: str, where: str, what: str) -> str:
    # A trailing newline is how editors and `echo` end files; it is never part of a secret.
    secret = text.rstrip("\r\n")
    if not secret:
        raise UsageError(f"the {what} from {where} is empty")
    return secret


def read_secret_file(path: Path, what: str, prog: str) -> str:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read {what} file {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{what} file {path} is not UTF-8 text") from None
    warn_if_readable(path, what, prog)
    return one_line(text, str(path), what)


def read_stdin(stdin: TextIO, what: str) -> str:
    return one_line(stdin.read(), "standard input", what)


def prompt(stdin: TextIO, what: str, label: str) -> str | None:
    """Ask at the terminal; None when nobody is there to answer (a pipe, a service)."""
    if not stdin.isatty():
        return None
    return one_line(getpass.getpass(f"{label}: "), "the prompt", what)


def warn_if_readable(path: Path, what: str, prog: str) -> None:
    try:
        mode = path.stat().st_mode
    except OSError:
        return
    if mode & (stat.S_IRGRP | stat.S_IROTH):
        warn(prog, f"{path} holds a {what} and others may read it (chmod 600 it)")


def warn_on_command_line(what: str, prog: str, instead: str) -> None:
    """Said when a secret is given as an argument, which still works for old scripts."""
    warn(
        prog,
        f"a {what} on the command line is seen by other users (ps) and kept in shell "
        f"history; use {instead}",
    )


def warn(prog: str, message: str) -> None:
    print(f"{prog}: warning: {message}", file=sys.stderr)
