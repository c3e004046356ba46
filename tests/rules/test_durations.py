"""The one duration grammar, including property tests of its parser (it reads user input)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from rules.durations import MAX_SECONDS, Duration, DurationError, TemplatedDuration, parse_duration

ADAPTER: TypeAdapter[Any] = TypeAdapter(Duration)


@pytest.mark.parametrize(
    ("written", "seconds"),
    [
        (90, 90.0),
        (1.5, 1.5),
        ("90", 90.0),
        ("00:10:00", 600.0),
        ("1:30", 5400.0),
        ("00:00:01.250", 1.25),
        ("90s", 90.0),
        ("5m", 300.0),
        ("1h30m", 5400.0),
        ("1h 30m 15s", 5415.0),
        ("2d", 172800.0),
        ("250ms", 0.25),
        ("1m30s500ms", 90.5),
        ({"minutes": 5}, 300.0),
        ({"hours": 1, "seconds": 30, "milliseconds": 500}, 3630.5),
        ({"days": "1"}, 86400.0),
        (timedelta(minutes=2), 120.0),
    ],
)
def test_every_form_of_the_grammar(written: Any, seconds: float) -> None:
    assert parse_duration(written) == seconds
    assert ADAPTER.validate_python(written) == seconds


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("5 minutes", "'5 minutes' is no duration"),
        ("", "an empty text is no duration"),
        ("-00:01:00", "zero or more seconds"),
        (-1, "zero or more seconds, not -1"),
        (True, "True is no duration"),
        ({"minute": 5}, "unknown duration unit 'minute'"),
        ({}, "an empty mapping is no duration"),
        ({"minutes": "five"}, "minutes takes a number, not 'five'"),
        ("400d", "longer than a year"),
        ([5], "a list is no duration"),
        ("1h1h", "'1h1h' is no duration"),
        ("00:61:00", "is no duration"),
    ],
)
def test_what_is_no_duration_says_why(written: Any, message: str) -> None:
    with pytest.raises(DurationError, match=message):
        parse_duration(written)
    with pytest.raises(ValidationError, match=message):
        ADAPTER.validate_python(written)


def test_templates_are_kept_for_the_run() -> None:
    assert ADAPTER.validate_python("{{ minutes }}m") == TemplatedDuration("{{ minutes }}m")
    assert ADAPTER.validate_python({"minutes": "{{ n }}", "seconds": 5}) == TemplatedDuration(
        {"minutes": "{{ n }}", "seconds": 5}
    )
    with pytest.raises(ValidationError, match="unknown duration unit 'minuts'"):
        ADAPTER.validate_python({"minuts": "{{ n }}"})


@given(
    st.one_of(
        st.text(max_size=30),
        st.integers(),
        st.floats(),
        st.dictionaries(
            st.text(max_size=12), st.one_of(st.integers(), st.text(max_size=5)), max_size=4
        ),
    )
)
def test_any_input_is_a_duration_or_a_duration_error(value: Any) -> None:
    try:
        seconds = parse_duration(value)
    except DurationError:
        return
    assert 0 <= seconds <= MAX_SECONDS


@given(
    st.integers(0, 3),
    st.integers(0, 23),
    st.integers(0, 59),
    st.integers(0, 59),
    st.integers(0, 999),
)
def test_compact_and_mapping_forms_agree(
    days: int, hours: int, minutes: int, seconds: int, millis: int
) -> None:
    parts = {"d": days, "h": hours, "m": minutes, "s": seconds, "ms": millis}
    compact = "".join(f"{n}{unit}" for unit, n in parts.items() if n) or "0s"
    mapping = {
        "days": days,
        "hours": hours,
        "minutes": minutes,
        "seconds": seconds,
        "milliseconds": millis,
    }
    assert parse_duration(compact) == pytest.approx(parse_duration(mapping))
    if not days and not millis:
        clock = f"{hours:02d}:{minutes:02d}:{seconds:02d}"
        assert parse_duration(clock) == parse_duration(mapping)
