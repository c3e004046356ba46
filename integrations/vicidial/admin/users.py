"""The non-agent API's user functions that read: details and allowed campaigns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Unpack

from pydantic import InstanceOf

from integrations.vicidial.admin.functions import Domain, add
from integrations.vicidial.admin.records import (
    CampaignId,
    GroupId,
    UserId,
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
from integrations.vicidial.models import YN


@dataclass(slots=True)
class UserDetails:
    user: UserId
    full_name: str | None
    user_group: GroupId | None
    user_level: int
    active: bool


class UserDetailsParams(TableParams):
    agent_user: Text20


class UserDetailsResult(TableResult):
    records: tuple[InstanceOf[UserDetails], ...] = ()

    @property
    def user(self) -> UserDetails:
        return self.records[0]


USER_DETAILS = add(
    "user_details",
    "users.details",
    "one user's name, group, level and whether it is active",
    UserDetailsParams,
    UserDetailsResult,
    table_parser(UserDetailsResult, UserDetails, field_names(UserDetails), single=True),
)


@dataclass(slots=True)
class AgentCampaigns:
    user: UserId
    allowed_campaigns_list: Annotated[tuple[CampaignId, ...], Via(read_words("-"))]
    allowed_ingroups_list: Annotated[tuple[GroupId, ...], Via(read_words("-"))]


class AgentCampaignsParams(TableParams):
    agent_user: Text20
    campaign_id: Text20 | None = None
    ignore_agentdirect: YN | None = None


class AgentCampaignsResult(TableResult):
    records: tuple[InstanceOf[AgentCampaigns], ...] = ()

    @property
    def allowed(self) -> AgentCampaigns:
        return self.records[0]


AGENT_CAMPAIGNS = add(
    "agent_campaigns",
    "users.agent_campaigns",
    "the campaigns and in-groups a user may take calls from",
    AgentCampaignsParams,
    AgentCampaignsResult,
    table_parser(AgentCampaignsResult, AgentCampaigns, field_names(AgentCampaigns), single=True),
)


class Users(Domain):
    """``admin.users``."""

    async def details(self, agent_user: str, **table: Unpack[TableOptions]) -> UserDetailsResult:
        return await self._run(USER_DETAILS, agent_user=agent_user, **table)

    async def agent_campaigns(
        self,
        agent_user: str,
        *,
        campaign_id: str | None = None,
        ignore_agentdirect: bool | None = None,
        **table: Unpack[TableOptions],
    ) -> AgentCampaignsResult:
        return await self._run(
            AGENT_CAMPAIGNS,
            agent_user=agent_user,
            campaign_id=campaign_id,
            ignore_agentdirect=ignore_agentdirect,
            **table,
        )
