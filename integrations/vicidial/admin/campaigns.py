"""The non-agent API's campaign functions that read: the campaign list and the hopper."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Literal, NewType, Unpack

from pydantic import InstanceOf

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

# ViciDial offers dozens of lead orders ("DOWN", "UP LAST CALL TIME", "DOWN COUNT 2nd NEW"...).
LeadOrder = NewType("LeadOrder", str)


class DialMethod(StrEnum):
    MANUAL = "MANUAL"
    RATIO = "RATIO"
    INBOUND_MAN = "INBOUND_MAN"
    ADAPT_AVERAGE = "ADAPT_AVERAGE"
    ADAPT_HARD_LIMIT = "ADAPT_HARD_LIMIT"
    ADAPT_TAPERED = "ADAPT_TAPERED"


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
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
