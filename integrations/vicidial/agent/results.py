"""Typed results of the 30 agent API functions, field order as a real 2.14 server prints it."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

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
from integrations.vicidial.models import Flag, OptionalDateTime, Result


class VersionInfo(Result):
    version: str
    build: str
    date: datetime
    epoch: int


class WebserverInfo(Result):
    """The webserver report; the well-known settings typed, every line kept in ``settings``."""

    settings: dict[str, str]
    timezone: str | None = None
    timezone_abbr: str | None = None
    dst: Flag | None = None
    uname: str | None = None
    host_name: str | None = None
    server_name: str | None = None
    php_version: str | None = None
    apache_version: str | None = None
    apache_processes: int | None = None
    load_average: float | None = None
    disk_free_bytes: int | None = None
    max_execution_seconds: int | None = None
    max_input_seconds: int | None = None
    memory_limit: str | None = None
    post_max_size: str | None = None
    upload_max_filesize: str | None = None
    default_socket_timeout_seconds: int | None = None


class HangupResult(Result):
    value: int
    agent_user: str | None


class StatusResult(Result):
    status: str
    callback_datetime: OptionalDateTime = None
    callback_type: CallbackType | None = None
    callback_comments: str | None = None
    qm_dispo_code: str | None = None
    agent_user: str | None


class PauseResult(Result):
    action: PauseAction
    epoch: int
    agent_user: str | None


class LogoutResult(Result):
    action: Literal["LOGOUT"]
    epoch: int
    agent_user: str | None


class DialResult(Result):
    phone_number: str | None
    agent_user: str | None
    phone_code: str | None
    search: Flag | None
    preview: Flag | None
    focus: Flag | None
    vendor_id: str | None
    epoch: int
    dial_prefix: str | None
    group_alias: str | None
    caller_id_number: str | None
    alt_dial: AltDial | None


class PreviewDialResult(Result):
    action: PreviewAction
    agent_user: str | None
    stored_action: PreviewAction | None


class AddLeadResult(Result):
    phone_number: str
    campaign_id: str | None
    list_id: int
    lead_id: int
    agent_user: str | None


class ChangeIngroupsResult(Result):
    user: str
    agent_user: str | None
    ingroups: tuple[str, ...]
    blended: Flag
    set_as_default: bool
    default_message: str | None = None


class UpdateFieldsResult(Result):
    user: str
    agent_user: str | None
    lead_id: int
    leads_updated: int
    agent_screens_updated: int
    fields: tuple[str, ...]
    values: dict[str, str]


class RefreshPanelResult(Result):
    user: str
    agent_user: str | None
    agent_screens_updated: int
    panels: tuple[str, ...]


class TimerActionResult(Result):
    user: str
    agent_user: str | None
    action: TimerAction
    notes: str | None
    seconds: int | None


class LoginLogResult(Result):
    user: str


class ActiveLeadResult(Result):
    user: str
    phone_number: str | None
    lead_id: int
    vendor_lead_code: str | None
    province: str | None
    security_phrase: str | None
    source_id: str | None


class RemoteAgentCallResult(Result):
    agent_user: str | None
    call_id: str
    target: str | None


class DtmfResult(Result):
    digits: str
    agent_user: str | None


class ParkResult(Result):
    action: ParkAction
    agent_user: str | None


class TransferResult(Result):
    action: TransferAction
    ingroup: str | None
    phone_number: str | None
    consultative: Flag | None
    agent_user: str | None
    call_id: str | None
    # The seventh field has always been empty in captured answers; kept, meaning unknown.
    extra: str | None = None


class RecordingResult(Result):
    """Recording answers; ``active`` is known only for STATUS (None after START/STOP)."""

    agent_user: str | None
    active: bool | None
    action: RecordingAction | None
    recording_id: int | None
    filename: str | None
    server_ip: str | None
    start_time: OptionalDateTime = None
    agent_server_ip: str | None
    session_id: int | None
    agent_status: AgentStatus | None


class WebphoneUrlResult(Result):
    url: str


class CallAgentResult(Result):
    agent_user: str | None


class PauseCodeResult(Result):
    agent_user: str | None
    pause_code: str | None = None


class AudioPlaybackResult(Result):
    file: str | None
    stage: AudioStage
    agent_user: str | None
    previous_stopped: bool


class SwitchLeadResult(Result):
    agent_user: str | None
    lead_id: int
    vendor_lead_code: str | None
    campaign_id: str | None
    previous_lead_id: int | None


class CallsInQueueResult(Result):
    count: int


class FronterLeaveResult(Result):
    fronter_user: str | None
    ccc_server: str | None


class FronterAudioStopResult(Result):
    scope: FronterScope | None
    lead_id: int | None
    agent_user: str | None
    fronter_user: str | None
    ccc_server: str | None = None


class NotificationResult(Result):
    recipient: str | None
    recipient_type: RecipientType | None
    notification_id: int | None


class VmMessageResult(Result):
    agent_user: str | None
    lead_id: int | None
    files: tuple[str, ...]
