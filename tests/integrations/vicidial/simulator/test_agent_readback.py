"""Each agent-API write, through ViciAgent against the loopback simulator, then read back by
the function that shows what it changed (mostly the non-agent API's monitoring, through
ViciAdmin). What only reaches the agent's screen is read back from the events the simulator
announces."""

from __future__ import annotations

from typing import Any

import pytest

from integrations.vicidial.admin.client import ViciAdmin
from integrations.vicidial.agent.client import ViciAgent
from integrations.vicidial.agent.enums import (
    AudioStage,
    FronterScope,
    ParkAction,
    PreviewAction,
    RecordingAction,
    RemoteAgentStage,
    TimerAction,
    TransferAction,
    WebphoneMode,
)
from integrations.vicidial.errors import (
    ViciNotFoundError,
    ViciPermissionError,
    ViciStateError,
    ViciValidationError,
)
from integrations.vicidial.simulator.events import SimEventKind
from integrations.vicidial.simulator.state import CallCenter


async def status_of(admin: ViciAdmin, agent: str) -> Any:
    return (await admin.monitoring.agent_status(agent)).records[0]


def screen(center: CallCenter, user: str) -> list[tuple[str, str]]:
    return [
        (str(e.data["function"]), str(e.data["detail"]))
        for e in center.events.history
        if e.kind is SimEventKind.SCREEN_COMMAND and e.data["user"] == user
    ]


async def test_a_previewed_dial_is_placed_by_dialonly(agent: ViciAgent, admin: ViciAdmin) -> None:
    await agent.dial(lead_id=12, search=True, preview=True, focus=False, agent_user="1001")
    assert (await status_of(admin, "1001")).status == "PAUSED"
    done = await agent.preview_dial_action(PreviewAction.DIALONLY, agent_user="1001")
    assert done.action is PreviewAction.DIALONLY
    row = await status_of(admin, "1001")
    assert (row.status, row.lead_id, row.phone_number) == ("INCALL", 12, "4075550112")


async def test_a_skipped_preview_is_never_dialed(agent: ViciAgent, admin: ViciAdmin) -> None:
    await agent.dial(lead_id=12, search=True, preview=True, focus=False, agent_user="1001")
    await agent.preview_dial_action(PreviewAction.SKIP, agent_user="1001")
    await agent.preview_dial_action(PreviewAction.DIALONLY, agent_user="1001")
    assert (await status_of(admin, "1001")).status == "PAUSED"


async def test_an_agent_ready_in_an_auto_dial_campaign_may_not_dial(
    agent: ViciAgent, admin: ViciAdmin
) -> None:
    with pytest.raises(ViciStateError, match="not paused"):
        await agent.dial("7275550100", search=False, preview=False, focus=False, agent_user="1002")
    assert (await status_of(admin, "1002")).status == "READY"


async def test_the_default_group_alias_dials(agent: ViciAgent, admin: ViciAdmin) -> None:
    dialed = await agent.dial(
        "7275550100",
        search=False,
        preview=False,
        focus=False,
        group_alias="DEFAULT",
        agent_user="1001",
    )
    assert (dialed.group_alias, dialed.caller_id_number) == ("DEFAULT", None)
    assert (await status_of(admin, "1001")).status == "INCALL"


async def test_external_add_lead_then_lead_search_finds_it(
    agent: ViciAgent, admin: ViciAdmin
) -> None:
    added = await agent.add_lead(
        phone_number="7275550188", phone_code="1", first_name="Zed", agent_user="1001"
    )
    assert (added.campaign_id, added.list_id) == ("TESTCAMP", 101)
    found = await admin.leads.search(["7275550188"])
    assert found.records[0].lead_ids == (added.lead_id,)
    lead = (await admin.leads.all_info(added.lead_id)).records[0]
    assert (lead.first_name, lead.list_id) == ("Zed", 101)
    with pytest.raises(ViciValidationError, match="IN DNC"):
        await agent.add_lead(
            phone_number="3125550999", phone_code="1", dnc_check=True, agent_user="1001"
        )


