"""Blueprint problems as ``vicibus check`` prints them, each at its file:line:col: a use's
inputs and keys, what the rule checks find in an expanded rule, a broken blueprint file; and
the input types."""

from __future__ import annotations

import argparse
import io
import textwrap
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.check import run_check
from rules.blueprint import BLUEPRINTS_DIR, BlueprintError, load_blueprint
from rules.blueprint_inputs import BlueprintInput, InputError, InputType
from tests.rules.test_blueprints import EXAMPLE_USES, HEAD

# -- problems, as vicibus check prints them ----------------------------------------------------


def _check(tmp_path: Path, rules: str, files: dict[str, str] | None = None) -> list[str]:
    """``vicibus check``'s lines for the example config with these rules (YAML text)."""
    for name, text in (files or {}).items():
        (tmp_path / name).write_text(textwrap.dedent(text), encoding="utf-8")
    config = tmp_path / "config.yaml"
    config.write_text(HEAD + "rules:\n" + textwrap.dedent(rules), encoding="utf-8")
    out = io.StringIO()
    code = run_check(argparse.Namespace(config=str(config), strict=False, online=False), out=out)
    lines = out.getvalue().splitlines()
    assert code == (1 if any(": warning:" not in line for line in lines[:-1]) else 0)
    return [line.removeprefix(str(config)) for line in lines[:-1]]


def _line(rules: str, needle: str) -> int:
    """The line of the config (HEAD + rules) where ``needle`` is written."""
    text = HEAD + "rules:\n" + textwrap.dedent(rules)
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_a_good_config_of_blueprints_checks_clean(tmp_path: Path) -> None:
    rules = "".join(
        f"- {{id: {rule_id}, use_blueprint: {{path: {path}, input: {inputs}}}}}\n".replace("'", '"')
        for rule_id, (path, inputs) in EXAMPLE_USES.items()
    )
    out = io.StringIO()
    config = tmp_path / "config.yaml"
    config.write_text(HEAD + "rules:\n" + rules, encoding="utf-8")
    assert (
        run_check(argparse.Namespace(config=str(config), strict=True, online=False), out=out) == 0
    )
    assert out.getvalue().strip().endswith("OK (1 file read, 7 rules)")


INPUT_ERRORS = """\
  - id: a
    use_blueprint:
      path: pause_max.yaml
      input:
        pause_cod: BREAK
        cooldown: forever
        campaigns: [SALES, "two words"]
"""


def test_unknown_input_and_wrong_types_at_the_input(tmp_path: Path) -> None:
    lines = _check(tmp_path, INPUT_ERRORS)
    assert lines == [
        f":{_line(INPUT_ERRORS, 'pause_cod')}:7: rules[0].use_blueprint.input.pause_cod: "
        "unknown input 'pause_cod' of 'Over max pause -> tell the agent, set a pause code'; "
        "did you mean 'pause_code'?",
        f":{_line(INPUT_ERRORS, 'forever')}:17: rules[0].use_blueprint.input.cooldown: "
        "input 'cooldown' takes a duration (90s, 5m, 00:10:00): 'forever' is no duration; a "
        "duration is seconds (90), HH:MM:SS, compact (90s, 5m, 1h30m) or {minutes: 5}",
        f":{_line(INPUT_ERRORS, 'two words')}:26: rules[0].use_blueprint.input.campaigns[1]: "
        "input 'campaigns' takes a list of campaign ids: item 1: 'two words' is no campaign "
        "id: letters, digits, _ and - (* ? for a glob)",
    ]


def test_a_missing_required_input(tmp_path: Path) -> None:
    rules = """\
      - id: idle
        use_blueprint:
          path: idle_agent_calls_waiting.yaml
          input: {notify: supervisors}
      - id: drops
        use_blueprint: {path: drop_alert.yaml}
    """
    assert _check(tmp_path, rules) == [
        f":{_line(rules, 'input: {notify')}:12: rules[0].use_blueprint.input: input 'ingroups' "
        "is required (the in-groups whose waiting calls count)",
        f":{_line(rules, 'drop_alert')}:18: rules[1].use_blueprint: input 'notify' is required "
        "(the notify target alerted)",
    ]


def test_the_use_itself(tmp_path: Path) -> None:
    rules = """\
      - id: a
        triggers: []
        use_blueprint: {path: pause_max.yaml, inputs: {}}
      - use_blueprint: {path: pause_mx}
      - {id: c, use_blueprint: pause_max.yaml}
      - {id: d, use_blueprint: {input: {}}}
      - {id: e, use_blueprint: {path: dead_call_cleanup, input: [NI]}}
    """
    at = _line(rules, "- id: a")
    assert _check(tmp_path, rules) == [
        f":{at + 1}:3: rules[0].triggers: a rule that uses a blueprint sets only id, alias, "
        "description, enabled, group beside use_blueprint; 'triggers' comes from the blueprint "
        "(or one of its inputs)",
        f":{at + 2}:41: rules[0].use_blueprint.inputs: unknown key 'inputs'; did you mean 'input'?",
        f":{at + 3}:3: rules[1]: id is required (a rule that uses a blueprint too)",
        f":{at + 3}:25: rules[1].use_blueprint.path: no blueprint 'pause_mx' (neither bundled "
        "nor beside the config); did you mean 'pause_max.yaml'?",
        f":{at + 4}:26: rules[2].use_blueprint: use_blueprint is a mapping: {{path, input}}",
        f":{at + 5}:26: rules[3].use_blueprint: path names the blueprint's file",
        f":{at + 6}:59: rules[4].use_blueprint.input: input is a mapping of names to values",
    ]


