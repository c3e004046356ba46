"""The engine's own part of the config: ``timezone``, ``clock``, ``http``, ``storage`` and
``logging``. Integrations and rules add their sections (``vicidial``, ``http.webhooks``,
``notify``, ``rules``, ``storage.traces``, ...) through ConfigSection.

The clock:

- ``mode: real`` (the default), ``accelerated`` or ``manual``;
- ``speed: N`` (N > 0, times real time) is what an accelerated clock runs at; elsewhere it is
  ignored, with a warning;
- ``follow: simulator`` takes time and pace from the simulated dialer (embedded, or external
  through ``vicidial.simulator_control``): allowed with ``real`` and ``accelerated``, where the
  simulator sets the speed (so ``speed`` is then an error); a ``manual`` clock is moved only by
  tests and the clock API, so it follows nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, SecretStr, ValidationInfo, model_validator

from engine.clock import MAX_SPEED, ClockMode
from engine.config.errors import ConfigProblem
from engine.config.fields import (
    ConfigModel,
    ConfigPath,
    TimeZone,
    base_dir,
    environ,
    located,
    system_zone,
)

if TYPE_CHECKING:
    from engine.config.sections import CheckContext

DEFAULT_HTTP_PORT = 8123
STATE_DIRECTORY = "STATE_DIRECTORY"  # set by systemd's StateDirectory=
DEFAULT_STATE_DIR = ".vicibus"


class ClockConfig(ConfigModel):
    mode: ClockMode = ClockMode.REAL
    speed: float | None = Field(default=None, gt=0, le=MAX_SPEED, allow_inf_nan=False)
    follow: Literal["simulator"] | None = None

    @model_validator(mode="after")
    def _consistent(self) -> ClockConfig:
        if self.follow is not None and self.mode is ClockMode.MANUAL:
            raise located(
                "a manual clock follows nothing: it moves only when advanced", ("follow",)
            )
        if self.follow is not None and self.speed is not None:
            raise located("a clock that follows the simulator runs at its speed", ("speed",))
        if self.mode is ClockMode.ACCELERATED and self.speed is None and self.follow is None:
            raise located(
                "an accelerated clock needs speed: N (times real time) or follow: simulator",
                ("mode",),
            )
        return self


class HttpConfig(ConfigModel):
    host: str = Field(default="127.0.0.1", min_length=1)
    # 0 picks a free port (tests).
    port: int = Field(default=DEFAULT_HTTP_PORT, ge=0, le=65535)
    # The Bearer token of /api/*; without one the daemon makes one and keeps it.
    api_token: SecretStr | None = Field(default=None, min_length=1)


class StorageConfig(ConfigModel):
    # Default: $STATE_DIRECTORY (systemd), else .vicibus/ beside the config file.
    path: ConfigPath

    @model_validator(mode="before")
    @classmethod
    def _default_path(cls, data: Any, info: ValidationInfo) -> Any:
        if isinstance(data, dict) and "path" not in data:
            state = environ(info).get(STATE_DIRECTORY, "").split(":")[0]
            start = base_dir(info)
            default = Path(state) if state else (start or Path()) / DEFAULT_STATE_DIR
            return {**data, "path": default}
        return data


class LoggingConfig(ConfigModel):
    level: Literal["debug", "info", "warning", "error"] = "info"
    format: Literal["text", "json"] = "text"


class CoreConfig(ConfigModel):
    timezone: TimeZone = Field(default_factory=system_zone)
    clock: ClockConfig = Field(default_factory=ClockConfig)
    http: HttpConfig = Field(default_factory=HttpConfig)
    # Validated even when absent, so that its default path starts at the config file.
    storage: StorageConfig = Field(default={}, validate_default=True)
    logging: LoggingConfig = Field(default_factory=LoggingConfig)


def core_warnings(core: CoreConfig, context: CheckContext) -> Iterator[ConfigProblem]:
    """What the core allows but a user probably did not mean."""
    if core.clock.speed is not None and core.clock.mode is not ClockMode.ACCELERATED:
        yield context.problem(
            ("clock", "speed"),
            f"speed applies only to an accelerated clock; a {core.clock.mode.value} clock "
            "ignores it",
            severity="warning",
        )
