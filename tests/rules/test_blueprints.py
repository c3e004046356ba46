"""Blueprints: each bundled one expanded with the example config's values and run beside the
example rule it generalises; defaults, a rule's own keys, one blueprint used twice, one beside
the config; the docs' tables of inputs. Problems: test_blueprint_problems.py."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from engine.config.loader import load_document
from engine.rule_tests_wiring import ERRORS, WEBHOOK_PAYLOADS, RulesSetup
from rules.blueprint import BLUEPRINTS_DIR, Blueprint, bundled, load_blueprint
from rules.blueprint_uses import expand
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
    loaded = setup.load_rules(built.core)  # blueprints not bundled: beside the config
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
