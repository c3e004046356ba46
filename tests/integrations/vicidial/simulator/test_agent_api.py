"""ViciAgent against the simulator: each simulated function changes (or reads) the state."""

from __future__ import annotations

import pytest

from integrations.vicidial.admin.client import ViciAdmin
from integrations.vicidial.agent.client import ViciAgent
from integrations.vicidial.agent.enums import (
    IngroupChange,
    ParkAction,
    RecipientType,
    RecordingAction,
    TransferAction,
)
from integrations.vicidial.agent.functions import AGENT_FUNCTIONS
from integrations.vicidial.errors import (
    ViciAuthError,
    ViciError,
    ViciNotFoundError,
    ViciPermissionError,
    ViciStateError,
)
from integrations.vicidial.simulator import agent_api
from integrations.vicidial.simulator.events import SimEvent, SimEventKind
from integrations.vicidial.simulator.records import AgentState
from integrations.vicidial.simulator.state import CallCenter


def state_of(center: CallCenter, user: str) -> AgentState:
    # A function call, so mypy does not carry one assertion's narrowing into the next.
    return center.sessions[user].status


async def test_version_and_webserver_come_from_state(agent: ViciAgent, center: CallCenter) -> None:
    version = await agent.version()
    assert (version.version, version.epoch) == ("2.14-82", center.clock.epoch())
    center.clock.advance(30)
    assert (await agent.version()).epoch == center.clock.epoch()
    center.system.webserver["php version"] = "9.9.9"
    assert (await agent.webserver()).php_version == "9.9.9"


async def test_pause_then_pause_code_then_agent_status(
    agent: ViciAgent, admin: ViciAdmin, center: CallCenter
) -> None:
    events: list[SimEvent] = []
    center.events.subscribe(events.append)
    paused = await agent.pause(agent_user="1002")
    assert paused.epoch == center.clock.epoch()
    await agent.pause_code("LUNCH", agent_user="1002")
    status = await admin.call("agent_status", agent_user="1002")
    row = status.records[0]  # type: ignore[attr-defined]
    assert (row.status, row.pause_code) == ("PAUSED", "LUNCH")
    assert [e.kind for e in events] == [SimEventKind.AGENT_PAUSED, SimEventKind.PAUSE_CODE_SET]
    await agent.resume(agent_user="1002")
    assert center.sessions["1002"].status is AgentState.READY
    with pytest.raises(ViciStateError):
        await agent.resume(agent_user="1002")


async def test_pause_code_needs_a_paused_agent(agent: ViciAgent, center: CallCenter) -> None:
    with pytest.raises(ViciError, match="not paused"):
        await agent.pause_code("BREAK", agent_user="1002")
    assert center.sessions["1002"].pause_code == ""


async def test_dial_hangup_dispo_cycle(agent: ViciAgent, center: CallCenter) -> None:
    dialed = await agent.dial(
        "7275550199", phone_code="1", search=True, preview=False, focus=True, agent_user="1001"
    )
    assert dialed.phone_number == "7275550199"
    session = center.sessions["1001"]
    assert state_of(center, "1001") is AgentState.INCALL
    lead = center.leads[session.lead_id]
    assert lead.phone_number == "7275550199"
    await agent.hangup(agent_user="1001")
    assert state_of(center, "1001") is AgentState.DISPO
    assert not session.call_id
    await agent.set_status("SALE", agent_user="1001")
    assert lead.status == "SALE"
    assert state_of(center, "1001") is AgentState.READY
    assert center.call_logs[-1].status == "SALE"


async def test_dial_by_lead_uses_its_phone(agent: ViciAgent, center: CallCenter) -> None:
    dialed = await agent.dial(
        lead_id=12, search=True, preview=False, focus=False, agent_user="1001"
    )
    assert dialed.phone_number == "4075550112"
    assert center.sessions["1001"].lead_id == 12


async def test_pause_during_call_waits_for_the_disposition(
    agent: ViciAgent, center: CallCenter
) -> None:
    await agent.pause(agent_user="1003")
    assert state_of(center, "1003") is AgentState.INCALL
    await agent.set_status("NI", agent_user="1003")
    assert state_of(center, "1003") is AgentState.PAUSED


async def test_logout_removes_the_session(agent: ViciAgent, center: CallCenter) -> None:
    await agent.logout(agent_user="1002")
    assert "1002" not in center.sessions
    with pytest.raises(ViciNotFoundError):
        await agent.pause(agent_user="1002")


