"""``vicibus call agent|admin FUNCTION key=value ...``: any ViciDial function from the shell.

Connection settings come from flags, then the environment (``VICIBUS_URL``, ``VICIBUS_USER``,
``VICIBUS_PASSWORD``, ``VICIBUS_PASSWORD_FILE``, ``VICIBUS_SOURCE``, ``VICIBUS_CONFIG``), then a
YAML config file. The password is never a command-line argument: other users of the machine
can read a process's arguments, and shells keep them in their history. It is read from the
environment, a file, standard input (``--password-stdin``) or an interactive prompt.

The result is the same typed result the Python methods return, printed as a table or as JSON
(``--json``). A failure prints its error class and reason, never a traceback, and exits 1; a
misspelt function or parameter name, or a function of the other API, is answered with the
names that were likely meant, before any password is asked for.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import difflib
import json
import os
import shlex
import sys
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import urlsplit

from pydantic import BaseModel, SecretStr

from integrations.vicidial.errors import ViciError, ViciValidationError
from integrations.vicidial.registry import FunctionSpec, Registry
from integrations.vicidial.secret_input import (
    UsageError,
    prompt,
    read_secret_file,
    read_stdin,
    warn_if_readable,
)

if TYPE_CHECKING:
    from integrations.vicidial.client import BaseClient

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
CONFIG_KEYS = frozenset(
    ("url", "user", "password", "password_file", "source", "timeout", "method", "verify_tls")
)
PROG = "vicibus call"
API_NAMES = {"agent": "agent API", "admin": "non-agent (admin) API"}


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
    try:
        params = parse_params(args.params)
    except UsageError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        # Refused before any password is asked for: nothing would be sent anyway.
        spec = find_function(args.api, args.function, params)
        check_param_names(spec, params)
    except ViciValidationError as exc:
        report_error(exc, as_json=args.json)
        return EXIT_FAILED
    try:
        connection = resolve_connection(args, os.environ, sys.stdin, credentials=spec.auth)
    except UsageError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
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


def find_function(api: str, name: str, params: Mapping[str, str]) -> FunctionSpec[Any, Any]:
    """The function ``name`` of ``api``, or an error naming the one that was likely meant."""
    spec = registry(api).get(name)
    if spec is not None:
        return spec
    other = "admin" if api == "agent" else "agent"
    if registry(other).get(name) is not None:
        command = shlex.join(
            ["vicibus", "call", other, name, *(f"{k}={v}" for k, v in params.items())]
        )
        reason = (
            f"{name} is a function of the {API_NAMES[other]}, not the {API_NAMES[api]}: {command}"
        )
        raise ViciValidationError(reason, function=name, sent=False)
    reason = f"unknown {api} API function {name!r}"
    ours = registry(api).names()
    near = difflib.get_close_matches(name, sorted({*ours, *registry(other).names()}))
    if near:
        here = either([guess for guess in near if guess in ours])
        there = either([guess for guess in near if guess not in ours])
        guesses = [
            here,
            f"{there} of the {API_NAMES[other]} (vicibus call {other})" if there else "",
        ]
        if near[0] not in ours:  # the likeliest guess first
            guesses.reverse()
        reason += f"; did you mean {', or '.join(filter(None, guesses))}?"
    raise ViciValidationError(reason, function=name, sent=False)


def check_param_names(spec: FunctionSpec[Any, Any], params: Mapping[str, str]) -> None:
    """Every parameter name is one the function takes, by its official or its Python name."""
    # Each spelling the model accepts, to the official one (ViciDial's, as its docs write it).
    official = {name: field.alias or name for name, field in spec.params.model_fields.items()}
    official.update({alias: alias for alias in official.values()})
    problems = []
    for key in params:
        if key in official:
            continue
        near = dict.fromkeys(official[m] for m in difflib.get_close_matches(key, list(official)))
        takes = either(sorted(set(official.values()))) or "no parameters"
        hint = f"did you mean {either(list(near))}?" if near else f"it takes {takes}"
        problems.append(f"unknown parameter {key!r}; {hint}")
    if problems:
        raise ViciValidationError("; ".join(problems), function=spec.name, sent=False)


def either(words: Sequence[str]) -> str:
    """``a``, ``a or b``, ``a, b or c``."""
    return " or ".join([", ".join(words[:-1]), words[-1]]) if len(words) > 1 else "".join(words)


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
    try:
        _ = urlsplit(str(url)).port  # reading it checks it: a number, at most 65535
    except ValueError as exc:  # "Invalid IPv6 URL", "Port out of range 0-65535"
        raise UsageError(f"the dialer URL is not valid: {exc}") from None
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
    except UnicodeDecodeError:
        raise UsageError(f"config file {path} is not UTF-8 text") from None
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
        return read_stdin(stdin, "password")
    password_file = args.password_file or env.get("VICIBUS_PASSWORD_FILE")
    if password_file:
        return read_secret_file(Path(password_file), "password", PROG)
    if env.get("VICIBUS_PASSWORD"):
        return env["VICIBUS_PASSWORD"]
    if config.get("password_file"):
        return read_secret_file(Path(str(config["password_file"])), "password", PROG)
    if config.get("password") is not None:
        assert config_path is not None
        warn_if_readable(config_path, "password", PROG)
        return str(config["password"])
    password = prompt(stdin, "password", "ViciDial API password")
    if password is None:
        raise UsageError(
            "no password: use VICIBUS_PASSWORD, VICIBUS_PASSWORD_FILE, --password-file, "
            "--password-stdin or password in the config file"
        )
    return password


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
