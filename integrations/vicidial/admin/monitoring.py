"""The non-agent API's real-time monitoring functions: who is logged in, doing what, and
blind monitoring of an agent's session."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Unpack

from pydantic import InstanceOf, StringConstraints

from integrations.vicidial.admin.functions import NOTHING_FOUND, Domain, add
from integrations.vicidial.admin.html import AgentInGroupPage, parse_agent_ingroup_page
from integrations.vicidial.admin.records import (
    CallId,
    CampaignId,
    Code,
    GroupId,
    PhoneNumber,
    UserId,
    Via,
    field_names,
    read_nonzero_id,
    read_words,
)
from integrations.vicidial.admin.tables import (
    PipeList,
    TableOptions,
    TableParams,
    TableResult,
    Text20,
    table_parser,
)
from integrations.vicidial.admin.writes import Shape, UserDone, WriteResult, outcome_parser
from integrations.vicidial.lines import Reply
from integrations.vicidial.models import Params, Result, YesNo, build_result


class AgentState(StrEnum):
    """An agent session's status as the real-time screens show it."""

    READY = "READY"
    QUEUE = "QUEUE"
    INCALL = "INCALL"
    PAUSED = "PAUSED"
    CLOSER = "CLOSER"
    MQUEUE = "MQUEUE"
    DIAL = "DIAL"
    DEAD = "DEAD"
    DISPO = "DISPO"


class SubStatus(StrEnum):
    DEAD = "DEAD"
    DISPO = "DISPO"
    THREE_WAY = "3-WAY"
    PARK = "PARK"
    RING = "RING"
    PREVIEW = "PREVIEW"
    DIAL = "DIAL"


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    return ipaddress.ip_address(text) if text else None


LeadRef = Annotated[int | None, Via(read_nonzero_id)]  # 0 means "no lead"
IpAddress = Annotated[ipaddress.IPv4Address | ipaddress.IPv6Address | None, Via(_ip)]
Groups = Annotated[tuple[GroupId, ...], Via(read_words(" "))]


# --- agent_status ---------------------------------------------------------------------------


@dataclass(slots=True)
class AgentStatus:
    status: AgentState
    callerid: CallId | None
    lead_id: LeadRef
    campaign_id: CampaignId | None
    calls_today: int
    full_name: str | None
    user_group: GroupId | None
    user_level: int
    pause_code: Code | None
    real_time_sub_status: SubStatus | None
    phone_number: PhoneNumber | None
    vendor_lead_code: Code | None
    session_id: int | None
    # Only with include_ip; ViciDial names it in the header even when the row leaves it out.
    computer_ip: IpAddress = None


class AgentStatusParams(TableParams):
    agent_user: Text20
    include_ip: YesNo | None = None


class AgentStatusResult(TableResult):
    records: tuple[InstanceOf[AgentStatus], ...] = ()

    @property
    def agent(self) -> AgentStatus:
        return self.records[0]


def _agent_status_columns(params: AgentStatusParams) -> tuple[str, ...]:
    return field_names(AgentStatus, without=() if params.include_ip else ("computer_ip",))


AGENT_STATUS = add(
    "agent_status",
    "monitoring.agent_status",
    "real-time status of one logged-in agent",
    AgentStatusParams,
    AgentStatusResult,
    table_parser(AgentStatusResult, AgentStatus, _agent_status_columns, single=True),
)


# --- logged_in_agents -----------------------------------------------------------------------


@dataclass(slots=True)
class LoggedInAgent:
    user: UserId
    campaign_id: CampaignId | None
    session_id: int | None
    status: AgentState
    lead_id: LeadRef
    callerid: CallId | None
    calls_today: int
    full_name: str | None
    user_group: GroupId | None
    user_level: int
    # Only with show_sub_status.
    pause_code: Code | None = None
    sub_status: SubStatus | None = None


class LoggedInAgentsParams(TableParams):
    campaigns: PipeList | None = None
    user_groups: PipeList | None = None
    show_sub_status: YesNo | None = None


class LoggedInAgentsResult(TableResult):
    records: tuple[InstanceOf[LoggedInAgent], ...] = ()


def _logged_in_columns(params: LoggedInAgentsParams) -> tuple[str, ...]:
    extra = () if params.show_sub_status else ("pause_code", "sub_status")
    return field_names(LoggedInAgent, without=extra)


