"""The non-agent API's campaign functions: the campaign list, the hopper, and settings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal, NewType, TypedDict, Unpack

from pydantic import BeforeValidator, Field, InstanceOf, StringConstraints

from integrations.vicidial.admin.functions import NOTHING_FOUND, Domain, add
from integrations.vicidial.admin.records import (
    CampaignId,
    Code,
    GroupId,
    LeadStatus,
    PhoneNumber,
    Via,
    field_names,
    read_words,
)
from integrations.vicidial.admin.tables import (
    TableOptions,
    TableParams,
    TableResult,
    Text20,
    table_parser,
)
from integrations.vicidial.admin.writes import (
    NO_UPDATES,
    Blank50,
    Done,
    Shape,
    UserDone,
    WriteResult,
    outcome_parser,
)
from integrations.vicidial.models import YN, Params, split_text

# ViciDial offers dozens of lead orders ("DOWN", "UP LAST CALL TIME", "DOWN COUNT 2nd NEW"...).
LeadOrder = NewType("LeadOrder", str)


class DialMethod(StrEnum):
    MANUAL = "MANUAL"
    RATIO = "RATIO"
    INBOUND_MAN = "INBOUND_MAN"
    ADAPT_AVERAGE = "ADAPT_AVERAGE"
    ADAPT_HARD_LIMIT = "ADAPT_HARD_LIMIT"
    ADAPT_TAPERED = "ADAPT_TAPERED"


@dataclass(slots=True)
class Campaign:
    campaign_id: CampaignId
    campaign_name: str | None
    active: bool
    user_group: GroupId | None
    dial_method: DialMethod
    dial_level: float
    lead_order: LeadOrder
    dial_statuses: Annotated[tuple[LeadStatus, ...], Via(read_words(" "))]
    dial_timeout: int
    dial_prefix: str | None
    manual_dial_prefix: str | None
    three_way_dial_prefix: str | None


class CampaignsListParams(TableParams):
    campaign_id: Text20 | None = None


class CampaignsListResult(TableResult):
    records: tuple[InstanceOf[Campaign], ...] = ()


CAMPAIGNS_LIST = add(
    "campaigns_list",
    "campaigns.list",
    "every campaign (or one) with its dialing settings",
    CampaignsListParams,
    CampaignsListResult,
    table_parser(CampaignsListResult, Campaign, field_names(Campaign)),
)


@dataclass(slots=True)
class HopperEntry:
    hopper_order: int
    priority: int
    lead_id: int
    list_id: int
    phone_number: PhoneNumber
    phone_code: Code
    state: str | None
    status: LeadStatus
    count: int
    gmt_offset: float
    rank: int
    alt: Code
    hopper_source: Code
    vendor_lead_code: Code | None
    source_id: Code | None
    age_days: int
    # An age in words ("NEVER", "3 DAYS", "1 YEARS"), not a date-time; ViciDial pads it.
    last_call_time: str


class HopperListParams(TableParams):
    campaign_id: Text20
    search_method: Literal["BLOCK"] | None = None


class HopperListResult(TableResult):
    records: tuple[InstanceOf[HopperEntry], ...] = ()


HOPPER_LIST = add(
    "hopper_list",
    "campaigns.hopper_list",
    "the leads waiting in a campaign's hopper, in dialing order",
    HopperListParams,
    HopperListResult,
    table_parser(HopperListResult, HopperEntry, field_names(HopperEntry)),
    empty_when=NOTHING_FOUND,
)


# --- hopper_bulk_insert ---------------------------------------------------------------------

HOPPER_BULK_LIMIT = 1000  # lead ids ViciDial takes in one hopper_bulk_insert call


class HopperBulkInsertParams(Params):
    lead_ids: Annotated[
        list[Annotated[int, Field(gt=0, lt=1_000_000_000)]],
        BeforeValidator(split_text(",")),
        Field(min_length=1, max_length=HOPPER_BULK_LIMIT),
    ]
    hopper_priority: Annotated[int, Field(ge=-99, le=99)] | None = None
    hopper_local_call_time_check: YN | None = None


class HopperLeadDone(Done):
    """One lead's outcome: added, or not added and why (``reason``)."""

    phone_number: str | None = None
    lead_id: int | None = None
    hopper_id: int | None = None
    user: str | None = None


