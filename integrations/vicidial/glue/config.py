"""The ViciDial integration's config sections: ``vicidial`` and ``http.webhooks``.

``vicidial`` is either a real dialer (``url`` with ``api_user`` and ``api_password``) or the
embedded simulated dialer (``simulated``), never both::

    vicidial:
      url: https://dialer.example.com
      api_user: apiuser
      api_password: !secret vicidial_password
      poll: {interval: 5, ingroups: [SALESLINE]}
      rate_limits: {default: {rate: 10, burst: 20}, functions: {external_dial: {rate: 1}}}

    vicidial:
      simulated: {scenario: demo, speed: 60}

``http.webhooks`` is the receiver's own settings model with ``tokens`` made optional (the
daemon makes one when none is given), so a field added to the receiver is a config key at once.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    ConfigDict,
    Field,
    SecretStr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from engine.config import CheckContext, ConfigModel, ConfigProblem, ConfigSection, located
from engine.config.fields import base_dir
from engine.services import suggest
from integrations.vicidial.admin.functions import ADMIN_FUNCTIONS
from integrations.vicidial.agent.functions import AGENT_FUNCTIONS
from integrations.vicidial.simulator.scenario import BUILTINS, ScenarioError, load_named
from integrations.vicidial.transport import SOURCE_MAX_LENGTH
from integrations.vicidial.webhooks.config import ReceiverConfig

DEFAULT_POLL_INTERVAL = 5.0
# ViciDial's live tables (vicidial_live_agents, vicidial_auto_calls) are MEMORY tables behind
# one table lock: every poll takes it, and wallboards polling faster have locked dialers up.
POLL_FLOOR = 1.0
DEFAULT_RATE = 10.0  # calls per second per function
DEFAULT_BURST = 20
_DIALER_ID = re.compile(r"[A-Za-z0-9_-]{1,20}")
FUNCTION_NAMES = frozenset({*AGENT_FUNCTIONS.names(), *ADMIN_FUNCTIONS.names()})


def _interval(value: float) -> float:
    if not math.isfinite(value) or value < POLL_FLOOR:
        raise located(
            f"a poll interval is at least {POLL_FLOOR:g} second: ViciDial's live tables are "
            "MEMORY tables under one lock, and polling them faster can stall the dialer"
        )
    return value


def _dialer_id(value: str) -> str:
    if not _DIALER_ID.fullmatch(value):
        raise located("a ViciDial id is 1 to 20 letters, digits, '-' or '_'")
    return value


DialerId = Annotated[str, AfterValidator(_dialer_id)]


class PollConfig(ConfigModel):
    interval: Annotated[float, AfterValidator(_interval)] = DEFAULT_POLL_INTERVAL  # seconds
    campaigns: tuple[DialerId, ...] = ()
    ingroups: tuple[DialerId, ...] = ()
    usergroups: tuple[DialerId, ...] = ()
    # With no campaigns (in-groups) listed, poll every one the dialer lists at start.
    discover: bool = True


class RateLimitConfig(ConfigModel):
    rate: float = Field(gt=0, allow_inf_nan=False)  # calls per second
    burst: int = Field(ge=1)  # calls at once after a quiet spell; default: the rate, rounded up

    @model_validator(mode="before")
    @classmethod
    def _default_burst(cls, data: Any) -> Any:
        if isinstance(data, dict) and "burst" not in data:
            rate = data.get("rate")
            if isinstance(rate, (int, float)) and 0 < rate < math.inf:
                return {**data, "burst": max(1, math.ceil(rate))}
        return data


def _function_name(name: str) -> str:
    if name not in FUNCTION_NAMES:
        hint = suggest(name, FUNCTION_NAMES)
        more = f"; did you mean {hint[0]!r}?" if hint else ""
        raise located(f"no ViciDial API function is called {name!r}{more}")
    return name


FunctionName = Annotated[str, AfterValidator(_function_name)]


class RateLimitsConfig(ConfigModel):
    default: RateLimitConfig = RateLimitConfig(rate=DEFAULT_RATE, burst=DEFAULT_BURST)
    # By official function name (agent or non-agent API; version is in both).
    functions: dict[FunctionName, RateLimitConfig] = {}


class BreakerConfig(ConfigModel):
    failures: int = Field(default=5, ge=1)  # connection failures in a row that open it
    reset_after: float = Field(default=30.0, gt=0, allow_inf_nan=False)  # seconds open


class SimulatorControlConfig(ConfigModel):
    """The control API of an external ``vicibus simulate`` that ``url`` points at."""

    token: SecretStr = Field(min_length=1)


class SimulatedConfig(ConfigModel):
    # A built-in scenario's name (demo, fixtures) or a scenario file (relative to the config).
    scenario: str = Field(default="demo", min_length=1)
    speed: float | None = Field(default=None, gt=0, allow_inf_nan=False)
    port: int = Field(default=0, ge=0, le=65535)  # loopback; 0 picks a free one
    control_token: SecretStr | None = Field(default=None, min_length=1)
    seed: int | None = None  # the traffic model's seed (default: the scenario's)
    traffic: bool = True  # play the scenario's traffic model

    @field_validator("scenario")
    @classmethod
    def _scenario_path(cls, value: str, info: ValidationInfo) -> str:
        start = base_dir(info)
        if value in BUILTINS or start is None or Path(value).is_absolute():
            return value
        return str(start / value)


def _dialer_url(value: str) -> str:
    # The URL is never quoted back: it may hold a password.
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise located("not a valid URL") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise located("should be an http:// or https:// URL with a host name")
    if parts.username is not None or parts.password is not None:
        raise located(
            "must not carry credentials (user:password@): set api_user and api_password instead"
        )
    if parts.query or parts.fragment:
        raise located("is the dialer's base URL: no query (?...) or fragment (#...)")
    return value.rstrip("/")


class VicidialConfig(ConfigModel):
    url: Annotated[str, AfterValidator(_dialer_url)] | None = None
    api_user: str | None = Field(default=None, min_length=1)
    api_password: SecretStr | None = Field(default=None, min_length=1)
    # The agent API's user when it is not the non-agent API's.
    agent_api_user: str | None = Field(default=None, min_length=1)
    agent_api_password: SecretStr | None = Field(default=None, min_length=1)
    timeout: float | None = Field(default=None, gt=0, allow_inf_nan=False)  # None: per function
    source: str = Field(default="vicibus", min_length=1, max_length=SOURCE_MAX_LENGTH)
    verify_tls: bool = True
    poll: PollConfig = PollConfig()
    rate_limits: RateLimitsConfig = RateLimitsConfig()
    breaker: BreakerConfig = BreakerConfig()
    simulator_control: SimulatorControlConfig | None = None
    simulated: SimulatedConfig | None = None

    @model_validator(mode="after")
    def _one_dialer(self) -> VicidialConfig:
        if self.url is not None and self.simulated is not None:
            raise located(
                "set url (a real dialer) or simulated (the embedded one), not both",
                ("simulated",),
                key=True,
            )
        if self.url is None and self.simulated is None:
            raise located(
                "set url (a real dialer, with api_user and api_password) or simulated "
                "(the embedded simulated dialer, e.g. simulated: {scenario: demo})"
            )
        if self.simulated is not None:
            for name in _REAL_ONLY:
                if name in self.model_fields_set:
                    raise located(
                        f"{name} is for a real dialer (url); the simulated dialer's API users "
                        "come from its scenario",
                        (name,),
                        key=True,
                    )
            return self
        for name in ("api_user", "api_password"):
            if getattr(self, name) is None:
                raise located(f"missing required key {name!r}: a real dialer (url) needs it")
        if (self.agent_api_user is None) != (self.agent_api_password is None):
            given = "agent_api_user" if self.agent_api_password is None else "agent_api_password"
            other = "agent_api_password" if given == "agent_api_user" else "agent_api_user"
            raise located(f"{given} needs {other} beside it", (given,), key=True)
        return self


_REAL_ONLY = (
    "api_user",
    "api_password",
    "agent_api_user",
    "agent_api_password",
    "simulator_control",
)


class WebhooksConfig(ReceiverConfig):
    """``http.webhooks``: the receiver's settings; ``tokens`` may be left to the daemon."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    tokens: tuple[SecretStr, ...] = ()


