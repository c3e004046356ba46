"""The example as ``make run`` plays it: the demo's own traffic (its seed, the file's rules),
here on a manual clock polled every 5 seconds like the file's poller. ``make run`` has 60
real seconds, an hour of the demo's clock; at least five rules must fire well within that."""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable

from ruamel.yaml import YAML

from tests.examples.conftest import EXAMPLE, Example

Start = Callable[..., Awaitable[Example]]
MINUTES = 10  # of the demo's clock: ten seconds of make run's

# Every rule of config.example.yaml has its end-to-end test in this directory.
TESTED = {
    "pause_max_break": "test_agents.py",
    "idle_agent_calls_waiting": "test_agents.py",
    "dead_call_cleanup": "test_agents.py",
    "drop_alert": "test_calls.py",
    "sale_marker": "test_calls.py",
    "known_callers": "test_calls.py",
    "hopper_low": "test_schedules.py",
    "nightly_agent_stats": "test_schedules.py",
    "morning_list_reset": "test_schedules.py",
}


def test_every_example_rule_has_its_end_to_end_test() -> None:
    rules = YAML(typ="safe").load(EXAMPLE.read_text(encoding="utf-8"))["rules"]
    assert sorted(rule["id"] for rule in rules) == sorted(TESTED)
    for rule_id, module in TESTED.items():
        assert rule_id in (EXAMPLE.parent / "tests" / "examples" / module).read_text()


async def test_the_demo_fires_at_least_five_example_rules_within_minutes(example: Start) -> None:
    d = await example(traffic=True)
    await d.poll(times=MINUTES * 12, every=5)
    ends = [event.data for event in d.finished]
    fired = Counter(end.rule_id for end in ends if end.outcome in ("finished", "stopped"))
    assert len(fired) >= 5, fired
