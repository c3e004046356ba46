"""Branches, loops and parallel steps: choose/default, if/then/else, repeat, parallel."""

from __future__ import annotations

import json

from engine.context import Context, Origin
from rules.records import Outcome, StepOutcome
from tests.rules.conftest import Harness


def messages(h: Harness) -> list[str]:
    return [p.message for p in h.calls.of("notify.log")]  # type: ignore[attr-defined]


async def test_choose_takes_the_first_option_that_holds_else_the_default(
    harness: Harness,
) -> None:
    await harness.start(
        """
        - id: pick
          triggers: {trigger: webhook, kind: pause_max}
          actions:
            - choose:
                - alias: break
                  conditions: "{{ trigger.payload.campaign == 'BREAKS' }}"
                  sequence: [{action: notify.log, data: {message: break}}]
                - conditions:
                    - condition: state
                      entity_id: agent.1001
                      state: PAUSED
                    - "{{ trigger.payload.user == '1001' }}"
                  sequence: [{action: notify.log, data: {message: paused 1001}}]
              default:
                - action: notify.log
                  data: {message: "other {{ trigger.payload.user }}"}
            - action: notify.log
              data: {message: after}
        """
    )
    await harness.change("agent.1001", "PAUSED")
    for user, campaign in (("1002", "BREAKS"), ("1001", "TESTCAMP"), ("1003", "TESTCAMP")):
        harness.webhook("pause_max", user=user, campaign=campaign)
        await harness.settle()
    assert messages(harness) == ["break", "after", "paused 1001", "after", "other 1003", "after"]
    chosen = [
        next(s for s in run.steps if s.kind == "choose").result["chosen"]
        for run in harness.runs("pick")
    ]
    assert chosen == [0, 1, "default"]
    # The option's conditions are on record with what they compared.
    second = next(s for s in harness.runs("pick")[1].steps if s.kind == "choose")
    assert [c["kind"] for c in second.result["conditions"]][-1] == "and"


async def test_choose_without_a_match_or_default_goes_on(harness: Harness) -> None:
    await harness.start(
        """
        - id: none
          triggers: {trigger: webhook, kind: pause_max}
          actions:
            - choose:
                - conditions: "{{ false }}"
                  sequence: [{action: notify.log, data: {message: never}}]
            - action: notify.log
              data: {message: on}
        """
    )
    harness.webhook("pause_max", user="1")
    await harness.settle()
    assert messages(harness) == ["on"]


async def test_if_then_else(harness: Harness) -> None:
    await harness.start(
        """
        - id: branch
          mode: parallel
          triggers: {trigger: webhook, kind: pause_max}
          actions:
            - if:
                - "{{ trigger.payload.campaign == 'TESTCAMP' }}"
              then:
                - action: notify.log
                  data: {message: "then {{ trigger.payload.user }}"}
              else:
                - action: notify.log
                  data: {message: "else {{ trigger.payload.user }}"}
            - if: "{{ trigger.payload.user == '2' }}"
              then: [{stop: two}]
            - action: notify.log
              data: {message: end}
        """
    )
    harness.webhook("pause_max", user="1", campaign="TESTCAMP")
    harness.webhook("pause_max", user="2", campaign="OTHER")
    await harness.settle()
    assert sorted(messages(harness)) == ["else 2", "end", "then 1"]
    two = next(r for r in harness.runs("branch") if r.steps[-1].kind == "stop")
    assert (two.outcome, two.reason) == (Outcome.STOPPED, "two")


async def test_repeat_count_with_the_repeat_variable(harness: Harness) -> None:
    await harness.start(
        """
        - id: count
          triggers: {trigger: webhook, kind: pause_max}
          actions:
            - repeat:
                count: "{{ 1 + 2 }}"
                sequence:
                  - action: notify.log
                    data: {message: "{{ repeat.index }} {{ repeat.first }} {{ repeat.last }}"}
            - action: notify.log
              data: {message: "{{ 'still' if repeat is defined else 'gone' }}"}
        """
    )
    harness.webhook("pause_max", user="1")
    await harness.settle()
    assert messages(harness) == ["1 True False", "2 False False", "3 False True", "gone"]
    (run,) = harness.runs("count")
    loops = [s.result for s in run.steps if s.kind == "repeat" and s.result]
    assert [(r["iteration"], r["again"]) for r in loops] == [(1, True), (2, True), (3, False)]