class HopperInserted(Done):
    inserted: int | None = None
    user: str | None = None


class HopperBulkInsertResult(WriteResult):
    inserted: int | None = None
    user: str | None = None

    @property
    def added(self) -> tuple[int, ...]:
        return tuple(
            o.lead_id
            for o in self.outcomes
            if isinstance(o, HopperLeadDone) and o.hopper_id is not None and o.lead_id
        )


HOPPER_BULK_INSERT = add(
    "hopper_bulk_insert",
    "campaigns.hopper_bulk_insert",
    "put up to 1000 leads into their campaigns' hoppers",
    HopperBulkInsertParams,
    HopperBulkInsertResult,
    outcome_parser(
        HopperBulkInsertResult,
        Shape(
            r"LEAD ADDED TO HOPPER",
            HopperLeadDone,
            ("phone_number", "lead_id", "hopper_id", "user"),
        ),
        Shape(
            r"NOT ADDED TO HOPPER, OUTSIDE OF LOCAL TIME",
            HopperLeadDone,
            ("phone_number", "lead_id"),
        ),
        Shape(r"NOT ADDED TO HOPPER, CAMPAIGN DOES NOT EXIST", HopperLeadDone, (None, "lead_id")),
        Shape(r"NOT ADDED TO HOPPER, .*", HopperLeadDone, ("lead_id",)),
        Shape(
            r"LEADS HAVE BEEN INSERTED INTO THE HOPPER",
            HopperInserted,
            ("inserted", None, None, "user"),
        ),
        main=HopperInserted,
    ),
    reads=False,
)


# --- update_campaign ------------------------------------------------------------------------

CampaignKey = Annotated[str, StringConstraints(min_length=2, max_length=8)]
StatusCode = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9]{1,6}$")]
# The last nine settings may be cleared with --BLANK--; URLs are sent as given (the form
# encoding of the request takes care of & and ?).
BlankUrl = Annotated[str, StringConstraints(pattern=r"^(--BLANK--|[^\n]{1,2000})$")]


class UpdateCampaignParams(Params):
    campaign_id: CampaignKey
    campaign_name: Annotated[str, StringConstraints(min_length=6, max_length=40)] | None = None
    active: YN | None = None
    # The upper limit is the system's (4.001 on the captured server, at most 18 anywhere).
    auto_dial_level: Annotated[Decimal, Field(ge=0, le=18, max_digits=5)] | None = None
    adaptive_maximum_level: (
        Annotated[str, StringConstraints(pattern=r"^\d{1,3}(\.\d{1,2})?$")] | None
    ) = None
    campaign_vdad_exten: Annotated[str, StringConstraints(min_length=3, max_length=20)] | None = (
        None
    )
    hopper_level: Annotated[int, Field(ge=1, le=2000)] | None = None
    reset_hopper: YN | None = None
    dial_method: DialMethod | None = None
    dial_timeout: Annotated[int, Field(ge=1, le=120)] | None = None
    # Proper case matters ("DOWN COUNT", "RANDOM 2nd NEW"); orders with RANDOM are refused.
    list_order: Annotated[str, StringConstraints(min_length=2, max_length=40)] | None = None
    list_order_randomize: YN | None = None
    list_order_secondary: Annotated[str, StringConstraints(pattern=r"^[A-Z_]{5,30}$")] | None = None
    outbound_cid: Annotated[str, StringConstraints(pattern=r"^\d{6,20}$")] | None = None
    dial_status_add: StatusCode | None = None
    dial_status_remove: StatusCode | None = None
    # A filter id, or ---NONE--- for no filter.
    lead_filter_id: Annotated[str, StringConstraints(min_length=1, max_length=20)] | None = None
    xferconf_one: Blank50 | None = None
    xferconf_two: Blank50 | None = None
    xferconf_three: Blank50 | None = None
    xferconf_four: Blank50 | None = None
    xferconf_five: Blank50 | None = None
    # A URL, ALT (use the campaign's alternate URLs, see update_alt_url) or --BLANK--.
    dispo_call_url: BlankUrl | None = None
    webform_one: BlankUrl | None = None
    webform_two: BlankUrl | None = None
    webform_three: BlankUrl | None = None


