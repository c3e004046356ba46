"""The non-agent API against the simulator: ViciAdmin where it has the function, the raw
endpoint read by the shared line reader where it does not yet."""

from __future__ import annotations

from typing import Any

import pytest

from integrations.vicidial.admin.client import ViciAdmin
from integrations.vicidial.admin.functions import ADMIN_FUNCTIONS
from integrations.vicidial.errors import (
    ViciAuthError,
    ViciError,
    ViciNotFoundError,
    ViciPermissionError,
    ViciValidationError,
)
from integrations.vicidial.simulator import admin_api
from integrations.vicidial.simulator.state import SYSTEM_DNC, CallCenter
from tests.integrations.vicidial.simulator.conftest import RawAdmin


def records(result: Any) -> list[Any]:
    return list(result.records)


async def test_version_reports_the_clock(admin: ViciAdmin, center: CallCenter) -> None:
    center.clock.advance(11)
    version = await admin.call("version")
    assert version.epoch == center.clock.epoch()  # type: ignore[attr-defined]


async def test_add_lead_then_lead_search_and_all_info_find_it(
    admin: ViciAdmin, center: CallCenter
) -> None:
    added = await admin.call(
        "add_lead",
        phone_number="7275550777",
        list_id=101,
        first_name="Ann",
        custom_fields="Y",
        favorite_color="teal",
    )
    lead_id = added.lead_id  # type: ignore[attr-defined]
    assert center.leads[lead_id].custom == {"favorite_color": "teal"}
    found = records(await admin.call("lead_search", phone_number="7275550777"))
    assert [(r.records_found, r.lead_ids) for r in found] == [(1, (lead_id,))]
    info = records(await admin.call("lead_all_info", lead_id=lead_id, custom_fields="Y"))
    assert info[0].first_name == "Ann"


async def test_add_lead_refuses_dnc_and_duplicates(admin: ViciAdmin) -> None:
    with pytest.raises(ViciValidationError):
        await admin.call("add_lead", phone_number="3125550999", dnc_check="Y")
    with pytest.raises(ViciValidationError):
        await admin.call(
            "add_lead", phone_number="3125550110", list_id=101, duplicate_check="DUPLIST"
        )


async def test_update_lead_and_batch_update(admin: ViciAdmin, center: CallCenter) -> None:
    await admin.call("update_lead", lead_id=20, last_name="Smith", status="CALLBK")
    assert (center.leads[20].last_name, center.leads[20].status) == ("Smith", "CALLBK")
    await admin.call("batch_update_lead", lead_ids="21,22", status="NI")
    assert center.leads[21].status == center.leads[22].status == "NI"
    await admin.call("update_lead", lead_id=23, delete_lead="Y")
    assert 23 not in center.leads


async def test_lead_status_search_follows_dispositions(
    admin: ViciAdmin, center: CallCenter
) -> None:
    found = records(await admin.call("lead_status_search", status="SALE", date="2026-11-27"))
    assert [r.lead_id for r in found] == [12]


async def test_reset_list_then_list_info_shows_it(
    raw_admin: RawAdmin, admin: ViciAdmin, center: CallCenter
) -> None:
    for lead in center.leads.values():
        if lead.list_id == 101:
            lead.called_since_last_reset = True
    before = records(await admin.call("list_info", list_id=101, dialable_count="Y"))[0]
    reply = await raw_admin("update_list", list_id="101", reset_list="Y")
    assert reply.notices[-1].reason == "update_list LEADS IN LIST HAVE BEEN RESET"
    after = records(await admin.call("list_info", list_id=101, dialable_count="Y"))[0]
    assert (before.resets_today, after.resets_today) == (0, 1)
    assert before.dialable_count == 0
    assert after.dialable_count == 18


async def test_update_list_renames(raw_admin: RawAdmin, center: CallCenter) -> None:
    reply = await raw_admin("update_list", list_id="102", list_name="Renamed list")
    assert reply.last.reason == "update_list LIST HAS BEEN UPDATED"
    assert center.lists[102].name == "Renamed list"
    with pytest.raises(ViciNotFoundError):
        await raw_admin("update_list", list_id="98762", list_name="whatever")


async def test_reset_hopper_then_hopper_list_is_empty(
    raw_admin: RawAdmin, admin: ViciAdmin, center: CallCenter
) -> None:
    assert len(records(await admin.call("hopper_list", campaign_id="TESTCAMP"))) == 2
    await raw_admin("update_campaign", campaign_id="TESTCAMP", reset_hopper="Y")
    assert records(await admin.call("hopper_list", campaign_id="TESTCAMP")) == []
    reply = await raw_admin("hopper_bulk_insert", lead_ids="20,21")
    assert reply.last.reason == "hopper_bulk_insert LEADS HAVE BEEN INSERTED INTO THE HOPPER"
    assert [
        r.lead_id for r in records(await admin.call("hopper_list", campaign_id="TESTCAMP"))
    ] == [20, 21]


