"""The non-agent API's live monitoring: agents, user groups and in-groups as they are now,
one agent's in-groups, and blind monitoring of an agent's session."""

from __future__ import annotations

from integrations.vicidial.simulator.events import SimEventKind
from integrations.vicidial.simulator.records import AgentState, MonitorSession, Session, User
from integrations.vicidial.simulator.state import CallCenter
from integrations.vicidial.simulator.wire import (
    ApiRequest,
    Handlers,
    lines,
    names,
    table,
)

HANDLERS = Handlers()
handles = HANDLERS.add


def _status_of(session: Session) -> str:
    return session.status.value


def sub_status(center: CallCenter, session: Session) -> str:
    """The real-time sub-status ViciDial derives: DISPO (paused with a lead), PREVIEW
    (paused previewing one); on a call 3-WAY (another agent on the lead), then PARK or DEAD
    overriding it; else what the session was set to (a 3-way with an outside number)."""
    if session.status is AgentState.PAUSED:
        if session.lead_id:
            return "DISPO"
        return "PREVIEW" if session.preview_lead_id else session.sub_status
    if session.status is not AgentState.INCALL:
        return session.sub_status
    found = session.sub_status
    others = (
        s for s in center.sessions.values() if s is not session and s.status is AgentState.INCALL
    )
    if session.lead_id and any(s.lead_id == session.lead_id for s in others):
        found = "3-WAY"
    if session.parked:
        return "PARK"
    return "DEAD" if session.dead else found


@handles("agent_status")
def agent_status(req: ApiRequest) -> str:
    center, me, agent = req.center, req.user.user, req.get("agent_user")
    if not agent:
        return f"ERROR: agent_status INVALID SEARCH PARAMETERS: {me}|{agent}\n"
    user = center.users.get(agent)
    if user is None:
        return f"ERROR: agent_status AGENT NOT FOUND: {me}|{agent}\n"
    session = center.session(agent)
    if session is None:
        return f"ERROR: agent_status AGENT NOT LOGGED IN: {me}|{agent}\n"
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
        sub_status(center, session),
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
    with_sub_status = req.get("show_sub_status") == "YES"
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
        + ([session.pause_code, sub_status(center, session)] if with_sub_status else [])
        for session, user in center.agents_in(center.sessions.values())
        if (not campaigns or session.campaign_id in campaigns)
        and (not groups or user.user_group in groups)
    ]
    if not rows:
        shown = f"{req.user.user}|{req.get('agent_user')}"
        return f"ERROR: logged_in_agents NO LOGGED IN AGENTS: {shown}\n"
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
    if with_sub_status:
        header += ["pause_code", "sub_status"]
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


# -- one agent's in-groups -----------------------------------------------------------------

_FORM_HEAD = (
    '<TABLE WIDTH=680 CELLPADDING=0 CELLSPACING=5 BGCOLOR="#D9E6FE"><TR><TD ALIGN=LEFT>\n'
    "Agent: {user} - {name} </TD><TD>\n"
    " &nbsp; Campaign: {campaign}</TD><TD>\n"
    '<a href="#" onclick="hide_ingroup_info();">Close</a></TD></TR><TR><TD COLSPAN=3 '
    'BGCOLOR="#CCCCFF">\n'
)


def _option(value: str, label: str, selected: bool) -> str:
    return f'<option value="{value}"{" SELECTED" if selected else ""}>{label}</option>\n'


def _choice(title: str, name: str, options: str) -> str:
    return (
        f"<TR><TD ALIGN=RIGHT>{title}:\n</TD><TD ALIGN=LEFT>\n"
        f"<SELECT SIZE=1 NAME={name} ID={name}>\n{options}</SELECT>\n</TD></TR>\n"
    )


