"""The non-agent API's list functions that read: list summary and custom fields."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Literal, Unpack

from pydantic import Field, InstanceOf

from integrations.vicidial.admin.functions import Domain, add
from integrations.vicidial.admin.records import CampaignId, Via, field_names, read_words
from integrations.vicidial.admin.tables import TableOptions, TableParams, TableResult, table_parser
from integrations.vicidial.models import YN

ListId = Annotated[int, Field(gt=0)]


@dataclass(slots=True)
class ListInfo:
    list_id: int
    list_name: str | None
    campaign_id: CampaignId | None
    active: bool
    list_changedate: datetime | None
    list_lastcalldate: datetime | None
    expiration_date: date | None
    resets_today: int
    # Only with leads_counts, then dialable_count.
    all_leads_count: int | None = None
    new_leads_count: int | None = None
    dialable_count: int | None = None


class ListInfoParams(TableParams):
    list_id: ListId
    leads_counts: YN | None = None
    dialable_count: YN | None = None
    archived_lead: YN | None = None


class ListInfoResult(TableResult):
    records: tuple[InstanceOf[ListInfo], ...] = ()

    @property
    def list(self) -> ListInfo:
        return self.records[0]


def _list_info_columns(params: ListInfoParams) -> tuple[str, ...]:
    left_out = []
    if not params.leads_counts:
        left_out += ["all_leads_count", "new_leads_count"]
    if not params.dialable_count:
        left_out.append("dialable_count")
    return field_names(ListInfo, without=left_out)


LIST_INFO = add(
    "list_info",
    "lists.info",
    "a list's settings, optionally with its lead counts",
    ListInfoParams,
    ListInfoResult,
    table_parser(ListInfoResult, ListInfo, _list_info_columns, single=True),
)


@dataclass(slots=True)
class ListCustomFields:
    list_id: int
    list_name: str | None
    campaign_id: CampaignId | None
    active: bool
    list_changedate: datetime | None
    list_lastcalldate: datetime | None
    custom_fields_list_space_delimited: Annotated[tuple[str, ...], Via(read_words(" "))]


class ListCustomFieldsParams(TableParams):
    list_id: ListId | Literal["---ALL---"]
    custom_order: Literal["table_order", "alpha_up", "alpha_down"] | None = None


class ListCustomFieldsResult(TableResult):
    records: tuple[InstanceOf[ListCustomFields], ...] = ()


LIST_CUSTOM_FIELDS = add(
    "list_custom_fields",
    "lists.custom_fields",
    "the custom field names of one list or of every list",
    ListCustomFieldsParams,
    ListCustomFieldsResult,
    table_parser(ListCustomFieldsResult, ListCustomFields, field_names(ListCustomFields)),
)


class Lists(Domain):
    """``admin.lists``."""

    async def info(
        self,
        list_id: int,
        *,
        leads_counts: bool | None = None,
        dialable_count: bool | None = None,
        archived_lead: bool | None = None,
        **table: Unpack[TableOptions],
    ) -> ListInfoResult:
        return await self._run(
            LIST_INFO,
            list_id=list_id,
            leads_counts=leads_counts,
            dialable_count=dialable_count,
            archived_lead=archived_lead,
            **table,
        )

    async def custom_fields(
        self,
        list_id: int | None = None,
        *,
        custom_order: Literal["table_order", "alpha_up", "alpha_down"] | None = None,
        **table: Unpack[TableOptions],
    ) -> ListCustomFieldsResult:
        """Custom fields of ``list_id``, or of every list when it is None."""
        return await self._run(
            LIST_CUSTOM_FIELDS,
            list_id="---ALL---" if list_id is None else list_id,
            custom_order=custom_order,
            **table,
        )
