"""The non-agent API's reports: recordings, DID and phone logs, agent and call statistics."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Literal, Unpack

from pydantic import BaseModel, ConfigDict, Field, InstanceOf, StringConstraints

from integrations.vicidial.admin.functions import NOTHING_FOUND, Domain, add
from integrations.vicidial.admin.records import (
    CampaignId,
    Code,
    GroupId,
    LeadStatus,
    Percent,
    PhoneNumber,
    Seconds,
    Table,
    UserId,
    Via,
    field_names,
    layout,
    read_table,
)
from integrations.vicidial.admin.tables import (
    Bit,
    CommaList,
    DashList,
    TableOptions,
    TableParams,
    TableResult,
    Text20,
    table_parser,
    table_result,
)
from integrations.vicidial.lines import Reply
from integrations.vicidial.models import YN, Params, WireDate, WireDateTime, YesNo, identifier
from integrations.vicidial.registry import REPORT_TIMEOUT

# --- recording_lookup -----------------------------------------------------------------------


@dataclass(slots=True)
class Recording:
    start_time: datetime
    user: UserId | None
    recording_id: int
    lead_id: int | None
    location: str | None
    # Only with duration=Y, where ViciDial prints it before the location (not in the header).
    duration: Seconds | None = None


class RecordingLookupParams(TableParams):
    agent_user: Text20 | None = None
    lead_id: Annotated[int, Field(gt=0)] | None = None
    date: WireDate | None = None
    uniqueid: Annotated[str, StringConstraints(min_length=1, max_length=50)] | None = None
    extension: Annotated[str, StringConstraints(min_length=3, max_length=100)] | None = None
    duration: YN | None = None


class RecordingsResult(TableResult):
    records: tuple[InstanceOf[Recording], ...] = ()


def _recording_columns(params: RecordingLookupParams) -> tuple[str, ...]:
    names = field_names(Recording, without=("duration",))
    return (*names[:-1], "duration", names[-1]) if params.duration else names


RECORDING_LOOKUP = add(
    "recording_lookup",
    "reporting.recording_lookup",
    "recordings by agent, lead, date, uniqueid or extension",
    RecordingLookupParams,
    RecordingsResult,
    table_parser(RecordingsResult, Recording, _recording_columns),
    timeout=REPORT_TIMEOUT,
    empty_when=NOTHING_FOUND,
)


# --- did_log_export -------------------------------------------------------------------------


@dataclass(slots=True)
class DidCall:
    did_number: PhoneNumber
    caller_id_number: PhoneNumber | None
    call_date: datetime
    length_in_sec: int


class DidLogExportParams(TableParams):
    phone_number: Annotated[str, StringConstraints(min_length=2, max_length=20)]
    date: WireDate


class DidCallsResult(TableResult):
    records: tuple[InstanceOf[DidCall], ...] = ()


DID_LOG_EXPORT = add(
    "did_log_export",
    "reporting.did_log_export",
    "the inbound calls of one DID on one day",
    DidLogExportParams,
    DidCallsResult,
    # The header says did_number, call_date, caller_id_number; the rows say otherwise.
    table_parser(DidCallsResult, DidCall, field_names(DidCall)),
    timeout=REPORT_TIMEOUT,
    empty_when=NOTHING_FOUND,
)


# --- phone_number_log -----------------------------------------------------------------------


class HangupReason(StrEnum):
    CALLER = "CALLER"
    AGENT = "AGENT"
    QUEUETIMEOUT = "QUEUETIMEOUT"
    ABANDON = "ABANDON"
    AFTERHOURS = "AFTERHOURS"
    NONE = "NONE"
    SYSTEM = "SYSTEM"
    HOLDRECALLXFER = "HOLDRECALLXFER"
    HOLDTIME = "HOLDTIME"
    NOAGENT = "NOAGENT"
    MAXCALLS = "MAXCALLS"
    ACFILTER = "ACFILTER"
    CLOSETIME = "CLOSETIME"


@dataclass(slots=True)
class PhoneCall:
    phone_number: PhoneNumber
    call_date: datetime
    list_id: int | None
    length_in_sec: int
    lead_status: LeadStatus | None
    hangup_reason: HangupReason | None
    call_status: LeadStatus | None
    source_id: Code | None
    user: UserId | None


class PhoneNumberLogParams(TableParams):
    phone_number: CommaList
    detail: Literal["ALL", "LAST"] | None = None
    type: Literal["IN", "OUT", "ALL"] | None = None
    archived_lead: YN | None = None


class PhoneCallsResult(TableResult):
    records: tuple[InstanceOf[PhoneCall], ...] = ()


PHONE_NUMBER_LOG = add(
    "phone_number_log",
    "reporting.phone_number_log",
    "the calls placed to (or received from) one or more phone numbers",
    PhoneNumberLogParams,
    PhoneCallsResult,
    table_parser(PhoneCallsResult, PhoneCall, field_names(PhoneCall)),
    timeout=REPORT_TIMEOUT,
    empty_when=NOTHING_FOUND,
)


# --- agent_stats_export ---------------------------------------------------------------------


@dataclass(slots=True)
class AgentStats:
    """One agent's activity; every duration in seconds whatever ``time_format`` was asked."""

    user: UserId
    full_name: str | None
    user_group: GroupId | None
    calls: int
    login_time: Seconds
    total_talk_time: Seconds
    avg_talk_time: Seconds
    avg_wait_time: Seconds
    pct_of_queue: Percent
    pause_time: Seconds
    sessions: int
    avg_session: Seconds
    pauses: int
    avg_pause_time: Seconds
    pause_pct: Percent
    pauses_per_session: float
    wait_time: Seconds
    talk_time: Seconds
    dispo_time: Seconds
    dead_time: Seconds
    # Only with group_by_campaign, where it is the first column.
    campaign_id: CampaignId | None = None


