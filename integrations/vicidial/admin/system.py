"""The non-agent API's system functions: version, phone number check, the audio store and
the HTML lists, server refresh, group aliases, CID groups, alt URLs, presets and call logs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal, TypedDict, TypeVar, Unpack

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    InstanceOf,
    PlainSerializer,
    StringConstraints,
    model_validator,
)

from integrations.vicidial.admin.functions import Domain, add
from integrations.vicidial.admin.html import (
    CallMenuItem,
    ContainerItem,
    InGroupItem,
    ListItem,
    MohClass,
    SoundFile,
    VoicemailBox,
    parse_callmenu_list,
    parse_container_list,
    parse_ingroup_list,
    parse_moh_list,
    parse_sounds_links,
    parse_sounds_selectframe,
    parse_vm_list,
)
from integrations.vicidial.admin.records import (
    CampaignId,
    PhoneNumber,
    Stage,
    Via,
    field_names,
    layout,
    read_table,
    read_words,
)
from integrations.vicidial.admin.tables import (
    TableOptions,
    TableParams,
    TableResult,
    Text20,
    read_rows,
    table_result,
)
from integrations.vicidial.admin.writes import (
    NO_UPDATES,
    Blank255,
    Done,
    Shape,
    UserDone,
    WriteResult,
    outcome_parser,
)
from integrations.vicidial.errors import ViciProtocolError
from integrations.vicidial.lines import LineKind, Reply
from integrations.vicidial.models import YN, Flag, Params, Result, build_result, split_text

# --- version --------------------------------------------------------------------------------


class NoParams(Params):
    """version takes nothing, not even credentials."""


class VersionInfo(Result):
    """The non-agent API's version line: seven fields, the dialer's clock and time zone."""

    version: str
    build: str
    date: datetime
    epoch: int
    dst: Flag
    tz: float
    tz_now: float


_VERSION_KEYS = {"tznow": "tz_now"}


def _version(reply: Reply, _params: NoParams) -> VersionInfo:
    line = reply.last
    if line.kind is not LineKind.VERSION:
        raise ViciProtocolError("expected a VERSION line", function="version", raw=reply.raw)
    values: dict[str, str] = {}
    for part in line.data:
        if part.strip():  # the line ends with a stray "|"
            key, sep, value = part.partition(": ")
            if not sep:
                raise ValueError(f"version field without a label: {part[:40]!r}")
            key = key.strip().lower()
            values[_VERSION_KEYS.get(key, key)] = value.strip()
    return build_result(VersionInfo, reply, line, message="", **values)


VERSION = add(
    "version",
    "system.version",
    "API version and build, the dialer's clock and time zone",
    NoParams,
    VersionInfo,
    _version,
    auth=False,
)


# --- check_phone_number ---------------------------------------------------------------------

YNArea = Literal["Y", "N", "AREACODE"]


class CheckPhoneNumberParams(Params):
    phone_number: Annotated[str, StringConstraints(pattern=r"^\d{6,16}$")]
    local_call_time: Annotated[str, StringConstraints(min_length=1, max_length=20)]
    phone_code: Annotated[str, StringConstraints(pattern=r"^\d{1,4}$")] | None = None
    postal_code: Annotated[str, StringConstraints(pattern=r"^\d{5}$")] | None = None
    state: Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2}$")] | None = None
    owner: Annotated[str, StringConstraints(min_length=2, max_length=5)] | None = None
    dnc_check: YNArea | None = None
    campaign_dnc_check: YNArea | None = None
    campaign_id: Text20 | None = None
    usacan_prefix_check: YN | None = None
    usacan_areacode_check: YN | None = None
    nanpa_ac_prefix_check: YN | None = None
    tz_method: (
        Annotated[str, StringConstraints(pattern=r"^(POSTAL|TZCODE|NANPA|AREACODE)*$")] | None
    ) = None


class TzMethod(StrEnum):
    AREACODE = "AREACODE"
    POSTAL = "POSTAL"
    TZCODE = "TZCODE"
    NANPA = "NANPA"


class TzCheck(BaseModel):
    """One time-zone method's verdict: dialable now, and the GMT offset it found."""

    model_config = ConfigDict(frozen=True)

    dialable: bool
    gmt_offset: float


