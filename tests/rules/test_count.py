"""The count trigger: a sliding window, the threshold, firing once per crossing and arming
again below it, per-key counts; on the manual clock."""

from __future__ import annotations

from rules.records import Outcome
from tests.rules.conftest import Harness


def messages(h: Harness) -> list[str]:
    return [p.message for p in h.calls.of("notify.log")]  # type: ignore[attr-defined]


DROPS = """
- id: drops
  mode: parallel
  triggers:
    trigger: count
    id: drops
    events: {trigger: webhook, kind: no_agent}
    within: 15m
    threshold: 3
    key: "{{ trigger.payload.campaign }}"
  actions:
    - action: notify.log
      data:
        message: >-
          {{ trigger.payload.campaign }} {{ trigger.count }}/{{ trigger.threshold }}
          in {{ trigger.within }} {{ trigger.id }} {{ trigger.platform }}
"""


async def drop(h: Harness, campaign: str, after: float = 0) -> None:
    if after:
        await h.advance(after)
    h.webhook("no_agent", campaign=campaign)
    await h.settle()


async def test_fires_when_the_window_reaches_the_threshold_once_per_crossing(
    harness: Harness,
) -> None:
    await harness.start(DROPS)
    await drop(harness, "TESTCAMP")
    await drop(harness, "TESTCAMP", 60)
    assert messages(harness) == []
    await drop(harness, "TESTCAMP", 60)
    assert messages(harness) == ["TESTCAMP 3/3 in 900.0 drops count"]
    await drop(harness, "TESTCAMP", 60)  # 4 in the window: no second alert
    assert len(messages(harness)) == 1
    (run,) = harness.runs("drops")
    assert run.platform == "count"


async def test_arms_again_when_the_count_falls_below_the_threshold(harness: Harness) -> None:
    await harness.start(DROPS)
    for after in (0, 60, 60):  # at 0, 1 and 2 minutes
        await drop(harness, "TESTCAMP", after)
    assert len(messages(harness)) == 1
    # At 16 min 30 s the first two have left the window: one left, below the threshold.
    await drop(harness, "TESTCAMP", 14 * 60 + 30)
    assert len(messages(harness)) == 1  # 2 in the window now
    await drop(harness, "TESTCAMP", 10)
    assert messages(harness)[-1].startswith("TESTCAMP 3/3")
    assert len(messages(harness)) == 2


async def test_counts_per_key(harness: Harness) -> None:
    await harness.start(DROPS)
    for campaign in ("A", "B", "A", "B", "C", "A"):
        await drop(harness, campaign, 10)
    assert messages(harness) == ["A 3/3 in 900.0 drops count"]
    await drop(harness, "B", 10)
    assert messages(harness)[-1].startswith("B 3/3")
    windows = harness.engine.runtime("drops").to_dict()["counts"]["drops"]
    assert {key: len(w["times"]) for key, w in windows.items()} == {"A": 3, "B": 3, "C": 1}
    assert {key: w["fired"] for key, w in windows.items()} == {"A": True, "B": True, "C": False}


async def test_without_a_key_one_count_for_the_rule(harness: Harness) -> None:
    await harness.start(DROPS.replace('    key: "{{ trigger.payload.campaign }}"\n', ""))
    for campaign in ("A", "B", "C"):
        await drop(harness, campaign, 10)
    assert messages(harness) == ["C 3/3 in 900.0 drops count"]


async def test_counts_a_state_held_for_a_while(harness: Harness) -> None:
    await harness.start(
        """
        - id: flapping
          triggers:
            trigger: count
            events: {trigger: state, entity_id: "agent.*", to: PAUSED, for: 30}
            within: 1h
            threshold: 2
          actions:
            - action: notify.log
              data: {message: "{{ trigger.entity_id }} {{ trigger.count }}"}
        """
    )
    await harness.change("agent.1", "PAUSED")
    await harness.advance(10)
    await harness.change("agent.1", "READY")  # not held 30 s: not counted
    await harness.change("agent.2", "PAUSED")
    await harness.advance(30)
    assert messages(harness) == []
    await harness.change("agent.1", "PAUSED")
    await harness.advance(30)
    assert messages(harness) == ["agent.1 2"]


async def test_a_key_that_cannot_be_rendered_is_on_record(harness: Harness) -> None:
    await harness.start(DROPS.replace('trigger.payload.campaign }}"', 'trigger.payload.nope }}"'))
    await drop(harness, "TESTCAMP")
    (run,) = harness.runs("drops")
    assert (run.outcome, run.reason) == (Outcome.ERROR, "the count's key could not be checked")