def test_what_the_loader_finds_in_an_input_is_at_the_input(tmp_path: Path) -> None:
    rules = """\
      - id: sale
        use_blueprint: {path: sale_marker.yaml, input: {notify: nobody}}
      - id: dead
        use_blueprint: {path: dead_call_cleanup.yaml, input: {dead_for: "-5s"}}
    """
    lines = _check(tmp_path, rules)
    assert lines[0] == (
        f":{_line(rules, 'dead_for')}:67: rules[1].use_blueprint.input.dead_for: input "
        "'dead_for' takes a duration (90s, 5m, 00:10:00): '-5s' is no duration; a duration is "
        "seconds (90), HH:MM:SS, compact (90s, 5m, 1h30m) or {minutes: 5}"
    )
    rules = rules[: rules.index("  - id: dead")]
    assert _check(tmp_path, rules) == [
        f":{_line(rules, 'nobody')}:59: no service 'notify.nobody'; did you mean 'notify.log'?"
    ]


BROKEN = """\
blueprint:
  name: Broken
  domain: rule
  input:
    x: {type: integer, default: 2}
triggers:
  - {trigger: webhook, kind: pause_max, filter: {user: !input x}}
actions:
  - {action: notify.log, data: {mesage: hi}}
"""


def test_what_the_loader_finds_in_the_blueprints_body_is_in_the_blueprint(
    tmp_path: Path,
) -> None:
    rules = "- {id: b, use_blueprint: {path: ./broken.yaml}}\n"
    blueprint = tmp_path / "broken.yaml"
    at = f":{_line(rules, 'id: b')}:33: blueprint {blueprint}"
    assert _check(tmp_path, rules, {"broken.yaml": BROKEN}) == [
        f"{at}:9:32: notify.log: message: Field required",
        f"{at}:9:33: notify.log takes no parameter 'mesage'; did you mean 'message'?",
    ]


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        ("triggers: []\n", ["1:1: a blueprint file starts with blueprint:"]),
        ("blueprint: {name: x, domain: rule\n", ["2:1: not valid YAML"]),
        (
            "blueprint: {name: x, domain: script, colour: red}\n",
            ["1:30: Input should be 'rule'", "1:38: unknown key 'colour'"],
        ),
        ("blueprint: {domain: rule}\n", ["1:12: name is required"]),
        (
            "blueprint: {name: x, domain: rule, input: {Bad Name: {}}}\nid: x\n",
            ["1:43: 'Bad Name' is no input name", "2:1: a blueprint gives no rule id"],
        ),
        (
            "blueprint: {name: x, domain: rule, input: {a: {type: decimal}}}\n",
            ["1:54: Input should be 'text', 'integer'"],
        ),
        (
            "blueprint: {name: x, domain: rule, input: {code: {}}}\nvalue: !input cod\n",
            ["2:8: !input cod: no such input; did you mean 'code'?"],
        ),
        (
            "blueprint: {name: x, domain: rule, input: {n: {type: integer, default: x}}}\n",
            ["1:72: the default of 'n' is not a whole number: 'x' is no whole number"],
        ),
        (
            "blueprint: {name: x, domain: rule}\nuse_blueprint: {path: y.yaml}\n",
            ["2:1: a blueprint cannot use another blueprint"],
        ),
    ],
)
def test_a_broken_blueprint_file_at_its_own_place(
    tmp_path: Path, text: str, problems: list[str]
) -> None:
    rules = "- {id: b, use_blueprint: {path: ./b.yaml}}\n"
    place = f":{_line(rules, 'id: b')}:33: rules[0].use_blueprint.path"
    at = f"{place}: blueprint {tmp_path / 'b.yaml'}:"
    lines = _check(tmp_path, rules, {"b.yaml": text})
    assert len(lines) == len(problems)
    for line, problem in zip(lines, problems, strict=True):
        assert line.startswith(at + problem), line