LOGGED_IN_AGENTS = add(
    "logged_in_agents",
    "monitoring.logged_in_agents",
    "agents logged in now, optionally by campaign and user group",
    LoggedInAgentsParams,
    LoggedInAgentsResult,
    table_parser(LoggedInAgentsResult, LoggedInAgent, _logged_in_columns),
    empty_when=NOTHING_FOUND,
)


# --- user_group_status / in_group_status ----------------------------------------------------


@dataclass(slots=True)
class UserGroupStatus:
    usergroups: Groups
    calls_waiting: int
    agents_logged_in: int
    agents_in_calls: int
    agents_waiting: int
    agents_paused: int
    agents_in_dead_calls: int
    agents_in_dispo: int
    agents_in_dial: int


class UserGroupStatusParams(TableParams):
    user_groups: PipeList


class UserGroupStatusResult(TableResult):
    records: tuple[InstanceOf[UserGroupStatus], ...] = ()


USER_GROUP_STATUS = add(
    "user_group_status",
    "monitoring.user_group_status",
    "real-time totals of one or more user groups",
    UserGroupStatusParams,
    UserGroupStatusResult,
    table_parser(UserGroupStatusResult, UserGroupStatus, field_names(UserGroupStatus)),
)


@dataclass(slots=True)
class InGroupStatus:
    ingroups: Groups
    total_calls: int
    calls_waiting: int
    agents_logged_in: int
    agents_in_calls: int
    agents_waiting: int
    agents_paused: int
    agents_in_dispo: int
    agents_in_dial: int


class InGroupStatusParams(TableParams):
    in_groups: PipeList


class InGroupStatusResult(TableResult):
    records: tuple[InstanceOf[InGroupStatus], ...] = ()


IN_GROUP_STATUS = add(
    "in_group_status",
    "monitoring.in_group_status",
    "real-time totals of one or more in-groups",
    InGroupStatusParams,
    InGroupStatusResult,
    table_parser(InGroupStatusResult, InGroupStatus, field_names(InGroupStatus)),
)


# --- agent_ingroup_info (stages text, info and change) -------------------------------------


class ManagerOverride(StrEnum):
    Y = "Y"
    N = "N"
    SET = "SET"


class IngroupStage(StrEnum):
    """text: plain lines; info: an HTML page to show; change: the HTML form to change them."""

    TEXT = "text"
    INFO = "info"
    CHANGE = "change"


class AgentIngroupInfoParams(Params):
    # Documented as 2-20 characters; the server also takes one and answers INVALID USER ID.
    agent_user: Text20
    stage: IngroupStage = IngroupStage.TEXT


class AgentIngroupInfo(Result):
    """The in-groups an agent takes calls from, and whether outbound autodial is blended in.

    ``ingroups`` is the agent's selection in every stage. The HTML stages (info, change) also
    give ``page``: the agent's name and campaign, every in-group the campaign allows with
    whether it is selected, and (change) which settings the form lets the API user change.
    """

    agent_user: UserId
    ingroups: tuple[GroupId, ...]
    outbound_autodial: bool | None = None
    manager_override: ManagerOverride | None = None
    manager: UserId | None = None
    page: AgentInGroupPage | None = None


_INGROUP_LABELS = {
    "SELECTED INGROUPS": "ingroups",
    "OUTBOUND AUTODIAL": "outbound_autodial",
    "MANAGER OVERRIDE": "manager_override",
    "MANAGER": "manager",
}


def _agent_ingroup_info(reply: Reply, params: AgentIngroupInfoParams) -> AgentIngroupInfo:
    if params.stage is not IngroupStage.TEXT:
        # The page has no result line: the whole body is the page.
        page = parse_agent_ingroup_page(reply.raw)
        return build_result(
            AgentIngroupInfo,
            reply,
            None,
            agent_user=page.agent_user,
            ingroups=page.selected,
            outbound_autodial=page.blended,
            manager_override=page.manager_override,
            manager=page.manager,
            page=page,
        )
    # "SUCCESS:  - 1001|text" then "LABEL: value" lines.
    line = reply.last
    values: dict[str, object] = {"agent_user": line.data[0] if line.data else params.agent_user}
    for row in reply.rows:
        label, sep, value = row.partition(":")
        field = _INGROUP_LABELS.get(label.strip().upper())
        if not sep or field is None:
            continue
        value = value.strip()
        if field == "ingroups":
            values[field] = tuple(g for g in value.split() if g != "-")
        elif value:
            values[field] = value
    values.setdefault("ingroups", ())
    return build_result(AgentIngroupInfo, reply, line, **values)


