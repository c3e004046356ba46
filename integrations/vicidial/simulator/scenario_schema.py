"""The scenario schema: one pydantic model per section of a scenario file, and the checks
across sections (references between records) that no single field can make.

Documented in docs/simulator.md; ``scenario.parse`` validates text against ``Scenario``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from integrations.vicidial.simulator.clock import MAX_SPEED, ClockMode
from integrations.vicidial.simulator.records import ALL_CAMPAIGNS, PERMISSIONS, CallDirection
from integrations.vicidial.simulator.tables import SystemInfo
from integrations.vicidial.simulator.traffic_schema import TrafficModel


def _words(value: Any) -> Any:
    # "NEW NA A" or ["NEW", "NA", "A"]: ViciDial writes space-separated lists.
    return value.split() if isinstance(value, str) else value


Words = Annotated[list[str], BeforeValidator(_words)]


def _commas(value: Any) -> Any:
    # "1001,1002": how ViciDial writes a phone alias's logins.
    return value.split(",") if isinstance(value, str) else value


def _text(value: Any) -> Any:
    # YAML reads an unquoted 2026-11-27 04:44:08 as a timestamp; ViciDial columns hold text.
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return value


DateText = Annotated[str, BeforeValidator(_text)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)


class ClockModel(Model):
    start: datetime | None = None
    mode: ClockMode = ClockMode.REAL
    speed: float = Field(default=1.0, gt=0, le=MAX_SPEED)


class UserModel(Model):
    user: str = Field(min_length=1, max_length=20)
    password: str = Field(min_length=1, repr=False)
    full_name: str = ""
    user_level: int = Field(default=1, ge=1, le=9)
    user_group: str
    active: bool = True
    api_access: bool = False
    allowed_functions: Literal["ALL_FUNCTIONS"] | Words = "ALL_FUNCTIONS"
    permissions: Literal["all"] | Words = Field(default_factory=list)
    locked: bool = False
    phone_login: str = ""
    phone_pass: str = Field(default="", repr=False)
    email: str = ""
    custom: dict[Literal["one", "two", "three", "four", "five"], str] = Field(default_factory=dict)
    agentcall_manual: bool = True
    in_groups: Words = Field(default_factory=list)


class UserGroupModel(Model):
    group: str = Field(min_length=1)
    name: str = ""
    allowed_campaigns: Words = Field(default_factory=lambda: [ALL_CAMPAIGNS])


# ViciDial's setting names, per level, of the URLs it requests (see docs/simulator.md).
CampaignUrl = Literal[
    "start_call_url", "dispo_call_url", "na_call_url", "dead_trigger_url", "pause_max_url"
]
IngroupUrl = Literal[
    "start_call_url",
    "dispo_call_url",
    "na_call_url",
    "enter_ingroup_url",
    "waiting_call_url_on",
    "waiting_call_url_off",
    "add_lead_url",
]
ListUrl = Literal["na_call_url", "apinewlead_url"]
AltSetting = Literal["start_call_url", "dispo_call_url", "na_call_url"]


class AltUrlModel(Model):
    url: str = Field(min_length=1)
    rank: int = 1
    active: bool = True
    url_id: int | None = Field(default=None, ge=1)
    description: str = ""
    statuses: Words = Field(default_factory=lambda: ["---ALL---"])
    lists: list[int] = Field(default_factory=list)
    min_length: int = Field(default=0, ge=0)


class PresetModel(Model):
    name: str = Field(min_length=1)
    number: str = Field(min_length=1)
    dtmf: str = ""
    hide_number: bool = False


class CampaignModel(Model):
    campaign_id: str = Field(min_length=2, max_length=8)
    name: str = ""
    active: bool = True
    user_group: str = "---ALL---"
    dial_method: Literal[
        "MANUAL", "RATIO", "ADAPT_HARD_LIMIT", "ADAPT_TAPERED", "ADAPT_AVERAGE", "INBOUND_MAN"
    ] = "RATIO"
    auto_dial_level: str = "1.0"
    lead_order: str = "DOWN"
    dial_statuses: Words = Field(default_factory=lambda: ["NEW"])
    dial_timeout: int = 26
    dial_prefix: str = "9"
    manual_dial_prefix: str = "9"
    three_way_dial_prefix: str = "9"
    pause_codes: dict[str, str] = Field(default_factory=dict)
    max_pause_seconds: int = Field(default=0, ge=0)
    callback_urls: dict[CampaignUrl, str] = Field(default_factory=dict)
    alt_urls: dict[AltSetting, list[AltUrlModel]] = Field(default_factory=dict)
    dead_trigger_seconds: int = Field(default=0, ge=0)
    statuses: dict[str, str] = Field(default_factory=dict)
    manual_dial_list_id: int = 999
    default_ingroup: str = ""
    ingroups: Words = Field(default_factory=list)
    manual_preview_dial: Literal["DISABLED", "PREVIEW_ONLY", "PREVIEW_AND_SKIP"] = (
        "PREVIEW_AND_SKIP"
    )
    alt_number_dialing: bool = False
    agent_lead_search: Literal[
        "DISABLED", "MANUAL_ONLY", "LIVE_CALL_INBOUND", "LIVE_CALL_INBOUND_AND_MANUAL"
    ] = "DISABLED"
    presets: list[PresetModel] = Field(default_factory=list)


class ListModel(Model):
    list_id: int = Field(ge=1)
    name: str = ""
    campaign_id: str
    active: bool = True
    changedate: datetime | None = None
    lastcalldate: datetime | None = None
    expiration_date: date = date(2099, 12, 31)
    resets_today: int = 0
    custom_fields: dict[str, str] = Field(default_factory=dict)
    description: str = ""
    callback_urls: dict[ListUrl, str] = Field(default_factory=dict)


class LeadModel(Model):
    lead_id: int = Field(ge=1)
    list_id: int
    phone_number: str = Field(min_length=1, max_length=18)
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
    date_of_birth: DateText = ""
    alt_phone: str = ""
    email: str = ""
    security_phrase: str = ""
    comments: str = ""
    called_count: int = 0
    last_local_call_time: DateText = ""
    rank: int = 0
    owner: str = ""
    entry_list_id: int | None = None
    entry_date: datetime | None = None
    modify_date: datetime | None = None
    archived: bool = False
    custom: dict[str, str] = Field(default_factory=dict)


class HopperModel(Model):
    lead_id: int
    campaign_id: str | None = None
    priority: int = 0


class InGroupModel(Model):
    group_id: str = Field(min_length=2, max_length=20)
    name: str = ""
    active: bool = True
    callback_urls: dict[IngroupUrl, str] = Field(default_factory=dict)
    alt_urls: dict[AltSetting, list[AltUrlModel]] = Field(default_factory=dict)
    drop_call_seconds: int = Field(default=360, ge=0)
    color: str = "white"


class DidModel(Model):
    pattern: str = Field(min_length=1)
    description: str = ""
    ingroup: str = ""
    did_id: int | None = Field(default=None, ge=1)
    list_id: int = 999
    filter_url: str = ""
    filter_ingroup: str = ""
    active: bool = True
    route: Literal[
        "EXTEN", "VOICEMAIL", "AGENT", "PHONE", "IN_GROUP", "CALLMENU", "VMAIL_NO_INST"
    ] = "IN_GROUP"
    record_call: Literal["Y", "N", "Y_QUEUESTOP"] = "N"


class ServerModel(Model):
    server_ip: str = Field(min_length=1)
    name: str = ""
    active: bool = True


class PhoneModel(Model):
    extension: str = Field(min_length=1)
    login: str = ""
    server_ip: str = "127.0.0.1"
    protocol: str = "SIP"
    webphone: bool = False
    nva_call_url: str = ""
    dialplan_number: str = ""
    voicemail_id: str = ""
    password: str = Field(default="", repr=False)
    full_name: str = ""
    local_gmt: str = "-5.00"
    outbound_cid: str = ""
    active: bool = True
    email: str = ""


class PhoneAliasModel(Model):
    alias_id: str = Field(min_length=2)
    name: str = ""
    logins: Annotated[list[str], BeforeValidator(_commas)] = Field(min_length=1)


class CidEntryModel(Model):
    areacode: str = Field(min_length=1)
    outbound_cid: str = Field(min_length=1)
    active: bool = True
    description: str = ""


class CidGroupModel(Model):
    group_id: str = Field(min_length=1, max_length=20)
    entries: list[CidEntryModel] = Field(default_factory=list)


class RemoteAgentModel(Model):
    user_start: str = Field(min_length=1)
    campaign_id: str
    number_of_lines: int = Field(default=1, ge=1, le=999)
    server_ip: str = "127.0.0.1"
    conf_exten: str = ""
    status: Literal["ACTIVE", "INACTIVE"] = "INACTIVE"
    closer_campaigns: Words = Field(default_factory=list)


class AudioFileModel(Model):
    name: str = Field(min_length=1)
    size: int = Field(ge=0)
    modified: datetime


class MohClassModel(Model):
    moh_id: str = Field(min_length=1)
    name: str = ""
    random: bool = False
    files: Words = Field(default_factory=list)


class VoicemailBoxModel(Model):
    voicemail_id: str = Field(min_length=1)
    name: str = ""
    email: str = ""


class CallMenuModel(Model):
    menu_id: str = Field(min_length=1)
    name: str = ""


class ContainerModel(Model):
    container_id: str = Field(min_length=1)
    notes: str = ""
    type: str = "OTHER"


class CallTimeModel(Model):
    """A call time's daily window, as HHMM numbers (900 to 2100: 9am to 9pm)."""

    start: int = Field(ge=0, le=2400)
    stop: int = Field(ge=0, le=2400)


