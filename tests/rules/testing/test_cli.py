"""``vicibus test`` as users run it: exit status, the failure report, --strict, bad files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.rules.testing.conftest import EXAMPLE_CONFIG, Run

PASSING = """\
rules: rules.yaml
tests:
  - name: both calls
    given:
      respond:
        vicidial.agent.send_notification: {outcome: ok}
        vicidial.agent.pause_code: {outcome: ok}
    steps:
      - webhook: {kind: pause_max, user: "1001"}
      - expect_actions:
          - {action: vicidial.agent.send_notification, data: {recipient: "1001"}}
          - {action: vicidial.agent.pause_code, data: {agent_user: 1001, value: BREAK}}
"""


def test_a_passing_file_exits_0(write: Callable[..., Path], vicibus: Run) -> None:
    path = write("pause_test.yaml", PASSING)
    code, out = vicibus("test", path)
    assert code == 0, out
    assert f"PASS  {path}: both calls" in out
    assert out.splitlines()[-1] == "1 test, 1 passed"


def test_a_failing_file_shows_expected_beside_actual_and_exits_1(
    write: Callable[..., Path], vicibus: Run
) -> None:
    path = write("pause_test.yaml", PASSING.replace("value: BREAK", "value: LUNCH"))
    code, out = vicibus("test", path)
    assert code == 1
    lines = out.splitlines()
    assert f"FAIL  {path}: both calls" in lines
    # Where: the expectation's own line; which step; then the pairs, the wrong one marked.
    assert f"  {path}:10:9: step 2 (expect_actions): the service calls differ" in lines
    text = "\n".join(lines)
    assert "✓ 1. expected: vicidial.agent.send_notification {recipient: '1001'}" in text
    assert "✗ 2. expected: vicidial.agent.pause_code {agent_user: 1001, value: LUNCH}" in text
    assert "actual:   vicidial.agent.pause_code {agent_user: '1001', value: BREAK}" in text
    assert "rule pause_then_code, run " in text
    assert f"during step 1 (webhook) at {path}:9:9" in text
    assert "differs:  data.value: expected LUNCH, got BREAK" in text
    assert lines[-1] == "1 test, 0 passed, 1 failed"


def test_a_stubbed_error_is_passed_by_continue_on_error(
    write: Callable[..., Path], vicibus: Run
) -> None:
    path = write(
        "error_test.yaml",
        """\
        rules: rules.yaml
        tests:
          - name: the notification refused, the pause code set all the same
            given:
              respond:
                vicidial.agent.send_notification:
                  {error: ViciStateError, message: "agent 1001 is not logged in"}
                vicidial.agent.pause_code: {outcome: ok}
            steps:
              - webhook: {kind: pause_max, user: "1001"}
              - expect_actions:
                  - {action: vicidial.agent.send_notification}
                  - {action: vicidial.agent.pause_code, data: {agent_user: "1001"}}
              - expect_trace: {rule: pause_then_code, outcome: finished}
          - name: the pause code refused, the run fails with the typed error
            given:
              respond:
                vicidial.agent.pause_code: {error: ViciNotFoundError, message: "no agent"}
            steps:
              - webhook: {kind: pause_max, user: "1001"}
              - expect_trace: {rule: pause_then_code, outcome: finished}
        """,
    )
    code, out = vicibus("test", path)
    assert code == 1
    assert f"PASS  {path}: the notification refused, the pause code set all the same" in out
    assert f"FAIL  {path}: the pause code refused, the run fails with the typed error" in out
    assert "error ViciNotFoundError: no agent" in out


def test_strict_fails_a_call_no_stub_answers(write: Callable[..., Path], vicibus: Run) -> None:
    text = PASSING.replace("        vicidial.agent.pause_code: {outcome: ok}\n", "")
    path = write("pause_test.yaml", text)
    code, out = vicibus("test", path)
    assert code == 0
    assert "1 call(s) without a stub (--strict fails them)" in out
    code, out = vicibus("test", "--strict", path)
    assert code == 1
    assert (
        f"{path}:5:7: --strict: vicidial.agent.pause_code had no stub and answered its "
        "empty success (rule pause_then_code" in out
    )


def test_bad_test_files_get_file_line_errors(write: Callable[..., Path], vicibus: Run) -> None:
    path = write(
        "bad_test.yaml",
        """\
        rules: rules.yaml
        tests:
          - name: typos
            given:
              respond: {vicidial.agent.pause_code: {error: ViciStateError, result: {}}}
            steps:
              - webhok: {kind: pause_max}
              - advance: soon
              - expect_actions: [{action: notify.log, dta: {}}]
        """,
    )
    code, out = vicibus("test", path)
    assert code == 1
    assert out.splitlines()[:5] == [
        f"ERROR {path}: the tests cannot run",
        f"  {path}:5:44: tests[0].given.respond.vicidial.agent.pause_code: "
        "a stub answers a result or an error, not both",
        f"  {path}:7:9: tests[0].steps[0]: unknown step 'webhok'; did you mean 'webhook'?",
        f"  {path}:8:18: tests[0].steps[1].advance: 'soon' is no duration; a duration is "
        "seconds (90), HH:MM:SS, compact (90s, 5m, 1h30m) or {minutes: 5}",
        f"  {path}:9:47: unknown key 'dta' in tests[0].steps[2].expect_actions[0]; "
        "did you mean 'data'?",
    ]


def test_bad_rules_stubs_and_webhooks_are_reported_at_their_place(
    write: Callable[..., Path], vicibus: Run
) -> None:
    write(
        "broken_rules.yaml",
        "- id: x\n  triggers: [{trigger: webhook, kind: pause_maxx}]\n"
        "  actions: [{action: notify.log, data: {message: hi}}]\n",
    )
    broken = write(
        "broken_test.yaml",
        "rules: broken_rules.yaml\ntests:\n  - name: n\n    steps: [{expect_no_actions: true}]\n",
    )
    stubs = write(
        "stubs_test.yaml",
        """\
        rules: rules.yaml
        tests:
          - name: a stub of an unknown error class
            given:
              respond: {vicidial.agent.pause_code: {error: ViciStateEror}}
            steps: [{expect_no_actions: true}]
          - name: a webhook field misspelt
            steps:
              - webhook: {kind: pause_max, usr: "1001"}
        """,
    )
    missing = write("missing_test.yaml", "rules: nowhere.yaml\ntests:\n  - {name: n, steps: []}\n")
    gone = write(
        "gone_test.yaml", "rules: nowhere.yaml\ntests:\n  - {name: n, steps: [{advance: 1}]}\n"
    )
    code, out = vicibus("test", broken, stubs, missing, gone)
    assert code == 1
    assert f"ERROR {broken}: the tests cannot run" in out
    assert "broken_rules.yaml:2:39: unknown webhook kind 'pause_maxx'" in out
    assert (
        f"{stubs}:5:44: given.respond: no error class 'ViciStateEror'; "
        "did you mean 'ViciStateError'?" in out
    )
    assert (
        f"{stubs}:9:9: step 1 (webhook): BadFieldError: 'usr' is not a variable ViciDial "
        "sends; did you mean 'user'?" in out
    )
    assert f"ERROR {missing}: the tests cannot run" in out
    assert f"ERROR {gone}: the tests cannot run" in out
    assert "nowhere.yaml" in out.split(f"ERROR {gone}")[1]
    assert f"{missing}:3:22: tests[0].steps: list should have at least 1 item" in out


def test_directories_hold_test_files_and_rules_files_beside_them(
    write: Callable[..., Path], vicibus: Run
) -> None:
    first = write("a_test.yaml", PASSING)
    second = write("b_test.yml", PASSING.replace("both calls", "again"))
    code, out = vicibus("test", first.parent)
    assert code == 0, out
    assert [line.split(":")[0] for line in out.splitlines()[:2]] == [
        f"PASS  {first}",
        f"PASS  {second}",
    ]
    code, out = vicibus("test", first.parent / "nothing-here")
    assert (code, out.strip()) == (1, f"{first.parent / 'nothing-here'}: no such file or directory")


def test_simulator_answers_from_a_fresh_embedded_dialer(
    write: Callable[..., Path], vicibus: Run
) -> None:
    """Lead 1 of the demo scenario calls from 3125550101: the simulated dialer's lead_search
    finds it and the rule matches; without --simulator the unstubbed search finds nothing."""
    path = write(
        "did_test.yaml",
        f"""\
        rules: {EXAMPLE_CONFIG}
        tests:
          - name: a known caller of the demo matches
            steps:
              - expect_state: {{campaign.DEMO: ACTIVE}}
              - webhook: {{kind: did_filter, phone_number: "3125550101"}}
              - expect_trace: {{rule: known_callers, outcome: stopped, response: {{match: true}}}}
        """,
    )
    code, out = vicibus("test", "--simulator", "--strict", path)
    assert code == 0, out
    code, out = vicibus("test", path)
    assert code == 1
    assert "campaign.DEMO: no such entity" in out  # no poll without the simulator