AGENT_INGROUP_INFO = add(
    "agent_ingroup_info",
    "monitoring.agent_ingroup_info",
    "a logged-in agent's selected in-groups and autodial setting (text, or an HTML page)",
    AgentIngroupInfoParams,
    AgentIngroupInfo,
    _agent_ingroup_info,
    html=lambda params: params.stage is not IngroupStage.TEXT,
)


# --- blind_monitor --------------------------------------------------------------------------


class MonitorStage(StrEnum):
    """How the phone joins the agent's session. HIJACK is accepted but does nothing yet."""

    MONITOR = "MONITOR"
    BARGE = "BARGE"
    BARGESWAP = "BARGESWAP"
    WHISPER = "WHISPER"
    HIJACK = "HIJACK"


class BlindMonitorParams(Params):
    phone_login: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9]{1,20}$")]
    # The agent's session (conference) id.
    session_id: Annotated[str, StringConstraints(pattern=r"^\d{7}$")]
    server_ip: Annotated[str, StringConstraints(pattern=r"^[0-9.]{7,15}$")]
    stage: MonitorStage | None = None


class MonitorLaunched(UserDone):
    """The call to the monitoring phone was queued. ``dial_string`` is what the dialer
    calls (the server's address and the session, ``*``-separated). What the third field
    (equal to the phone login in every answer seen) and the fifth (it grew by one between
    two launches) mean is not documented; they stay in ``details``."""

    phone_login: str | None = None
    dial_string: str | None = None
    session_id: str | None = None


class BlindMonitorResult(WriteResult):
    user: str | None = None
    phone_login: str | None = None
    dial_string: str | None = None
    session_id: str | None = None


BLIND_MONITOR = add(
    "blind_monitor",
    "monitoring.blind_monitor",
    "call a phone into an agent's session to listen, barge in or whisper",
    BlindMonitorParams,
    BlindMonitorResult,
    outcome_parser(
        BlindMonitorResult,
        Shape(
            r"HAS BEEN LAUNCHED",
            MonitorLaunched,
            ("phone_login", "dial_string", None, "session_id", None, "user"),
        ),
        main=MonitorLaunched,
    ),
    reads=False,
)


class Monitoring(Domain):
    """``admin.monitoring``: real-time state of agents, user groups and in-groups."""

    async def agent_status(
        self, agent_user: str, *, include_ip: bool | None = None, **table: Unpack[TableOptions]
    ) -> AgentStatusResult:
        return await self._run(AGENT_STATUS, agent_user=agent_user, include_ip=include_ip, **table)

    async def logged_in_agents(
        self,
        *,
        campaigns: list[str] | None = None,
        user_groups: list[str] | None = None,
        show_sub_status: bool | None = None,
        **table: Unpack[TableOptions],
    ) -> LoggedInAgentsResult:
        return await self._run(
            LOGGED_IN_AGENTS,
            campaigns=campaigns,
            user_groups=user_groups,
            show_sub_status=show_sub_status,
            **table,
        )

    async def user_group_status(
        self, user_groups: list[str], **table: Unpack[TableOptions]
    ) -> UserGroupStatusResult:
        return await self._run(USER_GROUP_STATUS, user_groups=user_groups, **table)

    async def in_group_status(
        self, in_groups: list[str], **table: Unpack[TableOptions]
    ) -> InGroupStatusResult:
        return await self._run(IN_GROUP_STATUS, in_groups=in_groups, **table)

    async def agent_ingroup_info(
        self, agent_user: str, *, stage: IngroupStage | str = IngroupStage.TEXT
    ) -> AgentIngroupInfo:
        """The agent's in-groups; stage info or change also reads ViciDial's HTML page."""
        return await self._run(AGENT_INGROUP_INFO, agent_user=agent_user, stage=stage)

    async def blind_monitor(
        self,
        phone_login: str,
        session_id: str | int,
        server_ip: str,
        *,
        stage: MonitorStage | str | None = None,
    ) -> BlindMonitorResult:
        """Call ``phone_login`` into the session (MONITOR unless ``stage`` says otherwise)."""
        return await self._run(
            BLIND_MONITOR,
            phone_login=phone_login,
            session_id=str(session_id),
            server_ip=server_ip,
            stage=stage,
        )