def _change_form(center: CallCenter, session: Session, user: User) -> str:
    campaign = center.campaigns[session.campaign_id]
    groups = "".join(
        _option(g, f"{g} - {center.ingroups[g].name}", g in session.ingroups)
        for g in campaign.ingroups
        if g in center.ingroups
    )
    changes = "".join(
        _option(value, f"{value} - {what}", False)
        for value, what in (
            ("CHANGE", "Set in-groups to those selected above"),
            ("ADD", "Add in-groups selected above to agent selected"),
            ("REMOVE", "Remove in-groups selected above from agent selected"),
        )
    )
    blended = _option("YES", "Yes", session.blended) + _option("NO", "No", not session.blended)
    default = _option("YES", "Yes", False) + _option("NO", "No", True)
    return (
        _FORM_HEAD.format(user=user.user, name=user.full_name, campaign=campaign.campaign_id)
        + "<TABLE CELLPADDING=0 CELLSPACING=3 BORDER=0>\n"
        "<TR><TD ALIGN=RIGHT VALIGN=TOP>Selected In-Groups: </TD><TD ALIGN=LEFT>\n"
        f'<INPUT TYPE=HIDDEN NAME=agent_user ID=agent_user value="{user.user}">\n'
        "<SELECT SIZE=10 NAME=ingroup_new_selections ID=ingroup_new_selections multiple>\n"
        f"{groups}</SELECT><BR></TD></TR>\n"
        + _choice("Change, Add, Remove", "ingroup_add_remove_change", changes)
        + _choice("Blended Outbound Autodial", "blended", blended)
        + _choice("Set As User Default", "set_as_default", default)
        + "<TR><TD ALIGN=CENTER COLSPAN=2>\n"
        '<INPUT TYPE=BUTTON NAME=SUBMIT ID=SUBMIT VALUE="Submit Changes" '
        f"onclick=\"submit_ingroup_changes('{user.user}')\">\n"
        "</TD></TR>\n</TABLE>\n</TD></TR></TABLE>\n"
    )


def _info_lines(session: Session) -> list[str]:
    return [
        "SELECTED INGROUPS: " + " ".join([*session.ingroups, "-"]),
        "OUTBOUND AUTODIAL: " + ("Y" if session.blended else "N"),
        "MANAGER OVERRIDE: N",
        "MANAGER: ",
    ]


def _info_page(center: CallCenter, session: Session, user: User) -> str:
    campaign = center.campaigns[session.campaign_id]
    rows = "".join(
        f"<TR><TD>{g}{' *' if g in session.ingroups else ''}</TD>"
        f"<TD>{center.ingroups[g].name}</TD></TR>\n"
        for g in campaign.ingroups
        if g in center.ingroups
    )
    info = "".join(f"{text}<BR>\n" for text in _info_lines(session))
    head = _FORM_HEAD.format(user=user.user, name=user.full_name, campaign=campaign.campaign_id)
    return head + info + "</TD></TR>\n" + rows + "</TABLE>\n"


@handles("agent_ingroup_info")
def agent_ingroup_info(req: ApiRequest) -> str:
    center, me, agent = req.center, req.user.user, req.get("agent_user")
    user = center.users.get(agent)
    session = center.session(agent)
    if user is None or session is None:
        # An unknown user and an agent not logged in are refused alike.
        return f"ERROR: agent_ingroup_info INVALID USER ID - {agent}|{me}\n"
    stage = req.get("stage") or "text"
    if stage == "change":
        return _change_form(center, session, user)
    if stage == "info":
        return _info_page(center, session, user)
    return lines(f"SUCCESS:  - {agent}|{stage}", *_info_lines(session))


# -- blind monitoring ----------------------------------------------------------------------

# What the monitoring phone dials after the server's address: listen, talk to all, or
# whisper to the agent only.
_MONITOR_CODES = {"MONITOR": "0", "BARGE": "", "WHISPER": "47"}


def _dial_address(server_ip: str) -> str:
    """127.0.0.1 as ViciDial dials it: 127*000*000*001*."""
    return "".join(
        f"{int(part):03d}*" if i else f"{part}*" for i, part in enumerate(server_ip.split("."))
    )


@handles("blind_monitor")
def blind_monitor(req: ApiRequest) -> str:
    center, me = req.center, req.user.user
    login, session_id, server = req.get("phone_login"), req.get("session_id"), req.get("server_ip")
    if not any(
        s.session_id == session_id and s.server_ip == server for s in center.sessions.values()
    ):
        return f"ERROR: blind_monitor INVALID SESSION ID - {session_id}|{server}|{me}\n"
    phone = next((p for p in center.phones.values() if p.login == login), None)
    if phone is None:
        return f"ERROR: blind_monitor INVALID PHONE LOGIN - {login}|{me}\n"
    stage = req.get("stage") or "MONITOR"
    monitor = MonitorSession(
        monitor_id=center.next_id("monitor"),
        phone_login=login,
        session_id=session_id,
        server_ip=server,
        stage=stage,
        user=me,
        started=center.now(),
    )
    center.monitors.append(monitor)
    center.emit(SimEventKind.MONITOR_STARTED, monitor_id=monitor.monitor_id, session_id=session_id)
    dialed = f"{_dial_address(server)}{_MONITOR_CODES.get(stage, '')}{session_id}"
    shown = f"{login}|{dialed}|{phone.dialplan_number or phone.extension}|{session_id}"
    return f"SUCCESS: blind_monitor HAS BEEN LAUNCHED - {shown}|{monitor.monitor_id}|{me}\n"
