"""``vicibus check`` checks the rules against what the daemon would register, and --online
asks the (simulated) dialer about the API users' permissions."""

from __future__ import annotations

import argparse
import io
import socket
from pathlib import Path

from engine.check import run_check

RULE = """\
vicidial: {simulated: {scenario: fixtures}}
rules:
  - id: pause_max_break
    triggers: [{trigger: webhook, kind: pause_max}]
    actions:
      - action: vicidial.agent.pause_cod
        data: {agent_user: "{{ trigger.payload.user }}", value: BREAK}
      - action: notify.log
        data: {message: "lead {{ trigger.payload.lead_id }}"}
"""


def check(path: Path, *flags: str) -> tuple[int, str]:
    out = io.StringIO()
    args = argparse.Namespace(
        config=str(path), strict="--strict" in flags, online="--online" in flags
    )
    return run_check(args, out=out), out.getvalue()


def test_rule_problems_are_found_against_the_daemons_services(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(RULE)
    code, out = check(path)
    assert code == 1
    assert f"{path}:6:17: " in out
    assert "did you mean 'vicidial.agent.pause_code'" in out
    assert not (tmp_path / ".vicibus").exists()  # check writes nothing


def test_a_field_the_trigger_cannot_provide_is_a_warning_and_strict_fails(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(RULE.replace("pause_cod\n", "pause_code\n"))
    code, out = check(path)
    assert code == 0, out
    assert "warning" in out
    assert "lead_id" in out
    assert out.splitlines()[-1].endswith("(1 file read, 1 rule, 1 warning)")
    code, _ = check(path, "--strict")
    assert code == 1


def test_online_asks_the_simulated_dialer(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(RULE.replace("pause_cod\n", "pause_code\n"))
    code, out = check(path, "--online")
    assert code == 0, out
    assert "ok  agent pause_code" in out
    assert "ok  admin logged_in_agents" in out
    assert out.splitlines()[-1].endswith("online: OK")


def test_online_works_while_the_daemon_holds_the_simulated_dialers_port(tmp_path: Path) -> None:
    with socket.socket() as taken:  # the running daemon's embedded dialer, say
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        path = tmp_path / "config.yaml"
        path.write_text(
            RULE.replace("pause_cod\n", "pause_code\n").replace(
                "{scenario: fixtures}", f"{{scenario: fixtures, port: {port}}}"
            )
        )
        code, out = check(path, "--online")
    assert code == 0, out
    assert out.splitlines()[-1].endswith("online: OK")
