"""``vicibus call agent|admin FUNCTION key=value ...``: any ViciDial function from the shell.

Connection settings come from flags, then the environment (``VICIBUS_URL``, ``VICIBUS_USER``,
``VICIBUS_PASSWORD``, ``VICIBUS_PASSWORD_FILE``, ``VICIBUS_SOURCE``, ``VICIBUS_CONFIG``), then a
YAML config file. The password is never a command-line argument: other users of the machine
can read a process's arguments, and shells keep them in their history. It is read from the
environment, a file, standard input (``--password-stdin``) or an interactive prompt.

The result is the same typed result the Python methods return, printed as a table or as JSON
(``--json``). A failure prints its error class and reason, never a traceback, and exits 1.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import getpass
import json
import os
import stat
import sys
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from pydantic import BaseModel, SecretStr

from integrations.vicidial.errors import ViciError, ViciValidationError
from integrations.vicidial.registry import Registry

if TYPE_CHECKING:
    from integrations.vicidial.client import BaseClient

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
CONFIG_KEYS = frozenset(
    ("url", "user", "password", "password_file", "source", "timeout", "method", "verify_tls")
)


class UsageError(Exception):
    """A setting is missing or malformed; the message says which and where to set it."""


@dataclasses.dataclass(frozen=True)
class Connection:
    url: str
    user: str
    password: SecretStr
    source: str
    timeout: float | None
    method: str
    verify_tls: bool


def add_call(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "call",
        help="call one ViciDial API function and print its typed result",
        description=(
            "Call an agent or admin (non-agent) API function by its official name, with "
            "official parameter names as key=value. Settings: flags, else VICIBUS_* "
            "environment variables, else the config file. The password is read from "
            "VICIBUS_PASSWORD, VICIBUS_PASSWORD_FILE, --password-file, --password-stdin, the "
            "config file, or a prompt."
        ),
    )
    parser.add_argument("api", choices=("agent", "admin"), help="which ViciDial API")
    parser.add_argument("function", help="official function name, such as agent_status")
    parser.add_argument("params", nargs="*", metavar="key=value", help="function parameters")
    parser.add_argument("--url", help="dialer base URL, such as https://dialer.example.com")
    parser.add_argument("--user", help="API user")
    parser.add_argument("--password-file", type=Path, help="read the password from this file")
    parser.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    parser.add_argument("--config", type=Path, help="YAML file with a vicidial: section")
    parser.add_argument("--source", help="source label ViciDial logs (at most 20 characters)")
    parser.add_argument("--timeout", type=float, help="seconds to wait for the answer")
    parser.add_argument("--method", choices=("GET", "POST"), help="HTTP method (default POST)")
    parser.add_argument(
        "--insecure", action="store_true", help="do not verify the dialer's TLS certificate"
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.set_defaults(handler=run_call)


def run_call(args: argparse.Namespace) -> int:
    spec = registry(args.api).get(args.function)
    if spec is None:
        # Refused before any password is asked for: nothing would be sent anyway.
        report_error(
            ViciValidationError(
                f"unknown {args.api} API function {args.function!r}",
                function=args.function,
                sent=False,
            ),
            as_json=args.json,
        )
        return EXIT_FAILED
    try:
        params = parse_params(args.params)
        connection = resolve_connection(args, os.environ, sys.stdin, credentials=spec.auth)
    except UsageError as exc:
        print(f"vicibus call: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        result = asyncio.run(call(args.api, args.function, params, connection))
    except ViciError as exc:
        report_error(exc, as_json=args.json)
        return EXIT_FAILED
    if args.json:
        print(json.dumps(plain(result), indent=2, ensure_ascii=False))
    else:
        print(render(result))
    return EXIT_OK


def parse_params(items: Sequence[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise UsageError(f"parameters are key=value, got {item!r}")
        if key in params:
            raise UsageError(f"parameter {key!r} given twice")
        if key == "pass":
            raise UsageError("the password is not a parameter; see --help for where to put it")
        params[key] = value
    return params


# --- settings -------------------------------------------------------------------------------


def resolve_connection(
    args: argparse.Namespace, env: Mapping[str, str], stdin: TextIO, *, credentials: bool = True
) -> Connection:
    """Settings by precedence: flag, environment, config file. Without ``credentials`` (the
    version functions, which answer anyone) no user or password is needed."""
    config_path = args.config or (
        Path(env["VICIBUS_CONFIG"]) if env.get("VICIBUS_CONFIG") else None
    )
    config = load_config(config_path) if config_path else {}

    def pick(flag: Any, env_key: str, config_key: str) -> Any:
        if flag is not None:
            return flag
        if env.get(env_key):
            return env[env_key]
        return config.get(config_key)

    url = pick(args.url, "VICIBUS_URL", "url")
    user = pick(args.user, "VICIBUS_USER", "user")
    if not url:
        raise UsageError("no dialer URL: use --url, VICIBUS_URL or url in the config file")
    if not user and credentials:
        raise UsageError("no API user: use --user, VICIBUS_USER or user in the config file")
    timeout = pick(args.timeout, "VICIBUS_TIMEOUT", "timeout")
    try:
        seconds = float(timeout) if timeout is not None else None
    except ValueError:
        raise UsageError(f"timeout must be a number of seconds, got {timeout!r}") from None
    method = str(pick(args.method, "VICIBUS_METHOD", "method") or "POST").upper()
    if method not in ("GET", "POST"):
        raise UsageError(f"method must be GET or POST, got {method!r}")
    verify = config.get("verify_tls", True)
    return Connection(
        url=str(url),
        # Never sent when credentials are not needed; the client only insists on a name.
        user=str(user or "anonymous"),
        password=SecretStr(
            read_password(args, env, config, stdin, config_path) if credentials else ""
        ),
        source=str(pick(args.source, "VICIBUS_SOURCE", "source") or "vicibus"),
        timeout=seconds,
        method=method,
        verify_tls=not args.insecure and verify is not False,
    )


def load_config(path: Path) -> dict[str, Any]:
    from ruamel.yaml import YAML  # only needed when a config file is used
    from ruamel.yaml.error import YAMLError

    try:
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"cannot read config file {path}: {exc.strerror}") from None
    except YAMLError as exc:
        raise UsageError(f"config file {path} is not valid YAML: {type(exc).__name__}") from None
    if isinstance(data, dict) and isinstance(data.get("vicidial"), dict):
        data = data["vicidial"]
    if not isinstance(data, dict):
        raise UsageError(f"config file {path} must hold a mapping (or a vicidial: mapping)")
    unknown = sorted(set(map(str, data)) - CONFIG_KEYS)
    if unknown:
        raise UsageError(f"config file {path}: unknown setting(s) {', '.join(unknown)}")
    return {str(key): value for key, value in data.items()}


def read_password(
    args: argparse.Namespace,
    env: Mapping[str, str],
    config: Mapping[str, Any],
    stdin: TextIO,
    config_path: Path | None,
) -> str:
    if args.password_stdin:
        return _one_line(stdin.read(), "standard input")
    password_file = args.password_file or env.get("VICIBUS_PASSWORD_FILE")
    if password_file:
        return _read_secret_file(Path(password_file))
    if env.get("VICIBUS_PASSWORD"):
        return env["VICIBUS_PASSWORD"]
    if config.get("password_file"):
        return _read_secret_file(Path(str(config["password_file"])))
    if config.get("password") is not None:
        assert config_path is not None
        _warn_if_readable(config_path)
        return str(config["password"])
    if stdin.isatty():
        return getpass.getpass("ViciDial API password: ")
    raise UsageError(
        "no password: use VICIBUS_PASSWORD, VICIBUS_PASSWORD_FILE, --password-file, "
        "--password-stdin or password in the config file"
    )


def _read_secret_file(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read password file {path}: {exc.strerror}") from None
    _warn_if_readable(path)
    return _one_line(text, str(path))


def _one_line(text: str, where: str) -> str:
    # A trailing newline is how editors and `echo` end files; it is never part of a password.
    password = text.rstrip("\r\n")
    if not password:
        raise UsageError(f"the password from {where} is empty")
    return password


def _warn_if_readable(path: Path) -> None:
    try:
        mode = path.stat().st_mode
    except OSError:
        return
    if mode & (stat.S_IRGRP | stat.S_IROTH):
        print(
            f"vicibus call: warning: {path} holds a password and others may read it (chmod 600 it)",
            file=sys.stderr,
        )


# --- calling --------------------------------------------------------------------------------


async def call(api: str, function: str, params: dict[str, str], connection: Connection) -> Any:
    client = make_client(api, connection)
    async with client:
        # build + run rather than call(**params): a parameter may not shadow call's options.
        spec, model = client.build(function, params)
        return await client.run(spec, model)


def registry(api: str) -> Registry:
    # Imported here so `vicibus` commands that never call ViciDial do not load both clients.
    if api == "agent":
        from integrations.vicidial.agent.functions import AGENT_FUNCTIONS

        return AGENT_FUNCTIONS
    from integrations.vicidial.admin import ADMIN_FUNCTIONS

    return ADMIN_FUNCTIONS


def make_client(api: str, connection: Connection) -> BaseClient:
    options: dict[str, Any] = {
        "source": connection.source,
        "timeout": connection.timeout,
        "method": connection.method,
        "ssl": connection.verify_tls,
    }
    password = connection.password.get_secret_value()
    if api == "agent":
        from integrations.vicidial.agent.client import ViciAgent

        return ViciAgent(connection.url, connection.user, password, **options)
    from integrations.vicidial.admin import ViciAdmin

    return ViciAdmin(connection.url, connection.user, password, **options)


def report_error(exc: ViciError, *, as_json: bool) -> None:
    # str(exc) is built from the redacted answer; the raw body is never printed.
    print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
    for outcome in exc.outcomes:
        print(f"  done before the error: {outcome.text}", file=sys.stderr)
    if as_json:
        error = {
            "error": type(exc).__name__,
            "function": exc.function,
            "reason": exc.reason,
            "details": list(exc.details),
            "outcomes": [outcome.text for outcome in exc.outcomes],
            "sent": exc.sent,
        }
        print(json.dumps(error, indent=2, ensure_ascii=False))


# --- printing -------------------------------------------------------------------------------


def plain(value: Any) -> Any:
    """A typed result as JSON-ready data: models, records, enums and dates included."""
    if isinstance(value, BaseModel):
        return {name: plain(getattr(value, name)) for name in type(value).model_fields}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return plain(value.value)
    if isinstance(value, datetime | date | time):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(item) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def render(result: Any) -> str:
    """A result for people: scalar fields as ``name: value``, lists of rows as tables."""
    data = plain(result)
    if not isinstance(data, dict):
        return _cell(data)
    lines: list[str] = []
    tables: list[tuple[str, list[Any]]] = []
    for name, value in data.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            tables.append((name, value))
        elif value in (None, "", [], {}) and name in _QUIET:
            continue
        else:
            lines.append(f"{name}: {_cell(value)}")
    for name, rows in tables:
        lines.append("")
        lines.append(f"{name} ({len(rows)}):")
        lines.extend(table(rows))
    return "\n".join(lines)


# Base-result fields that are usually empty; shown only when they hold something.
_QUIET = frozenset(("notices", "warnings", "unparsed", "header", "message"))


def table(rows: list[dict[str, Any]]) -> list[str]:
    columns: list[str] = []
    for row in rows:
        columns.extend(key for key in row if key not in columns)
    cells = [[_cell(row.get(column)) for column in columns] for row in rows]
    widths = [
        max([len(column), *(len(line[i]) for line in cells)]) for i, column in enumerate(columns)
    ]
    out = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    out.append("  ".join("-" * w for w in widths))
    out.extend(
        "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() for line in cells
    )
    return out


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    # One row per line: embedded newlines and tabs would break the table.
    return str(value).replace("\n", "\\n").replace("\t", "\\t")
