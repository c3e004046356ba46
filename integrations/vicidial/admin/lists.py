"""The non-agent API's list functions: summary, custom fields, add, update, reset, delete."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal, TypedDict, Unpack

from pydantic import Field, InstanceOf, StringConstraints, model_validator

from integrations.vicidial.admin.functions import Domain, add
from integrations.vicidial.admin.records import CampaignId, Via, field_names, read_words
from integrations.vicidial.admin.tables import TableOptions, TableParams, TableResult, table_parser
from integrations.vicidial.admin.writes import (
    NO_UPDATES,
    Blank50,
    Blank255,
    Shape,
    UserDone,
    WriteResult,
    outcome_parser,
)
from integrations.vicidial.models import YN, Params, WireDate, YesNo

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


# --- add_list, update_list ------------------------------------------------------------------

# A list id written: 2 to 14 digits.
NewListId = Annotated[int, Field(ge=10, le=99_999_999_999_999)]
CampaignKey = Annotated[str, StringConstraints(min_length=2, max_length=8)]
Text10 = Annotated[str, StringConstraints(min_length=1, max_length=10)]
WebForm = Annotated[str, StringConstraints(min_length=6, max_length=100)]
Digits6To20 = Annotated[str, StringConstraints(pattern=r"^(--BLANK--|\d{6,20})$")]
# 24-hour times in groups of four digits: 0900-1700-2359.
ResetTime = Annotated[
    str, StringConstraints(pattern=r"^(--BLANK--|\d{4}(-\d{4})*)$", max_length=100)
]


class ListTzMethod(StrEnum):
    COUNTRY_AND_AREA_CODE = "COUNTRY_AND_AREA_CODE"
    POSTAL_CODE = "POSTAL_CODE"
    NANPA_PREFIX = "NANPA_PREFIX"
    OWNER_TIME_ZONE_CODE = "OWNER_TIME_ZONE_CODE"


class CopyMethod(StrEnum):
    """APPEND adds only missing fields (no data lost); UPDATE changes existing definitions;
    REPLACE deletes the list's custom field data and starts again."""

    APPEND = "APPEND"
    UPDATE = "UPDATE"
    REPLACE = "REPLACE"


class ListSettings(Params):
    """Settings add_list and update_list both take; --BLANK-- clears one in update_list."""

    active: YN | None = None
    list_description: Blank255 | None = None
    outbound_cid: Digits6To20 | None = None
    script: Text10 | None = None
    am_message: Annotated[str, StringConstraints(min_length=2, max_length=100)] | None = None
    drop_inbound_group: Text10 | None = None
    web_form_address: WebForm | None = None
    web_form_address_two: WebForm | None = None
    web_form_address_three: WebForm | None = None
    reset_time: ResetTime | None = None
    tz_method: ListTzMethod | None = None
    # A call time id, or "campaign" (the default) to use the campaign's.
    local_call_time: Annotated[str, StringConstraints(min_length=1, max_length=20)] | None = None
    expiration_date: WireDate | None = None
    xferconf_one: Blank50 | None = None
    xferconf_two: Blank50 | None = None
    xferconf_three: Blank50 | None = None
    xferconf_four: Blank50 | None = None
    xferconf_five: Blank50 | None = None
    # Copy the custom field definitions of another list (the API user needs Custom Fields
    # Modify).
    custom_fields_copy: NewListId | None = None
    custom_copy_method: CopyMethod | None = None


class NewList(Params):
    list_id: NewListId
    list_name: Annotated[str, StringConstraints(min_length=2, max_length=30)]
    campaign_id: CampaignKey


class AddListParams(ListSettings, NewList):
    pass


class FieldType(StrEnum):
    """Custom field types ViciDial's admin pages offer."""

    TEXT = "TEXT"
    AREA = "AREA"
    SELECT = "SELECT"
    MULTI = "MULTI"
    RADIO = "RADIO"
    CHECKBOX = "CHECKBOX"
    DATE = "DATE"
    TIME = "TIME"
    DISPLAY = "DISPLAY"
    SCRIPT = "SCRIPT"
    HIDDEN = "HIDDEN"
    HIDEBLOB = "HIDEBLOB"
    READONLY = "READONLY"
    SWITCH = "SWITCH"
    SOURCESELECT = "SOURCESELECT"
    BUTTON = "BUTTON"