class PhoneCheck(Result):
    phone_number: str
    phone_code: str | None = None
    postal_code: str | None = None
    state: str | None = None
    owner: str | None = None
    methods: dict[TzMethod, TzCheck]

    @property
    def dialable(self) -> bool:
        """Dialable by every method that was used."""
        return all(check.dialable for check in self.methods.values())


def _check_phone_number(reply: Reply, _params: CheckPhoneNumberParams) -> PhoneCheck:
    # "AREACODE: 1|-6#POSTAL: 1|-7.0#PHONE: 3125551212|1|81009||GST|": each method's
    # "dialable|offset", then the phone as ViciDial read it.
    if len(reply.rows) != 1:
        raise ViciProtocolError("expected one result line", function="check_phone_number")
    methods: dict[str, TzCheck] = {}
    phone: list[str] = []
    for part in reply.rows[0].split("#"):
        label, sep, data = part.partition(": ")
        if not sep:
            raise ValueError(f"unlabelled part {part[:40]!r}")
        fields = data.split("|")
        if label.strip() == "PHONE":
            phone = fields
        else:
            methods[label.strip()] = TzCheck(dialable=fields[0] == "1", gmt_offset=float(fields[1]))
    if not phone:
        raise ValueError("no PHONE part")
    names = ("phone_number", "phone_code", "postal_code", "state", "owner")
    values = {name: phone[i] or None for i, name in enumerate(names) if i < len(phone)}
    return build_result(PhoneCheck, reply, None, methods=methods, **values)


CHECK_PHONE_NUMBER = add(
    "check_phone_number",
    "system.check_phone_number",
    "whether a phone number is valid and dialable now, by each time-zone method",
    CheckPhoneNumberParams,
    PhoneCheck,
    _check_phone_number,
)


# --- sounds_list (format tab, link or selectframe) ------------------------------------------

# The id of the form field the page's links fill in (ViciDial's "comments").
FieldId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,100}$")]
SortOrder = Literal["date", "size", "name"]


@dataclass(slots=True)
class Sound:
    index: int
    filename: str
    modified: datetime
    size: int
    modified_epoch: int


class SoundsListParams(Params):
    # tab: rows; link: a link per file; selectframe: the HTML page with dates and sizes.
    format: Literal["tab", "link", "selectframe"] = "tab"
    # Here stage is the sort order, not the delimiter.
    stage: SortOrder | None = None
    comments: FieldId | None = None


class SoundsResult(TableResult):
    """``records`` for format tab; ``items`` (value, label, url, and for selectframe date
    and size) for link and selectframe."""

    records: tuple[InstanceOf[Sound], ...] = ()
    items: tuple[SoundFile, ...] = ()


def _sounds_list(reply: Reply, params: SoundsListParams) -> SoundsResult:
    if params.format == "link":
        return build_result(SoundsResult, reply, None, items=parse_sounds_links(reply.raw))
    if params.format == "selectframe":
        return build_result(SoundsResult, reply, None, items=parse_sounds_selectframe(reply.raw))
    table = read_table(reply.rows, layout(Sound, field_names(Sound)), Stage.TAB)
    return table_result(SoundsResult, reply, table)


SOUNDS_LIST = add(
    "sounds_list",
    "system.sounds_list",
    "the audio store's files, sorted by date, size or name",
    SoundsListParams,
    SoundsResult,
    _sounds_list,
    html=lambda params: params.format != "tab",
)


# --- the HTML lists: moh_list, vm_list, ingroup_list, callmenu_list, container_list ---------


