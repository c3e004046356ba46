"""Every rule test file under tests/rule_tests (the example rules', the blueprints'), run as
``vicibus test --strict`` runs it: a failing file fails here with its report."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from engine.rule_tests_wiring import OfflineBench
from rules.testing.files import find_test_files
from rules.testing.report import file_lines
from rules.testing.runner import run_path

HERE = Path(__file__).parent
FILES = list(find_test_files([HERE]))


def test_every_example_rule_has_a_test_file() -> None:
    from engine.config import load_document

    rules = load_document(HERE.parents[1] / "config.example.yaml", environ={}).data["rules"]
    tested = {path.stem for path in (HERE / "examples").glob("*.yaml")}
    assert {rule["id"] for rule in rules} <= tested


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(HERE)) for p in FILES])
async def test_rule_file(path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.CRITICAL, logger="rules")
    result = await run_path(str(path), OfflineBench(), strict=True)
    assert result.tests or result.problems
    assert result.passed, "\n".join(file_lines(result))