class ShowHide(StrEnum):
    DISABLED = "DISABLED"
    X_OUT_ALL = "X_OUT_ALL"
    LAST_1 = "LAST_1"
    LAST_2 = "LAST_2"
    LAST_3 = "LAST_3"
    LAST_4 = "LAST_4"
    FIRST_1_LAST_4 = "FIRST_1_LAST_4"


FieldLabel = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_]{1,50}$")]
# Options are one per line ("1,One\n2,Two"): line breaks are allowed, and --BLANK-- clears.
FieldText = Annotated[str, StringConstraints(min_length=1, max_length=5000)]


class CustomFieldSettings(Params):
    """One custom field's definition, for custom_fields_add/update/delete."""

    field_label: FieldLabel | None = None
    field_name: Annotated[str, StringConstraints(min_length=1, max_length=5000)] | None = None
    field_size: Annotated[int, Field(ge=1, le=99999)] | None = None
    field_type: FieldType | None = None
    field_rank: Annotated[int, Field(ge=1, le=9999)] | None = None
    field_order: Annotated[int, Field(ge=1, le=9999)] | None = None
    field_rerank: YesNo | None = None
    field_max: Annotated[int, Field(ge=1, le=99999)] | None = None
    field_default: FieldText | None = None
    field_options: FieldText | None = None
    field_duplicate: YN | None = None
    field_description: FieldText | None = None
    field_help: FieldText | None = None
    field_required: YN | None = None
    multi_position: Literal["HORIZONTAL", "VERTICAL"] | None = None
    name_position: Literal["TOP", "LEFT"] | None = None
    field_encrypt: YN | None = None
    field_show_hide: ShowHide | None = None


_NEEDED_TO_ADD = ("field_label", "field_name", "field_size", "field_type", "field_rank")


class UpdateListParams(ListSettings, CustomFieldSettings):
    list_id: NewListId
    insert_if_not_found: YN | None = None
    # Clear the called-since-last-reset flag of every lead in the list.
    reset_list: YN | None = None
    delete_list: YN | None = None
    delete_leads: YN | None = None
    archived_lead: YN | None = None
    list_name: Annotated[str, StringConstraints(min_length=6, max_length=30)] | None = None
    campaign_id: CampaignKey | None = None
    custom_fields_add: YN | None = None
    custom_fields_update: YN | None = None
    custom_fields_delete: YN | None = None

    @model_validator(mode="after")
    def _custom_field_needs(self) -> UpdateListParams:
        if self.custom_fields_add:
            missing = [name for name in _NEEDED_TO_ADD if getattr(self, name) is None]
            if missing:
                raise ValueError(f"custom_fields_add=Y needs {', '.join(missing)}")
        if (self.custom_fields_update or self.custom_fields_delete) and not self.field_label:
            raise ValueError("custom_fields_update and custom_fields_delete need field_label")
        return self


class ListDone(UserDone):
    list_id: int | None = None


class ListAdded(ListDone):
    campaign_id: str | None = None


class LeadsCounted(ListDone):
    """A list deleted, or its leads reset or deleted; ``count`` as ViciDial prints it (lists
    deleted, or leads reset or deleted)."""

    count: int | None = None


class CustomFieldCommand(ListDone):
    """A custom field command sent to ViciDial's admin page, and what that page answered.

    ``succeeded`` is False when the page said ERROR; the API still prints it as a NOTICE.
    """

    field_label: str | None = None
    field_type: str | None = None
    source_list_id: int | None = None
    copy_method: CopyMethod | None = None
    answer: str | None = None

    @property
    def succeeded(self) -> bool:
        return (self.answer or "").upper().startswith("SUCCESS")


class ResetRefused(ListDone):
    """reset_list refused: the list reached its daily reset limit (``limit``, as printed)."""

    limit: str | None = None


def _reset_refused(values: dict[str, Any]) -> dict[str, Any]:
    # "LIST RESET FAILED, daily reset limit reached: 2 / 2 - 6666|1101": the line's first ": "
    # ends the reason, so the limit and the user arrive together in the first field.
    limit, _, user = str(values.pop("limit") or "").rpartition(" - ")
    return {**values, "limit": limit or None, "user": user or None}


class ListResult(WriteResult):
    user: str | None = None
    list_id: int | None = None


class AddListResult(ListResult):
    campaign_id: str | None = None


