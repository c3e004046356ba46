"""The run's position as plain data: any position, branches and loops included, goes through
JSON and back unchanged (the journal stores it; a later version resumes runs from it)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from rules.run_state import Frame, RunState, Strand

paths = st.from_regex(r"actions(/[0-9]{1,2}/(sequence|then|else|repeat/sequence))*", fullmatch=True)
plain = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
loops = st.none() | st.fixed_dictionaries(
    {"index": st.integers(1, 50)},
    optional={"count": st.integers(1, 50), "items": st.lists(plain, max_size=3)},
)
frames = st.builds(Frame, paths, st.integers(0, 20), st.none() | paths, loops)
waiting = st.none() | st.fixed_dictionaries(
    {
        "step": paths,
        "until": st.none() | st.floats(0, 2e9, allow_nan=False),
        "for": st.sampled_from(["delay", "template", "trigger"]),
    }
)
variables = st.dictionaries(st.from_regex(r"[a-z_]{1,8}", fullmatch=True), plain, max_size=4)


def strands(depth: int) -> st.SearchStrategy[Strand]:
    branches: Any = st.none()
    if depth:
        branches = st.none() | st.lists(strands(depth - 1), min_size=1, max_size=3)
    return st.builds(
        Strand,
        variables,
        st.lists(frames, min_size=0, max_size=4),
        waiting,
        st.none() | paths,
        branches,
    )


@given(strands(2), st.text(min_size=1, max_size=10))
def test_any_position_goes_through_json_and_back(strand: Strand, run_id: str) -> None:
    state = RunState(
        strand.variables,
        strand.frames,
        strand.waiting,
        strand.current,
        strand.branches,
        run_id=run_id,
        rule_id="rule",
        rule_version="v1",
    )
    data = state.to_dict()
    stored = json.loads(json.dumps(data))
    assert stored == data
    assert RunState.from_dict(stored).to_dict() == data
