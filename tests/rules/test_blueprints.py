"""Blueprints: each bundled one expanded with the example config's values and run beside the
example rule it generalises; defaults, a rule's own keys, one blueprint used twice; and every
problem of a use or of a blueprint file, at its file:line:col as ``vicibus check`` prints it."""

from __future__ import annotations

import argparse
import io
import json
import textwrap
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.check import run_check
from engine.config.loader import load_document
from engine.rule_tests_wiring import ERRORS, WEBHOOK_PAYLOADS, RulesSetup
from rules.blueprint import BLUEPRINTS_DIR, Blueprint, BlueprintError, bundled, load_blueprint
from rules.blueprint_inputs import BlueprintInput, InputError, InputType
from rules.blueprint_uses import expand
from rules.loading import Prefixed, load_rules
from rules.schema_rule import Rule
from rules.testing.files import is_test_file
from rules.testing.harness import RuleHarness

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "config.example.yaml"
_TEXT = EXAMPLE.read_text(encoding="utf-8")
# The example config without its rules: the dialer, notify targets (supervisors, reports).
HEAD = _TEXT[: _TEXT.index("\nrules:\n") + 1]
# Monday 2 March 2026, 01:00 in New York (the example's time zone): the nightly run is at 02:00.
START = datetime(2026, 3, 2, 1, 0, tzinfo=ZoneInfo("America/New_York")).timestamp()

# Each blueprint with the inputs that make it the example rule of the same id.
EXAMPLE_USES: dict[str, tuple[str, dict[str, Any]]] = {
    "pause_max_break": ("pause_max.yaml", {}),
    "idle_agent_calls_waiting": (
        "idle_agent_calls_waiting.yaml",
        {"ingroups": ["DEMOIN"], "notify": "supervisors"},
    ),
    "drop_alert": ("drop_alert.yaml", {"notify": "supervisors"}),
    "hopper_low": ("hopper_low.yaml", {"campaigns": ["DEMO"]}),
    "sale_marker": ("sale_marker.yaml", {"notify": "supervisors"}),
    "nightly_agent_stats": ("nightly_export.yaml", {"notify": "reports"}),
    "dead_call_cleanup": ("dead_call_cleanup.yaml", {}),
}
# Where an expansion differs from its example rule (the alias aside), and why.
EXPLAINED = {
    # The blueprint filters on its campaigns input; its default "*" is every campaign, as the
    # example's rule (no filter) is.
    "pause_max_break": {"triggers"},
    # Any number of in-groups instead of one: a template condition over the list, a message
    # naming those with calls waiting; the example's extra notify.log line is left to the run's
    # own console line.
    "idle_agent_calls_waiting": {"variables", "conditions", "actions"},
    # The message says the window as given ("within 15m", the example "within 15 minutes").
    "drop_alert": {"variables", "actions"},
    # Any number of campaigns: every campaign's hopper is watched and the condition keeps those
    # named; parallel, so that two campaigns running low together are both reset.
    "hopper_low": {"variables", "triggers", "conditions", "mode", "actions"},
}


def _examples() -> dict[str, dict[str, Any]]:
    return {rule["id"]: rule for rule in load_document(EXAMPLE).data["rules"]}


def _use(rule_id: str, **own: Any) -> dict[str, Any]:
    path, inputs = EXAMPLE_USES[rule_id]
    return {"id": rule_id, **own, "use_blueprint": {"path": path, "input": inputs}}


def _validated(data: dict[str, Any]) -> dict[str, Any]:
    dumped = Rule.model_validate(data).model_dump()
    dumped.pop("alias")
    return dumped


def test_every_bundled_blueprint_has_a_rule_test_file() -> None:
    tests = ROOT / "tests" / "rule_tests" / "blueprints"
    assert {p.name for p in tests.glob("*.yaml") if is_test_file(p)} == set(bundled())


def test_every_bundled_blueprint_generalises_an_example_rule() -> None:
    assert sorted(path for path, _ in EXAMPLE_USES.values()) == bundled()
    assert set(EXAMPLE_USES) <= set(_examples())


@pytest.mark.parametrize("rule_id", sorted(EXAMPLE_USES))
def test_the_expansion_is_the_example_rule_or_differs_as_explained(rule_id: str) -> None:
    uses = expand([_use(rule_id)])
    assert not uses.problems
    got = _validated(uses.expanded[0].data)
    want = _validated(_examples()[rule_id])
    differ = {key for key in got if got[key] != want[key]}
    assert differ == EXPLAINED.get(rule_id, set())


# -- run beside the example rule --------------------------------------------------------------

Scenario = Callable[[RuleHarness], Awaitable[None]]


