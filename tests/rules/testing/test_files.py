"""Reading test files is reading outside input: whatever the text, a test file or a
ConfigError whose every problem is placed in that file, never another exception."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from engine.config import ConfigError
from rules.testing.files import load_test_file
from rules.testing.matching import differences
from rules.testing.spec import STEP_KINDS

NAME = "fuzz_test.yaml"

WORDS = st.sampled_from(
    [
        *STEP_KINDS,
        "rules",
        "tests",
        "name",
        "given",
        "steps",
        "states",
        "respond",
        "time",
        "kind",
        "action",
        "data",
        "rule",
        "outcome",
        "reason",
        "error",
        "message",
        "result",
        "state",
        "attributes",
        "entity_id",
        "type",
        "timezone",
        "pause_max",
        "5m",
        "x",
    ]
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10**6),
    st.floats(allow_nan=False),
    st.text(max_size=12),
    WORDS,
)
DATA = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(WORDS, inner, max_size=5)),
    max_leaves=25,
)


def _read(text: str) -> None:
    try:
        load_test_file(NAME, text=text)
    except ConfigError as exc:
        problems = exc.problems
    else:
        return
    assert problems
    for problem in problems:
        assert problem.file == NAME
        assert problem.line >= 1
        assert problem.column >= 1


@given(DATA)
def test_any_data_is_a_test_file_or_placed_problems(data: Any) -> None:
    _read(json.dumps(data))  # JSON is YAML


@given(
    st.fixed_dictionaries(
        {
            "rules": st.just("r.yaml"),
            "tests": st.lists(
                st.fixed_dictionaries(
                    {
                        "name": st.text(min_size=1, max_size=8),
                        "steps": st.lists(st.dictionaries(WORDS, DATA, max_size=2), max_size=4),
                    }
                ),
                max_size=3,
            ),
        }
    )
)
def test_any_steps_are_steps_or_placed_problems(data: Any) -> None:
    _read(json.dumps(data))


@given(st.text(max_size=200))
def test_any_text_is_a_test_file_or_placed_problems(text: str) -> None:
    _read(text)


@given(DATA)
def test_a_value_matches_itself(value: Any) -> None:
    assert differences(value, value) == []


@given(st.dictionaries(WORDS, DATA, max_size=6), st.data())
def test_a_mapping_matches_any_of_its_subsets(actual: dict[str, Any], draw: st.DataObject) -> None:
    keys = draw.draw(st.sets(st.sampled_from(sorted(actual)) if actual else st.nothing()))
    assert differences({k: actual[k] for k in keys}, actual) == []
    missing = "not-a-key"
    assert differences({missing: 1}, actual) == [f"{missing}: missing (expected 1)"]


def test_a_number_and_its_text_are_the_same_but_not_a_boolean() -> None:
    assert differences({"lead_id": 42}, {"lead_id": "42"}) == []
    assert differences({"value": "1"}, {"value": 1}) == []
    assert differences({"on": True}, {"on": 1}) == ["on: expected true, got 1"]
    assert differences({"v": "BREAK"}, {"v": "LUNCH"}) == ["v: expected BREAK, got LUNCH"]
    assert differences([1, 2], [1]) == ["value: expected [1, 2], got [1]"]
