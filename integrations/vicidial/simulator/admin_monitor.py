"""The non-agent API's live monitoring: agents, user groups and in-groups as they are now."""

from __future__ import annotations

from integrations.vicidial.simulator.records import AgentState, Session
from integrations.vicidial.simulator.wire import (
    ApiRequest,
    Handlers,
    names,
    table,
)

HANDLERS = Handlers()
handles = HANDLERS.add


def _status_of(session: Session) -> str:
    return session.status.value


@handles("agent_status")
def agent_status(req: ApiRequest) -> str:
    center, me, agent = req.center, req.user.user, req.get("agent_user")
    if not agent:
        return f"ERROR: agent_status INVALID SEARCH PARAMETERS - {me}||\n"
    user = center.users.get(agent)
    if user is None:
        return f"ERROR: agent_status AGENT NOT FOUND - {me}|{agent}|\n"
    session = center.session(agent)
    if session is None:
        return f"ERROR: agent_status AGENT NOT LOGGED IN - {me}|{agent}|\n"
    lead = center.leads.get(session.lead_id)
    header = [
        "status",
        "callerid",
        "lead_id",
        "campaign_id",
        "calls_today",
        "full_name",
        "user_group",
        "user_level",
        "pause_code",
        "real_time_sub_status",
        "phone_number",
        "vendor_lead_code",
        "session_id",
    ]
    row: list[object] = [
        _status_of(session),
        session.call_id,
        session.lead_id,
        session.campaign_id,
        session.calls_today,
        user.full_name,
        user.user_group,
        user.user_level,
        session.pause_code,
        "DEAD" if session.dead else session.sub_status,
        lead.phone_number if lead else "",
        lead.vendor_lead_code if lead else "",
        session.session_id,
    ]
    if req.get("include_ip") == "YES":
        header.append("computer_ip")
        # The real server names the column but leaves an unknown address out of the row.
        if session.computer_ip:
            row.append(session.computer_ip)
    return table(req, header, [row])


@handles("logged_in_agents")
def logged_in_agents(req: ApiRequest) -> str:
    center = req.center
    campaigns, groups = names(req.get("campaigns")), names(req.get("user_groups"))
    rows = [
        [
            user.user,
            session.campaign_id,
            session.session_id,
            _status_of(session),
            session.lead_id,
            session.call_id,
            session.calls_today,
            user.full_name,
            user.user_group,
            user.user_level,
        ]
        for session, user in center.agents_in(center.sessions.values())
        if (not campaigns or session.campaign_id in campaigns)
        and (not groups or user.user_group in groups)
    ]
    if not rows:
        return "ERROR: logged_in_agents NO LOGGED IN AGENTS\n"
    header = [
        "user",
        "campaign_id",
        "session_id",
        "status",
        "lead_id",
        "callerid",
        "calls_today",
        "full_name",
        "user_group",
        "user_level",
    ]
    return table(req, header, rows)


def _agent_counts(sessions: list[Session]) -> dict[str, int]:
    return {
        "logged_in": len(sessions),
        "in_calls": sum(1 for s in sessions if s.status is AgentState.INCALL and not s.dead),
        "waiting": sum(1 for s in sessions if s.status is AgentState.READY),
        "paused": sum(1 for s in sessions if s.status is AgentState.PAUSED),
        "dead": sum(1 for s in sessions if s.dead),
        "dispo": sum(1 for s in sessions if s.status is AgentState.DISPO),
        "dial": sum(1 for s in sessions if s.pending_dial and not s.call_id),
    }


@handles("user_group_status")
def user_group_status(req: ApiRequest) -> str:
    center, groups = req.center, names(req.get("user_groups"))
    if not groups:
        return f"ERROR: user_group_status INVALID SEARCH PARAMETERS: {req.user.user}|\n"
    sessions = [s for s, u in center.agents_in(center.sessions.values()) if u.user_group in groups]
    served = {group for s in sessions for group in s.ingroups}
    c = _agent_counts(sessions)
    row = [
        " ".join(groups),
        len(center.waiting_calls(served)),
        c["logged_in"],
        c["in_calls"],
        c["waiting"],
        c["paused"],
        c["dead"],
        c["dispo"],
        c["dial"],
    ]
    header = [
        "usergroups",
        "calls_waiting",
        "agents_logged_in",
        "agents_in_calls",
        "agents_waiting",
        "agents_paused",
        "agents_in_dead_calls",
        "agents_in_dispo",
        "agents_in_dial",
    ]
    return table(req, header, [row])


@handles("in_group_status")
def in_group_status(req: ApiRequest) -> str:
    center, groups = req.center, names(req.get("in_groups"))
    if not groups:
        return f"ERROR: in_group_status INVALID SEARCH PARAMETERS: {req.user.user}|\n"
    sessions = [s for s in center.sessions.values() if set(s.ingroups) & set(groups)]
    waiting = len(center.waiting_calls(groups))
    live = sum(1 for call in center.calls.values() if call.ingroup in groups and call.agent)
    c = _agent_counts(sessions)
    row = [
        " ".join(groups),
        waiting + live,
        waiting,
        c["logged_in"],
        c["in_calls"],
        c["waiting"],
        c["paused"],
        c["dispo"],
        c["dial"],
    ]
    header = [
        "ingroups",
        "total_calls",
        "calls_waiting",
        "agents_logged_in",
        "agents_in_calls",
        "agents_waiting",
        "agents_paused",
        "agents_in_dispo",
        "agents_in_dial",
    ]
    return table(req, header, [row])