class FrameParams(Params):
    """Lists ViciDial prints only as a "selectframe" HTML page, for a browser frame."""

    format: Literal["selectframe"] = "selectframe"
    comments: FieldId | None = None


class SortedFrameParams(FrameParams):
    # Sent by ViciDial's own examples; these pages do not change with it.
    stage: SortOrder | None = None


class ContainerListParams(FrameParams):
    # ViciDial refuses the call without a type (NO CONTAINER TYPE DEFINED).
    type: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_]{1,40}$")]


class HtmlListResult(Result):
    """An HTML list read into items; ``title`` is the heading the page shows above them."""

    title: str = ""


class MohListResult(HtmlListResult):
    items: tuple[MohClass, ...] = ()


class VmListResult(HtmlListResult):
    items: tuple[VoicemailBox, ...] = ()


class InGroupListResult(HtmlListResult):
    items: tuple[InGroupItem, ...] = ()


class CallMenuListResult(HtmlListResult):
    items: tuple[CallMenuItem, ...] = ()


class ContainerListResult(HtmlListResult):
    items: tuple[ContainerItem, ...] = ()


HR = TypeVar("HR", bound=HtmlListResult)


def html_list_parser(
    result: type[HR], parse_page: Callable[[str], tuple[str, Sequence[ListItem]]]
) -> Callable[[Reply, Params], HR]:
    def parse(reply: Reply, _params: Params) -> HR:
        # The page has no result line: the whole (redacted) body is the page.
        title, items = parse_page(reply.raw)
        return build_result(result, reply, None, title=title, items=tuple(items))

    return parse


MOH_LIST = add(
    "moh_list",
    "system.moh_list",
    "the music on hold classes, with their files",
    SortedFrameParams,
    MohListResult,
    html_list_parser(MohListResult, parse_moh_list),
    html=True,
)
VM_LIST = add(
    "vm_list",
    "system.vm_list",
    "the voicemail boxes, then the phones' boxes",
    SortedFrameParams,
    VmListResult,
    html_list_parser(VmListResult, parse_vm_list),
    html=True,
)
INGROUP_LIST = add(
    "ingroup_list",
    "system.ingroup_list",
    "the inbound groups, with their names and colours",
    FrameParams,
    InGroupListResult,
    html_list_parser(InGroupListResult, parse_ingroup_list),
    html=True,
)
CALLMENU_LIST = add(
    "callmenu_list",
    "system.callmenu_list",
    "the call menus",
    FrameParams,
    CallMenuListResult,
    html_list_parser(CallMenuListResult, parse_callmenu_list),
    html=True,
)
CONTAINER_LIST = add(
    "container_list",
    "system.container_list",
    "the settings containers of one type",
    ContainerListParams,
    ContainerListResult,
    html_list_parser(ContainerListResult, parse_container_list),
    html=True,
)


# --- server_refresh -------------------------------------------------------------------------


class ServerRefreshParams(Params):
    stage: Literal["REFRESH"] = "REFRESH"


class RefreshTriggered(UserDone):
    # The number ViciDial prints after the user; undocumented (0 and 1 have been seen).
    count: int | None = None


class ServerRefreshResult(WriteResult):
    user: str | None = None
    count: int | None = None


SERVER_REFRESH = add(
    "server_refresh",
    "system.server_refresh",
    "make every telephony server rebuild its configuration files",
    ServerRefreshParams,
    ServerRefreshResult,
    outcome_parser(
        ServerRefreshResult,
        Shape(r"SERVER REFRESH HAS BEEN TRIGGERED", RefreshTriggered, ("user", "count")),
        main=RefreshTriggered,
    ),
    reads=False,
)


# --- add_group_alias ------------------------------------------------------------------------