async def test_repeat_for_each_and_nested_loops_keep_their_own_repeat(harness: Harness) -> None:
    await harness.start(
        """
        - id: each
          variables: {agents: ["1001", "1002"]}
          triggers: {trigger: webhook, kind: pause_max}
          actions:
            - repeat:
                for_each: "{{ agents }}"
                sequence:
                  - variables: {agent: "{{ repeat.item }}"}
                  - repeat:
                      for_each: [BREAK, LUNCH]
                      sequence:
                        - action: notify.log
                          data: {message: "{{ agent }} {{ repeat.item }} {{ repeat.index }}"}
                  - action: notify.log
                    data: {message: "outer {{ repeat.index }} {{ repeat.item }}"}
        """
    )
    harness.webhook("pause_max", user="1")
    await harness.settle()
    assert messages(harness) == [
        "1001 BREAK 1",
        "1001 LUNCH 2",
        "outer 1 1001",
        "1002 BREAK 1",
        "1002 LUNCH 2",
        "outer 2 1002",
    ]


async def test_repeat_while_checks_before_and_until_after(harness: Harness) -> None:
    await harness.start(
        """
        - id: loops
          triggers: {trigger: webhook, kind: pause_max}
          actions:
            - variables: {n: 0}
            - repeat:
                while: "{{ n < 2 }}"
                sequence:
                  - variables: {n: "{{ n + 1 }}"}
                  - action: notify.log
                    data: {message: "while {{ n }}"}
            - repeat:
                while: "{{ false }}"
                sequence: [{action: notify.log, data: {message: never}}]
            - repeat:
                until:
                  - "{{ repeat.index >= 2 }}"
                sequence:
                  - action: notify.log
                    data: {message: "until {{ repeat.index }}"}
        """
    )
    harness.webhook("pause_max", user="1")
    await harness.settle()
    assert messages(harness) == ["while 1", "while 2", "until 1", "until 2"]


async def test_a_loop_that_waits_is_plain_data_at_every_iteration(harness: Harness) -> None:
    await harness.start(
        """
        - id: poll
          triggers: {trigger: webhook, kind: pause_max}
          actions:
            - repeat:
                for_each: [a, b]
                sequence:
                  - delay: 10
                  - action: notify.log
                    data: {message: "{{ repeat.item }}"}
        """
    )
    harness.webhook("pause_max", user="1")
    await harness.settle()
    (run,) = harness.engine.runs
    state = run.state.to_dict()
    assert state["frames"][-1] == {
        "block": "actions/0/repeat/sequence",
        "index": 0,  # the delay it waits in
        "owner": "actions/0",
        "loop": {"index": 1, "items": ["a", "b"]},
    }
    assert state["variables"]["repeat"] == {"index": 1, "first": True, "last": False, "item": "a"}
    assert json.loads(json.dumps(state)) == state
    await harness.advance(10)
    assert run.state.to_dict()["frames"][-1]["loop"] == {"index": 2, "items": ["a", "b"]}
    await harness.advance(10)
    assert messages(harness) == ["a", "b"]
    assert harness.engine.runs == []


async def test_a_bad_count_or_for_each_is_the_rules_error(harness: Harness) -> None:
    await harness.start(
        """
        - id: bad
          mode: parallel
          triggers: {trigger: webhook, kind: pause_max}
          actions:
            - repeat:
                count: "{{ trigger.payload.user }}x"
                sequence: [{action: notify.log, data: {message: never}}]
              continue_on_error: true
        - id: text
          triggers: {trigger: webhook, kind: pause_max}
          actions:
            - repeat:
                for_each: "{{ 'abc' }}"
                sequence: [{action: notify.log, data: {message: never}}]
        """
    )
    harness.webhook("pause_max", user="1")
    await harness.settle()
    assert messages(harness) == []
    (bad,) = harness.runs("bad")
    assert bad.outcome is Outcome.ERROR
    assert bad.error is not None
    assert "not a whole number" in bad.error.message
    (text,) = harness.runs("text")
    assert text.error is not None
    assert "for_each rendered as str, not a list" in text.error.message


