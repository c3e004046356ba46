"""The non-agent API's lead functions that read: one field, whole leads, callbacks, searches."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal, Unpack

from pydantic import (
    BeforeValidator,
    ConfigDict,
    Field,
    InstanceOf,
    StringConstraints,
    model_validator,
)

from integrations.vicidial.admin.functions import NOTHING_FOUND, Domain, add
from integrations.vicidial.admin.records import (
    CallId,
    CampaignId,
    Code,
    GroupId,
    LeadStatus,
    PhoneNumber,
    Seconds,
    UserId,
    Via,
    field_names,
    layout,
    read_blocks,
)
from integrations.vicidial.admin.tables import (
    CommaList,
    TableOptions,
    TableParams,
    TableResult,
    table_parser,
    table_result,
)
from integrations.vicidial.admin.writes import Done, Shape, UserDone, WriteResult, outcome_parser
from integrations.vicidial.agent.enums import CallbackType
from integrations.vicidial.errors import ViciProtocolError
from integrations.vicidial.lines import Reply
from integrations.vicidial.models import (
    YN,
    Params,
    Result,
    WireDate,
    WireDateTime,
    YesNo,
    split_text,
)

LeadId = Annotated[int, Field(gt=0)]
ListId = Annotated[int, Field(gt=0)]
CallIdText = Annotated[str, StringConstraints(min_length=16, max_length=40)]
Phone = Annotated[str, StringConstraints(pattern=r"^\d{6,19}$")]


class Gender(StrEnum):
    M = "M"
    F = "F"
    U = "U"


@dataclass(slots=True)
class Lead:
    """A lead as lead_all_info, ccc_lead_info and lead_status_search print it."""

    status: LeadStatus
    user: UserId | None
    vendor_lead_code: Code | None
    source_id: Code | None
    list_id: int
    gmt_offset_now: float
    phone_code: Code | None
    phone_number: PhoneNumber
    title: str | None
    first_name: str | None
    middle_initial: str | None
    last_name: str | None
    address1: str | None
    address2: str | None
    address3: str | None
    city: str | None
    state: str | None
    province: str | None
    postal_code: str | None
    country_code: str | None
    gender: Gender | None
    date_of_birth: date | None
    alt_phone: PhoneNumber | None
    email: str | None
    security_phrase: str | None
    comments: str | None
    called_count: int
    last_local_call_time: datetime | None
    rank: int
    owner: Code | None
    # ccc_lead_info stops before these two.
    entry_list_id: int | None = None
    lead_id: int | None = None
    custom_fields: dict[str, str] = field(default_factory=dict)


LEAD_COLUMNS = field_names(Lead, without=("custom_fields",))
CCC_COLUMNS = LEAD_COLUMNS[:-2]


class LeadsResult(TableResult):
    records: tuple[InstanceOf[Lead], ...] = ()

    @property
    def lead(self) -> Lead:
        return self.records[0]


# --- lead_field_info ------------------------------------------------------------------------


class LeadFieldInfoParams(Params):
    lead_id: LeadId
    field_name: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_]{1,64}$")]
    custom_fields: YN | None = None
    list_id: ListId | None = None
    archived_lead: YN | None = None


class LeadFieldValue(Result):
    lead_id: int
    field_name: str
    # Any lead column or custom field: its text as stored.
    value: str


def _lead_field_info(reply: Reply, params: LeadFieldInfoParams) -> LeadFieldValue:
    # The value alone, without prefix or final newline; a value shaped like "NOTICE: ..." is
    # still the value.
    text = reply.raw.removesuffix("\n")
    if reply.html or "\n" in text:
        raise ViciProtocolError("expected one value", function=reply.function, raw=reply.raw)
    return LeadFieldValue(lead_id=params.lead_id, field_name=params.field_name, value=text)


LEAD_FIELD_INFO = add(
    "lead_field_info",
    "leads.field_info",
    "the value of one field of a lead",
    LeadFieldInfoParams,
    LeadFieldValue,
    _lead_field_info,
    empty_answer=True,
)


# --- lead_all_info / ccc_lead_info ----------------------------------------------------------


class LeadAllInfoParams(TableParams):
    newline_stage = True

    lead_id: LeadId | None = None
    phone_number: Phone | None = None
    custom_fields: YN | None = None
    force_entry_list_id: ListId | None = None
    archived_lead: YN | None = None


LEAD_ALL_INFO = add(
    "lead_all_info",
    "leads.all_info",
    "every field of a lead (or of the leads with a phone number), custom fields too",
    LeadAllInfoParams,
    LeadsResult,
    table_parser(LeadsResult, Lead, LEAD_COLUMNS, single=True),
)


class CccLeadInfoParams(TableParams):
    newline_stage = True

    call_id: CallIdText


CCC_LEAD_INFO = add(
    "ccc_lead_info",
    "leads.ccc_info",
    "the lead of a cross-cluster call",
    CccLeadInfoParams,
    LeadsResult,
    table_parser(LeadsResult, Lead, CCC_COLUMNS, single=True),
)


# --- lead_status_search ---------------------------------------------------------------------


class LeadStatusSearchParams(Params):
    status: Annotated[str, StringConstraints(min_length=1, max_length=6)] | None = None
    date: WireDate | None = None
    lead_id: LeadId | None = None
    custom_fields: YN | None = None
    list_id: ListId | None = None
    archived_lead: YN | None = None


# lead_status_search prints lead_id first; the record keeps Lead's field order.
_STATUS_SEARCH_COLUMNS = ("lead_id", *LEAD_COLUMNS[:-1])


def _lead_status_search(reply: Reply, _params: LeadStatusSearchParams) -> LeadsResult:
    table = read_blocks(reply.rows, layout(Lead, _STATUS_SEARCH_COLUMNS))
    return table_result(LeadsResult, reply, table)


LEAD_STATUS_SEARCH = add(
    "lead_status_search",
    "leads.status_search",
    "the leads with a status that were called on a date",
    LeadStatusSearchParams,
    LeadsResult,
    _lead_status_search,
    empty_when=NOTHING_FOUND,
)


# --- lead_search ----------------------------------------------------------------------------


def _lead_ids(text: str) -> tuple[int, ...]:
    return tuple(int(lead_id) for lead_id in text.strip().split("-") if lead_id)


@dataclass(slots=True)
class LeadSearchHit:
    search_key: PhoneNumber
    records_found: int
    lead_ids: Annotated[tuple[int, ...], Via(_lead_ids)]


class LeadSearchParams(TableParams):
    phone_number: CommaList
    records: Annotated[int, Field(gt=0)] | None = None
    archived_lead: YN | None = None


class LeadSearchResult(TableResult):
    records: tuple[InstanceOf[LeadSearchHit], ...] = ()


LEAD_SEARCH = add(
    "lead_search",
    "leads.search",
    "the lead ids of one or more phone numbers",
    LeadSearchParams,
    LeadSearchResult,
    table_parser(LeadSearchResult, LeadSearchHit, field_names(LeadSearchHit)),
    empty_when=NOTHING_FOUND,
)


# --- lead_callback_info ---------------------------------------------------------------------


class CallbackTable(StrEnum):
    CURRENT = "CURRENT"
    ARCHIVE = "ARCHIVE"


class CallbackStatus(StrEnum):
    ACTIVE = "ACTIVE"
    INACTIVE = "INACTIVE"
    LIVE = "LIVE"


class SearchLocation(StrEnum):
    CURRENT = "CURRENT"
    ARCHIVE = "ARCHIVE"
    ALL = "ALL"


@dataclass(slots=True)
class Callback:
    lead_id: int
    callback_type: CallbackTable
    recipient: CallbackType
    callback_status: CallbackStatus
    lead_status: LeadStatus
    callback_date: datetime | None
    entry_date: datetime | None
    user: UserId | None
    list_id: int
    campaign_id: CampaignId | None
    user_group: GroupId | None
    customer_timezone: str | None
    customer_time: datetime | None
    comments: str | None


class LeadCallbackInfoParams(TableParams):
    newline_stage = True

    lead_id: LeadId
    search_location: SearchLocation | None = None


class CallbacksResult(TableResult):
    records: tuple[InstanceOf[Callback], ...] = ()


LEAD_CALLBACK_INFO = add(
    "lead_callback_info",
    "leads.callback_info",
    "a lead's scheduled callbacks, oldest first",
    LeadCallbackInfoParams,
    CallbacksResult,
    table_parser(CallbacksResult, Callback, field_names(Callback), single=True),
)


# --- callid_info ----------------------------------------------------------------------------


@dataclass(slots=True)
class CallInfo:
    call_id: CallId
    custtime: Seconds
    # Only with detail=YES, in the order a 2.14 server prints them (its docs differ).
    call_date: datetime | None = None
    phone: PhoneNumber | None = None
    call_type: Code | None = None  # OUTBOUND_MANUAL, ...
    campaign_id: CampaignId | None = None
    list_id: int | None = None
    status: LeadStatus | None = None
    user: UserId | None = None


class CallidInfoParams(TableParams):
    call_id: CallIdText
    detail: YesNo | None = None


class CallInfoResult(TableResult):
    records: tuple[InstanceOf[CallInfo], ...] = ()

    @property
    def call(self) -> CallInfo:
        return self.records[0]


def _callid_columns(params: CallidInfoParams) -> tuple[str, ...]:
    names = field_names(CallInfo)
    return names if params.detail else names[:2]


CALLID_INFO = add(
    "callid_info",
    "leads.callid_info",
    "a call's customer talk time and, with detail, its campaign, list, status and agent",
    CallidInfoParams,
    CallInfoResult,
    table_parser(CallInfoResult, CallInfo, _callid_columns, single=True),
)


# --- lead functions that change things (add, update, batch_update, dearchive) ---------------


class LeadColumns(Params):
    """Lead columns add_lead, update_lead and batch_update_lead write, with ViciDial's limits."""

    vendor_lead_code: Annotated[str, StringConstraints(min_length=1, max_length=20)] | None = None
    source_id: Annotated[str, StringConstraints(min_length=1, max_length=50)] | None = None
    gmt_offset_now: (
        Annotated[str, StringConstraints(pattern=r"^[+-]?\d{1,2}(\.\d{1,2})?$")] | None
    ) = None
    title: Annotated[str, StringConstraints(min_length=1, max_length=4)] | None = None
    first_name: Annotated[str, StringConstraints(min_length=1, max_length=30)] | None = None
    middle_initial: Annotated[str, StringConstraints(min_length=1, max_length=1)] | None = None
    last_name: Annotated[str, StringConstraints(min_length=1, max_length=30)] | None = None
    address1: Annotated[str, StringConstraints(min_length=1, max_length=100)] | None = None
    address2: Annotated[str, StringConstraints(min_length=1, max_length=100)] | None = None
    address3: Annotated[str, StringConstraints(min_length=1, max_length=100)] | None = None
    city: Annotated[str, StringConstraints(min_length=1, max_length=50)] | None = None
    state: Annotated[str, StringConstraints(min_length=2, max_length=2)] | None = None
    province: Annotated[str, StringConstraints(min_length=1, max_length=50)] | None = None
    postal_code: Annotated[str, StringConstraints(min_length=1, max_length=10)] | None = None
    country_code: Annotated[str, StringConstraints(min_length=3, max_length=3)] | None = None
    gender: Gender | None = None
    date_of_birth: WireDate | None = None
    alt_phone: Annotated[str, StringConstraints(min_length=1, max_length=12)] | None = None
    email: Annotated[str, StringConstraints(min_length=1, max_length=70)] | None = None
    security_phrase: Annotated[str, StringConstraints(min_length=1, max_length=100)] | None = None
    comments: Annotated[str, StringConstraints(min_length=1, max_length=255)] | None = None
    rank: Annotated[int, Field(ge=-99999, le=99999)] | None = None
    owner: Annotated[str, StringConstraints(min_length=1, max_length=20)] | None = None