class AddGroupAliasParams(Params):
    caller_id_number: Annotated[str, StringConstraints(min_length=6, max_length=20)]
    # Both default to caller_id_number.
    group_alias_id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_]{3,30}$")] | None = None
    group_alias_name: Annotated[str, StringConstraints(min_length=3, max_length=50)] | None = None
    caller_id_name: Annotated[str, StringConstraints(min_length=6, max_length=20)] | None = None
    active: YN | None = None
    # A user group, or ---ALL--- (the default).
    admin_user_group: Text20 | None = None


class GroupAliasAdded(UserDone):
    caller_id_number: str | None = None
    group_alias_id: str | None = None
    group_alias_name: str | None = None


class GroupAliasResult(WriteResult):
    user: str | None = None
    caller_id_number: str | None = None
    group_alias_id: str | None = None
    group_alias_name: str | None = None


ADD_GROUP_ALIAS = add(
    "add_group_alias",
    "system.add_group_alias",
    "add a group alias (a caller id agents may choose for their calls)",
    AddGroupAliasParams,
    GroupAliasResult,
    outcome_parser(
        GroupAliasResult,
        Shape(
            r"GROUP ALIAS HAS BEEN ADDED",
            GroupAliasAdded,
            ("user", "caller_id_number", "group_alias_id", "group_alias_name"),
        ),
        main=GroupAliasAdded,
    ),
    reads=False,
)


# --- update_cid_group_entry (INFO lists the entries) ----------------------------------------


class CidStage(StrEnum):
    UPDATE = "UPDATE"
    ADD = "ADD"
    DELETE = "DELETE"
    INFO = "INFO"


ALL = "---ALL---"


class UpdateCidGroupEntryParams(Params):
    cid_group_id: Annotated[str, StringConstraints(min_length=2, max_length=20)]
    # An area code, a state (FL), NONE, or ---ALL---.
    areacode: Annotated[str, StringConstraints(pattern=r"^(---ALL---|NONE|\d{1,6}|[A-Za-z]{2})$")]
    stage: CidStage
    # Empty or ---ALL--- means every number of the area code (UPDATE, DELETE, INFO).
    outbound_cid: Annotated[str, StringConstraints(pattern=r"^(---ALL---|\d{1,20})$")] | None = None
    cid_description: Annotated[str, StringConstraints(min_length=6, max_length=50)] | None = None
    active: YN | None = None

    @model_validator(mode="after")
    def _add_needs_one_entry(self) -> UpdateCidGroupEntryParams:
        if self.stage is CidStage.ADD and (
            self.areacode == ALL or self.outbound_cid in (None, ALL)
        ):
            raise ValueError("stage ADD needs one areacode and one outbound_cid")
        return self


@dataclass(slots=True)
class CidEntry:
    """One caller id of a CID group, as the INFO listing prints it."""

    index: int  # its position in the listing
    areacode: str
    outbound_cid: PhoneNumber
    active: bool
    cid_description: str | None
    # Not named by ViciDial's documentation; it is the table's daily call counter.
    call_count_today: int


class CidGroupLine(Done):
    cid_group_id: str | None = None
    areacode: str | None = None
    outbound_cid: str | None = None
    # INFO: the number of entries listed; a change: the number of entries changed.
    count: int | None = None


class CidGroupDone(CidGroupLine):
    user: str | None = None


class CidGroupResult(WriteResult):
    user: str | None = None
    cid_group_id: str | None = None
    areacode: str | None = None
    outbound_cid: str | None = None
    count: int | None = None
    # stage=INFO only.
    records: tuple[InstanceOf[CidEntry], ...] = ()


_CID_FIELDS = ("cid_group_id", "areacode", "outbound_cid", "count")

_cid_outcomes = outcome_parser(
    CidGroupResult,
    Shape(
        r"CID GROUP (ENTRY HAS BEEN ADDED|ENTRIES HAVE BEEN (UPDATED|DELETED))",
        CidGroupDone,
        ("user", *_CID_FIELDS),
    ),
    # The server prints the INFO line without a separator before its data.
    Shape(r"CID GROUP INFO AS FOLLOWS (?P<data>\S.*)", CidGroupLine, _CID_FIELDS),
    Shape(r"CID GROUP INFO AS FOLLOWS", CidGroupLine, _CID_FIELDS),
    main=CidGroupLine,
)


