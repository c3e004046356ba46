"""Building blocks for config models: the shared model base, field types that read the
loader's context, and the error that points at a place inside the model.

Sections of integrations and rules use these too, so that every section behaves alike: unknown
keys are errors, values are frozen, paths start at the config file's directory.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Hashable, Mapping
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, ValidationInfo
from pydantic_core import PydanticCustomError

from engine.clock import system_timezone
from engine.services import suggest

# Keys of the pydantic validation context the loader passes (see ``validation_context``).
BASE_DIR = "vicibus_base_dir"
ENVIRON = "vicibus_environ"
# The type of the error ``located`` raises, and the keys of its context.
LOCATED = "vicibus_located"


class ConfigModel(BaseModel):
    """The base of every config model: unknown keys are errors, values never change, and a
    number written where text goes is text (ViciDial users and groups are often numbers:
    ``api_user: 6666``)."""

    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)


def validation_context(base_dir: Path, environ: Mapping[str, str]) -> dict[str, Any]:
    return {BASE_DIR: base_dir, ENVIRON: environ}


def base_dir(info: ValidationInfo) -> Path | None:
    context = info.context
    return context.get(BASE_DIR) if isinstance(context, dict) else None


def environ(info: ValidationInfo) -> Mapping[str, str]:
    context = info.context
    found = context.get(ENVIRON) if isinstance(context, dict) else None
    return found if found is not None else {}


def located(message: str, at: tuple[Hashable, ...] = (), *, key: bool = False) -> Exception:
    """An error for a model validator to raise, reported at ``at`` below the model (at the key
    with ``key=True``) rather than at the model as a whole.

    ``raise located("set url or simulated, not both", ("simulated",), key=True)``
    """
    # pydantic fills only "{name}" placeholders that name a context key: these never occur.
    return PydanticCustomError(LOCATED, message, {"vicibus_at": at, "vicibus_key": key})


def _resolve(value: Path, info: ValidationInfo) -> Path:
    start = base_dir(info)
    return value if value.is_absolute() or start is None else start / value


# A path written in the config: relative paths start at the main config file's directory.
ConfigPath = Annotated[Path, AfterValidator(_resolve)]


def _zone(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        hint = suggest(value, sorted(zoneinfo.available_timezones()))
        more = f"; did you mean {hint[0]!r}?" if hint else " (an IANA name such as Europe/Paris)"
        raise located(f"unknown time zone {value!r}{more}") from None


TimeZone = Annotated[ZoneInfo, BeforeValidator(_zone)]


def system_zone() -> ZoneInfo:
    zone = system_timezone()
    return zone if isinstance(zone, ZoneInfo) else ZoneInfo("UTC")
