"""Scenario loading: the built-in one, errors that say file:line, and random input."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from integrations.vicidial.simulator import scenario as sc
from integrations.vicidial.simulator.records import AgentState


def test_builtin_reproduces_the_fixture_dialer() -> None:
    center = sc.build_center(sc.load_builtin())
    assert {"6666", "6667", "6668"} <= set(center.users)
    states = {user: s.status for user, s in center.sessions.items()}
    assert states == {
        "1001": AgentState.PAUSED,
        "1002": AgentState.READY,
        "1003": AgentState.INCALL,
        "1004": AgentState.INCALL,
        "1005": AgentState.INCALL,
    }
    assert center.sessions["1001"].pause_code == "BREAK"
    assert set(center.lists) >= {101, 102}
    assert set(center.ingroups) >= {"SALESLINE", "SUPPORT"}
    assert not center.events.history  # loading is not news


def test_errors_name_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "user_groups:\n  - {group: AGENTS}\nusers:\n  - user: '1'\n    password: x\n"
        "    user_group: NOPE\n    user_level: 12\n"
    )
    with pytest.raises(sc.ScenarioError) as info:
        sc.load(path)
    text = str(info.value)
    assert f"{path}:7: users.0.user_level" in text


def test_cross_references_name_their_line(tmp_path: Path) -> None:
    path = tmp_path / "ref.yaml"
    path.write_text(
        "user_groups: [{group: G}]\nusers:\n  - {user: '1', password: x, user_group: H}\n"
    )
    with pytest.raises(sc.ScenarioError, match=r"ref.yaml:3: unknown user group 'H'"):
        sc.load(path)


def test_yaml_syntax_error_has_a_line(tmp_path: Path) -> None:
    path = tmp_path / "syntax.yaml"
    path.write_text("users:\n  - [unclosed\n")
    with pytest.raises(sc.ScenarioError) as info:
        sc.load(path)
    assert info.value.line is not None


def test_unknown_key_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(sc.ScenarioError, match="unknown key 'agentz'"):
        sc.parse("agentz: []\n", "x.yaml")
    with pytest.raises(sc.ScenarioError, match="cannot read"):
        sc.load(tmp_path / "missing.yaml")


def test_password_never_in_errors() -> None:
    with pytest.raises(sc.ScenarioError) as info:
        sc.parse("users:\n  - {user: '1', password: hunter2, user_group: G, user_level: 0}\n")
    assert "hunter2" not in str(info.value)


yaml_ish = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(
            st.sampled_from(["users", "leads", "sessions", "clock", "user", "x"]), inner, max_size=3
        ),
    ),
    max_leaves=8,
)


@settings(max_examples=200)
@given(st.one_of(st.text(max_size=200), yaml_ish.map(repr)))
def test_random_input_gives_a_scenario_or_a_typed_error(text: str) -> None:
    message = "fuzz.yaml"
    try:
        sc.parse(text, "fuzz.yaml")
    except sc.ScenarioError as exc:
        message = str(exc)
    assert message.startswith("fuzz.yaml")


@settings(max_examples=100)
@given(
    st.lists(
        st.sampled_from(
            [
                "users:",
                "  - user: a",
                "    password: b",
                "clock: {mode: fast}",
                "leads: 3",
                "  x",
                "{",
                "- ]",
            ]
        ),
        max_size=6,
    )
)
def test_random_yaml_lines(lines: list[str]) -> None:
    message = "lines.yaml"
    try:
        sc.parse("\n".join(lines), "lines.yaml")
    except sc.ScenarioError as exc:
        message = str(exc)
    assert message.startswith("lines.yaml")


def test_traffic_names_are_checked_with_their_line() -> None:
    text = (
        "user_groups: [{group: G}]\n"
        "users: [{user: '1', password: x, user_group: G}]\n"
        "campaigns: [{campaign_id: TC}]\n"
        "traffic:\n"
        "  agents:\n"
        "    - {user: '9', campaign_id: TC}\n"
        "  statuses: {SALE: 0}\n"
    )
    with pytest.raises(sc.ScenarioError) as caught:
        sc.parse(text, "t.yaml")
    message = str(caught.value)
    assert "t.yaml:6: unknown user '9'" in message
    assert "t.yaml:7:" in message


def test_the_demo_scenario_is_valid_and_has_traffic() -> None:
    scenario = sc.load_builtin("demo.yaml")
    assert scenario.traffic is not None
    assert scenario.traffic.seed == 7