def _update_cid_group_entry(reply: Reply, params: UpdateCidGroupEntryParams) -> CidGroupResult:
    result = _cid_outcomes(reply, params)
    if params.stage is not CidStage.INFO:
        return result
    table = read_table(reply.rows, layout(CidEntry, field_names(CidEntry)), Stage.PIPE)
    # The INFO line carries its data inside the reason; the typed outcome has it split off.
    info = next((o for o in result.outcomes if isinstance(o, CidGroupLine)), None)
    return result.model_copy(
        update={
            "records": tuple(table.records),
            "unparsed": (*result.unparsed, *table.unparsed),
            "message": info.reason if info is not None else result.message,
        }
    )


UPDATE_CID_GROUP_ENTRY = add(
    "update_cid_group_entry",
    "system.update_cid_group_entry/cid_group_info",
    "add, change or delete caller ids of a CID group, or list them (stage INFO)",
    UpdateCidGroupEntryParams,
    CidGroupResult,
    _update_cid_group_entry,
    reads=lambda params: params.stage is CidStage.INFO,
)


# --- update_alt_url (alt_url_id=LIST lists them) --------------------------------------------


class UrlType(StrEnum):
    DISPO = "dispo"
    START = "start"
    ADDLEAD = "addlead"
    NOAGENT = "noagent"


CampaignKey = Annotated[str, StringConstraints(min_length=2, max_length=8)]
# Space-separated on the wire ("SALE PSALE"); a list or that text is accepted.
SpaceList = Annotated[
    list[Annotated[str, StringConstraints(min_length=1)]],
    BeforeValidator(split_text(" ")),
    PlainSerializer(" ".join, return_type=str),
    Field(min_length=1),
]
LIST = "LIST"


class UpdateAltUrlParams(TableParams):
    """``stage`` and ``header`` shape the listing (alt_url_id LIST) only."""

    campaign_id: CampaignKey
    url_type: UrlType
    entry_type: Literal["campaign"] = "campaign"
    # An alt URL id, NEW to add one, or LIST; may be left out when the campaign has only one.
    alt_url_id: Annotated[int, Field(ge=1)] | Literal["NEW", "LIST"] | None = None
    active: YN | None = None
    url_rank: Annotated[int, Field(ge=0, le=99999)] | None = None
    # Dispo statuses (dispo URLs only), or ---ALL---.
    url_statuses: SpaceList | None = None
    url_description: Blank255 | None = None
    # List ids, or --BLANK-- for every list.
    url_lists: SpaceList | None = None
    url_call_length: Annotated[int, Field(ge=0, le=99999)] | None = None
    url_address: Annotated[str, StringConstraints(min_length=1, max_length=2000)] | None = None


@dataclass(slots=True)
class AltUrl:
    url_id: int
    campaign_id: CampaignId
    entry_type: str
    active: bool
    url_type: UrlType
    url_rank: int
    url_statuses: Annotated[tuple[str, ...], Via(read_words(" "))]
    url_description: str | None
    url_lists: Annotated[tuple[str, ...], Via(read_words(" "))]
    url_call_length: int
    url_address: str | None


class AltUrlDone(UserDone):
    url_id: int | None = None
    url_type: UrlType | None = None
    entry_type: str | None = None
    campaign_id: str | None = None