class DncCheck(StrEnum):
    Y = "Y"
    N = "N"
    AREACODE = "AREACODE"


class TzMethod(StrEnum):
    POSTAL = "POSTAL"
    TZCODE = "TZCODE"
    NANPA = "NANPA"


# A list id: 3 to 12 digits.
ListNumber = Annotated[int, Field(ge=100, le=999_999_999_999)]
# YYYY-MM-DD HH:MM:SS (ViciDial documents it with the '+' a URL makes of the space), or NOW.
CallbackWhen = WireDateTime | Literal["NOW"]
_CUSTOM_NAME = re.compile(r"^[a-z][a-z0-9_]{0,49}$")


class CustomFieldsParams(Params):
    """Functions that take a list's custom fields as extra parameters when custom_fields=Y."""

    model_config = ConfigDict(extra="allow")

    custom_fields: YN | None = None

    @model_validator(mode="after")
    def _custom_only_when_asked(self) -> CustomFieldsParams:
        extra = self.model_extra or {}
        if extra and not self.custom_fields:
            raise ValueError(
                f"unknown parameter(s) {', '.join(sorted(extra))} (custom fields are sent only "
                "with custom_fields=Y)"
            )
        for name, value in extra.items():
            if not _CUSTOM_NAME.match(name) or not isinstance(value, str | int | float):
                raise ValueError(f"custom field {name!r} must be a field label with a text value")
        return self


