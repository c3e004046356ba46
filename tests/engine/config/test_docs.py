"""docs/config.md names every key the config models take, so the page cannot fall behind."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import BaseModel

from engine.config import ClockConfig, CoreConfig, HttpConfig, LoggingConfig, StorageConfig
from integrations.notify.config import HttpTarget, LogTarget, SmtpTarget
from integrations.vicidial.glue.config import (
    BreakerConfig,
    PollConfig,
    RateLimitConfig,
    RateLimitsConfig,
    SimulatedConfig,
    SimulatorControlConfig,
    VicidialConfig,
    WebhooksConfig,
)

PAGE = (Path(__file__).parents[3] / "docs" / "config.md").read_text(encoding="utf-8")
MODELS: list[type[BaseModel]] = [
    CoreConfig,
    ClockConfig,
    HttpConfig,
    StorageConfig,
    LoggingConfig,
    WebhooksConfig,
    VicidialConfig,
    PollConfig,
    RateLimitsConfig,
    RateLimitConfig,
    BreakerConfig,
    SimulatorControlConfig,
    SimulatedConfig,
    LogTarget,
    HttpTarget,
    SmtpTarget,
]


@pytest.mark.parametrize("model", MODELS, ids=[m.__name__ for m in MODELS])
def test_every_key_is_in_the_page(model: type[BaseModel]) -> None:
    missing = [
        name
        for name in model.model_fields
        if not re.search(rf"`[^`\n]*\b{re.escape(name)}\b[^`\n]*`", PAGE)
    ]
    assert missing == [], f"docs/config.md does not name {missing} of {model.__name__}"