async def test_transfer_to_an_ingroup_queues_the_call(agent: ViciAgent, center: CallCenter) -> None:
    call_id = center.sessions["1003"].call_id
    result = await agent.transfer_conference(
        TransferAction.LOCAL_CLOSER, ingroup="SUPPORT", agent_user="1003"
    )
    assert result.call_id == call_id
    assert center.ingroups["SUPPORT"].queue == [call_id]
    assert center.sessions["1003"].status is AgentState.DISPO


async def test_three_way_then_hangup_both(agent: ViciAgent, center: CallCenter) -> None:
    await agent.transfer_conference(
        TransferAction.DIAL_WITH_CUSTOMER, phone_number="8500", agent_user="1004"
    )
    assert center.sessions["1004"].sub_status == "3-WAY"
    await agent.transfer_conference(TransferAction.HANGUP_BOTH, agent_user="1004")
    assert not center.sessions["1004"].call_id
    with pytest.raises(ViciStateError):
        await agent.transfer_conference(TransferAction.HANGUP_BOTH, agent_user="1004")


async def test_park_and_grab(agent: ViciAgent, center: CallCenter) -> None:
    await agent.park_call(ParkAction.PARK_CUSTOMER, agent_user="1003")
    assert center.sessions["1003"].parked
    await agent.park_call(ParkAction.GRAB_CUSTOMER, agent_user="1003")
    assert not center.sessions["1003"].parked
    with pytest.raises(ViciStateError):
        await agent.park_call(ParkAction.PARK_CUSTOMER, agent_user="1001")


async def test_recording_start_status_stop(agent: ViciAgent, center: CallCenter) -> None:
    assert (await agent.recording(RecordingAction.STATUS, agent_user="1003")).active is False
    await agent.recording(RecordingAction.START, agent_user="1003")
    status = await agent.recording(RecordingAction.STATUS, agent_user="1003")
    assert status.active is True
    assert status.recording_id == center.recordings[-1].recording_id
    await agent.recording(RecordingAction.STOP, agent_user="1003")
    assert center.active_recording("1003") is None
    with pytest.raises(ViciStateError):
        await agent.recording(RecordingAction.STOP, agent_user="1003")


async def test_notification_is_kept_by_the_agents_it_reaches(
    agent: ViciAgent, center: CallCenter
) -> None:
    result = await agent.send_notification(
        "AGENTS", RecipientType.USER_GROUP, notification_text="Hi"
    )
    assert result.notification_id == 1
    assert all(s.notifications[-1].text == "Hi" for s in center.sessions.values())
    with pytest.raises(ViciNotFoundError):
        await agent.send_notification("6669", RecipientType.USER)


async def test_change_ingroups_then_queue_count(agent: ViciAgent, center: CallCenter) -> None:
    assert (await agent.calls_in_queue_count(agent_user="1002")).count == 1
    await agent.change_ingroups(
        IngroupChange.CHANGE, blended=False, ingroups=["SUPPORT"], agent_user="1002"
    )
    assert center.sessions["1002"].ingroups == ["SUPPORT"]
    assert (await agent.calls_in_queue_count(agent_user="1002")).count == 0
    added = await agent.change_ingroups(
        IngroupChange.ADD, blended=True, ingroups=["SALESLINE"], agent_user="1002"
    )
    assert added.ingroups == ("SUPPORT", "SALESLINE")
    assert center.sessions["1002"].blended


async def test_update_fields_changes_the_lead_on_screen(
    agent: ViciAgent, center: CallCenter
) -> None:
    result = await agent.update_fields(agent_user="1004", first_name="Janet", rank=7)
    assert result.lead_id == 11
    assert (center.leads[11].first_name, center.leads[11].rank) == ("Janet", 7)


async def test_credentials_and_permissions(base_url: str) -> None:
    async with ViciAgent(base_url, "6666", "wrong", source="test", retries=0) as bad:
        with pytest.raises(ViciAuthError) as info:
            await bad.pause(agent_user="1002")
        assert "wrong" not in info.value.raw
    async with ViciAgent(base_url, "6667", "1234", source="test", retries=0) as limited:
        with pytest.raises(ViciPermissionError):
            await limited.webserver()
    async with ViciAgent(base_url, "1001", "1234", source="test", retries=0) as no_api:
        with pytest.raises(ViciPermissionError):
            await no_api.pause(agent_user="1002")


def test_every_agent_function_is_answered() -> None:
    assert set(AGENT_FUNCTIONS.names()) == {*agent_api.HANDLERS, "version"}


def test_unknown_function_answers_empty_like_vicidial(center: CallCenter) -> None:
    params = {"source": "t", "user": "6666", "pass": "1234", "function": "nope"}
    assert agent_api.answer(center, params).body == ""
    params["function"] = "external_pause"
    del params["source"]
    assert agent_api.answer(center, params).body == "ERROR: Invalid Source - \n"