class CallbackParams(Params):
    callback_status: Annotated[str, StringConstraints(min_length=1, max_length=6)] | None = None
    callback_datetime: CallbackWhen | None = None
    callback_type: CallbackType | None = None
    callback_user: Annotated[str, StringConstraints(min_length=1, max_length=20)] | None = None
    callback_comments: Annotated[str, StringConstraints(max_length=255)] | None = None
    campaign_id: Annotated[str, StringConstraints(min_length=2, max_length=8)] | None = None


class AddLeadParams(LeadColumns, CustomFieldsParams, CallbackParams):
    model_config = ConfigDict(extra="allow")  # custom fields; checked by CustomFieldsParams

    phone_number: Annotated[str, StringConstraints(pattern=r"^\d{6,16}$")]
    phone_code: Annotated[str, StringConstraints(pattern=r"^\d{1,4}$")] | None = None
    list_id: ListNumber | None = None
    dnc_check: DncCheck | None = None
    campaign_dnc_check: DncCheck | None = None
    add_to_hopper: YN | None = None
    hopper_priority: Annotated[int, Field(ge=-99, le=99)] | None = None
    hopper_local_call_time_check: YN | None = None
    # Several checks joined by "-", such as DUPPHONEALTLIST-DUPNAMEPHONELIST.
    duplicate_check: Annotated[str, StringConstraints(pattern=r"^[A-Z]+(-[A-Z]+)*$")] | None = None
    usacan_prefix_check: YN | None = None
    usacan_areacode_check: YN | None = None
    nanpa_ac_prefix_check: YN | None = None
    tz_method: TzMethod | None = None
    callback: YN | None = None
    lookup_state: YN | None = None
    list_exists_check: YN | None = None
    multi_alt_phones: Annotated[str, StringConstraints(min_length=5, max_length=1024)] | None = None
    entry_list_id: ListNumber | None = None

    @model_validator(mode="after")
    def _callback_needs(self) -> AddLeadParams:
        if self.callback and not (self.campaign_id and self.callback_datetime):
            raise ValueError("callback=Y needs campaign_id and callback_datetime")
        return self


