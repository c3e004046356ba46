"""Friendly methods send the same request, and give the same result, as call()."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import pytest

from integrations.vicidial import ViciAgent, ViciHttpError
from integrations.vicidial.agent.enums import (
    AltDial,
    AudioStage,
    CallbackType,
    FronterScope,
    IngroupChange,
    ParkAction,
    PreviewAction,
    RecipientType,
    RecordingAction,
    RemoteAgentStage,
    TimerAction,
    TransferAction,
    WebphoneMode,
)
from tests.integrations.vicidial.agent.test_fixtures import client
from tests.integrations.vicidial.replay import ServerFactory, call_params, fixture, serve

Call = Callable[[ViciAgent], Awaitable[Any]]

FRIENDLY: dict[str, Call] = {
    "version/basic": lambda a: a.version(),
    "webserver/basic": lambda a: a.webserver(),
    "external_hangup/incall_agent": lambda a: a.hangup(agent_user="1003"),
    "external_status/callback": lambda a: a.set_status(
        "CALLBK",
        callback_datetime=datetime(2030, 1, 25, 12),
        callback_type=CallbackType.USERONLY,
        callback_comments="callback comments go here",
        qm_dispo_code="1234",
        agent_user="1003",
    ),
    "external_pause/pause_ready_agent": lambda a: a.pause(agent_user="1002"),
    "external_pause/resume_paused_agent": lambda a: a.resume(agent_user="1001"),
    "logout/logout": lambda a: a.logout(agent_user="1002"),
    "external_dial/lead_id_alt_dial": lambda a: a.dial(
        lead_id=10, alt_dial=AltDial.ALT, search=True, preview=True, focus=False, agent_user="1001"
    ),
    "preview_dial_action/skip": lambda a: a.preview_dial_action(
        PreviewAction.SKIP, agent_user="1001"
    ),
    "external_add_lead/err_dnc": lambda a: a.add_lead(
        phone_number="3125550999", phone_code="1", dnc_check=True, agent_user="1001"
    ),
    "change_ingroups/add": lambda a: a.change_ingroups(
        IngroupChange.ADD, blended=False, ingroups=["SUPPORT"], agent_user="1002"
    ),
    "update_fields/lead_fields_POST": lambda a: a.update_fields(
        vendor_lead_code="1234567", address1="", agent_user="1003"
    ),
    "refresh_panel/script_callbacks": lambda a: a.refresh_panel(
        "script", "script2", "callbacks", agent_user="1001"
    ),
    "set_timer_action/message_only": lambda a: a.set_timer_action(
        TimerAction.MESSAGE_ONLY, notes="test message", seconds=15, agent_user="1003"
    ),
    "st_login_log/found": lambda a: a.st_login_log("876543", "207"),
    "st_get_agent_active_lead/found": lambda a: a.st_get_agent_active_lead("876543", "207"),
    "ra_call_control/ingroup_transfer_named": lambda a: a.ra_call_control(
        "Y1127043100000000011",
        RemoteAgentStage.INGROUPTRANSFER,
        ingroup="SUPPORT",
        agent_user="1004",
    ),
    "send_dtmf/digits": lambda a: a.send_dtmf("QQQQ1234SQQQQQ6654P", agent_user="1003"),
    "park_call/grab_customer": lambda a: a.park_call(ParkAction.GRAB_CUSTOMER, agent_user="1003"),
    "transfer_conference/dial_with_customer_consultative": lambda a: a.transfer_conference(
        TransferAction.DIAL_WITH_CUSTOMER, ingroup="SUPPORT", consultative=True, agent_user="1003"
    ),
    "recording/status": lambda a: a.recording(RecordingAction.STATUS, agent_user="1003"),
    "webphone_url/display": lambda a: a.webphone_url(WebphoneMode.DISPLAY, agent_user="1001"),
    "call_agent/call": lambda a: a.call_agent(agent_user="1001"),
    "pause_code/err_not_logged_in": lambda a: a.pause_code("BREAK", agent_user="1099"),
    "audio_playback/play_override": lambda a: a.audio_playback(
        AudioStage.PLAY, "ss-noservice", dial_override=True, agent_user="1003"
    ),
    "switch_lead/lead_id": lambda a: a.switch_lead(lead_id=12, agent_user="1004"),
    "calls_in_queue_count/display": lambda a: a.calls_in_queue_count(agent_user="1002"),
    "force_fronter_leave_3way/local_and_ccc": lambda a: a.force_fronter_leave_3way(
        FronterScope.LOCAL_AND_CCC, agent_user="1003"
    ),
    "force_fronter_audio_stop/local_only": lambda a: a.force_fronter_audio_stop(
        FronterScope.LOCAL_ONLY, agent_user="1003"
    ),
    "send_notification/campaign_full": lambda a: a.send_notification(
        "TESTCAMP",
        RecipientType.CAMPAIGN,
        show_confetti=True,
        duration=4,
        max_particle_count=3000,
        particle_speed=50,
        notification_text="YOU ARE FIRED",
        text_weight="underline",
        text_size=48,
        text_color="red",
    ),
    "vm_message/multi_files": lambda a: a.vm_message(
        ["EXship01", "EXship02", "EXship03"], agent_user="1003"
    ),
}


def test_every_function_has_a_friendly_case() -> None:
    functions = {key.split("/")[0] for key in FRIENDLY}
    assert len(functions) == 30


@pytest.mark.parametrize("key", sorted(FRIENDLY))
async def test_friendly_equals_call(aiohttp_server: ServerFactory, key: str) -> None:
    item = fixture(key)
    url = await serve(aiohttp_server, item)
    async with client(url, item) as agent:
        try:
            friendly: Any = await FRIENDLY[key](agent)
        except Exception as exc:  # an error fixture: both ways must raise the same
            friendly = (type(exc), str(exc))
        try:
            generic: Any = await agent.call(item.function, **call_params(item))
        except Exception as exc:
            generic = (type(exc), str(exc))
    assert friendly == generic
    # The replay server answers 418 to any other request: neither may have been refused.
    assert not (isinstance(friendly, tuple) and friendly[0] is ViciHttpError)