class CallbackModel(Model):
    lead_id: int
    campaign_id: str
    user: str = ""
    callback_time: DateText
    entry_time: datetime
    lead_status: str = "CALLBK"
    recipient: Literal["USERONLY", "ANYONE"] = "ANYONE"
    status: Literal["ACTIVE", "LIVE", "INACTIVE"] = "ACTIVE"
    comments: str = ""


class LiveCallModel(Model):
    lead_id: int
    call_id: str | None = None
    phone_number: str | None = None
    direction: CallDirection = CallDirection.OUTBOUND
    ingroup: str = ""
    did: str = ""


class SessionModel(Model):
    user: str
    campaign_id: str
    status: Literal["READY", "PAUSED", "INCALL", "DISPO"] = "PAUSED"
    pause_code: str = ""
    session_id: str | None = None
    calls_today: int = 0
    sub_status: str = ""
    computer_ip: str = ""
    ingroups: Words = Field(default_factory=list)
    blended: bool = False
    audio_playing: bool = False
    call: LiveCallModel | None = None


class QueuedCallModel(Model):
    ingroup: str
    lead_id: int
    call_id: str | None = None
    phone_number: str | None = None
    did: str = ""


class CallLogModel(Model):
    uniqueid: str
    lead_id: int
    campaign_id: str
    call_date: datetime
    length_in_sec: int = Field(ge=0)
    status: str
    user: str
    term_reason: str = "AGENT"
    ingroup: str = ""
    phone_number: str | None = None
    # Default: M (Y for inbound), the call date's MMDDhhmmss and the lead id in 10 digits.
    call_id: str | None = None


