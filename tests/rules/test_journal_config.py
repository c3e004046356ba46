"""``storage.traces``: defaults, the rules' durations, per-rule retention, and its problems."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from engine.config import ConfigError, load
from engine.storage.retention import DAY, RulePolicy
from engine.storage.traces import JournalSettings
from rules.journal_config import TRACES, RuleTraces, TracesConfig

PAGE = (Path(__file__).parents[2] / "docs" / "traces.md").read_text(encoding="utf-8")


def traces(tmp_path: Path, text: str) -> TracesConfig:
    path = tmp_path / "config.yaml"
    path.write_text(text)
    return load(path, [TRACES]).section(TRACES)


def test_the_defaults_are_the_last_200_runs_and_errors_for_7_days(tmp_path: Path) -> None:
    settings = traces(tmp_path, "timezone: UTC\n").settings()
    assert settings == JournalSettings()
    assert settings.retention.of("any") == RulePolicy(runs=200, errors=7 * DAY)


def test_durations_and_a_rules_own_retention(tmp_path: Path) -> None:
    config = traces(
        tmp_path,
        "storage:\n"
        "  traces:\n"
        "    runs: 50\n"
        "    errors: 30d\n"
        "    max_age: {days: 90}\n"
        "    flush_interval: 10ms\n"
        "    sweep_every: '00:01:00'\n"
        "    synchronous: full\n"
        "    rules:\n"
        "      pause_max_break: {runs: 1000, not_run_rate: 5}\n",
    )
    settings = config.settings()
    assert (settings.flush_interval, settings.sweep_every, settings.synchronous) == (
        0.01,
        60.0,
        "full",
    )
    assert settings.retention.of("other") == RulePolicy(50, 30 * DAY, 90 * DAY, 200, 60)
    assert settings.retention.of("pause_max_break") == RulePolicy(1000, 30 * DAY, 90 * DAY, 200, 5)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "    runs: -1\n",
            "config.yaml:3:11: storage.traces.runs: should be greater than or equal to 0",
        ),
        (
            "    errors: 7 days\n",
            "config.yaml:3:13: storage.traces.errors: '7 days' is no duration",
        ),
        (
            "    batch: 0\n",
            "config.yaml:3:12: storage.traces.batch: should be greater than or equal to 1",
        ),
        ("    keep: 5\n", "config.yaml:3:5: unknown key 'keep' in storage.traces"),
        ("    synchronous: off\n", "config.yaml:3:18: storage.traces.synchronous"),
    ],
)
def test_problems_are_placed(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        traces(tmp_path, "storage:\n  traces:\n" + text)
    assert any(str(p).startswith(f"{tmp_path}/{message}") for p in caught.value.problems), [
        str(p) for p in caught.value.problems
    ]


def test_a_rule_no_rule_has_is_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(
        "storage:\n  traces:\n    rules:\n      pause_max_brake: {runs: 5}\n"
        "rules:\n  - id: pause_max_break\n"
    )
    (warning,) = load(path, [TRACES]).warnings
    assert str(warning) == (
        f"{path}:4:7: warning: no rule has the id 'pause_max_brake'; its traces follow "
        "these settings only once one does"
    )


@pytest.mark.parametrize("model", [TracesConfig, RuleTraces], ids=lambda m: m.__name__)
def test_docs_name_every_key(model: type[TracesConfig] | type[RuleTraces]) -> None:
    missing = [name for name in model.model_fields if not re.search(rf"`{re.escape(name)}`", PAGE)]
    assert missing == [], f"docs/traces.md does not name {missing}"