async def test_switch_lead_moves_the_inbound_call_to_another_lead(
    agent: ViciAgent, admin: ViciAdmin
) -> None:
    switched = await agent.switch_lead(lead_id=12, agent_user="1004")
    assert (switched.lead_id, switched.previous_lead_id) == (12, 11)
    assert (await status_of(admin, "1004")).lead_id == 12
    lead = await agent.st_get_agent_active_lead("876544", "207")
    assert (lead.user, lead.lead_id) == ("1004", 12)
    with pytest.raises(ViciStateError, match="not inbound"):
        await agent.switch_lead(lead_id=12, agent_user="1003")


async def test_the_fronter_leaves_the_3way_call(agent: ViciAgent, admin: ViciAdmin) -> None:
    assert (await status_of(admin, "1003")).real_time_sub_status == "3-WAY"
    left = await agent.force_fronter_leave_3way(FronterScope.LOCAL_ONLY, agent_user="1003")
    assert left.fronter_user == "1005"
    assert (await status_of(admin, "1005")).status == "DISPO"
    assert (await status_of(admin, "1003")).real_time_sub_status is None


async def test_the_fronters_audio_stops(agent: ViciAgent) -> None:
    stopped = await agent.force_fronter_audio_stop(FronterScope.LOCAL_ONLY, agent_user="1003")
    assert stopped.fronter_user == "1005"
    with pytest.raises(ViciStateError, match="no audio playing"):
        await agent.audio_playback(AudioStage.STOP, agent_user="1005")


async def test_audio_plays_until_stopped(agent: ViciAgent) -> None:
    await agent.audio_playback(AudioStage.PLAY, "ss-noservice", agent_user="1003")
    with pytest.raises(ViciStateError, match="already playing"):
        await agent.audio_playback(AudioStage.PLAY, "ss-noservice", agent_user="1003")
    await agent.audio_playback(AudioStage.PAUSE, agent_user="1003")
    await agent.audio_playback(AudioStage.STOP, agent_user="1003")
    with pytest.raises(ViciStateError, match="no audio playing"):
        await agent.audio_playback(AudioStage.RESUME, agent_user="1003")


async def test_remote_agent_call_control_hangs_up_and_transfers(
    agent: ViciAgent, admin: ViciAdmin
) -> None:
    before = (await admin.monitoring.in_group_status(["SUPPORT"])).records[0].calls_waiting
    moved = await agent.ra_call_control(
        "Y1127043100000000011",
        RemoteAgentStage.INGROUPTRANSFER,
        ingroup="SUPPORT",
        agent_user="1004",
    )
    assert moved.call_id == "Y1127043100000000011"
    after = (await admin.monitoring.in_group_status(["SUPPORT"])).records[0].calls_waiting
    assert after == before + 1
    assert (await status_of(admin, "1004")).status == "DISPO"
    await agent.ra_call_control("M1127043000000000010", RemoteAgentStage.HANGUP, agent_user="1003")
    assert (await status_of(admin, "1003")).status == "DISPO"
    with pytest.raises(ViciNotFoundError):
        await agent.ra_call_control(
            "M1127043000000000010", RemoteAgentStage.HANGUP, agent_user="1003"
        )


async def test_alt_user_finds_the_agent_by_its_custom_three(
    agent: ViciAgent, admin: ViciAdmin
) -> None:
    result = await agent.call("external_status", value="SALE", alt_user="876543")
    assert result.agent_user == "1003"  # type: ignore[attr-defined]
    lead = (await admin.leads.all_info(10)).records[0]
    assert lead.status == "SALE"
    assert (await agent.st_login_log("876543", "207")).user == "1003"


async def test_park_hangup_xfer_grab_customer(agent: ViciAgent, admin: ViciAdmin) -> None:
    await agent.park_call(ParkAction.PARK_CUSTOMER, agent_user="1003")
    assert (await status_of(admin, "1003")).real_time_sub_status == "PARK"
    parked = await agent.park_call(ParkAction.HANGUP_XFER_GRAB_CUSTOMER, agent_user="1003")
    assert parked.action is ParkAction.HANGUP_XFER_GRAB_CUSTOMER
    # Back from park; 1005 is still on the lead, so the call is a 3-way again.
    assert (await status_of(admin, "1003")).real_time_sub_status == "3-WAY"


