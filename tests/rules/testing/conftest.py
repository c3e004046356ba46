"""Rule test files written into a temporary directory, beside a rules file, and ``vicibus
test`` run on them through the real command line."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from engine.cli import main

EXAMPLE_CONFIG = Path(__file__).parents[3] / "config.example.yaml"

RULES = """\
- id: pause_then_code
  triggers: [{trigger: webhook, kind: pause_max}]
  actions:
    - action: vicidial.agent.send_notification
      data: {recipient: "{{ trigger.payload.user }}", recipient_type: USER,
             notification_text: paused too long}
      continue_on_error: true
    - action: vicidial.agent.pause_code
      data: {agent_user: "{{ trigger.payload.user }}", value: BREAK}
"""


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """``write(name, text)``: a file in the temporary directory (the rules file
    ``rules.yaml`` is there already)."""
    (tmp_path / "rules.yaml").write_text(RULES)

    def put(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text))
        return path

    return put


Run = Callable[..., tuple[int, str]]


@pytest.fixture
def vicibus(capsys: pytest.CaptureFixture[str]) -> Run:
    """``vicibus("test", path, ...)``: the exit status and standard output."""

    def run(*args: str | Path) -> tuple[int, str]:
        capsys.readouterr()
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err
        return code, captured.out

    return run
