"""The entities the poller makes from real poll answers (tests/fixtures/vicidial/poll_state:
a center with agents in every status and sub-status)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from integrations.vicidial.admin.functions import ADMIN_FUNCTIONS
from integrations.vicidial.client import parse_answer
from integrations.vicidial.glue.entities import (
    DailyCounts,
    agent_view,
    campaign_agent_counts,
    ingroup_update,
    usergroup_update,
)

HERE = Path(__file__).resolve().parents[3] / "fixtures" / "vicidial" / "poll_state"
INDEX: list[dict[str, Any]] = json.loads((HERE / "index.json").read_text())
# What the agents' entities must say (README of the fixtures): status, pause_code, sub_status.
AGENTS = {
    "1001": ("PAUSED", "BREAK", None),
    "1002": ("READY", None, None),  # LUNCH is printed, but only a paused agent has a code
    "1003": ("INCALL", None, None),
    "1004": ("INCALL", None, "PARK"),
    "1005": ("INCALL", None, "DEAD"),
    "1006": ("INCALL", None, "3-WAY"),
    "1007": ("INCALL", None, "3-WAY"),
    "1008": ("INCALL", None, "DIAL"),
    "1009": ("READY", None, "RING"),
    "1010": ("QUEUE", None, None),
    "1011": ("CLOSER", None, None),
    "1012": ("PAUSED", None, "DISPO"),
    "1013": ("PAUSED", None, "PREVIEW"),
}


def answer(case: str) -> Any:
    entry = next(e for e in INDEX if f"{e['function']}/{e['case']}" == case)
    spec = ADMIN_FUNCTIONS.get(entry["function"])
    assert spec is not None
    wanted = {
        k: v for k, v in entry["params"].items() if k not in ("user", "pass", "source", "function")
    }
    params = spec.params.model_validate(wanted)
    return parse_answer(spec, params, (HERE / entry["file"]).read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "case",
    [
        "logged_in_agents/sub_status_all_pipe_header",
        "logged_in_agents/sub_status_all_csv_header",
        "logged_in_agents/sub_status_all_tab_header",
        "logged_in_agents/sub_status_all_pipe",
    ],
)
def test_every_status_and_sub_status_becomes_the_agents_entity(case: str) -> None:
    views = {row.user: agent_view(row) for row in answer(case).records}
    seen = {
        user: (view.status, view.attributes["pause_code"], view.attributes["sub_status"])
        for user, view in views.items()
    }
    assert seen == AGENTS
    preview = views["1013"].attributes
    assert (preview["lead_id"], preview["campaign"], preview["user_group"]) == (
        24,
        "MANCAMP",
        "TEAMB",
    )
    assert views["1002"].attributes["lead_id"] is None  # 0 means no lead


def test_the_campaign_counts_follow_in_group_statuss_rules() -> None:
    views = [agent_view(row) for row in answer("logged_in_agents/sub_status_all_pipe").records]
    counts = campaign_agent_counts(views)
    assert dict(counts["TESTCAMP"]) == {
        "agents_logged_in": 9,
        "agents_paused": 1,
        "agents_waiting": 1,
        "agents_in_calls": 6,
        "agents_in_dispo": 1,
        "agents_in_dead_calls": 1,
    }
    assert counts["MANCAMP"]["agents_in_dial"] == 1


def test_in_group_and_user_group_rows_become_their_entities() -> None:
    daily = DailyCounts()
    row = answer("in_group_status/salesline_support_pipe_header").records[0]
    entity, state, attributes = ingroup_update("SALESLINE", row, daily)
    assert (entity, state) == ("ingroup.SALESLINE", "2")
    assert (attributes["total_calls"], attributes["agents_logged_in"]) == (4, 12)
    group = answer("user_group_status/agents_teamb_pipe_header").records[0]
    entity, state, attributes = usergroup_update("AGENTS", group)
    assert (entity, state) == ("usergroup.AGENTS", "13")
    assert (attributes["agents_in_dead_calls"], attributes["agents_in_dial"]) == (1, 1)


def test_the_hopper_count_is_the_number_of_ready_rows() -> None:
    assert len(answer("hopper_list/five_ready_pipe_header").records) == 5
