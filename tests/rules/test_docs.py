"""docs/rules.md: every YAML example in it is valid rule language."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter
from ruamel.yaml import YAML

from rules.schema_actions import Action
from rules.schema_conditions import Condition
from rules.schema_rule import Rule
from rules.schema_triggers import Trigger

PAGE = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
EXAMPLES = re.findall(r"```yaml\n(.*?)```", PAGE.read_text(encoding="utf-8"), re.S)


@pytest.mark.parametrize("example", EXAMPLES)
def test_every_example_validates(example: str) -> None:
    data: Any = YAML(typ="safe").load(example)
    if isinstance(data, dict) and "rules" in data:
        for rule in data["rules"]:
            Rule.model_validate(rule)
    elif isinstance(data, dict) and "conditions" in data:
        TypeAdapter(tuple[Condition, ...]).validate_python(data["conditions"])
    elif isinstance(data, dict) and "actions" in data:
        TypeAdapter(tuple[Action, ...]).validate_python(data["actions"])
    else:
        TypeAdapter(tuple[Trigger, ...]).validate_python(data)


def test_there_are_examples() -> None:
    assert len(EXAMPLES) >= 10
