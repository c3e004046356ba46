"""agent_status, logged_in_agents, user_group_status, in_group_status, agent_ingroup_info."""

from __future__ import annotations

from ipaddress import IPv4Address

import pytest

from integrations.vicidial.admin.monitoring import (
    AgentIngroupInfoParams,
    AgentState,
    LoggedInAgent,
    ManagerOverride,
    SubStatus,
    _agent_ingroup_info,
)
from integrations.vicidial.errors import ViciAuthError, ViciNotFoundError
from integrations.vicidial.lines import read_reply
from tests.integrations.vicidial.admin.conftest import Replay


async def test_agent_status_csv_header_names_ip_the_row_leaves_out(replay: Replay) -> None:
    admin = await replay("agent_status/incall_csv_header_ip")
    result = await admin.monitoring.agent_status("1003", stage="csv", header=True, include_ip=True)
    agent = result.agent
    assert result.header[-1] == "computer_ip"
    assert agent.status is AgentState.INCALL
    assert agent.callerid == "M1127043000000000010"
    assert agent.lead_id == 10
    assert agent.campaign_id == "TESTCAMP"
    assert agent.calls_today == 2
    assert agent.full_name == "Carol Agent"
    assert agent.user_level == 1
    assert agent.pause_code == "LOGIN"
    assert agent.real_time_sub_status is SubStatus.THREE_WAY
    assert agent.phone_number == "3125550110"
    assert agent.vendor_lead_code == "VLC0010"
    assert agent.session_id == 8600053
    assert agent.computer_ip is None


async def test_agent_status_by_post_is_the_same(replay: Replay) -> None:
    admin = await replay("agent_status/incall_csv_header_ip_POST")
    result = await admin.call(
        "agent_status", agent_user="1003", stage="csv", header="YES", include_ip="YES"
    )
    assert result.records[0].session_id == 8600053  # type: ignore[attr-defined]


async def test_agent_status_pipe_with_ip_and_empty_pause_code(replay: Replay) -> None:
    admin = await replay("agent_status/include_ip_old_login")
    agent = (await admin.monitoring.agent_status("1004", include_ip=True, header=True)).agent
    assert agent.callerid == "Y1127043100000000011"
    assert agent.lead_id == 11
    assert agent.pause_code is None
    assert agent.real_time_sub_status is None
    assert agent.computer_ip == IPv4Address("127.0.0.44")


async def test_agent_status_without_header(replay: Replay) -> None:
    admin = await replay("agent_status/limited_user_allowed_function")
    result = await admin.monitoring.agent_status("1003")
    assert result.header == ()
    assert result.agent.status is AgentState.INCALL
    assert result.agent.vendor_lead_code == "VLC0010"


async def test_agent_status_bad_login_is_auth_error(replay: Replay) -> None:
    admin = await replay("agent_status/err_agent_creds")
    with pytest.raises(ViciAuthError) as info:
        await admin.monitoring.agent_status("1003")
    assert "1234" not in info.value.raw
    assert info.value.details[-2] == "BAD"


async def test_agent_status_locked_user_is_auth_error(replay: Replay) -> None:
    admin = await replay("agent_status/err_locked_user")
    with pytest.raises(ViciAuthError) as info:
        await admin.monitoring.agent_status("1003")
    assert info.value.details == ("", "6668", "LOCK", "")


@pytest.mark.parametrize("key", ["logged_in_agents/csv_header", "logged_in_agents/csv_header_POST"])
async def test_logged_in_agents_csv(replay: Replay, key: str) -> None:
    admin = await replay(key)
    result = await admin.monitoring.logged_in_agents(stage="csv", header=True)
    assert [a.user for a in result.records] == ["1005", "1002", "1003", "1004", "1001"]
    eve, bob = result.records[0], result.records[1]
    assert eve == LoggedInAgent(
        user="1005",  # type: ignore[arg-type]
        campaign_id="TESTCAMP",  # type: ignore[arg-type]
        session_id=8600055,
        status=AgentState.INCALL,
        lead_id=10,
        callerid="M1127043200000000010",  # type: ignore[arg-type]
        calls_today=1,
        full_name="Eve Agent",
        user_group="AGENTS",  # type: ignore[arg-type]
        user_level=1,
    )
    assert bob.status is AgentState.READY
    assert bob.lead_id is None  # ViciDial prints 0 for "no lead"
    assert bob.callerid is None
    assert result.records[4].status is AgentState.PAUSED