class DidLogModel(Model):
    did: str
    caller_id_number: str
    call_date: datetime
    length_in_sec: int = Field(ge=0)


class RecordingModel(Model):
    recording_id: int
    start_time: datetime
    user: str
    lead_id: int
    filename: str
    location: str
    length_in_sec: int = 0
    uniqueid: str = ""


class AgentLogModel(Model):
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


class Scenario(Model):
    """A whole call center. Lists are in the order the dialer prints them."""

    name: str = "scenario"
    clock: ClockModel = Field(default_factory=ClockModel)
    system: SystemInfo = Field(default_factory=SystemInfo)
    users: list[UserModel] = Field(default_factory=list)
    user_groups: list[UserGroupModel] = Field(default_factory=list)
    campaigns: list[CampaignModel] = Field(default_factory=list)
    lists: list[ListModel] = Field(default_factory=list)
    leads: list[LeadModel] = Field(default_factory=list)
    hopper: list[HopperModel] = Field(default_factory=list)
    ingroups: list[InGroupModel] = Field(default_factory=list)
    dids: list[DidModel] = Field(default_factory=list)
    servers: list[ServerModel] = Field(default_factory=list)
    phones: list[PhoneModel] = Field(default_factory=list)
    phone_aliases: list[PhoneAliasModel] = Field(default_factory=list)
    group_aliases: dict[str, str] = Field(default_factory=dict)
    cid_groups: list[CidGroupModel] = Field(default_factory=list)
    remote_agents: list[RemoteAgentModel] = Field(default_factory=list)
    dnc: dict[str, list[str]] = Field(default_factory=dict)
    filter_phone_groups: dict[str, list[str]] = Field(default_factory=dict)
    audio_store: list[AudioFileModel] = Field(default_factory=list)
    moh_classes: list[MohClassModel] = Field(default_factory=list)
    voicemail_boxes: list[VoicemailBoxModel] = Field(default_factory=list)
    call_menus: list[CallMenuModel] = Field(default_factory=list)
    containers: list[ContainerModel] = Field(default_factory=list)
    callbacks: list[CallbackModel] = Field(default_factory=list)
    scripts: Words = Field(default_factory=list)
    call_times: dict[str, CallTimeModel] = Field(default_factory=dict)
    area_codes: dict[str, float] = Field(default_factory=dict)
    sessions: list[SessionModel] = Field(default_factory=list)
    queue: list[QueuedCallModel] = Field(default_factory=list)
    call_logs: list[CallLogModel] = Field(default_factory=list)
    did_logs: list[DidLogModel] = Field(default_factory=list)
    recordings: list[RecordingModel] = Field(default_factory=list)
    agent_logs: list[AgentLogModel] = Field(default_factory=list)
    traffic: TrafficModel | None = None