async def _run(
    tmp_path: Path,
    rules: list[dict[str, Any]] | str,
    scenario: Scenario,
    states: dict[str, tuple[str, dict[str, Any]]] | None = None,
) -> list[tuple[str | None, str, dict[str, Any]]]:
    """The service calls (rule, service, rendered data) the rules make in ``scenario``, run
    with the daemon's services offline as ``vicibus test`` runs them."""
    body = rules if isinstance(rules, str) else _yaml_list(rules)
    config = tmp_path / "config.yaml"
    config.write_text(HEAD + "rules:\n" + textwrap.indent(body, "  "), encoding="utf-8")
    setup = RulesSetup.from_file(config)
    built = setup.build(start=START)
    # Blueprint paths not bundled start at the config's directory.
    loaded = load_rules(
        setup.rules_data, built.core, Prefixed(setup.document, setup.prefix), base_dir=tmp_path
    )
    assert not loaded.errors, [str(p) for p in loaded.errors]
    harness = RuleHarness(built.core, loaded.rules, events=WEBHOOK_PAYLOADS, errors=ERRORS)
    await harness.start(states)
    try:
        await scenario(harness)
    finally:
        await harness.stop()
    return [(call.rule_id, call.service, call.data) for call in harness.calls]


def _yaml_list(rules: list[dict[str, Any]]) -> str:
    # JSON is YAML: each rule as one flow mapping.
    return "".join(f"- {json.dumps(rule)}\n" for rule in rules)


async def _pause_max(h: RuleHarness) -> None:
    await h.webhook("pause_max", {"user": "1001", "campaign": "DEMO"})
    await h.advance(300)
    await h.webhook("pause_max", {"user": "1001", "campaign": "DEMO"})  # in the cooldown
    await h.webhook("pause_max", {"user": "1002", "campaign": "DEMO"})
    await h.advance(400)
    await h.webhook("pause_max", {"user": "1001", "campaign": "DEMO"})


async def _idle(h: RuleHarness) -> None:
    await h.set_state("agent.1001", "READY")
    await h.advance(30)
    await h.set_state("ingroup.DEMOIN", "0")
    await h.set_state("agent.1002", "READY")  # READY a minute, but no call waits
    await h.advance(61)
    await h.set_state("ingroup.DEMOIN", "3")
    await h.set_state("agent.1003", "READY")
    await h.advance(61)


async def _drops(h: RuleHarness) -> None:
    for _ in range(3):
        await h.webhook("no_agent", {"campaign": "DEMO", "lead_id": "7"})
        await h.advance(60)
    await h.webhook("no_agent", {"campaign": "OTHER", "lead_id": "8"})


async def _hopper(h: RuleHarness) -> None:
    await h.set_state("campaign.DEMO", "ACTIVE", {"hopper_count": 5})
    await h.set_state("campaign.DEMO", "ACTIVE", {"hopper_count": 2})


async def _sale(h: RuleHarness) -> None:
    await h.webhook("dispo_callback", {"dispo": "NI", "user": "1001", "lead_id": "41"})
    await h.webhook("dispo_callback", {"dispo": "SALE", "user": "1001", "lead_id": "42"})


async def _night(h: RuleHarness) -> None:
    await h.advance(3600 + 60)


async def _dead(h: RuleHarness) -> None:
    await h.set_state("agent.1001", "INCALL", {"sub_status": "DEAD"})
    await h.advance(61)


SCENARIOS: dict[str, tuple[Scenario, dict[str, tuple[str, dict[str, Any]]]]] = {
    "pause_max_break": (_pause_max, {}),
    "idle_agent_calls_waiting": (
        _idle,
        {"ingroup.DEMOIN": ("2", {}), **{f"agent.100{n}": ("PAUSED", {}) for n in (1, 2, 3)}},
    ),
    "drop_alert": (_drops, {}),
    "hopper_low": (_hopper, {"campaign.DEMO": ("ACTIVE", {"hopper_count": 10})}),
    "sale_marker": (_sale, {}),
    "nightly_agent_stats": (_night, {}),
    "dead_call_cleanup": (_dead, {"agent.1001": ("INCALL", {"sub_status": ""})}),
}
# What the blueprint's run says otherwise than the example's (see EXPLAINED).
MESSAGES = {
    "idle_agent_calls_waiting": [
        "Agent 1003 has been READY for 00:01:00 while calls wait in DEMOIN (3)",
    ],
    "drop_alert": ["3 calls dropped in campaign DEMO within 15m"],
}


@pytest.mark.parametrize("rule_id", sorted(EXAMPLE_USES))
async def test_the_blueprint_does_what_the_example_rule_does(tmp_path: Path, rule_id: str) -> None:
    scenario, states = SCENARIOS[rule_id]
    want = await _run(tmp_path, [_examples()[rule_id]], scenario, states)
    got = await _run(tmp_path, [_use(rule_id)], scenario, states)
    assert want, "the scenario makes the example rule act"
    if rule_id not in MESSAGES:
        assert got == want
        return
    # The example also logs each idle agent (notify.log); the blueprint tells the target only.
    want = [call for call in want if call[1] != "notify.log"]
    assert [(r, s) for r, s, _ in got] == [(r, s) for r, s, _ in want]
    assert [data["message"] for _, _, data in got] == MESSAGES[rule_id]


# -- defaults, own keys, twice ----------------------------------------------------------------


