"""The simulated call center's records: one dataclass per ViciDial table the APIs read.

Plain mutable dataclasses, not pydantic models: they change on every request and are never
parsed from outside input (the scenario models in ``scenario_schema.py`` are). The dialer's
configuration tables (phones, DIDs, aliases, ...) are in ``configuration.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime
from enum import StrEnum

from integrations.vicidial.simulator.php import intval

# Permission names an API user may hold (ViciDial's user settings of the same meaning); each
# non-agent function needs one (see admin_api), a few agent-API functions too.
PERMISSIONS = frozenset(
    {
        "view_reports",
        "modify_leads",
        "modify_campaigns",
        "modify_lists",
        "delete_lists",
        "delete_from_dnc",
        "custom_fields_modify",
        "modify_users",
        "delete_users",
        "modify_same_user_level",
        "modify_remote_agents",
        "modify_dids",
        "delete_dids",
        "ast_admin",
        "delete_phones",
        "change_agent_campaign",
    }
)
ALL_FUNCTIONS = "ALL_FUNCTIONS"


@dataclass(slots=True)
class User:
    user: str
    password: str = field(repr=False)
    full_name: str
    user_level: int
    user_group: str
    active: bool = True
    api_access: bool = False
    # ViciDial's api_allowed_functions: "ALL_FUNCTIONS" or the function names allowed.
    allowed_functions: frozenset[str] = frozenset({ALL_FUNCTIONS})
    permissions: frozenset[str] = frozenset()
    locked: bool = False
    phone_login: str = ""
    phone_pass: str = field(default="", repr=False)
    email: str = ""
    # user_custom_one .. user_custom_five by "one" .. "five"; the agent API's alt_user and
    # the st_* functions find a user by its custom_three.
    custom: dict[str, str] = field(default_factory=dict)
    # May the agent dial by hand (ViciDial's agentcall_manual)?
    agentcall_manual: bool = True
    # The in-groups selected for the agent's next login (closer_campaigns).
    in_groups: tuple[str, ...] = ()
    # Rank and grade per campaign and per in-group (-9..9 and 1..10).
    campaign_ranks: dict[str, tuple[int, int]] = field(default_factory=dict)
    ingroup_ranks: dict[str, tuple[int, int]] = field(default_factory=dict)
    # Other columns the APIs set and copy but nothing reads (hotkeys_active, voicemail_id,
    # wrapup_seconds_override, agent_choose_ingroups, ...), by their API names.
    settings: dict[str, str] = field(default_factory=dict)

    def may_call(self, function: str) -> bool:
        return ALL_FUNCTIONS in self.allowed_functions or function in self.allowed_functions

    def alt_id(self) -> str:
        return self.custom.get("three", "")


ALL_CAMPAIGNS = "-ALL-CAMPAIGNS-"


@dataclass(slots=True)
class UserGroup:
    group: str
    name: str
    # The campaigns its users may log into: campaign ids, or ALL_CAMPAIGNS.
    allowed_campaigns: tuple[str, ...] = (ALL_CAMPAIGNS,)

    def allows(self, campaign_id: str) -> bool:
        return ALL_CAMPAIGNS in self.allowed_campaigns or campaign_id in self.allowed_campaigns


@dataclass(slots=True)
class AltUrl:
    """One entry of ViciDial's Alternate Multi URLs page (dispo, start and no-agent URLs)."""

    url: str
    rank: int = 1
    active: bool = True
    # The entry's id on that page (update_alt_url's alt_url_id).
    url_id: int = 0
    description: str = ""
    # "---ALL---" or the statuses that fire it (dispo URLs only).
    statuses: tuple[str, ...] = ("---ALL---",)
    # Empty: every list; else only calls of leads in these lists.
    lists: tuple[int, ...] = ()
    # Only calls at least this long (not for no-agent URLs).
    min_length: int = 0


@dataclass(slots=True)
class Preset:
    """A campaign's transfer preset (vicidial_xfer_presets), by name."""

    name: str
    number: str
    dtmf: str = ""
    hide_number: bool = False