class SearchMethod(StrEnum):
    LEAD_ID = "LEAD_ID"
    VENDOR_LEAD_CODE = "VENDOR_LEAD_CODE"
    PHONE_NUMBER = "PHONE_NUMBER"


class LeadSearchLocation(StrEnum):
    SYSTEM = "SYSTEM"
    LIST = "LIST"
    CAMPAIGN = "CAMPAIGN"


class UpdateLeadParams(LeadColumns, CustomFieldsParams, CallbackParams):
    model_config = ConfigDict(extra="allow")  # custom fields; checked by CustomFieldsParams

    lead_id: LeadId | None = None
    phone_number: Annotated[str, StringConstraints(pattern=r"^\d{6,16}$")] | None = None
    # One or more of LEAD_ID, VENDOR_LEAD_CODE, PHONE_NUMBER joined by "_".
    search_method: (
        Annotated[
            str,
            StringConstraints(
                pattern=r"^(LEAD_ID|VENDOR_LEAD_CODE|PHONE_NUMBER)(_(LEAD_ID|VENDOR_LEAD_CODE|PHONE_NUMBER))*$"
            ),
        ]
        | None
    ) = None
    search_location: LeadSearchLocation | None = None
    insert_if_not_found: YN | None = None
    records: Annotated[int, Field(ge=1)] | None = None
    no_update: YN | None = None
    delete_lead: YN | None = None
    delete_cf_data: YN | None = None
    reset_lead: YN | None = None
    callback: Literal["Y", "N", "REMOVE"] | None = None
    update_phone_number: YN | None = None
    add_to_hopper: YN | None = None
    remove_from_hopper: YN | None = None
    hopper_priority: Annotated[int, Field(ge=-99, le=99)] | None = None
    hopper_local_call_time_check: YN | None = None
    list_exists_check: YN | None = None
    archived_lead: YN | None = None
    user_field: Annotated[str, StringConstraints(min_length=1, max_length=20)] | None = None
    list_id_field: ListNumber | None = None
    list_id: ListNumber | None = None
    status: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9]{1,6}$")] | None = None
    called_count: Annotated[int, Field(ge=0)] | None = None
    phone_code: Annotated[str, StringConstraints(pattern=r"^\d{1,4}$")] | None = None
    entry_list_id: ListNumber | None = None
    force_entry_list_id: ListNumber | None = None

    @model_validator(mode="after")
    def _some_key(self) -> UpdateLeadParams:
        if self.lead_id is None and not self.vendor_lead_code and not self.phone_number:
            raise ValueError("lead_id, vendor_lead_code or phone_number is required")
        return self