async def test_parallel_branches_run_at_once_each_with_its_own_variables(
    harness: Harness,
) -> None:
    await harness.start(
        """
        - id: both
          variables: {who: rule}
          triggers: {trigger: webhook, kind: pause_max}
          actions:
            - parallel:
                - sequence:
                    - variables: {who: first}
                    - delay: 20
                    - action: notify.log
                      data: {message: "{{ who }} after 20"}
                - sequence:
                    - delay: 10
                    - action: notify.log
                      data: {message: "second after 10"}
                - action: notify.log
                  data: {message: "third at once"}
            - action: notify.log
              data: {message: "{{ who }} after all"}
        """
    )
    harness.webhook("pause_max", user="1")
    await harness.settle()
    (run,) = harness.engine.runs
    assert run.parked
    assert messages(harness) == ["third at once"]
    branches = run.state.to_dict()["branches"]
    assert [b["waiting"]["until"] - harness.core.clock.time() for b in branches[:2]] == [20, 10]
    assert branches[2]["frames"] == []  # the third has ended
    await harness.advance(10)
    assert messages(harness) == ["third at once", "second after 10"]
    await harness.advance(10)
    assert messages(harness) == [
        "third at once",
        "second after 10",
        "first after 20",
        "rule after all",
    ]
    (done,) = harness.runs("both")
    assert done.outcome is Outcome.FINISHED
    assert done.state.branches is None


async def test_a_failing_branch_cancels_the_others_and_fails_the_parallel_step(
    harness: Harness,
) -> None:
    harness.calls.refuse.add("1001")
    await harness.start(
        """
        - id: fail
          triggers: {trigger: webhook, kind: pause_max}
          actions:
            - parallel:
                - sequence:
                    - delay: 30
                    - action: notify.log
                      data: {message: never}
                - action: vicidial.agent.pause_code
                  data: {agent_user: "1001", value: BREAK}
              continue_on_error: true
            - action: notify.log
              data: {message: went on}
        """
    )
    harness.webhook("pause_max", user="1")
    await harness.settle()
    await harness.advance(60)
    assert messages(harness) == ["went on"]
    (run,) = harness.runs("fail")
    assert run.outcome is Outcome.FINISHED
    outcomes = {(s.path, s.outcome) for s in run.steps}
    assert ("actions/0/parallel/0/0/sequence/0", StepOutcome.CANCELLED) in outcomes
    assert ("actions/0/parallel/1/0", StepOutcome.ERROR) in outcomes
    assert ("actions/0", StepOutcome.ERROR) in outcomes


async def test_a_run_cancelled_in_a_parallel_step_cancels_every_branch(harness: Harness) -> None:
    await harness.start(
        """
        - id: long
          triggers: {trigger: webhook, kind: pause_max}
          actions:
            - parallel:
                - delay: 60
                - delay: 90
        """
    )
    harness.webhook("pause_max", user="1")
    await harness.settle()
    await harness.engine.stop()
    (run,) = harness.runs("long")
    assert (run.outcome, run.reason) == (Outcome.CANCELLED, "shutdown")
    cancelled = [s.path for s in run.steps if s.outcome is StepOutcome.CANCELLED]
    assert sorted(cancelled) == ["actions/0", "actions/0/parallel/0/0", "actions/0/parallel/1/0"]
    assert harness.core.clock.pending == 0


async def test_a_loop_that_never_waits_lets_others_run_and_can_be_switched_off(
    harness: Harness,
) -> None:
    await harness.start(
        """
        - id: runaway
          triggers: {trigger: webhook, kind: pause_max}
          actions:
            - repeat:
                until: "{{ false }}"
                sequence: [{variables: {spin: "{{ repeat.index }}"}}]
        """
    )
    harness.webhook("pause_max", user="1")
    await harness.core.settle()  # the bus only: the run never parks
    (run,) = harness.engine.runs
    loop = run.state.frames[-1].loop
    assert loop is not None
    assert loop["index"] > 1  # it went round, and the test got its turns all the same
    await harness.core.services.call(
        "rules.disable",
        {"rule_id": "runaway"},
        context=Context(Origin.API),
        caller="api:ops",
    )
    record = await run.done
    assert (record.outcome, record.reason) == (Outcome.CANCELLED, "rule_disabled")