@dataclass(slots=True)
class Campaign:
    campaign_id: str
    name: str
    active: bool = True
    user_group: str = "---ALL---"
    dial_method: str = "RATIO"
    auto_dial_level: str = "1.0"
    lead_order: str = "DOWN"
    dial_statuses: list[str] = field(default_factory=lambda: ["NEW"])
    dial_timeout: int = 26
    dial_prefix: str = "9"
    manual_dial_prefix: str = "9"
    three_way_dial_prefix: str = "9"
    pause_codes: dict[str, str] = field(default_factory=dict)
    max_pause_seconds: int = 0
    # Callback URLs by ViciDial setting name (dispo_call_url, start_call_url, ...); a value
    # of ALT uses the entries of ``alt_urls`` under the same name instead.
    callback_urls: dict[str, str] = field(default_factory=dict)
    alt_urls: dict[str, list[AltUrl]] = field(default_factory=dict)
    # Seconds an agent stays on a dead call before the Dead Call Trigger URL (0: never).
    dead_trigger_seconds: int = 0
    # The campaign's own statuses, code -> name (dispo_name in the Dispo Call URL).
    statuses: dict[str, str] = field(default_factory=dict)
    manual_dial_list_id: int = 999
    default_ingroup: str = ""
    # In-groups the campaign's agents may take calls from (ViciDial's closer_campaigns).
    ingroups: list[str] = field(default_factory=list)
    # DISABLED, PREVIEW_ONLY or PREVIEW_AND_SKIP: what preview_dial_action may do.
    manual_preview_dial: str = "PREVIEW_AND_SKIP"
    # May agents dial a lead's alternate numbers (ALTDIAL, ADR3DIAL)?
    alt_number_dialing: bool = False
    # DISABLED, MANUAL_ONLY, LIVE_CALL_INBOUND or LIVE_CALL_INBOUND_AND_MANUAL (switch_lead).
    agent_lead_search: str = "DISABLED"
    presets: dict[str, Preset] = field(default_factory=dict)


@dataclass(slots=True)
class LeadList:
    list_id: int
    name: str
    campaign_id: str
    active: bool = True
    changedate: datetime | None = None
    lastcalldate: datetime | None = None
    expiration_date: date = date(2099, 12, 31)
    resets_today: int = 0
    # Custom field label -> type (TEXT, SELECT, ...), in the order ViciDial lists them.
    custom_fields: dict[str, str] = field(default_factory=dict)
    description: str = ""
    # na_call_url overrides the campaign's and in-group's; apinewlead_url the system's.
    callback_urls: dict[str, str] = field(default_factory=dict)
    # Other columns add_list and update_list set but nothing reads (script, reset_time,
    # xferconf_one, ...), by their API names.
    settings: dict[str, str] = field(default_factory=dict)


# Lead columns in the order lead_all_info prints them (lead_id comes last there).
LEAD_COLUMNS: tuple[str, ...] = (
    "status",
    "user",
    "vendor_lead_code",
    "source_id",
    "list_id",
    "gmt_offset_now",
    "phone_code",
    "phone_number",
    "title",
    "first_name",
    "middle_initial",
    "last_name",
    "address1",
    "address2",
    "address3",
    "city",
    "state",
    "province",
    "postal_code",
    "country_code",
    "gender",
    "date_of_birth",
    "alt_phone",
    "email",
    "security_phrase",
    "comments",
    "called_count",
    "last_local_call_time",
    "rank",
    "owner",
    "entry_list_id",
    "lead_id",
)


@dataclass(slots=True)
class Lead:
    """One vicidial_list row; every column as the text ViciDial prints, except a few ids."""

    lead_id: int
    list_id: int
    phone_number: str
    status: str = "NEW"
    user: str = ""
    vendor_lead_code: str = ""
    source_id: str = ""
    gmt_offset_now: str = "-5.00"
    phone_code: str = "1"
    title: str = ""
    first_name: str = ""
    middle_initial: str = ""
    last_name: str = ""
    address1: str = ""
    address2: str = ""
    address3: str = ""
    city: str = ""
    state: str = ""
    province: str = ""
    postal_code: str = ""
    country_code: str = ""
    gender: str = ""
    date_of_birth: str = ""
    alt_phone: str = ""
    email: str = ""
    security_phrase: str = ""
    comments: str = ""
    called_count: int = 0
    last_local_call_time: str = ""
    rank: int = 0
    owner: str = ""
    entry_list_id: int = 0
    entry_date: datetime | None = None
    modify_date: datetime | None = None
    called_since_last_reset: bool = False
    custom: dict[str, str] = field(default_factory=dict)

    def column(self, name: str) -> str:
        value = getattr(self, name)
        return "" if value is None else str(value)

    def set_column(self, name: str, value: str) -> None:
        current = getattr(self, name)
        setattr(self, name, intval(value) if isinstance(current, int) else value)


LEAD_FIELD_NAMES = frozenset(f.name for f in fields(Lead))
# Columns an API may write by name (ids and bookkeeping are not among them).
WRITABLE_LEAD_COLUMNS = tuple(
    c for c in LEAD_COLUMNS if c not in ("lead_id", "list_id", "entry_list_id", "called_count")
)


@dataclass(slots=True)
class HopperEntry:
    hopper_id: int
    lead_id: int
    campaign_id: str
    priority: int = 0
    source: str = "S"
    alt_dial: str = "NONE"