class BatchUpdateLeadParams(LeadColumns):
    lead_ids: Annotated[list[LeadId], BeforeValidator(split_text(",")), Field(min_length=1)]
    # The server updates at most this many of the ids (100 when not sent).
    records: Annotated[int, Field(ge=1)] | None = None
    list_exists_check: YN | None = None
    reset_lead: YN | None = None
    archived_lead: YN | None = None
    user_field: Annotated[str, StringConstraints(min_length=1, max_length=20)] | None = None
    list_id_field: ListNumber | None = None
    status: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9]{1,6}$")] | None = None
    called_count: Annotated[int, Field(ge=0)] | None = None


class LeadDearchiveParams(Params):
    lead_id: LeadId


class LeadAdded(UserDone):
    phone_number: str
    list_id: int
    lead_id: int
    gmt_offset: float


class AddedToHopper(UserDone):
    phone_number: str | None = None
    lead_id: int | None = None
    hopper_id: int | None = None


class CustomFieldsDone(UserDone):
    phone_number: str | None = None
    lead_id: int | None = None
    list_id: int | None = None


class LeadChanged(UserDone):
    """A lead updated or deleted."""

    lead_id: int | None = None


class CallbackScheduled(Done):
    lead_id: int | None = None
    campaign_id: str | None = None
    callback_time: datetime | None = None
    callback_type: CallbackType | None = None
    callback_user: str | None = None
    status: str | None = None


class LeadsMatched(UserDone):
    """update_lead's search outcome: what matched (LEADS FOUND) or nothing (NO MATCHES)."""

    lead_ids: Annotated[tuple[int, ...], BeforeValidator(split_text(","))] = ()
    vendor_lead_code: str | None = None
    phone_number: str | None = None
    list_id: int | None = None


def _ids(values: dict[str, object]) -> dict[str, object]:
    # positional() gives None for an empty field; the id list wants "none".
    if values.get("lead_ids") is None:
        values.pop("lead_ids", None)
    return values