async def test_update_campaign_changes_campaigns_list(
    raw_admin: RawAdmin, admin: ViciAdmin
) -> None:
    await raw_admin(
        "update_campaign", campaign_id="TESTCAMP", dial_status_add="A2", auto_dial_level="2.5"
    )
    row = records(await admin.call("campaigns_list", campaign_id="TESTCAMP"))[0]
    assert row.dial_statuses == ("NEW", "NA", "A", "B", "DROP", "CALLBK", "A2")
    assert row.dial_level == 2.5
    with pytest.raises(ViciError):
        await raw_admin("update_campaign", campaign_id="TESTCAMP", auto_dial_level="99")


async def test_dnc_add_then_delete(admin: ViciAdmin, center: CallCenter) -> None:
    await admin.call("add_dnc_phone", phone_number="7275550001", campaign_id=SYSTEM_DNC)
    assert center.is_dnc("7275550001")
    with pytest.raises(ViciValidationError):
        await admin.call("add_lead", phone_number="7275550001", dnc_check="Y")
    await admin.call("delete_dnc_phone", phone_number="7275550001", campaign_id=SYSTEM_DNC)
    assert not center.is_dnc("7275550001")


async def test_live_status_functions_follow_the_agents(
    admin: ViciAdmin, center: CallCenter
) -> None:
    agents = records(await admin.call("logged_in_agents"))
    assert [a.user for a in agents] == ["1005", "1002", "1003", "1004", "1001"]
    center.logout("1002")
    assert "1002" not in [a.user for a in records(await admin.call("logged_in_agents"))]
    group = records(await admin.call("user_group_status", user_groups="AGENTS"))[0]
    assert (group.agents_logged_in, group.agents_waiting) == (4, 0)
    ingroup = records(await admin.call("in_group_status", in_groups="SALESLINE"))[0]
    assert ingroup.calls_waiting == 1
    center.resume("1001")
    center.answer_queued("1001")
    ingroup = records(await admin.call("in_group_status", in_groups="SALESLINE"))[0]
    assert (ingroup.calls_waiting, ingroup.agents_in_calls) == (0, 4)


async def test_user_details(admin: ViciAdmin) -> None:
    assert (
        records(await admin.call("user_details", agent_user="1003"))[0].full_name == "Carol Agent"
    )
    with pytest.raises(ViciNotFoundError):
        await admin.call("user_details", agent_user="9999")


async def test_reports_come_from_the_logs(
    admin: ViciAdmin, agent_done: None, center: CallCenter
) -> None:
    stats = records(
        await admin.call("call_status_stats", campaigns="TESTCAMP", query_date="2026-11-27")
    )
    assert stats[0].total_calls == 6
    calls = records(await admin.call("phone_number_log", phone_number="7275550199"))
    assert calls[0].call_status == "SALE"
    recordings = records(await admin.call("recording_lookup", agent_user="1001", date="2026-11-27"))
    assert [r.recording_id for r in recordings] == [1]
    dids = records(await admin.call("did_log_export", phone_number="3125551000", date="2026-11-27"))
    assert len(dids) == 2
    agents = records(
        await admin.call(
            "agent_stats_export",
            datetime_start="2026-11-27 00:00:00",
            datetime_end="2026-11-27 23:59:59",
            time_format="S",
        )
    )
    assert [a.user for a in agents] == ["1001", "1002", "1003"]


@pytest.fixture
def agent_done(center: CallCenter) -> None:
    """Agent 1001 dials, talks a minute and sells: one more TESTCAMP call in the logs."""
    center.resume("1001")
    center.start_call(phone_number="7275550199", user="1001")
    center.clock.advance(60)
    center.disposition("1001", "SALE")


async def test_credentials_and_permissions(base_url: str) -> None:
    async with ViciAdmin(base_url, "6666", "nope", source="test", retries=0) as bad:
        with pytest.raises(ViciAuthError):
            await bad.call("agent_status", agent_user="1001")
    async with ViciAdmin(base_url, "6668", "1234", source="test", retries=0) as locked:
        with pytest.raises(ViciAuthError, match="Too many"):
            await locked.call("agent_status", agent_user="1001")
    async with ViciAdmin(base_url, "6667", "1234", source="test", retries=0) as limited:
        assert records(await limited.call("agent_status", agent_user="1001"))[0].status == "PAUSED"
        with pytest.raises(ViciPermissionError):
            await limited.call("add_lead", phone_number="7275550002")


def test_every_non_agent_function_is_answered() -> None:
    assert set(ADMIN_FUNCTIONS.names()) == {*admin_api.HANDLERS, "version"}
