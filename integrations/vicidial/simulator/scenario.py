"""Scenarios: a YAML description of a call center, validated, with errors that say file:line.

The schema is the set of pydantic models below (documented in docs/simulator.md). ``load``
reads a file (or text), ``build_center`` turns a validated scenario into live state. The
built-in scenario reproducing the captured fixtures' dialer ships as package data.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from integrations.vicidial.simulator.clock import MAX_SPEED, ClockMode, SimClock
from integrations.vicidial.simulator.records import (
    PERMISSIONS,
    AgentLog,
    AgentState,
    AltUrl,
    CallDirection,
    CallLog,
    Campaign,
    Did,
    DidLog,
    InGroup,
    Lead,
    LeadList,
    Phone,
    Recording,
    User,
    UserGroup,
)
from integrations.vicidial.simulator.state import SYSTEM_DNC, CallCenter, SystemInfo
from integrations.vicidial.simulator.traffic_schema import TrafficModel

BUILTIN = "fixtures_dialer.yaml"
# Built-in scenarios by the short name ``vicibus simulate --scenario`` accepts.
BUILTINS = {"fixtures": BUILTIN, "demo": "demo.yaml"}


class ScenarioError(Exception):
    """A scenario that cannot be used; ``str()`` reads ``file:line: problem``, one per line."""

    def __init__(self, source: str, problems: Sequence[tuple[int | None, str]]) -> None:
        self.source = source
        self.problems = tuple(problems)
        lines = [
            f"{source}:{line}: {text}" if line else f"{source}: {text}" for line, text in problems
        ]
        super().__init__("\n".join(lines))

    @property
    def line(self) -> int | None:
        return self.problems[0][0] if self.problems else None


def _words(value: Any) -> Any:
    # "NEW NA A" or ["NEW", "NA", "A"]: ViciDial writes space-separated lists.
    return value.split() if isinstance(value, str) else value


Words = Annotated[list[str], BeforeValidator(_words)]


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
    user_code: str = ""
    email: str = ""
    custom: dict[Literal["one", "two", "three", "four", "five"], str] = Field(default_factory=dict)


class UserGroupModel(Model):
    group: str = Field(min_length=1)
    name: str = ""


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
    statuses: Words = Field(default_factory=lambda: ["---ALL---"])
    lists: list[int] = Field(default_factory=list)
    min_length: int = Field(default=0, ge=0)


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


class DidModel(Model):
    pattern: str = Field(min_length=1)
    description: str = ""
    ingroup: str = ""
    did_id: int | None = Field(default=None, ge=1)
    list_id: int = 999
    filter_url: str = ""
    filter_ingroup: str = ""


class PhoneModel(Model):
    extension: str = Field(min_length=1)
    login: str = ""
    server_ip: str = "127.0.0.1"
    protocol: str = "SIP"
    webphone: bool = False
    nva_call_url: str = ""


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
    phones: list[PhoneModel] = Field(default_factory=list)
    group_aliases: dict[str, str] = Field(default_factory=dict)
    dnc: dict[str, list[str]] = Field(default_factory=dict)
    sessions: list[SessionModel] = Field(default_factory=list)
    queue: list[QueuedCallModel] = Field(default_factory=list)
    call_logs: list[CallLogModel] = Field(default_factory=list)
    did_logs: list[DidLogModel] = Field(default_factory=list)
    recordings: list[RecordingModel] = Field(default_factory=list)
    agent_logs: list[AgentLogModel] = Field(default_factory=list)
    traffic: TrafficModel | None = None


Loc = tuple[str | int, ...]


def _references(s: Scenario) -> list[tuple[Loc, str]]:
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


def _line_of(tree: Any, loc: Loc) -> int | None:
    """The 1-based line of the deepest node of ``loc`` found in the ruamel tree."""
    line: int | None = None
    node = tree
    for part in loc:
        lc = getattr(node, "lc", None)
        try:
            if isinstance(node, dict) and part in node:
                if lc is not None:
                    line = lc.key(part)[0] + 1
                node = node[part]
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                if lc is not None:
                    line = lc.item(part)[0] + 1
                node = node[part]
            else:
                break
        except (KeyError, IndexError, TypeError, AttributeError):
            break
    if line is None and lc_line(tree) is not None:
        return lc_line(tree)
    return line


def lc_line(tree: Any) -> int | None:
    lc = getattr(tree, "lc", None)
    line = getattr(lc, "line", None)
    return line + 1 if isinstance(line, int) else None


def _describe(err: Any) -> str:
    where = ".".join(str(p) for p in err["loc"])
    if err["type"] == "extra_forbidden":
        return f"unknown key {where!r}"
    if err["type"] == "missing":
        return f"{where}: required"
    return f"{where}: {err['msg']}" if where else str(err["msg"])


def parse(text: str, source: str = "<scenario>") -> Scenario:
    """Validate scenario text; every failure is a ScenarioError naming file and line."""
    yaml = YAML(typ="rt")
    try:
        tree = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise ScenarioError(source, [(line, f"YAML: {exc.problem or exc.context}")]) from None
    except (YAMLError, ValueError, TypeError, RecursionError) as exc:
        raise ScenarioError(source, [(None, f"YAML: {type(exc).__name__}: {exc}")]) from None
    if tree is None:
        tree = {}
    if not isinstance(tree, dict):
        raise ScenarioError(source, [(lc_line(tree) or 1, "a scenario is a mapping of sections")])
    try:
        scenario = Scenario.model_validate(tree)
    except ValidationError as exc:
        raise ScenarioError(
            source, [(_line_of(tree, tuple(e["loc"])), _describe(e)) for e in exc.errors()]
        ) from None
    problems = _references(scenario)
    if problems:
        raise ScenarioError(source, [(_line_of(tree, loc), text) for loc, text in problems])
    return scenario


def load(path: str | Path) -> Scenario:
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(str(file), [(None, f"cannot read: {exc}")]) from None
    return parse(text, str(file))


def builtin_text(file: str = BUILTIN) -> str:
    return (
        resources.files("integrations.vicidial.simulator")
        .joinpath("scenarios")
        .joinpath(file)
        .read_text(encoding="utf-8")
    )


def load_builtin(file: str = BUILTIN) -> Scenario:
    return parse(builtin_text(file), f"<builtin {file}>")


def load_named(name: str) -> Scenario:
    """A built-in scenario by short name (``demo``, ``fixtures``), else a file path."""
    return load_builtin(BUILTINS[name]) if name in BUILTINS else load(name)


def make_clock(scenario: Scenario) -> SimClock:
    return SimClock(scenario.clock.start, mode=scenario.clock.mode, speed=scenario.clock.speed)


def build_center(scenario: Scenario, clock: SimClock | None = None) -> CallCenter:
    """Live state from a validated scenario."""
    center = CallCenter(clock or make_clock(scenario))
    center.system = scenario.system.model_copy(deep=True)
    for g in scenario.user_groups:
        center.user_groups[g.group] = UserGroup(g.group, g.name)
    for u in scenario.users:
        perms = PERMISSIONS if u.permissions == "all" else frozenset(u.permissions)
        allowed = u.allowed_functions
        center.users[u.user] = User(
            user=u.user,
            password=u.password,
            full_name=u.full_name,
            user_level=u.user_level,
            user_group=u.user_group,
            active=u.active,
            api_access=u.api_access,
            allowed_functions=frozenset([allowed] if isinstance(allowed, str) else allowed),
            permissions=perms,
            locked=u.locked,
            phone_login=u.phone_login,
            user_code=u.user_code,
            email=u.email,
            custom={str(k): v for k, v in u.custom.items()},
        )
    for c in scenario.campaigns:
        record = Campaign(**c.model_dump(exclude={"alt_urls"}))
        record.alt_urls = _alt_urls(c.alt_urls)
        center.campaigns[c.campaign_id] = record
    for lst in scenario.lists:
        center.lists[lst.list_id] = LeadList(**lst.model_dump())
    for m in scenario.leads:
        data = m.model_dump(exclude={"archived"})
        data["entry_list_id"] = m.entry_list_id or m.list_id
        lead = Lead(**data)
        if m.archived:
            center.archived_leads[lead.lead_id] = lead
        else:
            center.add_lead_record(lead)
    for ig in scenario.ingroups:
        center.ingroups[ig.group_id] = InGroup(
            ig.group_id,
            ig.name,
            ig.active,
            callback_urls={str(k): v for k, v in ig.callback_urls.items()},
            alt_urls=_alt_urls(ig.alt_urls),
            drop_call_seconds=ig.drop_call_seconds,
        )
    for number, d in enumerate(scenario.dids, start=1):
        center.dids[d.pattern] = Did(**d.model_dump(exclude={"did_id"}), did_id=d.did_id or number)
    for p in scenario.phones:
        center.phones[p.extension] = Phone(**p.model_dump())
    center.group_aliases.update(scenario.group_aliases)
    for dnc_list, numbers in scenario.dnc.items():
        center.dnc.setdefault(dnc_list, set()).update(numbers)
    center.dnc.setdefault(SYSTEM_DNC, set())
    for h in scenario.hopper:
        lead = center.leads[h.lead_id]
        campaign = h.campaign_id or center.lists[lead.list_id].campaign_id
        center.add_to_hopper(h.lead_id, campaign, h.priority)
    _live(center, scenario)
    _history(center, scenario)
    # Loading is not news: listeners attached later should not see the set-up.
    center.events.history.clear()
    return center


def _alt_urls(models: dict[Any, list[AltUrlModel]]) -> dict[str, list[AltUrl]]:
    # Kept in rank order: that is the order ViciDial requests them in.
    return {
        setting: [
            AltUrl(
                url=m.url,
                rank=m.rank,
                active=m.active,
                statuses=tuple(m.statuses),
                lists=tuple(m.lists),
                min_length=m.min_length,
            )
            for m in sorted(entries, key=lambda m: m.rank)
        ]
        for setting, entries in models.items()
    }


def _live(center: CallCenter, scenario: Scenario) -> None:
    for x in scenario.sessions:
        session = center.login(
            x.user,
            x.campaign_id,
            ingroups=x.ingroups,
            blended=x.blended,
            session_id=x.session_id,
            computer_ip=x.computer_ip,
        )
        session.calls_today = x.calls_today
        session.audio_playing = x.audio_playing
        if x.call is not None:
            call = x.call
            lead = center.leads[call.lead_id]
            center.start_call(
                phone_number=call.phone_number or lead.phone_number,
                user=x.user,
                lead_id=call.lead_id,
                direction=call.direction,
                ingroup=call.ingroup,
                did=call.did,
                call_id=call.call_id,
                touch_lead=False,
            )
            # The scenario states the count as the dialer showed it, this call included.
            session.calls_today = x.calls_today
        session.status = AgentState(x.status)
        session.pause_code = x.pause_code
        session.sub_status = x.sub_status
    for q in scenario.queue:
        lead = center.leads[q.lead_id]
        center.start_call(
            phone_number=q.phone_number or lead.phone_number,
            lead_id=q.lead_id,
            direction=CallDirection.INBOUND,
            ingroup=q.ingroup,
            did=q.did,
            call_id=q.call_id,
        )


def _history(center: CallCenter, scenario: Scenario) -> None:
    for log in scenario.call_logs:
        lead = center.leads.get(log.lead_id) or center.archived_leads.get(log.lead_id)
        center.call_logs.append(
            CallLog(
                uniqueid=log.uniqueid,
                lead_id=log.lead_id,
                list_id=lead.list_id if lead else 0,
                campaign_id=log.ingroup or log.campaign_id,
                call_date=log.call_date,
                length_in_sec=log.length_in_sec,
                status=log.status,
                phone_number=log.phone_number or (lead.phone_number if lead else ""),
                user=log.user,
                term_reason=log.term_reason,
                ingroup=log.ingroup,
                direction=CallDirection.INBOUND if log.ingroup else CallDirection.OUTBOUND,
            )
        )
    for d in scenario.did_logs:
        center.did_logs.append(DidLog(**d.model_dump()))
    for r in scenario.recordings:
        center.add_recording_record(Recording(**r.model_dump()))
    for a in scenario.agent_logs:
        center.agent_logs.append(AgentLog(**a.model_dump()))