async def test_screen_commands_reach_the_agent_screen(agent: ViciAgent, center: CallCenter) -> None:
    await agent.refresh_panel("script", "callbacks", agent_user="1001")
    await agent.set_timer_action(
        TimerAction.MESSAGE_ONLY, notes="wrap up", seconds=15, agent_user="1003"
    )
    await agent.send_dtmf("1234P", agent_user="1003")
    await agent.vm_message(["EXship01", "EXship02"], agent_user="1003")
    await agent.call_agent(agent_user="1001")
    assert screen(center, "1001") == [
        ("refresh_panel", "scriptreload,callbacksreload"),
        ("call_agent", "8600051"),
    ]
    assert screen(center, "1003") == [
        ("set_timer_action", "MESSAGE_ONLY"),
        ("send_dtmf", "1234P"),
        ("vm_message", "EXship01|EXship02"),
    ]
    assert center.sessions["1003"].timer == ("MESSAGE_ONLY", "wrap up", "15")


async def test_webphone_url_names_the_phone_and_the_session(
    agent: ViciAgent, center: CallCenter
) -> None:
    url = await agent.webphone_url(WebphoneMode.DISPLAY, agent_user="1001")
    assert url.url.endswith(f"phone_login=1001&session_name={center.sessions['1001'].session_name}")
    with pytest.raises(ViciStateError, match="webphone url is empty"):
        await agent.webphone_url(WebphoneMode.DISPLAY, agent_user="1002")


async def test_a_refused_function_is_checked_after_its_parameters(base_url: str) -> None:
    async with ViciAgent(base_url, "6667", "1234", source="test", retries=0) as limited:
        with pytest.raises(ViciPermissionError) as info:
            await limited.send_dtmf("12", agent_user="1003")
        assert info.value.details == ("12", "6667", "send_dtmf", "ADMIN")


async def test_hangup_then_dispo_then_agent_status(agent: ViciAgent, admin: ViciAdmin) -> None:
    await agent.hangup(agent_user="1003")
    assert (await status_of(admin, "1003")).status == "DISPO"
    await agent.set_status("NI", agent_user="1003")
    assert (await status_of(admin, "1003")).status == "READY"
    assert (await admin.leads.all_info(10)).records[0].status == "NI"


async def test_update_fields_then_lead_all_info(agent: ViciAgent, admin: ViciAdmin) -> None:
    await agent.update_fields(agent_user="1004", first_name="Janet", city="Dunedin")
    lead = (await admin.leads.all_info(11)).records[0]
    assert (lead.first_name, lead.city) == ("Janet", "Dunedin")


async def test_logout_then_logged_in_agents(agent: ViciAgent, admin: ViciAdmin) -> None:
    await agent.logout(agent_user="1002")
    agents = [row.user for row in (await admin.monitoring.logged_in_agents()).records]
    assert "1002" not in agents
    with pytest.raises(ViciNotFoundError):
        await agent.pause(agent_user="1002")


async def test_local_closer_then_in_group_status(agent: ViciAgent, admin: ViciAdmin) -> None:
    before = (await admin.monitoring.in_group_status(["SUPPORT"])).records[0].calls_waiting
    await agent.transfer_conference(
        TransferAction.LOCAL_CLOSER, ingroup="SUPPORT", agent_user="1003"
    )
    after = (await admin.monitoring.in_group_status(["SUPPORT"])).records[0].calls_waiting
    assert after == before + 1
    assert (await status_of(admin, "1003")).status == "DISPO"


async def test_recording_then_recording_lookup(agent: ViciAgent, admin: ViciAdmin) -> None:
    await agent.recording(RecordingAction.START, agent_user="1003")
    found = await admin.reporting.recording_lookup(agent_user="1003")
    assert [r.lead_id for r in found.records] == [10]


async def test_pause_code_then_agent_status(agent: ViciAgent, admin: ViciAdmin) -> None:
    await agent.pause_code("LUNCH", agent_user="1001")
    assert (await status_of(admin, "1001")).pause_code == "LUNCH"