class AgentStatsExportParams(TableParams):
    datetime_start: WireDateTime
    datetime_end: WireDateTime
    agent_user: Text20 | None = None
    campaign_id: Text20 | None = None
    time_format: Literal["H", "HF", "M", "S"] | None = None
    group_by_campaign: YesNo | None = None


class AgentStatsResult(TableResult):
    records: tuple[InstanceOf[AgentStats], ...] = ()


def _agent_stats_columns(params: AgentStatsExportParams) -> tuple[str, ...]:
    names = field_names(AgentStats, without=("campaign_id",))
    return ("campaign_id", *names) if params.group_by_campaign else names


AGENT_STATS_EXPORT = add(
    "agent_stats_export",
    "reporting.agent_stats_export",
    "agents' time and call statistics over a period",
    AgentStatsExportParams,
    AgentStatsResult,
    table_parser(AgentStatsResult, AgentStats, _agent_stats_columns),
    timeout=REPORT_TIMEOUT,
    empty_when=NOTHING_FOUND,
)


# --- call_status_stats ----------------------------------------------------------------------


def _counts(text: str) -> dict[str, int]:
    """``A-1,B-2`` as {"A": 1, "B": 2}; a status may itself hold a dash, the count cannot."""
    counts: dict[str, int] = {}
    for item in text.strip().split(","):
        if item:
            name, sep, count = item.rpartition("-")
            if not sep:
                raise ValueError(f"not a name-count pair: {item[:40]!r}")
            counts[name] = int(count)
    return counts


def _hourly(text: str) -> dict[int, int]:
    return {int(hour): count for hour, count in _counts(text).items()}


@dataclass(slots=True)
class CallStatusStats:
    """Calls of one campaign or in-group on one day, by hour and by status."""

    campaign_id: GroupId
    total_calls: int
    human_answered_calls: int
    hourly_breakdown: Annotated[dict[int, int], Via(_hourly)]
    status_breakdown: Annotated[dict[LeadStatus, int], Via(_counts)]


class CallStatusStatsParams(Params):
    campaigns: DashList
    query_date: WireDate | None = None
    ingroups: DashList | None = None
    statuses: DashList | None = None


class CallStatusStatsResult(TableResult):
    records: tuple[InstanceOf[CallStatusStats], ...] = ()


def _call_status_stats(reply: Reply, _params: CallStatusStatsParams) -> CallStatusStatsResult:
    table = read_table(reply.rows, layout(CallStatusStats, field_names(CallStatusStats)))
    return table_result(CallStatusStatsResult, reply, table)


CALL_STATUS_STATS = add(
    "call_status_stats",
    "reporting.call_status_stats",
    "calls per campaign and in-group on a day, by hour and by status",
    CallStatusStatsParams,
    CallStatusStatsResult,
    _call_status_stats,
    timeout=REPORT_TIMEOUT,
)


# --- call_dispo_report ----------------------------------------------------------------------


class Share(BaseModel):
    """A status count, with its share of the row's calls when show_percentages was asked."""

    model_config = ConfigDict(frozen=True)

    count: int
    percent: float | None = None

    @classmethod
    def read(cls, text: str) -> Share:
        count, _, rest = text.strip().partition(" ")
        percent = rest.strip().removeprefix("(").removesuffix(")").removesuffix("%")
        return cls(count=int(count), percent=float(percent) if percent else None)


class DispoRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    campaign: GroupId
    total_calls: int
    statuses: dict[LeadStatus, Share] = {}


class CallDispoReportParams(Params):
    campaigns: DashList | None = None
    ingroups: DashList | None = None
    did_patterns: DashList | None = None
    did_ids: DashList | None = None
    query_date: WireDate | None = None
    end_date: WireDate | None = None
    statuses: DashList | None = None
    categories: DashList | None = None
    users: DashList | None = None
    status_breakdown: Bit | None = None
    show_percentages: Bit | None = None
    file_download: Bit | None = None