Loc = tuple[str | int, ...]


def references(s: Scenario) -> list[tuple[Loc, str]]:
    """Cross-record checks pydantic cannot make field by field."""
    problems: list[tuple[Loc, str]] = []
    users = {u.user for u in s.users}
    groups = {g.group for g in s.user_groups}
    campaigns = {c.campaign_id for c in s.campaigns}
    lists = {lst.list_id for lst in s.lists}
    ingroups = {g.group_id for g in s.ingroups}
    leads = {lead.lead_id for lead in s.leads}

    def check(loc: Loc, value: object, known: set[Any], what: str) -> None:
        if value not in known:
            problems.append((loc, f"unknown {what} {value!r}"))

    def unique(name: str, values: list[Any], what: str) -> None:
        seen: set[Any] = set()
        for i, value in enumerate(values):
            if value in seen:
                problems.append(((name, i), f"duplicate {what} {value!r}"))
            seen.add(value)

    unique("users", [u.user for u in s.users], "user")
    unique("campaigns", [c.campaign_id for c in s.campaigns], "campaign")
    unique("lists", [lst.list_id for lst in s.lists], "list")
    unique("leads", [lead.lead_id for lead in s.leads], "lead")
    unique("sessions", [x.user for x in s.sessions], "session for user")
    for i, u in enumerate(s.users):
        check(("users", i, "user_group"), u.user_group, groups, "user group")
        if isinstance(u.permissions, list):
            for perm in u.permissions:
                check(("users", i, "permissions"), perm, set(PERMISSIONS), "permission")
    for i, c in enumerate(s.campaigns):
        for group in c.ingroups:
            check(("campaigns", i, "ingroups"), group, ingroups, "in-group")
    for i, lst in enumerate(s.lists):
        check(("lists", i, "campaign_id"), lst.campaign_id, campaigns, "campaign")
    for i, lead in enumerate(s.leads):
        check(("leads", i, "list_id"), lead.list_id, lists, "list")
    for i, h in enumerate(s.hopper):
        check(("hopper", i, "lead_id"), h.lead_id, leads, "lead")
    for i, did in enumerate(s.dids):
        if did.ingroup:
            check(("dids", i, "ingroup"), did.ingroup, ingroups, "in-group")
        if did.filter_ingroup:
            check(("dids", i, "filter_ingroup"), did.filter_ingroup, ingroups, "in-group")
    for i, x in enumerate(s.sessions):
        check(("sessions", i, "user"), x.user, users, "user")
        check(("sessions", i, "campaign_id"), x.campaign_id, campaigns, "campaign")
        for group in x.ingroups:
            check(("sessions", i, "ingroups"), group, ingroups, "in-group")
        if x.call is not None:
            check(("sessions", i, "call", "lead_id"), x.call.lead_id, leads, "lead")
            if x.call.ingroup:
                check(("sessions", i, "call", "ingroup"), x.call.ingroup, ingroups, "in-group")
        if (x.status == "INCALL") != (x.call is not None):
            problems.append(
                (("sessions", i, "status"), "an INCALL agent needs a call, and only it")
            )
    for i, q in enumerate(s.queue):
        check(("queue", i, "ingroup"), q.ingroup, ingroups, "in-group")
        check(("queue", i, "lead_id"), q.lead_id, leads, "lead")
    logins = {p.login or p.extension for p in s.phones}
    for i, alias in enumerate(s.phone_aliases):
        for login in alias.logins:
            check(("phone_aliases", i, "logins"), login, logins, "phone login")
    for i, remote in enumerate(s.remote_agents):
        check(("remote_agents", i, "campaign_id"), remote.campaign_id, campaigns, "campaign")
    for i, cb in enumerate(s.callbacks):
        check(("callbacks", i, "lead_id"), cb.lead_id, leads, "lead")
        check(("callbacks", i, "campaign_id"), cb.campaign_id, campaigns, "campaign")
    if s.traffic is not None:
        known: dict[str, set[Any]] = {
            "users": users,
            "campaigns": campaigns,
            "ingroups": ingroups,
            "lists": lists,
            "dids": {d.pattern for d in s.dids},
            "phones": {p.extension for p in s.phones},
        }
        problems.extend((("traffic", *loc), text) for loc, text in s.traffic.references(known))
    return problems
