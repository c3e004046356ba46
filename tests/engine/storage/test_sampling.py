"""Non-run sampling: all while rare, one in N past the rate, per key and minute."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.storage.sampling import Sample, Sampler


def test_keys_and_minutes_have_their_own_budget() -> None:
    sampler = Sampler(every=2)
    assert [sampler.admit("a", 1, 0.0) for _ in range(4)] == [
        Sample.FULL,
        Sample.SAMPLED,
        Sample.COUNTED,
        Sample.SAMPLED,
    ]
    assert sampler.admit("b", 1, 30.0) is Sample.FULL
    assert sampler.admit("a", 1, 60.0) is Sample.FULL  # a new minute


def test_a_rate_of_zero_samples_from_the_first() -> None:
    sampler = Sampler(every=3)
    assert [sampler.admit("a", 0, 0.0) for _ in range(4)] == [
        Sample.SAMPLED,
        Sample.COUNTED,
        Sample.COUNTED,
        Sample.SAMPLED,
    ]


def test_a_sample_of_less_than_one_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        Sampler(every=0)


@given(rate=st.integers(0, 50), every=st.integers(1, 20), n=st.integers(0, 300))
def test_the_recorded_are_the_rate_and_one_in_every_of_the_rest(
    rate: int, every: int, n: int
) -> None:
    sampler = Sampler(every)
    admitted = [sampler.admit("k", rate, 120.0) for _ in range(n)]
    full = admitted.count(Sample.FULL)
    assert full == min(rate, n)
    rest = n - full
    assert admitted.count(Sample.SAMPLED) == (rest + every - 1) // every