_LEAD_LINES = (
    Shape(
        r"LEAD HAS BEEN ADDED",
        LeadAdded,
        ("phone_number", "list_id", "lead_id", "gmt_offset", "user"),
    ),
    Shape(r"ADDED TO HOPPER", AddedToHopper, ("phone_number", "lead_id", "hopper_id", "user")),
    Shape(r"CUSTOM FIELDS VALUES ADDED", CustomFieldsDone, ("phone_number", "lead_id", "list_id")),
    Shape(r"CUSTOM FIELDS VALUES UPDATED", CustomFieldsDone, (None, "lead_id", "list_id")),
    Shape(r"CUSTOM FIELDS DATA HAS BEEN DELETED", CustomFieldsDone, ("user", "lead_id", "list_id")),
    Shape(r"LEAD HAS BEEN UPDATED", LeadChanged, ("user", "lead_id")),
    # "LEAD HAS BEEN DELETED 0|0 - 6666|29|...": ViciDial prints counts inside the reason.
    Shape(r"LEAD HAS BEEN DELETED.*", LeadChanged, ("user", "lead_id")),
    Shape(
        r"SCHEDULED CALLBACK (ADDED|UPDATED)",
        CallbackScheduled,
        ("lead_id", "campaign_id", "callback_time", "callback_type", "callback_user", "status"),
    ),
    Shape(
        r"(LEADS FOUND|NO MATCHES FOUND) IN THE SYSTEM",
        LeadsMatched,
        (None, "user", "lead_ids", "vendor_lead_code", "phone_number", "list_id"),
        fix=_ids,
    ),
)


class AddLeadResult(WriteResult):
    """The new lead, from add_lead's SUCCESS line (phone|list_id|lead_id|gmt|user)."""

    phone_number: str
    list_id: int
    lead_id: int
    gmt_offset: float
    user: str | None


class UpdateLeadResult(WriteResult):
    @property
    def lead_ids(self) -> tuple[int, ...]:
        """Leads updated, deleted or (insert_if_not_found) added, in the dialer's order."""
        return tuple(
            o.lead_id
            for o in self.outcomes
            if isinstance(o, LeadChanged | LeadAdded) and o.lead_id is not None
        )


class BatchUpdateDone(UserDone):
    updated: int | None = None
    lead_ids: Annotated[tuple[int, ...], BeforeValidator(split_text(","))] = ()


class BatchUpdateLeadResult(WriteResult):
    user: str | None = None
    updated: int | None = None
    lead_ids: tuple[int, ...] = ()


class DearchiveResult(WriteResult):
    user: str | None = None
    lead_id: int | None = None


ADD_LEAD = add(
    "add_lead",
    "leads.add",
    "add a lead to a list (custom fields with custom_fields=Y)",
    AddLeadParams,
    AddLeadResult,
    outcome_parser(AddLeadResult, *_LEAD_LINES, main=LeadAdded),
    reads=False,
)
UPDATE_LEAD = add(
    "update_lead",
    "leads.update",
    "update, delete, find or insert leads",
    UpdateLeadParams,
    UpdateLeadResult,
    outcome_parser(UpdateLeadResult, *_LEAD_LINES),
    # no_update=Y only looks the leads up.
    reads=lambda params: bool(params.no_update) and not params.add_to_hopper,
)
BATCH_UPDATE_LEAD = add(
    "batch_update_lead",
    "leads.batch_update",
    "set the same values on many leads (at most `records` of them, 100 by default)",
    BatchUpdateLeadParams,
    BatchUpdateLeadResult,
    outcome_parser(
        BatchUpdateLeadResult,
        # "6666|2|2|25,24": the second count's meaning is not documented; it stays in details.
        Shape(
            r"LEADS HAVE BEEN UPDATED",
            BatchUpdateDone,
            ("user", "updated", None, "lead_ids"),
            fix=_ids,
        ),
        main=BatchUpdateDone,
    ),
    reads=False,
)
LEAD_DEARCHIVE = add(
    "lead_dearchive",
    "leads.dearchive",
    "move a lead from the archive back to the active leads",
    LeadDearchiveParams,
    DearchiveResult,
    outcome_parser(
        DearchiveResult,
        Shape(r"LEAD DE-ARCHIVED", LeadChanged, ("user", "lead_id")),
        main=LeadChanged,
    ),
    reads=False,
)


