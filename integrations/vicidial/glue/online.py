"""``vicibus check --online``: may the configured API users call what vicibus will call?

Before the daemon ever runs, log in with the configured API users and ask the dialer, function
by function, about the poller's functions and those the rules call. ViciDial checks the user's
credentials and its allowed functions before it reads a function's parameters, so a probe sent
without parameters (or with an agent that cannot be logged in) is answered with "permission
denied", "bad login", or a complaint about the parameters, which means the call is allowed.
A probe never changes anything: a function that could act with no parameter at all is not
probed, and the report says so.
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import SecretStr, ValidationError

from integrations.vicidial.client import BaseClient
from integrations.vicidial.errors import (
    ViciAuthError,
    ViciConnectionError,
    ViciError,
    ViciHttpError,
    ViciPermissionError,
    ViciProtocolError,
    ViciTimeoutError,
)
from integrations.vicidial.models import Params, Result
from integrations.vicidial.registry import FunctionSpec

# An agent user ViciDial cannot have logged in: user ids are at most 20 characters.
PROBE_AGENT = "vicibus-probe-0000000"
# What the poller calls, and with what it calls them.
POLLER_FUNCTIONS = (
    "logged_in_agents",
    "campaigns_list",
    "hopper_list",
    "in_group_status",
    "user_group_status",
    "ingroup_list",
)


# Non-agent functions whose parameters are all optional, with the setting that makes a call a
# search that changes nothing.
_SEARCH_ONLY: dict[str, dict[str, Any]] = {"update_lead": {"no_update": True}}


class Verdict(StrEnum):
    ALLOWED = "ok"
    DENIED = "denied"
    LOGIN_FAILED = "login failed"
    UNREACHABLE = "unreachable"
    NOT_PROBED = "not probed"


@dataclass(frozen=True, slots=True)
class Probe:
    api: str
    function: str
    verdict: Verdict
    detail: str = ""

    @property
    def failed(self) -> bool:
        return self.verdict in (Verdict.DENIED, Verdict.LOGIN_FAILED, Verdict.UNREACHABLE)

    def __str__(self) -> str:
        detail = f": {self.detail}" if self.detail else ""
        return f"{self.verdict.value:>12}  {self.api} {self.function}{detail}"


def _candidate(annotation: Any) -> Any:
    """A value of a parameter's type the client's own model would take, if one is plain."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _candidate(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _candidate(options[0]) if options else None
    if origin is typing.Literal:
        return typing.get_args(annotation)[0]
    if isinstance(annotation, type):
        if issubclass(annotation, enum.Enum):
            return next(iter(annotation)).value
        if issubclass(annotation, bool):
            return False
        if issubclass(annotation, int | float):
            return 1
        if issubclass(annotation, str | SecretStr):
            return "1"
    if origin in (list, tuple):
        return ["1"]
    return None


def _probe_params(spec: FunctionSpec[Params, Result]) -> Params | None:
    """Parameters that let the dialer check the user's permission and nothing more; None when
    none can be made safely.

    The non-agent API checks permission before it reads parameters: a probe without them is
    refused after the check, before any work. The agent API reads some parameters first, so
    its probe is valid, for an agent that cannot exist (every function then stops at "not
    logged in"). A non-agent function that could act without parameters is not probed."""
    fields = spec.params.model_fields
    required = {name: info for name, info in fields.items() if info.is_required()}
    if spec.api == "admin":
        if required or spec.reads is True:
            return spec.params.model_construct()
        search_only = _SEARCH_ONLY.get(spec.name)
        return spec.params.model_construct(**search_only) if search_only is not None else None
    data = {name: _candidate(info.annotation) for name, info in required.items()}
    if "agent_user" in fields:
        data["agent_user"] = "probe"
    try:
        params = spec.params.model_validate(data)
    except ValidationError:
        return None
    if "agent_user" in fields:
        params = params.model_copy(update={"agent_user": PROBE_AGENT})
    return params


async def probe(client: BaseClient, function: str) -> Probe:
    api = client.registry.api
    spec = client.registry.get(function)
    if spec is None:
        return Probe(api, function, Verdict.NOT_PROBED, "no such function")
    if not spec.auth:
        return Probe(api, function, Verdict.ALLOWED, "answers without credentials")
    params = _probe_params(spec)
    if params is None:
        return Probe(
            api,
            function,
            Verdict.NOT_PROBED,
            "it could act on a call without parameters; see the user's allowed functions",
        )
    try:
        await client.run(spec, params)
    except ViciAuthError as exc:
        return Probe(api, function, Verdict.LOGIN_FAILED, exc.reason)
    except ViciPermissionError as exc:
        return Probe(api, function, Verdict.DENIED, exc.reason)
    except (ViciConnectionError, ViciTimeoutError, ViciHttpError, ViciProtocolError) as exc:
        return Probe(api, function, Verdict.UNREACHABLE, str(exc))
    except ViciError:
        pass  # refused for its parameters or its agent: the function itself is allowed
    except (AttributeError, TypeError, ValueError):
        # The dialer answered a probe without parameters as a success, which the function's
        # reader cannot fill: it did not refuse the user either.
        pass
    return Probe(api, function, Verdict.ALLOWED)


async def check_online(
    clients: dict[str, BaseClient], functions: Iterable[tuple[str, str]]
) -> list[Probe]:
    """Probe the poller's functions and ``functions`` ((api, name) pairs), each once."""
    wanted = dict.fromkeys([*(("admin", f) for f in POLLER_FUNCTIONS), *functions])
    results: list[Probe] = []
    for api, function in wanted:
        client = clients.get(api)
        if client is None:
            continue
        results.append(await probe(client, function))
        if results[-1].verdict is Verdict.UNREACHABLE:
            break  # the dialer does not answer: every other probe would say the same
    return results


def service_functions(services: Iterable[str]) -> list[tuple[str, str]]:
    """``vicidial.agent.pause_code`` -> ("agent", "pause_code"); other services are left out."""
    found: list[tuple[str, str]] = []
    for name in services:
        parts: list[Any] = name.split(".")
        if len(parts) == 3 and parts[0] == "vicidial" and parts[1] in ("agent", "admin"):
            found.append((parts[1], parts[2]))
    return found
