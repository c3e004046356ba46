"""The agent API registry: every function of agc/api.php, its parameters, result and parser."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from integrations.vicidial.agent import params as p
from integrations.vicidial.agent import results as r
from integrations.vicidial.agent.enums import RecordingAction, WebphoneMode
from integrations.vicidial.errors import ViciProtocolError
from integrations.vicidial.lines import LineKind, Reply, version_pairs
from integrations.vicidial.models import Params, Result, build_result, identifier, positional
from integrations.vicidial.registry import Registry

AGENT_FUNCTIONS = Registry("agent", reads=False, needs_agent_user=True)
add = AGENT_FUNCTIONS.define

R = TypeVar("R", bound=Result)


def positional_parser(model: type[R], names: Sequence[str | None]) -> Callable[[Reply, Params], R]:
    """Parser for answers whose last result line carries fields in a fixed order."""

    def parse(reply: Reply, _params: Params) -> R:
        line = reply.last
        return build_result(model, reply, line, **positional(line.data, names))

    return parse


def _version(reply: Reply, _params: Params) -> r.VersionInfo:
    line = reply.last
    if line.kind is not LineKind.VERSION:
        raise ViciProtocolError("expected a VERSION line", function="version", raw=reply.raw)
    pairs = version_pairs(line)
    return build_result(r.VersionInfo, reply, line, message="", **pairs)


# The webserver report's labels differ between ViciDial versions; both spellings are known.
_WEBSERVER_KEYS = {
    "set_timezone": "timezone",
    "abbr_timezone": "timezone_abbr",
    "dst_timezone": "dst",
    "uname": "uname",
    "host_name": "host_name",
    "server_name": "server_name",
    "php_version": "php_version",
    "apache_version": "apache_version",
    "apache_processes": "apache_processes",
    "system_load_average": "load_average",
    "system_loadavg": "load_average",
    "disk_free_space": "disk_free_bytes",
    "maximum_execution_time": "max_execution_seconds",
    "max_execution_time": "max_execution_seconds",
    "maximum_input_time": "max_input_seconds",
    "max_input_time": "max_input_seconds",
    "memory_limit": "memory_limit",
    "post_maximum_size": "post_max_size",
    "post_max_size": "post_max_size",
    "upload_maximum_filesize": "upload_max_filesize",
    "upload_max_filesize": "upload_max_filesize",
    "default_socket_timeout": "default_socket_timeout_seconds",
}
_TAG = re.compile(r"</?PRE>", re.I)


def _webserver(reply: Reply, _params: Params) -> r.WebserverInfo:
    settings: dict[str, str] = {}
    for line in [*reply.html, *reply.rows]:
        text = _TAG.sub("", line).strip()
        key, sep, value = text.partition(": ")
        if sep:
            settings[key.strip()] = value.strip()
    if not settings:
        raise ViciProtocolError("no webserver data in the answer", function="webserver")
    typed: dict[str, Any] = {}
    for key, value in settings.items():
        field = _WEBSERVER_KEYS.get(identifier(key))
        if field is not None:
            typed[field] = value
    return build_result(r.WebserverInfo, reply, None, settings=settings, **typed)


def _status(reply: Reply, _params: Params) -> r.StatusResult:
    line = reply.last
    first, *rest = line.data or ("",)
    # A callback's details are joined to the status with "!" inside the first field.
    parts = first.split("!")
    names = ("status", "callback_datetime", "callback_type", "callback_comments", "qm_dispo_code")
    values = positional(parts, names)
    values.update(positional(rest, ("agent_user",)))
    return build_result(r.StatusResult, reply, line, **values)


def _change_ingroups(reply: Reply, _params: Params) -> r.ChangeIngroupsResult:
    line = reply.last
    values = positional(line.data, ("user", "agent_user", None, "blended", "default_message"))
    groups = line.data[2] if len(line.data) > 2 else ""
    return build_result(
        r.ChangeIngroupsResult,
        reply,
        line,
        ingroups=tuple(g for g in groups.split() if g != "-"),
        set_as_default=bool(values.get("default_message")),
        **values,
    )


_ASSIGNMENT = re.compile(r'(\w+)="(.*?)"(?=,\w+="|$)')


def _update_fields(reply: Reply, _params: Params) -> r.UpdateFieldsResult:
    line = reply.last
    names = ("user", "agent_user", "lead_id", "leads_updated", "agent_screens_updated")
    values = positional(line.data[:5], names)
    field_list = line.data[5] if len(line.data) > 5 else ""
    assignments = line.data[6] if len(line.data) > 6 else ""
    return build_result(
        r.UpdateFieldsResult,
        reply,
        line,
        fields=tuple(f for f in field_list.split(",") if f),
        values=dict(_ASSIGNMENT.findall(assignments)),
        **values,
    )


def _refresh_panel(reply: Reply, _params: Params) -> r.RefreshPanelResult:
    line = reply.last
    values = positional(line.data[:3], ("user", "agent_user", "agent_screens_updated"))
    panels = line.data[3] if len(line.data) > 3 else ""
    return build_result(
        r.RefreshPanelResult, reply, line, panels=tuple(x for x in panels.split(",") if x), **values
    )


def _recording(reply: Reply, _params: Params) -> r.RecordingResult:
    line = reply.last
    names = (
        "agent_user",
        "second",
        "filename",
        "server_ip",
        "start_time",
        "agent_server_ip",
        "session_id",
        "agent_status",
    )
    values: dict[str, Any] = positional(line.data, names)
    second = values.pop("second")
    # START/STOP answers put the action in the second field, STATUS the recording id.
    if second in RecordingAction.__members__:
        values.update(action=second, recording_id=None, active=None)
    else:
        values.update(action=RecordingAction.STATUS, recording_id=second)
        values["active"] = "not recording" not in line.reason.lower()
    return build_result(r.RecordingResult, reply, line, **values)


_URL_IN_HTML = re.compile(r"""URL=([^"'>\s]+)""", re.I)


def _webphone_url(reply: Reply, params: Params) -> r.WebphoneUrlResult:
    # DISPLAY answers with the bare URL; LAUNCH with an HTML refresh page pointing at it.
    for line in reply.rows:
        if line.strip().startswith(("http://", "https://")):
            return build_result(r.WebphoneUrlResult, reply, None, url=line.strip())
    for line in reply.html:
        match = _URL_IN_HTML.search(line)
        if match:
            return build_result(r.WebphoneUrlResult, reply, None, url=match.group(1))
    raise ViciProtocolError("no webphone URL in the answer", function="webphone_url")


def _pause_code(reply: Reply, _params: Params) -> r.PauseCodeResult:
    line = reply.last
    # Documented as "agent_user" alone; a code before it is accepted if a server prints one.
    data = [d for d in line.data if d != ""]
    values = {"agent_user": data[-1] if data else None}
    if len(data) > 1:
        values["pause_code"] = data[0]
    return build_result(r.PauseCodeResult, reply, line, **values)


def _audio_playback(reply: Reply, _params: Params) -> r.AudioPlaybackResult:
    line = reply.last
    stopped = any("previous playback stopped" in n.reason for n in reply.notices)
    values = positional(line.data, ("file", "stage", "agent_user"))
    return build_result(r.AudioPlaybackResult, reply, line, previous_stopped=stopped, **values)


def _calls_in_queue(reply: Reply, _params: Params) -> r.CallsInQueueResult:
    line = reply.last
    return build_result(r.CallsInQueueResult, reply, line, count=line.data[0].strip())


def _fronter_leave(reply: Reply, _params: Params) -> r.FronterLeaveResult:
    line = reply.last
    target = line.data[0] if line.data else None
    over_ccc = "over CCC" in line.reason
    return build_result(
        r.FronterLeaveResult,
        reply,
        line,
        fronter_user=None if over_ccc else target,
        ccc_server=target if over_ccc else None,
    )


def _fronter_audio_stop(reply: Reply, _params: Params) -> r.FronterAudioStopResult:
    line = reply.last
    if "over CCC" in line.reason:
        target = line.data[0] if line.data else None
        return build_result(
            r.FronterAudioStopResult,
            reply,
            line,
            scope=None,
            lead_id=None,
            agent_user=None,
            fronter_user=None,
            ccc_server=target,
        )
    names = ("scope", "lead_id", "agent_user", "fronter_user")
    return build_result(r.FronterAudioStopResult, reply, line, **positional(line.data, names))


def _vm_message(reply: Reply, _params: Params) -> r.VmMessageResult:
    line = reply.last
    values = positional(line.data[:2], ("agent_user", "lead_id"))
    files = tuple(f for f in line.data[2:] if f)
    return build_result(r.VmMessageResult, reply, line, files=files, **values)


def _recording_reads(params: p.Recording) -> bool:
    return params.value is RecordingAction.STATUS


add(
    "version",
    "version",
    "API version, build and the dialer's clock",
    p.NoParams,
    r.VersionInfo,
    _version,
    reads=True,
    needs_agent_user=False,
    auth=False,
)
add(
    "webserver",
    "webserver",
    "web server settings and load",
    p.NoParams,
    r.WebserverInfo,
    _webserver,
    reads=True,
    needs_agent_user=False,
    html=True,  # its settings come inside <PRE>
)
add(
    "external_hangup",
    "hangup",
    "hang up the agent's customer call",
    p.ExternalHangup,
    r.HangupResult,
    positional_parser(r.HangupResult, ("value", "agent_user")),
)
add(
    "external_status",
    "set_status",
    "disposition the agent's call",
    p.ExternalStatus,
    r.StatusResult,
    _status,
)
add(
    "external_pause",
    "pause / resume",
    "pause or resume the agent",
    p.ExternalPause,
    r.PauseResult,
    positional_parser(r.PauseResult, ("action", "epoch", "agent_user")),
)
add(
    "logout",
    "logout",
    "log the agent out",
    p.Logout,
    r.LogoutResult,
    positional_parser(r.LogoutResult, ("action", "epoch", "agent_user")),
)
add(
    "external_dial",
    "dial",
    "place a manual dial call on the agent's screen",
    p.ExternalDial,
    r.DialResult,
    positional_parser(
        r.DialResult,
        (
            "phone_number",
            "agent_user",
            "phone_code",
            "search",
            "preview",
            "focus",
            "vendor_id",
            "epoch",
            "dial_prefix",
            "group_alias",
            "caller_id_number",
            "alt_dial",
        ),
    ),
)
add(
    "preview_dial_action",
    "preview_dial_action",
    "act on a previewed lead",
    p.PreviewDialAction,
    r.PreviewDialResult,
    positional_parser(r.PreviewDialResult, ("action", "agent_user", "stored_action")),
)
add(
    "external_add_lead",
    "add_lead",
    "add a lead to the agent campaign's manual dial list",
    p.ExternalAddLead,
    r.AddLeadResult,
    positional_parser(
        r.AddLeadResult, ("phone_number", "campaign_id", "list_id", "lead_id", "agent_user")
    ),
)
add(
    "change_ingroups",
    "change_ingroups",
    "change the agent's selected in-groups",
    p.ChangeIngroups,
    r.ChangeIngroupsResult,
    _change_ingroups,
)
add(
    "update_fields",
    "update_fields",
    "change lead fields on the agent's screen",
    p.UpdateFields,
    r.UpdateFieldsResult,
    _update_fields,
)
add(
    "refresh_panel",
    "refresh_panel",
    "reload panels of the agent screen",
    p.RefreshPanel,
    r.RefreshPanelResult,
    _refresh_panel,
)
add(
    "set_timer_action",
    "set_timer_action",
    "set the timer action of the current call",
    p.SetTimerAction,
    r.TimerActionResult,
    positional_parser(r.TimerActionResult, ("user", "agent_user", "action", "notes", "seconds")),
)
add(
    "st_login_log",
    "st_login_log",
    "find a user by CRM agent id and record the CRM team",
    p.CrmLookup,
    r.LoginLogResult,
    positional_parser(r.LoginLogResult, ("user",)),
    needs_agent_user=False,
)
add(
    "st_get_agent_active_lead",
    "st_get_agent_active_lead",
    "active lead of a CRM agent id",
    p.CrmLookup,
    r.ActiveLeadResult,
    positional_parser(
        r.ActiveLeadResult,
        (
            "user",
            "phone_number",
            "lead_id",
            "vendor_lead_code",
            "province",
            "security_phrase",
            "source_id",
        ),
    ),
    reads=True,
    needs_agent_user=False,
)
add(
    "ra_call_control",
    "ra_call_control",
    "hang up or transfer a remote agent's call",
    p.RaCallControl,
    r.RemoteAgentCallResult,
    positional_parser(r.RemoteAgentCallResult, ("agent_user", "call_id", "target")),
)
add(
    "send_dtmf",
    "send_dtmf",
    "send DTMF digits into the agent's session",
    p.SendDtmf,
    r.DtmfResult,
    positional_parser(r.DtmfResult, ("digits", "agent_user")),
)
add(
    "park_call",
    "park_call",
    "park or grab the customer or third party",
    p.ParkCall,
    r.ParkResult,
    positional_parser(r.ParkResult, ("action", "agent_user")),
)
add(
    "transfer_conference",
    "transfer_conference",
    "transfer, conference and hang-up commands",
    p.TransferConference,
    r.TransferResult,
    positional_parser(
        r.TransferResult,
        ("action", "ingroup", "phone_number", "consultative", "agent_user", "call_id", "extra"),
    ),
)
add(
    "recording",
    "recording",
    "start or stop recording, or read its status",
    p.Recording,
    r.RecordingResult,
    _recording,
    reads=_recording_reads,
)
add(
    "webphone_url",
    "webphone_url",
    "the agent session's webphone URL",
    p.WebphoneUrl,
    r.WebphoneUrlResult,
    _webphone_url,
    reads=True,
    # LAUNCH answers a refresh page; getattr, as parse_answer may meet unvalidated params.
    html=lambda params: getattr(params, "value", None) is WebphoneMode.LAUNCH,
)
add(
    "call_agent",
    "call_agent",
    "call the agent's phone into their session",
    p.CallAgent,
    r.CallAgentResult,
    positional_parser(r.CallAgentResult, ("agent_user",)),
)
add(
    "pause_code",
    "pause_code",
    "set the pause code of a paused agent",
    p.PauseCode,
    r.PauseCodeResult,
    _pause_code,
)
add(
    "audio_playback",
    "audio_playback",
    "play, pause, resume, restart or stop audio",
    p.AudioPlayback,
    r.AudioPlaybackResult,
    _audio_playback,
)
add(
    "switch_lead",
    "switch_lead",
    "switch the lead of a live inbound call",
    p.SwitchLead,
    r.SwitchLeadResult,
    positional_parser(
        r.SwitchLeadResult,
        ("agent_user", "lead_id", "vendor_lead_code", "campaign_id", "previous_lead_id"),
    ),
)
add(
    "calls_in_queue_count",
    "calls_in_queue_count",
    "calls waiting that this agent could take",
    p.CallsInQueueCount,
    r.CallsInQueueResult,
    _calls_in_queue,
    reads=True,
)
add(
    "force_fronter_leave_3way",
    "force_fronter_leave_3way",
    "make the fronter on the same lead leave the 3-way call",
    p.ForceFronter,
    r.FronterLeaveResult,
    _fronter_leave,
)
add(
    "force_fronter_audio_stop",
    "force_fronter_audio_stop",
    "stop audio playing in the fronter's session",
    p.ForceFronter,
    r.FronterAudioStopResult,
    _fronter_audio_stop,
)
add(
    "send_notification",
    "send_notification",
    "show a message or confetti on agent screens",
    p.SendNotification,
    r.NotificationResult,
    positional_parser(r.NotificationResult, ("recipient", "recipient_type", "notification_id")),
    needs_agent_user=False,
)
add(
    "vm_message",
    "vm_message",
    "set the voicemail message for the VM button",
    p.VmMessage,
    r.VmMessageResult,
    _vm_message,
)