@dataclass(slots=True)
class InGroup:
    group_id: str
    name: str
    active: bool = True
    # Call ids waiting, oldest first.
    queue: list[str] = field(default_factory=list)
    callback_urls: dict[str, str] = field(default_factory=dict)
    alt_urls: dict[str, list[AltUrl]] = field(default_factory=dict)
    # How long a call may wait in the queue before it drops.
    drop_call_seconds: int = 360
    # The colour the admin pages show it in (ingroup_list).
    color: str = "white"


class AgentState(StrEnum):
    READY = "READY"
    PAUSED = "PAUSED"
    INCALL = "INCALL"
    DISPO = "DISPO"
    QUEUE = "QUEUE"
    CLOSER = "CLOSER"


@dataclass(slots=True)
class Notification:
    notification_id: int
    recipient: str
    recipient_type: str
    text: str
    at: datetime
    confetti: bool = False


@dataclass(slots=True)
class Session:
    """A live agent (vicidial_live_agents row) and what its screen holds."""

    user: str
    campaign_id: str
    session_id: str
    status: AgentState = AgentState.PAUSED
    pause_code: str = ""
    lead_id: int = 0
    call_id: str = ""
    calls_today: int = 0
    sub_status: str = ""
    computer_ip: str = ""
    server_ip: str = "127.0.0.1"
    ingroups: list[str] = field(default_factory=list)
    blended: bool = False
    dead: bool = False
    login_time: datetime | None = None
    state_since: datetime | None = None
    recording_id: int | None = None
    audio_playing: bool = False
    parked: bool = False
    # A manual dial requested through the API that the (absent) agent screen has not placed.
    pending_dial: str = ""
    # The lead a previewed dial shows, waiting for preview_dial_action.
    preview_lead_id: int = 0
    # Set when external_pause PAUSE arrives during a call: pause at the call's end.
    pause_after_call: bool = False
    notifications: list[Notification] = field(default_factory=list)
    # The session's name in its webphone link (login epoch, session id, a random part).
    session_name: str = ""
    # set_timer_action's latest: action, message and seconds.
    timer: tuple[str, str, str] | None = None


class CallDirection(StrEnum):
    OUTBOUND = "OUT"
    INBOUND = "IN"


@dataclass(slots=True)
class Call:
    """A live call: ringing in a queue, or talking with an agent."""

    call_id: str
    uniqueid: str
    lead_id: int
    phone_number: str
    direction: CallDirection
    campaign_id: str
    ingroup: str = ""
    agent: str = ""
    started: datetime | None = None
    did: str = ""
    # Placed by the agent (external_dial), not by the dialer: the Start Call URL encodes
    # the lead's comments differently.
    manual: bool = False
    # The id of the inbound call's log row (closecallid), 0 for outbound calls.
    closecallid: int = 0


@dataclass(slots=True)
class CallLog:
    """A finished call (vicidial_log / vicidial_closer_log)."""

    uniqueid: str
    lead_id: int
    list_id: int
    campaign_id: str
    call_date: datetime
    length_in_sec: int
    status: str
    phone_number: str
    user: str
    term_reason: str = "AGENT"
    ingroup: str = ""
    direction: CallDirection = CallDirection.OUTBOUND
    # The call's caller code (M/V... outbound, Y inbound), what callid_info looks up.
    call_id: str = ""


@dataclass(slots=True)
class DidLog:
    did: str
    caller_id_number: str
    call_date: datetime
    length_in_sec: int


@dataclass(slots=True)
class Recording:
    recording_id: int
    start_time: datetime
    user: str
    lead_id: int
    filename: str
    location: str
    length_in_sec: int = 0
    uniqueid: str = ""
    end_time: datetime | None = None


@dataclass(slots=True)
class AgentLog:
    """One vicidial_agent_log row: seconds spent in each state around one call or pause."""

    user: str
    campaign_id: str
    event_time: datetime
    pause_sec: int = 0
    wait_sec: int = 0
    talk_sec: int = 0
    dispo_sec: int = 0
    dead_sec: int = 0
    status: str = ""
    lead_id: int = 0
    session: int = 1


@dataclass(slots=True)
class Callback:
    """A scheduled callback (vicidial_callbacks)."""

    callback_id: int
    lead_id: int
    list_id: int
    campaign_id: str
    user: str
    callback_time: str
    entry_time: datetime
    lead_status: str = "CALLBK"
    # USERONLY (only ``user`` may call back) or ANYONE.
    recipient: str = "ANYONE"
    # ACTIVE until due, LIVE once due, INACTIVE once called back.
    status: str = "ACTIVE"
    comments: str = ""
    user_group: str = ""


@dataclass(slots=True)
class MonitorSession:
    """A blind monitor, barge or whisper a phone was dialed into (blind_monitor)."""

    monitor_id: int
    phone_login: str
    session_id: str
    server_ip: str
    stage: str
    user: str
    started: datetime
