"""README's "Write your first rule", followed as a newcomer would: the rule added at the end of
a copy of config.example.yaml, `vicibus check` as README shows it (and the typo it shows),
and the rule firing in the demo with the message it renders."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from pathlib import Path

from tests.commands import vicibus
from tests.examples.conftest import EXAMPLE, Example

Start = Callable[..., Awaitable[Example]]
README = (EXAMPLE.parent / "README.md").read_text(encoding="utf-8")
SECTION = README.split("## Write your first rule", 1)[1].split("\n## ", 1)[0]
(RULE,) = re.findall(r"```yaml\n(.*?)```", SECTION, re.DOTALL)
TYPO = re.search(r"\(`kind: (\w+)` gives\n`(.+?)`\)", SECTION)


def my_yaml(directory: Path, rule: str = RULE) -> str:
    """``cp config.example.yaml my.yaml`` and the rule added at the end; its name."""
    (directory / "my.yaml").write_text(EXAMPLE.read_text(encoding="utf-8") + "\n" + rule)
    return "my.yaml"


def test_the_first_rule_checks_as_readme_says(tmp_path: Path) -> None:
    done = vicibus("check", my_yaml(tmp_path), cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, "")
    assert f"# {done.stdout.strip()}" in SECTION  # "my.yaml: OK (1 file read, 10 rules)"


def test_the_typo_readme_shows_is_reported_as_it_shows(tmp_path: Path) -> None:
    assert TYPO is not None
    typo, message = TYPO.groups()
    done = vicibus("check", my_yaml(tmp_path, RULE.replace("start_call", typo)), cwd=tmp_path)
    assert done.returncode == 1
    assert message in (done.stdout + done.stderr).splitlines()


async def test_the_first_rule_fires_in_the_demo(example: Start) -> None:
    d = await example(traffic=True, append="\n" + RULE)
    for _ in range(60):  # at most five minutes of the demo's clock, a few seconds of make run's
        await d.advance(5)
        await d.poll()
        if d.ends("my_first_rule"):
            break
    (first, *_) = d.ends("my_first_rule")
    assert first.outcome == "finished"
    assert any(re.fullmatch(r"Agent \d+ is talking to lead \d+", text) for text in await d.chat())