class CallDispoReport(TableResult):
    """Per-group rows in ``records``; the TOTAL row apart in ``total``."""

    records: tuple[DispoRow, ...] = ()
    total: DispoRow | None = None


def _call_dispo_report(reply: Reply, _params: CallDispoReportParams) -> CallDispoReport:
    rows = [row.split(",") for row in reply.rows]
    if not rows:
        return table_result(CallDispoReport, reply, Table([]))
    head, *body = rows
    names = tuple(identifier(name) for name in head)
    if names[1:2] != ("total_calls",):
        raise ValueError("not a disposition report: no TOTAL CALLS column")
    statuses = [name.strip() for name in head[2:]]
    records: list[DispoRow] = []
    total: DispoRow | None = None
    for row in body:
        if len(row) != len(head):
            raise ValueError("a row does not match the header")
        values = {status: Share.read(cell) for status, cell in zip(statuses, row[2:], strict=True)}
        item = DispoRow(campaign=row[0].strip(), total_calls=int(row[1]), statuses=values)
        if row[0].strip() == "TOTAL":
            total = item
        else:
            records.append(item)
    return table_result(CallDispoReport, reply, Table(records, names), total=total)


CALL_DISPO_REPORT = add(
    "call_dispo_report",
    "reporting.call_dispo_report",
    "calls per campaign, in-group or DID over dates, by disposition",
    CallDispoReportParams,
    CallDispoReport,
    _call_dispo_report,
    timeout=REPORT_TIMEOUT,
)


class Reporting(Domain):
    """``admin.reporting``."""

    async def recording_lookup(
        self,
        *,
        agent_user: str | None = None,
        lead_id: int | None = None,
        date: date | str | None = None,
        uniqueid: str | None = None,
        extension: str | None = None,
        duration: bool | None = None,
        **table: Unpack[TableOptions],
    ) -> RecordingsResult:
        return await self._run(
            RECORDING_LOOKUP,
            agent_user=agent_user,
            lead_id=lead_id,
            date=date,
            uniqueid=uniqueid,
            extension=extension,
            duration=duration,
            **table,
        )

    async def did_log_export(
        self, phone_number: str, date: date | str, **table: Unpack[TableOptions]
    ) -> DidCallsResult:
        return await self._run(DID_LOG_EXPORT, phone_number=phone_number, date=date, **table)

    async def phone_number_log(
        self,
        phone_numbers: list[str],
        *,
        detail: Literal["ALL", "LAST"] | None = None,
        type: Literal["IN", "OUT", "ALL"] | None = None,
        archived_lead: bool | None = None,
        **table: Unpack[TableOptions],
    ) -> PhoneCallsResult:
        return await self._run(
            PHONE_NUMBER_LOG,
            phone_number=phone_numbers,
            detail=detail,
            type=type,
            archived_lead=archived_lead,
            **table,
        )

    async def agent_stats_export(
        self,
        datetime_start: datetime | str,
        datetime_end: datetime | str,
        *,
        agent_user: str | None = None,
        campaign_id: str | None = None,
        time_format: Literal["H", "HF", "M", "S"] | None = None,
        group_by_campaign: bool | None = None,
        **table: Unpack[TableOptions],
    ) -> AgentStatsResult:
        return await self._run(
            AGENT_STATS_EXPORT,
            datetime_start=datetime_start,
            datetime_end=datetime_end,
            agent_user=agent_user,
            campaign_id=campaign_id,
            time_format=time_format,
            group_by_campaign=group_by_campaign,
            **table,
        )

    async def call_status_stats(
        self,
        campaigns: list[str],
        *,
        query_date: date | str | None = None,
        ingroups: list[str] | None = None,
        statuses: list[str] | None = None,
    ) -> CallStatusStatsResult:
        return await self._run(
            CALL_STATUS_STATS,
            campaigns=campaigns,
            query_date=query_date,
            ingroups=ingroups,
            statuses=statuses,
        )

    async def call_dispo_report(
        self,
        *,
        campaigns: list[str] | None = None,
        ingroups: list[str] | None = None,
        did_patterns: list[str] | None = None,
        did_ids: list[str] | None = None,
        query_date: date | str | None = None,
        end_date: date | str | None = None,
        statuses: list[str] | None = None,
        categories: list[str] | None = None,
        users: list[str] | None = None,
        status_breakdown: bool | None = None,
        show_percentages: bool | None = None,
        file_download: bool | None = None,
    ) -> CallDispoReport:
        return await self._run(
            CALL_DISPO_REPORT,
            campaigns=campaigns,
            ingroups=ingroups,
            did_patterns=did_patterns,
            did_ids=did_ids,
            query_date=query_date,
            end_date=end_date,
            statuses=statuses,
            categories=categories,
            users=users,
            status_breakdown=status_breakdown,
            show_percentages=show_percentages,
            file_download=file_download,
        )