def vicidial_problems(config: VicidialConfig, context: CheckContext) -> Iterator[ConfigProblem]:
    """What needs more than the section: the scenario file, and the clock it may drive."""
    if config.simulated is not None:
        yield from _scenario_problems(config.simulated.scenario, context)
    follows = context.core.clock.follow is not None
    if follows and config.simulated is None and config.simulator_control is None:
        yield context.problem_at(
            ("clock", "follow"),
            "follow: simulator needs a simulated dialer: vicidial.simulated, or "
            "vicidial.simulator_control for an external vicibus simulate",
        )


def _scenario_problems(scenario: str, context: CheckContext) -> Iterator[ConfigProblem]:
    if scenario not in BUILTINS and not Path(scenario).is_file():
        yield context.problem(
            ("simulated", "scenario"),
            f"no scenario file {context.shown(scenario)}; built-in scenarios: "
            + ", ".join(BUILTINS),
        )
        return
    try:
        load_named(scenario)
    except ScenarioError as exc:
        shown = context.shown(exc.source)
        for line, text in exc.problems:
            yield ConfigProblem(shown, line or 1, 1, f"scenario: {text}")


VICIDIAL: ConfigSection[VicidialConfig] = ConfigSection(
    ("vicidial",), VicidialConfig, check=vicidial_problems, description="the dialer"
)
WEBHOOKS: ConfigSection[WebhooksConfig] = ConfigSection(
    ("http", "webhooks"), WebhooksConfig, default={}, description="the webhook receiver"
)
CONFIG_SECTIONS: tuple[ConfigSection[Any], ...] = (VICIDIAL, WEBHOOKS)