def test_inputs_left_out_take_their_defaults_and_given_ones_replace_them() -> None:
    default = expand([{"id": "a", "use_blueprint": {"path": "pause_max.yaml"}}])
    given = expand(
        [
            {
                "id": "b",
                "use_blueprint": {
                    "path": "pause_max",
                    "input": {"pause_code": "LONG", "cooldown": "00:30:00", "campaigns": "SALES"},
                },
            }
        ]
    )
    first, second = default.expanded[0].data, given.expanded[0].data
    assert first["cooldown"]["for"] == "10m"
    assert first["actions"][1]["data"]["value"] == "BREAK"
    assert second["cooldown"]["for"] == "00:30:00"
    assert second["actions"][1]["data"]["value"] == "LONG"
    assert second["triggers"][0]["filter"] == {"campaign": ["SALES"]}  # one value: a list of it


def test_the_rules_own_keys_replace_the_blueprints() -> None:
    rule = {
        "id": "quiet_sales",
        "alias": "Sales: over max pause",
        "description": "only the sales floor",
        "enabled": False,
        "group": "sales",
        "use_blueprint": {"path": "pause_max.yaml"},
    }
    data = expand([rule]).expanded[0].data
    validated = Rule.model_validate(data)
    assert (validated.id, validated.alias, validated.description) == (
        "quiet_sales",
        "Sales: over max pause",
        "only the sales floor",
    )
    assert (validated.enabled, validated.group) == (False, "sales")
    plain = expand([{"id": "x", "use_blueprint": {"path": "pause_max.yaml"}}]).expanded[0].data
    assert plain["alias"] == load_blueprint(BLUEPRINTS_DIR / "pause_max.yaml").body["alias"]


async def test_one_blueprint_used_twice_with_different_inputs(tmp_path: Path) -> None:
    rules = [
        {
            "id": "sales_pause",
            "use_blueprint": {
                "path": "pause_max.yaml",
                "input": {"campaigns": ["SALES"], "pause_code": "SBREAK"},
            },
        },
        {
            "id": "support_pause",
            "use_blueprint": {
                "path": "pause_max.yaml",
                "input": {"campaigns": ["SUPP*"], "pause_code": "TBREAK", "cooldown": "1h"},
            },
        },
    ]

    async def scenario(h: RuleHarness) -> None:
        await h.webhook("pause_max", {"user": "1001", "campaign": "SALES"})
        await h.webhook("pause_max", {"user": "2001", "campaign": "SUPPORT"})
        await h.webhook("pause_max", {"user": "3001", "campaign": "OTHER"})
        await h.advance(15 * 60)  # past the sales cooldown, inside the support one
        await h.webhook("pause_max", {"user": "1001", "campaign": "SALES"})
        await h.webhook("pause_max", {"user": "2001", "campaign": "SUPPORT"})

    calls = await _run(tmp_path, rules, scenario)
    codes = [
        (rule, data["agent_user"], data["value"])
        for rule, service, data in calls
        if service == "vicidial.agent.pause_code"
    ]
    assert codes == [
        ("sales_pause", "1001", "SBREAK"),
        ("support_pause", "2001", "TBREAK"),
        ("sales_pause", "1001", "SBREAK"),
    ]


async def test_a_blueprint_beside_the_config(tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "hello.yaml").write_text(
        textwrap.dedent(
            """\
            blueprint:
              name: Hello
              domain: rule
              input:
                who: {type: user}
            triggers:
              - {trigger: webhook, kind: pause_max, filter: {user: !input who}}
            actions:
              - {action: notify.log, data: {message: hello}}
            """
        ),
        encoding="utf-8",
    )
    rules = [{"id": "hi", "use_blueprint": {"path": "./mine/hello.yaml", "input": {"who": 1001}}}]

    async def scenario(h: RuleHarness) -> None:
        await h.webhook("pause_max", {"user": "1002"})
        await h.webhook("pause_max", {"user": "1001"})

    assert await _run(tmp_path, rules, scenario) == [("hi", "notify.log", {"message": "hello"})]


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


# -- the docs ------------------------------------------------------------------------------------


def input_table(blueprint: Blueprint) -> str:
    """The Markdown table of a blueprint's inputs, as docs/blueprints.md shows it."""
    rows = ["| input | takes | default | what it is |", "|---|---|---|---|"]
    for name, spec in blueprint.inputs.items():
        default = "required" if spec.required else f"`{json.dumps(spec.default)}`"
        rows.append(f"| `{name}` | {spec.takes} | {default} | {spec.description} |")
    return "\n".join(rows)


@pytest.mark.parametrize("path", sorted(BLUEPRINTS_DIR.glob("*.yaml")), ids=lambda p: p.name)
def test_the_docs_show_each_blueprints_inputs(path: Path) -> None:
    docs = (ROOT / "docs" / "blueprints.md").read_text(encoding="utf-8")
    blueprint = load_blueprint(path)
    assert f"### {path.name}\n" in docs
    assert input_table(blueprint) in docs


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