# -- input types ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "value", "checked"),
    [
        ("text", "hello", "hello"),
        ("text", 1001, "1001"),
        ("integer", 3, 3),
        ("number", 2.5, 2.5),
        ("boolean", False, False),
        ("duration", "1h30m", "1h30m"),
        ("duration", {"minutes": 5}, {"minutes": 5}),
        ("campaign", "TESTCAMP", "TESTCAMP"),
        ("campaign", "SALES*", "SALES*"),
        ("ingroup", "DEMOIN", "DEMOIN"),
        ("user", 6666, "6666"),
        ("notify", "supervisors", "notify.supervisors"),
        ("notify", "notify.reports", "notify.reports"),
    ],
)
def test_input_types_take(kind: InputType, value: Any, checked: Any) -> None:
    assert BlueprintInput(type=kind).check(value) == checked


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("text", True, "True is no text"),
        ("text", ["a"], "a list is no text"),
        ("integer", 2.5, "2.5 is no whole number"),
        ("integer", True, "True is no whole number"),
        ("number", "3", "'3' is no number"),
        ("boolean", "yes", "'yes' is no yes/no value (true or false)"),
        ("duration", "soon", "'soon' is no duration"),
        ("campaign", "A B", "'A B' is no campaign id"),
        ("user", None, "an empty value is no text"),
        ("notify", "Supervisors Room", "'Supervisors Room' is no notify target"),
    ],
)
def test_input_types_refuse(kind: InputType, value: Any, message: str) -> None:
    with pytest.raises(InputError) as caught:
        BlueprintInput(type=kind).check(value)
    assert caught.value.message.startswith(message)


def test_a_list_input_checks_each_item_and_takes_one_value_as_a_list() -> None:
    spec = BlueprintInput(type="list", item="integer")
    assert spec.check(5) == [5]
    with pytest.raises(InputError) as caught:
        spec.check([1, "two"])
    assert caught.value.at == (1,)
    assert spec.takes == "a list of whole numbers"
    with pytest.raises(InputError, match="single values"):
        BlueprintInput(type="list", item="list").check([[1]])


_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=8,
)


@given(kind=st.sampled_from(list(InputType.__args__)), value=_VALUES)  # type: ignore[attr-defined]
def test_any_value_is_taken_or_refused_in_words(kind: InputType, value: Any) -> None:
    message = ""
    try:
        BlueprintInput(type=kind).check(value)
    except InputError as exc:
        message = exc.message
        refused = True
    else:
        refused = False
    assert message if refused else not message


@pytest.mark.parametrize("path", sorted(BLUEPRINTS_DIR.glob("*.yaml")), ids=lambda p: p.name)
def test_every_bundled_blueprint_loads_and_describes_its_inputs(path: Path) -> None:
    blueprint = load_blueprint(path)
    assert blueprint.meta.description
    for name, spec in blueprint.inputs.items():
        assert spec.name, name
        assert spec.description, name


def test_a_secret_given_as_an_input_is_never_quoted(tmp_path: Path) -> None:
    rules = """\
      - id: drops
        use_blueprint:
          path: drop_alert.yaml
          input: {notify: supervisors, threshold: !secret drops}
    """
    lines = _check(tmp_path, rules, {"secrets.yaml": "drops: hunter2-secret\n"})
    assert lines == [
        f":{_line(rules, 'threshold')}:45: rules[0].use_blueprint.input.threshold: input "
        "'threshold' takes a whole number: '***' is no whole number"
    ]


_YAML_BITS = st.sampled_from(
    [
        "blueprint:",
        "  name: x",
        "  domain: rule",
        "  input:",
        "    a: {type: integer, default: 1}",
        "    b: {type: list, item: user}",
        "triggers: [{trigger: webhook, kind: pause_max}]",
        "actions: [{action: notify.log, data: {message: !input a}}]",
        "value: !input b",
        "value: !input",
        "id: x",
        "  - [",
        "\t",
        "{",
        ": :",
        "use_blueprint: {}",
    ]
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(_YAML_BITS, max_size=8))
def test_any_blueprint_file_loads_or_says_what_is_wrong(tmp_path: Path, lines: list[str]) -> None:
    path = tmp_path / "any.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems: list[str] = []
    try:
        blueprint = load_blueprint(path)
    except BlueprintError as exc:
        problems = exc.problems
        assert problems
    else:
        assert blueprint.meta.domain == "rule"
    assert all(p.startswith(f"{path}:") for p in problems)


MODED = """\
blueprint:
  name: Moded
  domain: rule
  input:
    mode: {type: text, default: sometimes}
mode: !input mode
triggers:
  - {trigger: webhook, kind: pause_max}
actions:
  - {action: notify.log, data: {message: hi}}
"""


def test_a_bad_value_from_a_default_is_the_blueprints_and_from_an_input_the_rules(
    tmp_path: Path,
) -> None:
    rules = """\
      - {id: a, use_blueprint: {path: ./moded.yaml}}
      - {id: b, use_blueprint: {path: ./moded.yaml, input: {mode: never}}}
    """
    lines = _check(tmp_path, rules, {"moded.yaml": MODED})
    refused = "Input should be 'single', 'restart', 'queued' or 'parallel'"
    assert lines == [
        f":{_line(rules, 'id: a')}:33: rules[0].use_blueprint.path: blueprint "
        f"{tmp_path / 'moded.yaml'}:5:33: the default of input 'mode': {refused}",
        f":{_line(rules, 'id: b')}:61: rules[1].use_blueprint.input.mode: {refused}",
    ]
