"""What every captured agent-API answer must become, written by hand from the bodies.

An ``Ok`` names result fields and their exact typed values; an ``Err`` names the error class,
its reason and its data fields. ``local`` marks requests the client refuses before sending
(an invalid enum, a missing required value): for those the captured body is replayed through
the transport and must still raise the error shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from integrations.vicidial.agent.enums import (
    AgentStatus,
    AltDial,
    AudioStage,
    CallbackType,
    FronterScope,
    ParkAction,
    PauseAction,
    PreviewAction,
    RecipientType,
    RecordingAction,
    TimerAction,
    TransferAction,
)
from integrations.vicidial.errors import (
    ViciAuthError,
    ViciError,
    ViciNotFoundError,
    ViciPermissionError,
    ViciProtocolError,
    ViciStateError,
    ViciValidationError,
)


@dataclass(frozen=True)
class Ok:
    fields: dict[str, Any]
    message: str | None = None
    notices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Err:
    cls: type[ViciError]
    reason: str
    details: tuple[str, ...] = ()
    local: bool = False
    outcomes: tuple[str, ...] = field(default_factory=tuple)


CALL = "M1127043000000000010"

EXPECTED: dict[str, Ok | Err] = {
    # The real server answers a missing or unknown function with an empty 200.
    "_none_/err_no_function": Err(ViciProtocolError, "empty answer", local=True),
    "no_such_function/err_unknown_function": Err(ViciProtocolError, "empty answer", local=True),
    "audio_playback/err_already_playing": Err(
        ViciStateError,
        "audio_playback error",
        ("audio already playing in agent session - 8600055", "127.0.0.1", "PLAY", "", "1005"),
    ),
    "audio_playback/err_not_logged_in": Err(
        ViciNotFoundError, "agent_user is not logged in", ("PLAY", "1099")
    ),
    "audio_playback/err_not_valid": Err(
        ViciValidationError, "audio_playback not valid", ("", "PLAY", "1003"), local=True
    ),
    "audio_playback/pause": Err(
        ViciStateError,
        "audio_playback error",
        ("no audio playing in agent session - 8600053", "127.0.0.1", "PAUSE", "1003"),
    ),
    "audio_playback/pause_while_playing": Ok(
        {"file": None, "stage": AudioStage.PAUSE, "agent_user": "1005", "previous_stopped": False},
        "audio_playback function sent",
    ),
    "audio_playback/play": Ok(
        {"file": "ss-noservice", "stage": AudioStage.PLAY, "agent_user": "1003"},
        "audio_playback function sent",
    ),
    "audio_playback/play_override": Ok(
        {"file": "ss-noservice", "stage": AudioStage.PLAY, "previous_stopped": False}
    ),
    "audio_playback/play_override_while_playing": Ok(
        {
            "file": "ss-noservice",
            "stage": AudioStage.PLAY,
            "agent_user": "1005",
            "previous_stopped": True,
        },
        notices=("audio_playback previous playback stopped",),
    ),
    "audio_playback/resume": Err(
        ViciStateError,
        "audio_playback error",
        ("no audio playing in agent session - 8600053", "127.0.0.1", "RESUME", "1003"),
    ),
    "audio_playback/stop": Err(
        ViciStateError,
        "audio_playback error",
        ("no audio playing in agent session - 8600053", "127.0.0.1", "STOP", "1003"),
    ),
    "audio_playback/stop_while_playing": Ok(
        {"file": None, "stage": AudioStage.STOP, "agent_user": "1005"}
    ),
    "call_agent/call": Ok({"agent_user": "1001"}, "call_agent function sent"),
    "call_agent/err_not_logged_in": Err(
        ViciNotFoundError, "agent_user is not logged in", ("1099",)
    ),
    "call_agent/err_not_valid": Err(
        ViciValidationError, "call_agent not valid", ("RING", "1001"), local=True
    ),
    "calls_in_queue_count/display": Ok({"count": 1}, "calls_in_queue_count"),
    "calls_in_queue_count/err_not_logged_in": Err(
        ViciNotFoundError, "agent_user is not logged in", ("1099",)
    ),
    "change_ingroups/add": Ok(
        {
            "user": "6666",
            "agent_user": "1002",
            "ingroups": ("SALESLINE", "SUPPORT"),
            "blended": False,
            "set_as_default": False,
            "default_message": None,
        },
        "change_ingroups function set",
    ),
    "change_ingroups/change_blended": Ok(
        {
            "user": "6666",
            "agent_user": "1002",
            "ingroups": ("SALESLINE", "SUPPORT"),
            "blended": True,
            "set_as_default": True,
            "default_message": "User settings set as default",
        },
    ),
    "change_ingroups/err_add_without_choices": Err(
        ViciValidationError,
        "ingroup_choices are required for ADD and REMOVE values",
        ("1002", "ADD", ""),
        local=True,
    ),
    "change_ingroups/err_ingroup_not_exist": Err(
        ViciNotFoundError, "ingroup does not exist", ("1002", "FAKE_IN", " SALESLINE FAKE_IN -")
    ),
    "change_ingroups/err_not_logged_in": Err(
        ViciNotFoundError, "agent_user is not logged in", ("1099",)
    ),
    "change_ingroups/err_not_valid": Err(
        ViciValidationError, "change_ingroups not valid", ("CHANGE", "", "", "1002"), local=True
    ),
    "external_add_lead/all_fields": Ok(
        {
            "phone_number": "7275551235",
            "campaign_id": "TESTCAMP",
            "list_id": 101,
            "lead_id": 31,
            "agent_user": "1001",
        },
        "lead added",
    ),
    "external_add_lead/err_campaign_dnc": Err(
        ViciValidationError,
        "add_lead PHONE NUMBER IN CAMPAIGN DNC",
        ("3125550998", "TESTCAMP", "1001"),
    ),
    "external_add_lead/err_dnc": Err(
        ViciValidationError, "add_lead PHONE NUMBER IN DNC", ("3125550999", "1001")
    ),
    "external_add_lead/err_not_logged_in": Err(
        ViciNotFoundError, "agent_user is not logged in", ("1099",)
    ),
    "external_dial/dial_number": Ok(
        {
            "phone_number": "7275551212",
            "agent_user": "1001",
            "phone_code": "1",
            "search": True,
            "preview": False,
            "focus": True,
            "vendor_id": None,
            "epoch": 1795754649,
            "dial_prefix": None,
            "group_alias": None,
            "caller_id_number": None,
            "alt_dial": None,
        },
        "external_dial function set",
    ),
    "external_dial/dial_number_POST": Ok(
        {"phone_number": "7275551212", "phone_code": "1", "focus": True, "epoch": 1795754649}
    ),
    # Despite its case name, a SUCCESS: the group alias's caller id "12" was taken as is.
    "external_dial/err_bad_group_alias_cid": Ok(
        {
            "phone_number": "7275551212",
            "search": False,
            "preview": False,
            "focus": False,
            "epoch": 1795754650,
            "group_alias": "BADCID",
            "caller_id_number": "12",
            "alt_dial": None,
        },
    ),
    "external_dial/err_group_alias_not_found": Err(
        ViciValidationError, "group_alias is not valid", ("1001", "NOPE")
    ),
    "external_dial/err_outbound_cid_disabled": Err(
        ViciValidationError,
        "outbound_cid is not allowed on this system",
        ("1001", "3125551212", "DISABLED"),
    ),
    "external_dial/lead_id": Ok(
        {
            "phone_number": "4075550112",
            "agent_user": "1001",
            "search": True,
            "preview": False,
            "focus": False,
            "epoch": 1795754649,
        },
    ),
    "external_dial/lead_id_alt_dial": Ok(
        {
            "phone_number": "3125559110",
            "search": True,
            "preview": True,
            "focus": False,
            "alt_dial": AltDial.ALT,
        },
    ),
    # The first ERROR decides; the second (agent lookup with no user) is only in raw.
    "external_hangup/err_alt_user_not_found": Err(ViciNotFoundError, "no user found", ("999999",)),
    "external_hangup/err_missing_value": Err(
        ViciValidationError, "external_hangup not valid", ("", "1003"), local=True
    ),
    "external_hangup/err_not_logged_in": Err(
        ViciNotFoundError, "agent_user is not logged in", ("1099",)
    ),
    "external_hangup/incall_agent": Ok(
        {"value": 1, "agent_user": "1003"}, "external_hangup function set"
    ),
    "external_hangup/incall_agent_POST": Ok({"value": 1, "agent_user": "1003"}),
    "external_pause/err_agent_creds_no_api_access": Err(
        ViciPermissionError,
        "Invalid Username/Password",
        ("", "1001", "********", "1", "0", "GOOD", ""),
    ),
    "external_pause/err_invalid_value": Err(
        ViciValidationError, "external_pause not valid", ("NAP", "1002"), local=True
    ),
    "external_pause/err_locked_user": Err(
        ViciAuthError, "Invalid Username/Password", ("", "6668", "********", "0", "1", "LOCK", "")
    ),
    "external_pause/err_missing_source": Err(ViciValidationError, "Invalid Source", (), local=True),
    "external_pause/err_resume_not_paused": Err(
        ViciStateError, "external_pause agent is not paused", ("RESUME", "1002")
    ),
    "external_pause/err_unknown_user": Err(
        ViciAuthError,
        "Invalid Username/Password",
        (
            "",
            "7777",
            "********",
            "0",
            "0",
            "BAD",
            "0",
            "api",
            "SELECT count(*) from vicidial_users where user='7777' and pass='********' and "
            "user_level > 0 and active='Y' and ( (failed_login_count < 10) or "
            "(UNIX_TIMESTAMP(last_login_date) < 1795753759) );",
            "",
        ),
    ),
    "external_pause/pause_ready_agent": Ok(
        {"action": PauseAction.PAUSE, "epoch": 1795754649, "agent_user": "1002"},
        "external_pause function set",
    ),
    "external_pause/pause_ready_agent_POST": Ok(
        {"action": PauseAction.PAUSE, "epoch": 1795754649, "agent_user": "1002"}
    ),
    "external_pause/resume_paused_agent": Ok(
        {"action": PauseAction.RESUME, "epoch": 1795754649, "agent_user": "1001"}
    ),
    "external_status/callback": Ok(
        {
            "status": "CALLBK",
            "callback_datetime": datetime(2030, 1, 25, 12, 0, 0),
            "callback_type": CallbackType.USERONLY,
            "callback_comments": "callback comments go here",
            "qm_dispo_code": "1234",
            "agent_user": "1003",
        },
        "external_status function set",
    ),
    "external_status/dispo_A": Ok(
        {"status": "A", "callback_datetime": None, "callback_type": None, "agent_user": "1003"}
    ),
    "external_status/err_missing_value": Err(
        ViciValidationError, "external_status not valid", ("", "1003"), local=True
    ),
    "external_status/err_not_logged_in": Err(
        ViciNotFoundError, "agent_user is not logged in", ("1099",)
    ),
    "force_fronter_audio_stop/err_no_fronter": Err(
        ViciNotFoundError, "no fronter found", ("1004",)
    ),
    "force_fronter_audio_stop/err_not_on_call": Err(
        ViciStateError, "agent_user is not on a phone call", ("1001",)
    ),
    "force_fronter_audio_stop/err_not_valid": Err(
        ViciValidationError,
        "force_fronter_audio_stop not valid",
        ("EVERYWHERE", "1003"),
        local=True,
    ),
    "force_fronter_audio_stop/local_and_ccc": Ok(
        {
            "scope": FronterScope.LOCAL_AND_CCC,
            "lead_id": None,
            "agent_user": "1003",
            "fronter_user": "1005",
            "ccc_server": None,
        },
        "force_fronter_audio_stop function sent",
    ),
    "force_fronter_audio_stop/local_only": Ok(
        {"scope": FronterScope.LOCAL_ONLY, "agent_user": "1003", "fronter_user": "1005"}
    ),
    "force_fronter_leave_3way/err_no_fronter": Err(
        ViciNotFoundError, "no fronter found", ("1004",)
    ),
    "force_fronter_leave_3way/err_not_on_call": Err(
        ViciStateError, "agent_user is not on a phone call", ("1001",)
    ),
    "force_fronter_leave_3way/err_not_valid": Err(
        ViciValidationError,
        "force_fronter_leave_3way not valid",
        ("EVERYWHERE", "1003"),
        local=True,
    ),
    "force_fronter_leave_3way/local_and_ccc": Ok(
        {"fronter_user": "1005", "ccc_server": None}, "force_fronter_leave_3way SENT"
    ),
    "logout/logout": Ok(
        {"action": "LOGOUT", "epoch": 1795754649, "agent_user": "1002"}, "logout function set"
    ),
    "park_call/err_no_lead": Err(
        ViciStateError, "agent_user does not have a lead on their screen", ("1001",)
    ),
    "park_call/err_not_valid": Err(
        ViciValidationError, "park_call not valid", ("PARK_ME", "1003"), local=True
    ),
    "park_call/grab_customer": Ok(
        {"action": ParkAction.GRAB_CUSTOMER, "agent_user": "1003"}, "park_call function set"
    ),
    "park_call/grab_ivr_customer": Ok({"action": ParkAction.GRAB_IVR_CUSTOMER}),
    "park_call/grab_xfer": Ok({"action": ParkAction.GRAB_XFER}),
    "park_call/park_ivr_customer": Ok({"action": ParkAction.PARK_IVR_CUSTOMER}),
    "park_call/swap_park_customer": Ok({"action": ParkAction.SWAP_PARK_CUSTOMER}),
    "park_call/swap_park_xfer": Ok({"action": ParkAction.SWAP_PARK_XFER, "agent_user": "1003"}),
    "pause_code/err_not_logged_in": Err(
        ViciNotFoundError, "agent_user is not logged in", ("1099",)
    ),
    "pause_code/err_too_long": Err(
        ViciValidationError, "pause_code not valid", ("JUMPING", "1001"), local=True
    ),
    "preview_dial_action/altdial": Ok(
        {
            "action": PreviewAction.ALTDIAL,
            "agent_user": "1001",
            "stored_action": PreviewAction.ALTDIAL,
        },
        "preview_dial_action function set",
    ),
    "preview_dial_action/dialonly": Ok(
        {"action": PreviewAction.DIALONLY, "stored_action": PreviewAction.DIALONLY}
    ),
    "preview_dial_action/err_not_logged_in": Err(
        ViciNotFoundError, "agent_user is not logged in", ("1099",)
    ),
    "preview_dial_action/err_not_paused": Err(
        ViciStateError, "agent_user is not paused", ("1002",)
    ),
    "preview_dial_action/skip": Ok(
        {"action": PreviewAction.SKIP, "agent_user": "1001", "stored_action": PreviewAction.SKIP}
    ),
    "ra_call_control/err_ingroup_invalid": Err(
        ViciValidationError, "ingroup is not valid", ("TESTINGROUP",)
    ),
    "ra_call_control/err_no_active_call": Err(
        ViciNotFoundError, "no active call found", ("V2221052110000798236",)
    ),
    "ra_call_control/err_not_valid": Err(
        ViciValidationError,
        "ra_call_control not valid",
        ("M1127043200000000010", "1005", ""),
        local=True,
    ),
    "ra_call_control/err_phone_number_invalid": Err(
        ViciValidationError, "phone_number is not valid", ("9",)
    ),
    "ra_call_control/ingroup_transfer_default": Ok(
        {"agent_user": "1004", "call_id": "Y1127043100000000011", "target": None},
        "ra_call_control transfer",
    ),
    "ra_call_control/ingroup_transfer_named": Ok(
        {"agent_user": "1004", "call_id": "Y1127043100000000011"}
    ),
    "recording/err_not_logged_in": Err(ViciNotFoundError, "agent_user is not logged in", ("1099",)),
    "recording/err_not_valid": Err(
        ViciValidationError, "recording not valid", ("PLAY", "1003"), local=True
    ),
    "recording/start": Ok(
        {
            "agent_user": "1003",
            "active": None,
            "action": RecordingAction.START,
            "recording_id": None,
            "filename": None,
            "server_ip": None,
            "start_time": None,
            "agent_server_ip": "127.0.0.1",
            "session_id": 8600053,
            "agent_status": AgentStatus.INCALL,
        },
        "recording function sent",
    ),
    "recording/status": Ok(
        {
            "agent_user": "1003",
            "active": False,
            "action": RecordingAction.STATUS,
            "recording_id": None,
            "session_id": 8600053,
            "agent_status": AgentStatus.INCALL,
        },
        "not recording",
    ),
    "recording/status_paused_agent": Ok(
        {
            "agent_user": "1001",
            "active": False,
            "session_id": 8600051,
            "agent_status": AgentStatus.PAUSED,
        },
    ),
    "recording/stop": Err(
        ViciStateError,
        "stop recording error",
        ("1003", "", "", "", "", "127.0.0.1", "8600053", "INCALL"),
    ),
    "refresh_panel/err_no_panels": Err(
        ViciValidationError, "no panels have been defined", ("1001",)
    ),
    "refresh_panel/err_not_logged_in": Err(
        ViciNotFoundError, "agent_user is not logged in", ("1099",)
    ),
    "refresh_panel/formreload": Ok(
        {
            "user": "6666",
            "agent_user": "1003",
            "agent_screens_updated": 1,
            "panels": ("formreload",),
        },
        "refresh_panel request sent",
    ),
    "refresh_panel/script_callbacks": Ok(
        {"agent_user": "1001", "panels": ("scriptreload", "script2reload", "callbacksreload")}
    ),
    "send_dtmf/digits": Ok(
        {"digits": "QQQQ1234SQQQQQ6654P", "agent_user": "1003"}, "send_dtmf function set"
    ),
    "send_notification/campaign_full": Ok(
        {"recipient": "TESTCAMP", "recipient_type": RecipientType.CAMPAIGN, "notification_id": 3},
        "notification queued",
    ),
    "send_notification/err_user_not_exist": Err(
        ViciNotFoundError, "6669 DOES NOT EXIST in vicidial_users", ("", "6669")
    ),
    "send_notification/user_confetti": Ok(
        {"recipient": "1001", "recipient_type": RecipientType.USER, "notification_id": 1}
    ),
    "set_timer_action/message_only": Ok(
        {
            "user": "6666",
            "agent_user": "1003",
            "action": TimerAction.MESSAGE_ONLY,
            "notes": "test message",
            "seconds": 15,
        },
        "set_timer_action lead updated",
    ),
    "st_get_agent_active_lead/err_no_active_lead": Err(
        ViciNotFoundError, "no active lead found", ("1001",)
    ),
    "st_get_agent_active_lead/err_no_user": Err(ViciNotFoundError, "no user found", ("000000",)),
    "st_get_agent_active_lead/found": Ok(
        {
            "user": "1003",
            "phone_number": "3125550110",
            "lead_id": 10,
            "vendor_lead_code": "VLC0010",
            "province": None,
            "security_phrase": "blue sky",
            "source_id": "WEB",
        },
        "st_get_agent_active_lead lead found",
    ),
    "st_login_log/err_no_user": Err(ViciNotFoundError, "no user found", ("000000",)),
    "st_login_log/err_not_valid": Err(
        ViciValidationError, "st_login_log not valid", ("876543", ""), local=True
    ),
    "st_login_log/found": Ok({"user": "1003"}, "st_login_log user found"),
    "switch_lead/err_lead_not_found": Err(
        ViciNotFoundError, "switch-to lead not found", ("1004", "99999", "")
    ),
    "switch_lead/err_no_live_call": Err(
        ViciStateError, "agent_user does not have a live call", ("1001",)
    ),
    "switch_lead/err_not_inbound": Err(ViciStateError, "agent call is not inbound", ("1003", CALL)),
    "switch_lead/err_not_valid": Err(
        ViciValidationError, "switch_lead not valid", ("", "", "1004"), local=True
    ),
    "switch_lead/lead_id": Ok(
        {
            "agent_user": "1004",
            "lead_id": 12,
            "vendor_lead_code": "VLC0012",
            "campaign_id": "TESTCAMP",
            "previous_lead_id": 11,
        },
        "switch_lead function set",
    ),
    "transfer_conference/blind_transfer": Ok(
        {
            "action": TransferAction.BLIND_TRANSFER,
            "ingroup": None,
            "phone_number": "8500",
            "consultative": False,
            "agent_user": "1003",
            "call_id": CALL,
            "extra": None,
        },
        "transfer_conference function set",
    ),
    "transfer_conference/dial_with_customer": Ok(
        {"action": TransferAction.DIAL_WITH_CUSTOMER, "phone_number": "8500", "call_id": CALL}
    ),
    "transfer_conference/dial_with_customer_consultative": Ok(
        {
            "action": TransferAction.DIAL_WITH_CUSTOMER,
            "ingroup": "SUPPORT",
            "phone_number": None,
            "consultative": True,
        },
    ),
    "transfer_conference/dial_with_customer_override": Ok(
        {"phone_number": "919998888112", "consultative": False}
    ),
    "transfer_conference/err_cid_choice_invalid": Err(
        ViciValidationError, "cid_choice is not valid", ("1003", "TESTING"), local=True
    ),
    "transfer_conference/err_group_alias_invalid": Err(
        ViciValidationError, "group_alias is not valid", ("1003", "NOPE")
    ),
    "transfer_conference/err_no_live_call": Err(
        ViciStateError, "agent_user does not have a live call", ("1001",)
    ),
    "transfer_conference/err_not_valid": Err(
        ViciValidationError, "transfer_conference not valid", ("", "1003"), local=True
    ),
    "transfer_conference/hangup_both": Ok(
        {"action": TransferAction.HANGUP_BOTH, "phone_number": None, "agent_user": "1003"}
    ),
    "transfer_conference/leave_3way_call": Ok({"action": TransferAction.LEAVE_3WAY_CALL}),
    "transfer_conference/leave_vm": Ok({"action": TransferAction.LEAVE_VM, "call_id": CALL}),
    "transfer_conference/local_closer_agentdirect": Ok(
        {"action": TransferAction.LOCAL_CLOSER, "ingroup": "AGENTDIRECT", "phone_number": "1002"}
    ),
    # DEFAULTINGROUP was resolved by the server to the in-group the call came from.
    "transfer_conference/local_closer_default": Ok(
        {"action": TransferAction.LOCAL_CLOSER, "ingroup": "SALESLINE", "phone_number": None}
    ),
    "update_fields/err_no_fields": Err(
        ViciValidationError, "no fields have been defined", ("1003",)
    ),
    "update_fields/formreload": Ok(
        {
            "user": "6666",
            "agent_user": "1003",
            "lead_id": 10,
            "leads_updated": 0,
            "agent_screens_updated": 1,
            "fields": ("formreload",),
            "values": {},
        },
        "update_fields lead updated",
    ),
    "update_fields/lead_fields_POST": Ok(
        {
            "lead_id": 10,
            "leads_updated": 1,
            "fields": ("address1", "vendor_lead_code"),
            "values": {"address1": "", "vendor_lead_code": "1234567"},
        },
    ),
    "update_fields/many_fields": Ok(
        {
            "lead_id": 10,
            "leads_updated": 1,
            "agent_screens_updated": 1,
            "fields": (
                "city",
                "comments",
                "email",
                "first_name",
                "last_name",
                "postal_code",
                "state",
                "rank",
                "owner",
            ),
            "values": {
                "city": "Evanston",
                "comments": "updated by api",
                "email": "johnny@example.com",
                "first_name": "Johnny",
                "last_name": "Public",
                "postal_code": "60201",
                "state": "IL",
                "rank": "3",
                "owner": "1003",
            },
        },
    ),
    "version/basic": Ok(
        {
            "version": "2.14-82",
            "build": "250122-1010",
            "date": datetime(2026, 11, 27, 4, 44, 8),
            "epoch": 1795754648,
        },
    ),
    "version/basic_POST": Ok({"version": "2.14-82", "epoch": 1795754648}),
    "vm_message/err_lead_mismatch": Err(
        ViciStateError, "current call does not match lead_id submitted", ("1003",)
    ),
    "vm_message/err_no_live_call": Err(
        ViciStateError, "agent_user does not have a live call", ("1001",)
    ),
    "vm_message/err_not_valid": Err(
        ViciValidationError, "vm_message not valid", ("", "", "1003"), local=True
    ),
    "vm_message/multi_files": Ok(
        {"agent_user": "1003", "lead_id": 10, "files": ("EXship01", "EXship02", "EXship03")},
        "vm_message function set",
    ),
    "webphone_url/display": Ok(
        {
            "url": "https://127.0.0.1/agc/viciphone/viciphone.php"
            "?phone_login=1001&session_name=1795700001_86000511234567"
        },
    ),
    "webphone_url/err_not_valid": Err(
        ViciValidationError, "webphone_url not valid", ("SHOW", "1001"), local=True
    ),
    "webphone_url/err_url_empty": Err(
        ViciStateError, "webphone_url error", ("webphone url is empty - 1002",)
    ),
    "webphone_url/launch": Ok(
        {
            "url": "https://127.0.0.1/agc/viciphone/viciphone.php"
            "?phone_login=1001&session_name=1795700001_86000511234567"
        },
    ),
    "webserver/basic": Ok(
        {
            "timezone": "UTC",
            "timezone_abbr": "UTC",
            "dst": False,
            "host_name": "vm",
            "server_name": "127.0.0.1",
            "php_version": "8.2.36",
            "apache_version": "Apache/2.4.71 (Debian)",
            "apache_processes": 6,
            "load_average": 0.19873046875,
            "disk_free_bytes": 84514910208,
            "max_execution_seconds": 360,
            "max_input_seconds": 60,
            "memory_limit": "256M",
            "post_max_size": "8M",
            "upload_max_filesize": "2M",
            "default_socket_timeout_seconds": 60,
        },
    ),
    "webserver/err_function_not_allowed": Err(
        ViciPermissionError,
        "auth USER DOES NOT HAVE PERMISSION TO USE THIS FUNCTION",
        ("6667", "webserver", "ADMIN"),
    ),
}