async def test_logged_in_agents_filtered_pipe(replay: Replay) -> None:
    admin = await replay("logged_in_agents/filtered")
    result = await admin.monitoring.logged_in_agents(
        campaigns=["TESTCAMP"], user_groups=["AGENTS"], header=True
    )
    assert len(result.records) == 5
    assert result.records[3].callerid == "Y1127043100000000011"
    assert result.records[3].calls_today == 3


@pytest.mark.parametrize(
    ("key", "groups", "stage"),
    [
        ("user_group_status/pipe_header", ["ADMIN", "AGENTS"], None),
        ("user_group_status/tab_header", ["AGENTS"], "tab"),
    ],
)
async def test_user_group_status(
    replay: Replay, key: str, groups: list[str], stage: str | None
) -> None:
    admin = await replay(key)
    options = {"stage": stage} if stage else {}
    result = await admin.monitoring.user_group_status(groups, header=True, **options)
    row = result.records[0]
    assert row.usergroups == tuple(groups)
    assert (row.calls_waiting, row.agents_logged_in, row.agents_in_calls) == (1, 5, 3)
    assert (row.agents_waiting, row.agents_paused, row.agents_in_dead_calls) == (1, 1, 0)
    assert (row.agents_in_dispo, row.agents_in_dial) == (0, 0)


async def test_user_group_status_without_groups_is_refused_before_sending() -> None:
    from integrations.vicidial.admin import ViciAdmin
    from integrations.vicidial.errors import ViciValidationError

    async with ViciAdmin("http://127.0.0.1:9", "6666", "1234") as admin:
        with pytest.raises(ViciValidationError) as info:
            await admin.call("user_group_status")
    assert info.value.sent is False


@pytest.mark.parametrize(
    ("key", "stage"), [("in_group_status/csv_header", "csv"), ("in_group_status/tab_header", "tab")]
)
async def test_in_group_status(replay: Replay, key: str, stage: str) -> None:
    admin = await replay(key)
    result = await admin.monitoring.in_group_status(
        ["SALESLINE", "SUPPORT"], stage=stage, header=True
    )
    row = result.records[0]
    assert row.ingroups == ("SALESLINE", "SUPPORT")
    assert (row.total_calls, row.calls_waiting, row.agents_logged_in) == (2, 1, 5)
    assert (row.agents_in_calls, row.agents_waiting, row.agents_paused) == (3, 1, 1)
    assert (row.agents_in_dispo, row.agents_in_dial) == (0, 0)


@pytest.mark.parametrize(
    "key", ["agent_ingroup_info/err_invalid_user", "agent_ingroup_info/err_not_logged_in"]
)
async def test_agent_ingroup_info_unknown_or_logged_out_agent(replay: Replay, key: str) -> None:
    admin = await replay(key)
    agent = key.rsplit("_", 1)[-1]
    with pytest.raises(ViciNotFoundError) as info:
        await admin.monitoring.agent_ingroup_info("9" if agent == "user" else "6666")
    assert info.value.reason == "agent_ingroup_info INVALID USER ID"


def test_agent_ingroup_info_text_lines() -> None:
    # Not captured (no agent could be set up for it); the shape is the one ViciDial's source
    # prints for stage=text: a SUCCESS line with an empty reason, then labelled lines.
    body = (
        "SUCCESS:  - 1001|text\nSELECTED INGROUPS:  SALESLINE SUPPORT -\n"
        "OUTBOUND AUTODIAL: Y\nMANAGER OVERRIDE: N\nMANAGER: \n"
    )
    info = _agent_ingroup_info(
        read_reply("agent_ingroup_info", body), AgentIngroupInfoParams(agent_user="1001")
    )
    assert info.agent_user == "1001"
    assert info.ingroups == ("SALESLINE", "SUPPORT")
    assert info.outbound_autodial is True
    assert info.manager_override is ManagerOverride.N
    assert info.manager is None
