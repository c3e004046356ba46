"""The config: one YAML file with includes, secrets and environment variables, validated by
pydantic, every problem at its file:line:column.

What the daemon, the CLI and the rules call::

    config = load("config.yaml", [*vicidial_sections, *notify_sections])  # or ConfigError
    config.core.clock.mode, config.section(VICIDIAL).poll.interval, config.warnings

    document = load_document("config.yaml")   # data + places, for checks that need them
    config = validate(document, sections)

A section (``ConfigSection``) names its path and model; its ``check`` hook receives a
``CheckContext`` to place further problems. Models use ``ConfigModel`` and raise ``located``
to point at a key inside them.
"""

from engine.config.document import Document, Found, Location
from engine.config.errors import ConfigError, ConfigProblem, Severity
from engine.config.fields import ConfigModel, ConfigPath, TimeZone, located
from engine.config.loader import SECRETS_FILE, load_document
from engine.config.schema import (
    ClockConfig,
    CoreConfig,
    HttpConfig,
    LoggingConfig,
    StorageConfig,
)
from engine.config.sections import REQUIRED, RULES, CheckContext, ConfigSection
from engine.config.validate import LoadedConfig, load, validate

__all__ = [
    "REQUIRED",
    "RULES",
    "SECRETS_FILE",
    "CheckContext",
    "ClockConfig",
    "ConfigError",
    "ConfigModel",
    "ConfigPath",
    "ConfigProblem",
    "ConfigSection",
    "CoreConfig",
    "Document",
    "Found",
    "HttpConfig",
    "LoadedConfig",
    "Location",
    "LoggingConfig",
    "Severity",
    "StorageConfig",
    "TimeZone",
    "load",
    "load_document",
    "located",
    "validate",
]