def _after_label(field: str, label: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """A fix for fields printed with a label ("NEW URL ID: 2")."""

    def fix(values: dict[str, Any]) -> dict[str, Any]:
        value = values.get(field)
        if isinstance(value, str) and value.startswith(label):
            values[field] = value[len(label) :].strip()
        return values

    return fix


class AltUrlResult(WriteResult, TableResult):
    user: str | None = None
    url_id: int | None = None
    url_type: UrlType | None = None
    entry_type: str | None = None
    campaign_id: str | None = None
    # alt_url_id=LIST only.
    records: tuple[InstanceOf[AltUrl], ...] = ()


_alt_url_outcomes = outcome_parser(
    AltUrlResult,
    Shape(
        r"ALT URL HAS BEEN (UPDATED|ADDED)",
        AltUrlDone,
        ("user", "url_id", "url_type", "entry_type", "campaign_id"),
        fix=_after_label("url_id", "NEW URL ID:"),
    ),
    NO_UPDATES,
    main=AltUrlDone,
)


def _update_alt_url(reply: Reply, params: UpdateAltUrlParams) -> AltUrlResult:
    if params.alt_url_id != LIST:
        return _alt_url_outcomes(reply, params)
    # "LIST, No Records Found" is a NOTICE: an empty listing that keeps the message.
    table = read_rows(reply, layout(AltUrl, field_names(AltUrl)), params)
    return table_result(AltUrlResult, reply, table)


UPDATE_ALT_URL = add(
    "update_alt_url",
    "system.update_alt_url/alt_urls",
    "add or change a campaign's alternate URLs, or list them (alt_url_id LIST)",
    UpdateAltUrlParams,
    AltUrlResult,
    _update_alt_url,
    reads=lambda params: params.alt_url_id == LIST,
)


# --- update_presets (action=LIST lists them) ------------------------------------------------


class PresetAction(StrEnum):
    UPDATE = "UPDATE"
    NEW = "NEW"
    DELETE = "DELETE"
    LIST = "LIST"


class UpdatePresetsParams(TableParams):
    """``stage`` and ``header`` shape the listing (action LIST) only."""

    campaign_id: CampaignKey
    # May be left out when the campaign has only one preset.
    preset_name: Annotated[str, StringConstraints(min_length=1, max_length=40)] | None = None
    # UPDATE when not sent.
    action: PresetAction | None = None
    preset_hide_number: YN | None = None
    preset_number: Annotated[str, StringConstraints(pattern=r"^\d{1,50}$")] | None = None
    # Digits, P (#), S (*) and Q (half a second of quiet); --BLANK-- clears it.
    preset_dtmf: (
        Annotated[str, StringConstraints(pattern=r"^(--BLANK--|[0-9PSQ]{1,50})$")] | None
    ) = None


@dataclass(slots=True)
class Preset:
    preset_name: str
    campaign_id: CampaignId
    preset_number: PhoneNumber
    preset_hide_number: bool
    preset_dtmf: str | None


class PresetDone(UserDone):
    preset_name: str | None = None
    campaign_id: str | None = None


class PresetsResult(WriteResult, TableResult):
    user: str | None = None
    preset_name: str | None = None
    campaign_id: str | None = None
    # action=LIST only.
    records: tuple[InstanceOf[Preset], ...] = ()


_presets_outcomes = outcome_parser(
    PresetsResult,
    Shape(
        r"PRESET HAS BEEN (ADDED|DELETED)",
        PresetDone,
        ("user", "preset_name", "campaign_id"),
        fix=_after_label("preset_name", "NEW PRESET:"),
    ),
    # Not captured; the documented example's fields after the user are not the preset's name.
    Shape(r"PRESET HAS BEEN UPDATED", PresetDone, ("user",)),
    NO_UPDATES,
    main=PresetDone,
)


def _update_presets(reply: Reply, params: UpdatePresetsParams) -> PresetsResult:
    if params.action is not PresetAction.LIST:
        return _presets_outcomes(reply, params)
    table = read_rows(reply, layout(Preset, field_names(Preset)), params)
    return table_result(PresetsResult, reply, table)


UPDATE_PRESETS = add(
    "update_presets",
    "system.update_presets/presets",
    "add, change or delete a campaign's transfer presets, or list them (action LIST)",
    UpdatePresetsParams,
    PresetsResult,
    _update_presets,
    reads=lambda params: params.action is PresetAction.LIST,
)


# --- update_log_entry -----------------------------------------------------------------------


class UpdateLogEntryParams(Params):
    # The call's uniqueid, or its 20-character caller code (Y1127000000000000012).
    call_id: Annotated[str, StringConstraints(pattern=r"^(\d{6,12}\.\d{1,9}|[A-Za-z0-9]{20})$")]
    # The campaign (outbound log) or in-group (inbound log) of the call.
    group: Text20
    status: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9]{1,6}$")]


