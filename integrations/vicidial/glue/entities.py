"""The entities the ViciDial integration keeps, and how each attribute is made.

docs/entities.md names the source of every attribute; keep the two together. States:

- ``agent.<user>``: ViciDial's status as logged_in_agents prints it (READY, PAUSED, INCALL,
  QUEUE, CLOSER, ...), or LOGGED_OUT once the agent is no longer in the answer.
- ``campaign.<id>``: ACTIVE or INACTIVE (campaigns_list), UNKNOWN before it was listed.
- ``ingroup.<id>``: the number of calls waiting (in_group_status), so numeric_state reads it.
- ``usergroup.<id>``: the number of agents logged in (user_group_status).
- ``vicidial.connection``: connected, or why not (see poller.Connectivity).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from integrations.vicidial.admin.campaigns import Campaign, HopperListResult
from integrations.vicidial.admin.monitoring import (
    AgentState,
    InGroupStatus,
    LoggedInAgent,
    SubStatus,
    UserGroupStatus,
)

LOGGED_OUT = "LOGGED_OUT"
CONNECTION = "vicidial.connection"

Attributes = dict[str, Any]
Update = tuple[str, str, Attributes]


def agent_id(user: str) -> str:
    return f"agent.{user}"


def campaign_id(campaign: str) -> str:
    return f"campaign.{campaign}"


def ingroup_id(group: str) -> str:
    return f"ingroup.{group}"


def usergroup_id(group: str) -> str:
    return f"usergroup.{group}"


@dataclass(slots=True)
class AgentView:
    """One agent as a poll printed it, before pushes newer than the poll are laid over it."""

    status: str
    attributes: Attributes


# Plain strings for the client's enums: reading an enum member's value is slow in 3.11, and a
# poll of 2,000 agents reads two per agent.
_STATUS = {member: member.value for member in AgentState}
_SUB_STATUS = {member: member.value for member in SubStatus}


def agent_view(row: LoggedInAgent) -> AgentView:
    status = _STATUS[row.status]
    sub = row.sub_status
    return AgentView(
        status,
        {
            "campaign": row.campaign_id,
            "user_group": row.user_group,
            "session_id": row.session_id,
            "lead_id": row.lead_id,
            "callerid": row.callerid,
            "calls_today": row.calls_today,
            # ViciDial prints the code of the agent's latest log row whatever the status (a
            # READY agent still shows the pause before); it only means something while paused.
            "pause_code": row.pause_code if status == "PAUSED" else None,
            "sub_status": _SUB_STATUS[sub] if sub else None,
            "full_name": row.full_name,
            "user_level": row.user_level,
            "stale": False,
        },
    )


def logged_out_attributes(previous: Mapping[str, Any]) -> Attributes:
    """What a logged-out agent keeps: who it is, not what it was doing."""
    return {
        "campaign": None,
        "user_group": previous.get("user_group"),
        "session_id": None,
        "lead_id": None,
        "callerid": None,
        "calls_today": previous.get("calls_today"),
        "pause_code": None,
        "sub_status": None,
        "full_name": previous.get("full_name"),
        "user_level": previous.get("user_level"),
        "stale": False,
    }


# Agent counts per campaign, made by vicibus from the logged_in_agents rows (the non-agent API
# has no per-campaign status function). Statuses are counted as in_group_status counts them.
_IN_CALLS = frozenset({"INCALL", "QUEUE"})
_WAITING = frozenset({"READY", "CLOSER"})


def campaign_agent_counts(rows: Iterable[AgentView]) -> dict[str, Counter[str]]:
    counts: dict[str, Counter[str]] = {}
    for view in rows:
        campaign = view.attributes["campaign"]
        if not campaign:
            continue
        c = counts.get(campaign)
        if c is None:
            c = counts[campaign] = Counter()
        c["agents_logged_in"] += 1
        sub = view.attributes["sub_status"]
        if sub == "DISPO":
            c["agents_in_dispo"] += 1
        elif view.status in _IN_CALLS:
            c["agents_in_calls"] += 1
        elif view.status in _WAITING:
            c["agents_waiting"] += 1
        elif view.status == "PAUSED":
            c["agents_paused"] += 1
        if sub == "DIAL":
            c["agents_in_dial"] += 1
        if sub == "DEAD":
            c["agents_in_dead_calls"] += 1
    return counts


CAMPAIGN_COUNTS = (
    "agents_logged_in",
    "agents_in_calls",
    "agents_waiting",
    "agents_paused",
    "agents_in_dispo",
    "agents_in_dial",
    "agents_in_dead_calls",
)


@dataclass(slots=True)
class DailyCounts:
    """What vicibus counts from webhooks since the call center's local midnight."""

    drops: Counter[str] = field(default_factory=Counter)  # no_agent, per campaign or in-group
    sales: Counter[str] = field(default_factory=Counter)  # dispo_callback with a sale status
    calls: Counter[str] = field(default_factory=Counter)  # dispo_callback, per campaign

    def clear(self) -> None:
        self.drops.clear()
        self.sales.clear()
        self.calls.clear()


def campaign_update(
    campaign: str,
    listed: Campaign | None,
    counts: Counter[str] | None,
    hopper: HopperListResult | None,
    daily: DailyCounts,
) -> Update:
    state = "UNKNOWN" if listed is None else "ACTIVE" if listed.active else "INACTIVE"
    attributes: Attributes = {
        "campaign_name": listed.campaign_name if listed else None,
        "dial_method": listed.dial_method.value if listed else None,
        "dial_level": listed.dial_level if listed else None,
        **{name: (counts or Counter())[name] for name in CAMPAIGN_COUNTS},
        "hopper_count": len(hopper.records) if hopper is not None else None,
        "drops_today": daily.drops[campaign],
        "sales_today": daily.sales[campaign],
        "calls_today": daily.calls[campaign],
        "stale": False,
    }
    return campaign_id(campaign), state, attributes


def ingroup_update(group: str, row: InGroupStatus | None, daily: DailyCounts) -> Update:
    attributes: Attributes = {
        "total_calls": row.total_calls if row else None,
        "calls_waiting": row.calls_waiting if row else None,
        "agents_logged_in": row.agents_logged_in if row else None,
        "agents_in_calls": row.agents_in_calls if row else None,
        "agents_waiting": row.agents_waiting if row else None,
        "agents_paused": row.agents_paused if row else None,
        "agents_in_dispo": row.agents_in_dispo if row else None,
        "agents_in_dial": row.agents_in_dial if row else None,
        "drops_today": daily.drops[group],
        "stale": False,
    }
    return ingroup_id(group), str(row.calls_waiting) if row else "0", attributes


def usergroup_update(group: str, row: UserGroupStatus | None) -> Update:
    attributes: Attributes = {
        "calls_waiting": row.calls_waiting if row else None,
        "agents_logged_in": row.agents_logged_in if row else None,
        "agents_in_calls": row.agents_in_calls if row else None,
        "agents_waiting": row.agents_waiting if row else None,
        "agents_paused": row.agents_paused if row else None,
        "agents_in_dead_calls": row.agents_in_dead_calls if row else None,
        "agents_in_dispo": row.agents_in_dispo if row else None,
        "agents_in_dial": row.agents_in_dial if row else None,
        "stale": False,
    }
    return usergroup_id(group), str(row.agents_logged_in) if row else "0", attributes
