from __future__ import annotations

import time

from hypothesis import given
from hypothesis import strategies as st

from engine.context import Context, Origin
from engine.ids import id_time, new_id


def test_ids_are_unique_sortable_and_carry_their_time() -> None:
    ids = [new_id() for _ in range(10_000)]
    assert len(set(ids)) == len(ids)
    assert ids == sorted(ids)
    assert all(len(i) == 24 for i in ids)
    assert abs(id_time(ids[0]) - time.time()) < 60


@given(st.sampled_from(list(Origin)), st.text(max_size=20) | st.none())
def test_a_child_context_points_at_its_parent(origin: Origin, user: str | None) -> None:
    parent = Context(Origin.WEBHOOK)
    child = parent.child(origin, user=user)
    assert child.parent_id == parent.id
    assert child.id > parent.id
    assert child.as_dict() == {
        "id": child.id,
        "parent_id": parent.id,
        "origin": origin.value,
        "user": user,
    }