class Leads(Domain):
    """``admin.leads``."""

    async def field_info(
        self,
        lead_id: int,
        field_name: str,
        *,
        custom_fields: bool | None = None,
        list_id: int | None = None,
        archived_lead: bool | None = None,
    ) -> LeadFieldValue:
        return await self._run(
            LEAD_FIELD_INFO,
            lead_id=lead_id,
            field_name=field_name,
            custom_fields=custom_fields,
            list_id=list_id,
            archived_lead=archived_lead,
        )

    async def all_info(
        self,
        lead_id: int | None = None,
        *,
        phone_number: str | None = None,
        custom_fields: bool | None = None,
        force_entry_list_id: int | None = None,
        archived_lead: bool | None = None,
        **table: Unpack[TableOptions],
    ) -> LeadsResult:
        return await self._run(
            LEAD_ALL_INFO,
            lead_id=lead_id,
            phone_number=phone_number,
            custom_fields=custom_fields,
            force_entry_list_id=force_entry_list_id,
            archived_lead=archived_lead,
            **table,
        )

    async def callback_info(
        self,
        lead_id: int,
        *,
        search_location: SearchLocation | None = None,
        **table: Unpack[TableOptions],
    ) -> CallbacksResult:
        return await self._run(
            LEAD_CALLBACK_INFO, lead_id=lead_id, search_location=search_location, **table
        )

    async def search(
        self,
        phone_numbers: list[str],
        *,
        records: int | None = None,
        archived_lead: bool | None = None,
        header: bool | None = None,
    ) -> LeadSearchResult:
        return await self._run(
            LEAD_SEARCH,
            phone_number=phone_numbers,
            records=records,
            archived_lead=archived_lead,
            header=header,
        )

    async def status_search(
        self,
        status: str,
        date: date | str,
        *,
        custom_fields: bool | None = None,
        list_id: int | None = None,
        archived_lead: bool | None = None,
    ) -> LeadsResult:
        return await self._run(
            LEAD_STATUS_SEARCH,
            status=status,
            date=date,
            custom_fields=custom_fields,
            list_id=list_id,
            archived_lead=archived_lead,
        )

    async def ccc_info(self, call_id: str, **table: Unpack[TableOptions]) -> LeadsResult:
        return await self._run(CCC_LEAD_INFO, call_id=call_id, **table)

    async def callid_info(
        self, call_id: str, *, detail: bool | None = None, **table: Unpack[TableOptions]
    ) -> CallInfoResult:
        return await self._run(CALLID_INFO, call_id=call_id, detail=detail, **table)

    async def add(
        self, phone_number: str, *, list_id: int | None = None, **fields: Any
    ) -> AddLeadResult:
        """Add a lead; ``fields`` are add_lead's official parameters (custom fields too, with
        ``custom_fields=True``)."""
        return await self._run(ADD_LEAD, phone_number=phone_number, list_id=list_id, **fields)

    async def update(self, lead_id: int | None = None, **fields: Any) -> UpdateLeadResult:
        """Update (or find, delete, insert) leads; ``fields`` are update_lead's parameters."""
        return await self._run(UPDATE_LEAD, lead_id=lead_id, **fields)

    async def batch_update(self, lead_ids: list[int], **fields: Any) -> BatchUpdateLeadResult:
        """One batch_update_lead call, ``records`` set to the number of ids so none is left out
        (ViciDial updates only ``records`` leads, 100 when not sent). For more ids than one
        request should carry, use ``integrations.vicidial.admin.batch.batch_update_leads``."""
        fields.setdefault("records", len(lead_ids))
        return await self._run(BATCH_UPDATE_LEAD, lead_ids=lead_ids, **fields)

    async def dearchive(self, lead_id: int) -> DearchiveResult:
        return await self._run(LEAD_DEARCHIVE, lead_id=lead_id)
