"""docs/notify.md names every parameter, result field and error, so it cannot fall behind."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import BaseModel

import integrations.notify as notify
from integrations.notify import models

PAGE = (Path(__file__).parents[3] / "docs" / "notify.md").read_text(encoding="utf-8")
MODELS: list[type[BaseModel]] = [
    models.LogParams,
    models.ChatParams,
    models.EmailParams,
    models.Attachment,
    models.LogResult,
    models.HttpResult,
    models.SmtpResult,
]


@pytest.mark.parametrize("model", MODELS, ids=[m.__name__ for m in MODELS])
def test_every_field_is_in_the_page(model: type[BaseModel]) -> None:
    missing = [name for name in model.model_fields if not re.search(rf"`{name}[`\s:]", PAGE)]
    assert missing == [], f"docs/notify.md does not name {missing} of {model.__name__}"


def test_every_error_is_in_the_page() -> None:
    errors = [name for name in notify.__all__ if name.endswith("Error")]
    assert len(errors) == 7
    assert [name for name in errors if f"`{name}`" not in PAGE] == []