class CampaignDone(UserDone):
    campaign_id: str | None = None


class HopperReset(CampaignDone):
    """reset_hopper's NOTICE; ``removed`` is the number of leads taken out, when printed."""

    removed: int | None = None


class UpdateCampaignResult(WriteResult):
    user: str | None = None
    campaign_id: str | None = None

    @property
    def hopper_reset(self) -> bool:
        return any(isinstance(o, HopperReset) for o in self.outcomes)


UPDATE_CAMPAIGN = add(
    "update_campaign",
    "campaigns.update",
    "change a campaign's settings, or empty its hopper (reset_hopper)",
    UpdateCampaignParams,
    UpdateCampaignResult,
    outcome_parser(
        UpdateCampaignResult,
        Shape(r"CAMPAIGN HAS BEEN UPDATED", CampaignDone, ("user", "campaign_id")),
        Shape(r"HOPPER HAS BEEN RESET", HopperReset, ("user", "campaign_id", "removed")),
        NO_UPDATES,
        main=CampaignDone,
    ),
    reads=False,
)


class CampaignOptions(TypedDict, total=False):
    campaign_name: str
    active: bool
    auto_dial_level: Decimal | float | str
    adaptive_maximum_level: str
    campaign_vdad_exten: str
    hopper_level: int
    dial_method: DialMethod | str
    dial_timeout: int
    list_order: str
    list_order_randomize: bool
    list_order_secondary: str
    outbound_cid: str
    dial_status_add: str
    dial_status_remove: str
    lead_filter_id: str
    xferconf_one: str
    xferconf_two: str
    xferconf_three: str
    xferconf_four: str
    xferconf_five: str
    dispo_call_url: str
    webform_one: str
    webform_two: str
    webform_three: str


class Campaigns(Domain):
    """``admin.campaigns``."""

    async def list(
        self, campaign_id: str | None = None, **table: Unpack[TableOptions]
    ) -> CampaignsListResult:
        return await self._run(CAMPAIGNS_LIST, campaign_id=campaign_id, **table)

    async def hopper_list(
        self, campaign_id: str, *, block: bool = False, **table: Unpack[TableOptions]
    ) -> HopperListResult:
        return await self._run(
            HOPPER_LIST, campaign_id=campaign_id, search_method="BLOCK" if block else None, **table
        )

    async def hopper_bulk_insert(
        self,
        lead_ids: Sequence[int],
        *,
        hopper_priority: int | None = None,
        hopper_local_call_time_check: bool | None = None,
    ) -> HopperBulkInsertResult:
        """One call of at most 1000 ids; ``integrations.vicidial.admin.batch`` splits more."""
        return await self._run(
            HOPPER_BULK_INSERT,
            lead_ids=lead_ids,
            hopper_priority=hopper_priority,
            hopper_local_call_time_check=hopper_local_call_time_check,
        )

    async def update(
        self,
        campaign_id: str,
        *,
        reset_hopper: bool | None = None,
        **settings: Unpack[CampaignOptions],
    ) -> UpdateCampaignResult:
        """Change settings; ``--BLANK--`` clears the xferconf, dispo URL and webform ones."""
        return await self._run(
            UPDATE_CAMPAIGN, campaign_id=campaign_id, reset_hopper=reset_hopper, **settings
        )

    async def reset_hopper(self, campaign_id: str) -> UpdateCampaignResult:
        """Empty the campaign's hopper (ViciDial reloads it on its next run)."""
        return await self._run(UPDATE_CAMPAIGN, campaign_id=campaign_id, reset_hopper=True)