_LIST_LINES = (
    Shape(r"LIST HAS BEEN ADDED", ListAdded, ("user", "list_id", "campaign_id")),
    Shape(r"LIST HAS BEEN UPDATED", ListDone, ("user", "list_id")),
    Shape(
        r"(LIST HAS BEEN DELETED|LEADS IN LIST HAVE BEEN (RESET|DELETED))",
        LeadsCounted,
        ("user", "list_id", "count"),
    ),
    Shape(r"LIST RESET FAILED.*", ResetRefused, ("limit", "list_id"), fix=_reset_refused),
    # The captured answer has the source list after the list (the documented one does not).
    Shape(
        r"COPY CUSTOM FIELDS COMMAND SENT",
        CustomFieldCommand,
        ("user", "list_id", "source_list_id", "copy_method", "answer"),
    ),
    Shape(
        r"(ADD|UPDATE|DELETE) CUSTOM FIELD COMMAND SENT",
        CustomFieldCommand,
        ("user", "list_id", "field_label", "field_type", "answer"),
    ),
    # update_list sends an unknown list to add_list when insert_if_not_found=Y.
    Shape(r"LIST DOES NOT EXIST, SENDING TO add_list FUNCTION", ListDone, ("user", "list_id")),
    NO_UPDATES,
)

ADD_LIST = add(
    "add_list",
    "lists.add",
    "add a list to a campaign, optionally copying another list's custom fields",
    AddListParams,
    AddListResult,
    outcome_parser(AddListResult, *_LIST_LINES, main=ListAdded),
    reads=False,
)
UPDATE_LIST = add(
    "update_list",
    "lists.update",
    "change, reset or delete a list, or add, change, copy or delete its custom fields",
    UpdateListParams,
    ListResult,
    outcome_parser(ListResult, *_LIST_LINES, main=ListDone),
    reads=False,
)


class ListOptions(TypedDict, total=False):
    active: bool
    list_description: str
    outbound_cid: str
    script: str
    am_message: str
    drop_inbound_group: str
    web_form_address: str
    web_form_address_two: str
    web_form_address_three: str
    reset_time: str
    tz_method: ListTzMethod | str
    local_call_time: str
    expiration_date: date | str
    xferconf_one: str
    xferconf_two: str
    xferconf_three: str
    xferconf_four: str
    xferconf_five: str
    custom_fields_copy: int
    custom_copy_method: CopyMethod | str


class UpdateListOptions(ListOptions, total=False):
    insert_if_not_found: bool
    reset_list: bool
    delete_list: bool
    delete_leads: bool
    archived_lead: bool
    list_name: str
    campaign_id: str


class CustomFieldOptions(TypedDict, total=False):
    field_name: str
    field_size: int
    field_type: FieldType | str
    field_rank: int
    field_order: int
    field_rerank: bool
    field_max: int
    field_default: str
    field_options: str
    field_duplicate: bool
    field_description: str
    field_help: str
    field_required: bool
    multi_position: Literal["HORIZONTAL", "VERTICAL"]
    name_position: Literal["TOP", "LEFT"]
    field_encrypt: bool
    field_show_hide: ShowHide | str


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

    async def add(
        self, list_id: int, list_name: str, campaign_id: str, **settings: Unpack[ListOptions]
    ) -> AddListResult:
        return await self._run(
            ADD_LIST, list_id=list_id, list_name=list_name, campaign_id=campaign_id, **settings
        )

    async def update(self, list_id: int, **settings: Unpack[UpdateListOptions]) -> ListResult:
        """Change settings (--BLANK-- clears one), reset, delete or copy custom fields."""
        return await self._run(UPDATE_LIST, list_id=list_id, **settings)

    async def reset(self, list_id: int) -> ListResult:
        """Make every lead of the list dialable again (clears called-since-last-reset)."""
        return await self._run(UPDATE_LIST, list_id=list_id, reset_list=True)

    async def add_custom_field(
        self, list_id: int, field_label: str, **definition: Unpack[CustomFieldOptions]
    ) -> ListResult:
        """Add a custom field; field_name, field_size, field_type and field_rank are needed."""
        return await self._run(
            UPDATE_LIST,
            list_id=list_id,
            custom_fields_add=True,
            field_label=field_label,
            **definition,
        )

    async def update_custom_field(
        self, list_id: int, field_label: str, **definition: Unpack[CustomFieldOptions]
    ) -> ListResult:
        """Change a custom field; --BLANK-- clears its description, help, options or default."""
        return await self._run(
            UPDATE_LIST,
            list_id=list_id,
            custom_fields_update=True,
            field_label=field_label,
            **definition,
        )

    async def delete_custom_field(self, list_id: int, field_label: str) -> ListResult:
        return await self._run(
            UPDATE_LIST, list_id=list_id, custom_fields_delete=True, field_label=field_label
        )