class LogEntryUpdated(UserDone):
    """The call's log entry has its new status; ``previous_status`` is the one it had. The
    second and last fields are not documented and stay in ``details``."""

    group: str | None = None
    call_id: str | None = None
    status: str | None = None
    previous_status: str | None = None


class LogEntryResult(WriteResult):
    user: str | None = None
    group: str | None = None
    call_id: str | None = None
    status: str | None = None
    previous_status: str | None = None


UPDATE_LOG_ENTRY = add(
    "update_log_entry",
    "system.update_log_entry",
    "change the status of a call's outbound or inbound log entry",
    UpdateLogEntryParams,
    LogEntryResult,
    outcome_parser(
        LogEntryResult,
        Shape(
            r"RECORD HAS BEEN UPDATED",
            LogEntryUpdated,
            ("user", None, "group", "call_id", "status", "previous_status"),
        ),
        main=LogEntryUpdated,
    ),
    reads=False,
)


class AltUrlOptions(TypedDict, total=False):
    active: bool
    url_rank: int
    url_statuses: Sequence[str] | str
    url_description: str
    url_lists: Sequence[str] | str
    url_call_length: int
    url_address: str


class System(Domain):
    """``admin.system``."""

    async def version(self) -> VersionInfo:
        return await self._run(VERSION)

    async def check_phone_number(
        self,
        phone_number: str,
        local_call_time: str,
        *,
        phone_code: str | None = None,
        postal_code: str | None = None,
        state: str | None = None,
        owner: str | None = None,
        dnc_check: YNArea | None = None,
        campaign_dnc_check: YNArea | None = None,
        campaign_id: CampaignId | str | None = None,
        usacan_prefix_check: bool | None = None,
        usacan_areacode_check: bool | None = None,
        nanpa_ac_prefix_check: bool | None = None,
        tz_method: str | None = None,
    ) -> PhoneCheck:
        return await self._run(
            CHECK_PHONE_NUMBER,
            phone_number=phone_number,
            local_call_time=local_call_time,
            phone_code=phone_code,
            postal_code=postal_code,
            state=state,
            owner=owner,
            dnc_check=dnc_check,
            campaign_dnc_check=campaign_dnc_check,
            campaign_id=campaign_id,
            usacan_prefix_check=usacan_prefix_check,
            usacan_areacode_check=usacan_areacode_check,
            nanpa_ac_prefix_check=nanpa_ac_prefix_check,
            tz_method=tz_method,
        )

    async def sounds_list(
        self,
        *,
        sort: SortOrder | None = None,
        format: Literal["tab", "link", "selectframe"] = "tab",
        comments: str | None = None,
    ) -> SoundsResult:
        return await self._run(SOUNDS_LIST, stage=sort, format=format, comments=comments)

    async def moh_list(
        self, *, comments: str | None = None, sort: SortOrder | None = None
    ) -> MohListResult:
        return await self._run(MOH_LIST, comments=comments, stage=sort)

    async def vm_list(
        self, *, comments: str | None = None, sort: SortOrder | None = None
    ) -> VmListResult:
        return await self._run(VM_LIST, comments=comments, stage=sort)

    async def ingroup_list(self, *, comments: str | None = None) -> InGroupListResult:
        return await self._run(INGROUP_LIST, comments=comments)

    async def callmenu_list(self, *, comments: str | None = None) -> CallMenuListResult:
        return await self._run(CALLMENU_LIST, comments=comments)

    async def container_list(
        self, type: str, *, comments: str | None = None
    ) -> ContainerListResult:
        return await self._run(CONTAINER_LIST, type=type, comments=comments)

    async def server_refresh(self) -> ServerRefreshResult:
        return await self._run(SERVER_REFRESH)

    async def add_group_alias(
        self,
        caller_id_number: str,
        *,
        group_alias_id: str | None = None,
        group_alias_name: str | None = None,
        caller_id_name: str | None = None,
        active: bool | None = None,
        admin_user_group: str | None = None,
    ) -> GroupAliasResult:
        return await self._run(
            ADD_GROUP_ALIAS,
            caller_id_number=caller_id_number,
            group_alias_id=group_alias_id,
            group_alias_name=group_alias_name,
            caller_id_name=caller_id_name,
            active=active,
            admin_user_group=admin_user_group,
        )

    async def update_cid_group_entry(
        self,
        cid_group_id: str,
        stage: CidStage | str,
        areacode: str,
        *,
        outbound_cid: str | None = None,
        cid_description: str | None = None,
        active: bool | None = None,
    ) -> CidGroupResult:
        return await self._run(
            UPDATE_CID_GROUP_ENTRY,
            cid_group_id=cid_group_id,
            stage=stage,
            areacode=areacode,
            outbound_cid=outbound_cid,
            cid_description=cid_description,
            active=active,
        )

    async def cid_group_info(
        self, cid_group_id: str, areacode: str = ALL, *, outbound_cid: str | None = None
    ) -> CidGroupResult:
        """The CID group's entries (stage INFO), of one area code or of all."""
        return await self.update_cid_group_entry(
            cid_group_id, CidStage.INFO, areacode, outbound_cid=outbound_cid
        )

    async def update_alt_url(
        self,
        campaign_id: str,
        url_type: UrlType | str,
        alt_url_id: int | Literal["NEW"] | None = None,
        **settings: Unpack[AltUrlOptions],
    ) -> AltUrlResult:
        """Change alt URL ``alt_url_id``, or add one with ``"NEW"``."""
        return await self._run(
            UPDATE_ALT_URL,
            campaign_id=campaign_id,
            url_type=url_type,
            alt_url_id=alt_url_id,
            **settings,
        )

    async def alt_urls(
        self, campaign_id: str, url_type: UrlType | str, **table: Unpack[TableOptions]
    ) -> AltUrlResult:
        """The campaign's alt URLs of one type (alt_url_id LIST)."""
        return await self._run(
            UPDATE_ALT_URL, campaign_id=campaign_id, url_type=url_type, alt_url_id=LIST, **table
        )

    async def update_presets(
        self,
        campaign_id: str,
        preset_name: str | None = None,
        *,
        action: PresetAction | str | None = None,
        preset_number: str | None = None,
        preset_hide_number: bool | None = None,
        preset_dtmf: str | None = None,
    ) -> PresetsResult:
        return await self._run(
            UPDATE_PRESETS,
            campaign_id=campaign_id,
            preset_name=preset_name,
            action=action,
            preset_number=preset_number,
            preset_hide_number=preset_hide_number,
            preset_dtmf=preset_dtmf,
        )

    async def presets(self, campaign_id: str, **table: Unpack[TableOptions]) -> PresetsResult:
        """The campaign's transfer presets (action LIST)."""
        return await self._run(
            UPDATE_PRESETS, campaign_id=campaign_id, action=PresetAction.LIST, **table
        )

    async def update_log_entry(self, call_id: str, group: str, status: str) -> LogEntryResult:
        return await self._run(UPDATE_LOG_ENTRY, call_id=call_id, group=group, status=status)
