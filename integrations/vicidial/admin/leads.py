"""The non-agent API's lead functions that read: one field, whole leads, callbacks, searches."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Unpack

from pydantic import Field, InstanceOf, StringConstraints

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
from integrations.vicidial.agent.enums import CallbackType
from integrations.vicidial.errors import ViciProtocolError
from integrations.vicidial.lines import Reply
from integrations.vicidial.models import YN, Params, Result, WireDate, YesNo

LeadId = Annotated[int, Field(gt=0)]
ListId = Annotated[int, Field(gt=0)]
CallIdText = Annotated[str, StringConstraints(min_length=16, max_length=40)]
Phone = Annotated[str, StringConstraints(pattern=r"^\d{6,19}$")]


class Gender(StrEnum):
    M = "M"
    F = "F"
    U = "U"


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
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
