"""Modes per key (``concurrency``), cooldowns per key, and what they drop: recorded with the
reason and the key, and counted (``rule_run_dropped``)."""

from __future__ import annotations

from rules.records import NotRunReason, Outcome
from tests.rules.conftest import Harness


def messages(h: Harness) -> list[str]:
    return [p.message for p in h.calls.of("notify.log")]  # type: ignore[attr-defined]


PER_AGENT = """
- id: per_agent
  concurrency: {{key: "{{{{ trigger.payload.user }}}}", mode: {mode}, max: {max}}}
  triggers: {{trigger: webhook, kind: pause_max}}
  actions:
    - delay: 60
    - action: notify.log
      data: {{message: "{{{{ trigger.payload.user }}}} {{{{ this.current }}}}"}}
"""


async def test_per_key_single_runs_two_agents_at_once_and_drops_one_agents_second(
    harness: Harness,
) -> None:
    await harness.start(PER_AGENT.format(mode="single", max=10))
    harness.webhook("pause_max", user="1001")
    harness.webhook("pause_max", user="1002")
    await harness.settle()
    assert len(harness.engine.runs) == 2  # one agent's run does not block another's
    await harness.advance(10)
    harness.webhook("pause_max", user="1001")
    await harness.settle()
    await harness.advance(60)
    assert messages(harness) == ["1001 2", "1002 1"]
    (dropped,) = harness.recorder.not_runs("per_agent")
    assert (dropped.reason, dropped.key) == (NotRunReason.SINGLE, "1001")
    assert [r.key for r in harness.runs("per_agent")] == ["1001", "1002"]
    assert harness.engine.runtime("per_agent").dropped == {"single": 1}
    assert harness.engine.dropped() == {"single": 1}


async def test_per_key_restart_cancels_only_that_keys_run(harness: Harness) -> None:
    await harness.start(PER_AGENT.format(mode="restart", max=10))
    harness.webhook("pause_max", user="1001")
    harness.webhook("pause_max", user="1002")
    await harness.settle()
    await harness.advance(30)
    harness.webhook("pause_max", user="1001")
    await harness.settle()
    await harness.advance(60)
    assert messages(harness) == ["1002 2", "1001 1"]
    outcomes = [(r.key, r.outcome, r.reason) for r in harness.runs("per_agent")]
    assert outcomes == [
        ("1001", Outcome.CANCELLED, "restart"),
        ("1002", Outcome.FINISHED, ""),
        ("1001", Outcome.FINISHED, ""),
    ]
    assert harness.engine.runtime("per_agent").dropped == {"restart": 1}


async def test_per_key_queued_and_max(harness: Harness) -> None:
    await harness.start(PER_AGENT.format(mode="queued", max=2))
    for user in ("1001", "1001", "1001", "1002"):
        harness.webhook("pause_max", user=user)
        await harness.settle()
    await harness.advance(120)
    assert messages(harness) == ["1001 2", "1002 2", "1001 1"]
    (dropped,) = harness.recorder.not_runs("per_agent")
    assert (dropped.reason, dropped.key) == (NotRunReason.MAX, "1001")
    first, queued = (r for r in harness.runs("per_agent") if r.key == "1001")
    assert queued.queued == first.started  # queued at once, started when the first ended
    assert queued.started == first.ended


async def test_per_key_parallel_with_max(harness: Harness) -> None:
    await harness.start(PER_AGENT.format(mode="parallel", max=2))
    for user in ("1001", "1001", "1001", "1002"):
        harness.webhook("pause_max", user=user)
    await harness.settle()
    assert len(harness.engine.runs) == 3
    assert harness.engine.runtime("per_agent").dropped == {"max": 1}


async def test_a_key_that_cannot_be_rendered_is_the_rules_error(harness: Harness) -> None:
    await harness.start(
        """
        - id: bad_key
          concurrency: {key: "{{ trigger.payload.lead_id }}"}
          triggers: {trigger: webhook, kind: pause_max}
          actions: [{action: notify.log, data: {message: never}}]
        """
    )
    harness.webhook("pause_max", user="1001")
    await harness.settle()
    (run,) = harness.runs("bad_key")
    assert (run.outcome, run.reason) == (Outcome.ERROR, "its keys could not be checked")
    assert messages(harness) == []


COOLDOWN = """
- id: nag
  mode: parallel
  cooldown: {for: 10m, key: "{{ trigger.payload.user }}"}
  triggers: {trigger: webhook, kind: pause_max}
  conditions: "{{ trigger.payload.campaign == 'TESTCAMP' }}"
  actions:
    - action: notify.log
      data: {message: "{{ trigger.payload.user }}"}
"""


async def test_cooldown_per_key_is_checked_after_the_conditions(harness: Harness) -> None:
    await harness.start(COOLDOWN)
    harness.webhook("pause_max", user="1001", campaign="OTHER")  # conditions fail: no cooldown
    harness.webhook("pause_max", user="1001", campaign="TESTCAMP")
    harness.webhook("pause_max", user="1002", campaign="TESTCAMP")
    await harness.settle()
    await harness.advance(5 * 60)
    harness.webhook("pause_max", user="1001", campaign="TESTCAMP")  # cooling down
    await harness.settle()
    await harness.advance(5 * 60)
    harness.webhook("pause_max", user="1001", campaign="TESTCAMP")  # 10 minutes on: runs
    await harness.settle()
    assert messages(harness) == ["1001", "1002", "1001"]
    reasons = [(r.reason, r.key) for r in harness.recorder.not_runs("nag")]
    assert reasons == [(NotRunReason.CONDITIONS, None), (NotRunReason.COOLDOWN, "1001")]
    assert harness.engine.runtime("nag").dropped == {"cooldown": 1}
    kept = harness.engine.runtime("nag").to_dict()["cooldowns"]
    assert kept == {"1001": harness.core.clock.time() + 600, "1002": kept["1002"]}


async def test_cooldown_without_a_key_is_for_the_whole_rule(harness: Harness) -> None:
    await harness.start(COOLDOWN.replace(', key: "{{ trigger.payload.user }}"', ""))
    for user in ("1001", "1002"):
        harness.webhook("pause_max", user=user, campaign="TESTCAMP")
    await harness.settle()
    assert messages(harness) == ["1001"]
    (dropped,) = harness.recorder.not_runs("nag")
    assert (dropped.reason, dropped.key) == (NotRunReason.COOLDOWN, None)


async def test_cooldowns_outlive_a_reload_that_keeps_the_rule(harness: Harness) -> None:
    await harness.start(COOLDOWN)
    harness.webhook("pause_max", user="1001", campaign="TESTCAMP")
    await harness.settle()
    await harness.reload(
        COOLDOWN + "- id: other\n  triggers: {trigger: startup}\n  actions: [{delay: 1}]\n"
    )
    harness.webhook("pause_max", user="1001", campaign="TESTCAMP")
    await harness.settle()
    assert messages(harness) == ["1001"]
