"""The non-agent API's campaign functions that read: the campaign list and the hopper."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Literal, NewType, Unpack

from pydantic import BeforeValidator, Field, InstanceOf

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
from integrations.vicidial.admin.writes import Done, Shape, WriteResult, outcome_parser
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
