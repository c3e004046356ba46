"""vicidial/non_agent_api.php: dispatch, permissions, and the monitoring/campaign/list functions.

Lead functions live in ``admin_leads``, report exports in ``admin_reports``; all register into
one table here. The real server checks credentials inside each function, so an unknown function
answers ``NO FUNCTION SPECIFIED`` whatever the credentials.
"""

from __future__ import annotations

from collections.abc import Mapping

from integrations.vicidial.admin import ADMIN_FUNCTIONS
from integrations.vicidial.simulator import admin_leads, admin_reports
from integrations.vicidial.simulator.auth import admin_api_allowed, admin_api_login
from integrations.vicidial.simulator.events import SimEventKind
from integrations.vicidial.simulator.records import AgentState, Session, User
from integrations.vicidial.simulator.state import SYSTEM_DNC, CallCenter
from integrations.vicidial.simulator.wire import (
    Answer,
    ApiRequest,
    Handlers,
    delimiter,
    respond,
    stamp,
    table,
    unsupported,
)

# Every function of the real non-agent API (2.14-202): the client's registry, which a test
# holds to exactly the names non_agent_api.php dispatches.
KNOWN_FUNCTIONS = frozenset(ADMIN_FUNCTIONS.names())

# function -> (minimum user level, permission needed, what the refusal names)
REQUIREMENTS: dict[str, tuple[int, str, str]] = {
    "agent_status": (7, "view_reports", "GET AGENT INFO"),
    "logged_in_agents": (7, "view_reports", "GET AGENT INFO"),
    "user_group_status": (7, "view_reports", "GET USER GROUP INFO"),
    "in_group_status": (7, "view_reports", "GET IN-GROUP INFO"),
    "campaigns_list": (8, "view_reports", "GET CAMPAIGN INFO"),
    "hopper_list": (8, "view_reports", "GET CAMPAIGN INFO"),
    "hopper_bulk_insert": (8, "modify_campaigns", "ADD LEADS TO THE HOPPER"),
    "add_lead": (8, "modify_leads", "ADD LEADS TO THE SYSTEM"),
    "update_lead": (8, "modify_leads", "UPDATE LEADS IN THE SYSTEM"),
    "batch_update_lead": (8, "modify_leads", "UPDATE LEADS IN THE SYSTEM"),
    "lead_all_info": (7, "modify_leads", "GET LEAD INFO"),
    "lead_search": (7, "view_reports", "SEARCH FOR LEADS"),
    "lead_status_search": (7, "modify_leads", "GET LEAD INFO"),
    "list_info": (8, "modify_lists", "MODIFY LISTS"),
    "update_list": (8, "modify_lists", "UPDATE LISTS"),
    "update_campaign": (8, "modify_campaigns", "UPDATE CAMPAIGNS"),
    "add_dnc_phone": (8, "modify_lists", "ADD DNC NUMBERS"),
    "delete_dnc_phone": (8, "modify_lists", "DELETE DNC NUMBERS"),
    "user_details": (7, "view_reports", "GET USER DETAILS"),
    "agent_stats_export": (7, "view_reports", "GET AGENT INFO"),
    "call_status_stats": (8, "view_reports", "VIEW STATS"),
    "recording_lookup": (7, "view_reports", "GET RECORDING INFO"),
    "phone_number_log": (7, "view_reports", "GET CALL LOG INFO"),
    "did_log_export": (7, "view_reports", "GET DID INFO"),
}

HANDLERS = Handlers()
HANDLERS.update(admin_leads.HANDLERS)
HANDLERS.update(admin_reports.HANDLERS)
handles = HANDLERS.add


def version_text(center: CallCenter) -> str:
    s = center.system
    return (
        f"VERSION: {s.admin_api_version}|BUILD: {s.admin_api_build}|DATE: {stamp(center.now())}|"
        f"EPOCH: {center.clock.epoch()}|DST: {int(s.dst)}|TZ: {s.gmt_offset}|"
        f"TZNOW: {s.gmt_offset}|\n"
    )


def refusal(user: User, function: str) -> str | None:
    need = REQUIREMENTS.get(function)
    if need is None:
        return None
    level, permission, what = need
    if user.user_level >= level and permission in user.permissions:
        return None
    return f"ERROR: {function} USER DOES NOT HAVE PERMISSION TO {what} - {user.user}|0\n"


def answer(center: CallCenter, params: Mapping[str, str]) -> Answer:
    function = params.get("function", "")
    if function == "version":
        return Answer(version_text(center))
    if function not in KNOWN_FUNCTIONS:
        return Answer("ERROR: NO FUNCTION SPECIFIED\n")
    login = admin_api_login(center, params)
    if isinstance(login, str):
        return Answer(login)
    denied = admin_api_allowed(login, function) or refusal(login, function)
    if denied:
        return Answer(denied)
    handler = HANDLERS.get(function)
    if handler is None:
        return Answer(unsupported(function))
    return respond(handler(ApiRequest(function, params, login, center)))


# -- live agents ---------------------------------------------------------------------------


def names(text: str) -> list[str]:
    """A pipe-delimited list parameter such as ``user_groups=ADMIN|AGENTS``."""
    return [part for part in text.split("|") if part]


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


@handles("user_details")
def user_details(req: ApiRequest) -> str:
    me, agent = req.user.user, req.get("agent_user")
    if not agent:
        return f"ERROR: user_details INVALID SEARCH PARAMETERS: {me}|\n"
    user = req.center.users.get(agent)
    if user is None:
        return f"ERROR: user_details USER NOT FOUND: {me}|{agent}\n"
    row = [user.user, user.full_name, user.user_group, user.user_level, "Y" if user.active else "N"]
    return table(req, ["user", "full_name", "user_group", "user_level", "active"], [row])


# -- campaigns and the hopper --------------------------------------------------------------


@handles("campaigns_list")
def campaigns_list(req: ApiRequest) -> str:
    wanted = req.get("campaign_id")
    rows = [
        [
            c.campaign_id,
            c.name,
            "Y" if c.active else "N",
            c.user_group,
            c.dial_method,
            c.auto_dial_level,
            c.lead_order,
            " ".join(c.dial_statuses),
            c.dial_timeout,
            c.dial_prefix,
            c.manual_dial_prefix,
            c.three_way_dial_prefix,
        ]
        for c in req.center.campaigns.values()
        if not wanted or c.campaign_id == wanted
    ]
    if not rows:
        return f"ERROR: campaigns_list THIS USER HAS NO VIEWABLE CAMPAIGNS - {req.user.user}\n"
    header = [
        "campaign_id",
        "campaign_name",
        "active",
        "user_group",
        "dial_method",
        "dial_level",
        "lead_order",
        "dial_statuses",
        "dial_timeout",
        "dial_prefix",
        "manual_dial_prefix",
        "three_way_dial_prefix",
    ]
    return table(req, header, rows)


@handles("hopper_list")
def hopper_list(req: ApiRequest) -> str:
    center, me, campaign = req.center, req.user.user, req.get("campaign_id")
    if campaign not in center.campaigns:
        return f"ERROR: hopper_list THIS CAMPAIGN DOES NOT EXIST: |{me}|{campaign}\n"
    entries = sorted(
        (e for e in center.hopper if e.campaign_id == campaign),
        key=lambda e: (-e.priority, e.hopper_id),
    )
    if not entries:
        return (
            f"ERROR: hopper_list THERE ARE NO LEADS IN THE HOPPER FOR THIS CAMPAIGN: "
            f"|{me}|{campaign}\n"
        )
    today = center.now()
    rows = []
    for order, entry in enumerate(entries):
        lead = center.leads[entry.lead_id]
        age = (today - lead.entry_date).days if lead.entry_date else 0
        # The real server pads the last-call column to a fixed width.
        last = f"{lead.last_local_call_time or 'NEVER':<9}"
        rows.append(
            [
                order,
                entry.priority,
                lead.lead_id,
                lead.list_id,
                lead.phone_number,
                lead.phone_code,
                lead.state,
                lead.status,
                lead.called_count,
                lead.gmt_offset_now,
                lead.rank,
                entry.alt_dial,
                entry.source,
                lead.vendor_lead_code,
                lead.source_id,
                age,
                last,
            ]
        )
    header = [
        "hopper_order",
        "priority",
        "lead_id",
        "list_id",
        "phone_number",
        "phone_code",
        "state",
        "status",
        "count",
        "gmt_offset",
        "rank",
        "alt",
        "hopper_source",
        "vendor_lead_code",
        "source_id",
        "age_days",
        "last_call_time",
    ]
    return table(req, header, rows)


@handles("hopper_bulk_insert")
def hopper_bulk_insert(req: ApiRequest) -> str | Answer:
    center, me = req.center, req.user.user
    ids = [part for part in req.get("lead_ids").split(",") if part]
    if not ids:
        # The real server fails with an empty HTTP 500 here, every time.
        return Answer("", 500)
    priority = int(req.get("hopper_priority") or 0)
    lines, added, already, missing = [], 0, 0, 0
    last_hopper_id = 0
    for text in ids:
        lead = center.leads.get(int(text)) if text.isdigit() else None
        if lead is None:
            missing += 1
            lines.append(f"NOTICE: hopper_bulk_insert NOT ADDED TO HOPPER, LEAD NOT FOUND - {text}")
            continue
        if center.in_hopper(lead.lead_id):
            already += 1
            lines.append(
                "NOTICE: hopper_bulk_insert NOT ADDED TO HOPPER, LEAD IS ALREADY IN THE HOPPER"
                f" - {lead.lead_id}"
            )
            continue
        lst = center.lists.get(lead.list_id)
        if lst is None or lst.campaign_id not in center.campaigns:
            missing += 1
            lines.append(
                "NOTICE: hopper_bulk_insert NOT ADDED TO HOPPER, CAMPAIGN DOES NOT EXIST - "
                f"{lead.list_id}|{lead.lead_id}"
            )
            continue
        entry = center.add_to_hopper(lead.lead_id, lst.campaign_id, priority)
        last_hopper_id = entry.hopper_id
        added += 1
        lines.append(
            f"NOTICE: hopper_bulk_insert LEAD ADDED TO HOPPER - {lead.phone_number}|"
            f"{lead.lead_id}|{entry.hopper_id}|{me}"
        )
    if added:
        lines.append(
            "SUCCESS: hopper_bulk_insert LEADS HAVE BEEN INSERTED INTO THE HOPPER - "
            f"{added}|{already + missing}|{last_hopper_id}|{me}"
        )
    else:
        lines.append(
            "ERROR: hopper_bulk_insert NO LEADS HAVE BEEN INSERTED INTO THE HOPPER - "
            f"{already}|{missing}|{me}"
        )
    return "".join(line + "\n" for line in lines)


_DIAL_METHODS = frozenset(
    {"MANUAL", "RATIO", "ADAPT_HARD_LIMIT", "ADAPT_TAPERED", "ADAPT_AVERAGE", "INBOUND_MAN"}
)


def _optional(function: str, what: str, me: str, value: str, sep: str = " - ") -> str:
    return f"ERROR: {function} {what}, THIS IS AN OPTIONAL FIELD{sep}{me}|{value}\n"


@handles("update_campaign")
def update_campaign(req: ApiRequest) -> str:
    center, me, fn = req.center, req.user.user, "update_campaign"
    campaign_id = req.get("campaign_id")
    if not campaign_id:
        return f"ERROR: update_campaign YOU MUST USE ALL REQUIRED FIELDS: |{me}|\n"
    campaign = center.campaigns.get(campaign_id)
    if campaign is None:
        return f"ERROR: update_campaign CAMPAIGN DOES NOT EXIST: |{me}|{campaign_id}\n"
    changes: dict[str, object] = {}
    if "active" in req.params:
        if req.get("active") not in ("Y", "N"):
            return _optional(fn, "ACTIVE MUST BE Y OR N", me, req.get("active"))
        changes["active"] = req.get("active") == "Y"
    if "campaign_name" in req.params:
        name = req.get("campaign_name")
        if not 6 <= len(name) <= 40:
            return _optional(fn, "CAMPAIGN NAME MUST BE FROM 6 TO 40 CHARACTERS", me, name)
        changes["name"] = name
    if "auto_dial_level" in req.params:
        level = req.get("auto_dial_level")
        try:
            valid = 0 <= float(level) <= 4.001
        except ValueError:
            valid = False
        if not valid:
            return _optional(fn, "AUTO DIAL LEVEL MUST BE FROM 0 TO 4.001", me, level, ": |")
        changes["auto_dial_level"] = level
    if "dial_method" in req.params:
        if req.get("dial_method") not in _DIAL_METHODS:
            return _optional(fn, "DIAL METHOD IS NOT VALID", me, req.get("dial_method"))
        changes["dial_method"] = req.get("dial_method")
    if "dial_timeout" in req.params:
        timeout = req.get("dial_timeout")
        if not (timeout.isdigit() and 1 <= int(timeout) <= 120):
            return _optional(fn, "DIAL TIMEOUT MUST BE FROM 1 TO 120", me, timeout)
        changes["dial_timeout"] = int(timeout)
    if "list_order" in req.params:
        changes["lead_order"] = req.get("list_order")
    statuses = list(campaign.dial_statuses)
    for status in req.get("dial_status_add").split():
        if status not in statuses:
            statuses.append(status)
    for status in req.get("dial_status_remove").split():
        if status not in statuses:
            return (
                f"ERROR: {fn} DIAL STATUS REMOVE FAILURE, NOT AN EXISTING DIAL STATUS, "
                f"THIS IS AN OPTIONAL FIELD - |{me}|{status}|\n"
            )
        statuses.remove(status)
    if statuses != campaign.dial_statuses:
        changes["dial_statuses"] = statuses
    urls = dict(campaign.callback_urls)
    for kind in ("dispo_call_url", "start_call_url", "na_call_url"):
        if kind in req.params:
            url = req.get(kind)
            if url not in ("", "ALT") and not url.startswith(("http://", "https://")):
                what = kind.upper().replace("_", " ") + " IS NOT VALID"
                return f"ERROR: {fn} {what}, THIS IS AN OPTIONAL FIELD: |{me}|{url}\n"
            urls[kind] = url
    if urls != campaign.callback_urls:
        changes["callback_urls"] = urls
    lines = []
    if changes:
        for name, value in changes.items():
            setattr(campaign, name, value)
        center.emit(SimEventKind.CAMPAIGN_CHANGED, campaign_id=campaign_id, fields=tuple(changes))
        lines.append(f"SUCCESS: update_campaign CAMPAIGN HAS BEEN UPDATED - {me}|{campaign_id}")
    else:
        lines.append(f"NOTICE: update_campaign NO UPDATES DEFINED: |{me}|")
    if req.get("reset_hopper") == "Y":
        center.hopper = [e for e in center.hopper if e.campaign_id != campaign_id]
        center.emit(SimEventKind.HOPPER_CHANGED, campaign_id=campaign_id, reset=True)
        lines.append(f"NOTICE: update_campaign HOPPER HAS BEEN RESET - {me}|{campaign_id}|")
    return "".join(line + "\n" for line in lines)


# -- lists and DNC -------------------------------------------------------------------------


def _list_counts(center: CallCenter, list_id: int) -> tuple[int, int, int]:
    lst = center.lists[list_id]
    campaign = center.campaigns.get(lst.campaign_id)
    dialable = set(campaign.dial_statuses) if campaign else set()
    leads = [lead for lead in center.leads.values() if lead.list_id == list_id]
    return (
        len(leads),
        sum(1 for lead in leads if lead.status == "NEW"),
        sum(1 for lead in leads if lead.status in dialable and not lead.called_since_last_reset),
    )


@handles("list_info")
def list_info(req: ApiRequest) -> str:
    center, me, text = req.center, req.user.user, req.get("list_id")
    if not text:
        return f"ERROR: list_info YOU MUST USE ALL REQUIRED FIELDS: |{me}|||\n"
    lst = center.lists.get(int(text)) if text.isdigit() else None
    if lst is None:
        return f"ERROR: list_info LIST DOES NOT EXIST: |{me}|{text}\n"
    sep = delimiter(req.get("stage"))
    header = [
        "list_id",
        "list_name",
        "campaign_id",
        "active",
        "list_changedate",
        "list_lastcalldate",
        "expiration_date",
        "resets_today",
    ]
    values: list[object] = [
        lst.list_id,
        lst.name,
        lst.campaign_id,
        "Y" if lst.active else "N",
        stamp(lst.changedate),
        stamp(lst.lastcalldate),
        lst.expiration_date.isoformat(),
        lst.resets_today,
    ]
    total, new, dialable = _list_counts(center, lst.list_id)
    counts: list[object] = []
    if req.get("leads_counts") == "Y":
        header += ["all_leads_count", "new_leads_count"]
        counts += [total, new]
    if req.get("dialable_count") == "Y":
        header.append("dialable_count")
        counts.append(dialable)
    # The real row ends with a stray delimiter, which the counts then follow.
    row = sep.join(str(v) for v in values) + sep + sep.join(str(v) for v in counts)
    head = sep.join(header) + "\n" if req.get("header") == "YES" else ""
    return head + row + "\n"


def _field_op(req: ApiRequest, list_id: int) -> str | None:
    """update_list's custom-field commands: the NOTICE line, or None when none was asked."""
    center, me = req.center, req.user.user
    lst = center.lists[list_id]
    label = req.get("field_label")
    where = f"{me}|{list_id}|{label}"
    missing = "FIELD DOES NOT EXIST, FIELD NOT {}, THIS IS AN OPTIONAL FIELD"
    fn = "update_list"
    if req.get("custom_fields_add") == "Y":
        kind = req.get("field_type") or "TEXT"
        lst.custom_fields[label] = kind
        return f"NOTICE: {fn} ADD CUSTOM FIELD COMMAND SENT - {where}|{kind}|SUCCESS: Field added|"
    if req.get("custom_fields_update") == "Y":
        if label not in lst.custom_fields:
            return f"NOTICE: {fn} {missing.format('UPDATED')} - {where}|||||"
        kind = req.get("field_type") or lst.custom_fields[label]
        lst.custom_fields[label] = kind
        done = "SUCCESS: Field updated"
        return f"NOTICE: {fn} UPDATE CUSTOM FIELD COMMAND SENT - {where}|{kind}|{done}|"
    if req.get("custom_fields_delete") == "Y":
        if label not in lst.custom_fields:
            return f"NOTICE: {fn} {missing.format('DELETED')} - {where}|"
        del lst.custom_fields[label]
        for lead in center.leads.values():
            if lead.list_id == list_id:
                lead.custom.pop(label, None)
        return f"NOTICE: {fn} DELETE CUSTOM FIELD COMMAND SENT - {where}||SUCCESS: Field deleted|"
    return None


def _copy_fields(req: ApiRequest, list_id: int) -> str | None:
    source_text = req.get("custom_fields_copy")
    if not source_text:
        return None
    center, me = req.center, req.user.user
    method = req.get("custom_copy_method") or "APPEND"
    source = center.lists.get(int(source_text)) if source_text.isdigit() else None
    head = "NOTICE: update_list CUSTOM FIELDS LIST ID TO COPY FROM"
    tail = f"THIS IS AN OPTIONAL FIELD - {me}|{list_id}|{source_text}|0"
    if source is None:
        return f"{head} DOES NOT EXIST, {tail}"
    if not source.custom_fields:
        return f"{head} HAS NO CUSTOM FIELDS, {tail}"
    target = center.lists[list_id]
    if method == "REPLACE":
        target.custom_fields = dict(source.custom_fields)
    else:
        for label, kind in source.custom_fields.items():
            if method == "UPDATE" or label not in target.custom_fields:
                target.custom_fields[label] = kind
    return (
        f"NOTICE: update_list COPY CUSTOM FIELDS COMMAND SENT - {me}|{list_id}|{source_text}|"
        f"{method}|SUCCESS: Fields copied|"
    )


@handles("update_list")
def update_list(req: ApiRequest) -> str:
    center, me, fn, text = req.center, req.user.user, "update_list", req.get("list_id")
    if not text:
        return f"ERROR: update_list YOU MUST USE ALL REQUIRED FIELDS: |{me}|\n"
    lst = center.lists.get(int(text)) if text.isdigit() else None
    if lst is None:
        return f"ERROR: update_list LIST DOES NOT EXIST: |{me}|{text}\n"
    changes: dict[str, object] = {}
    if "list_name" in req.params:
        name = req.get("list_name")
        if not 6 <= len(name) <= 30:
            return _optional(fn, "LIST NAME MUST BE FROM 6 TO 30 CHARACTERS", me, name)
        changes["name"] = name
    if "campaign_id" in req.params:
        if req.get("campaign_id") not in center.campaigns:
            return _optional(fn, "CAMPAIGN DOES NOT EXIST", me, req.get("campaign_id"))
        changes["campaign_id"] = req.get("campaign_id")
    if "active" in req.params:
        if req.get("active") not in ("Y", "N"):
            return _optional(fn, "ACTIVE MUST BE Y OR N", me, req.get("active"))
        changes["active"] = req.get("active") == "Y"
    lines = []
    field_op = _field_op(req, lst.list_id)
    if field_op:
        lines.append(field_op)
    if changes:
        for name, value in changes.items():
            setattr(lst, name, value)
        lst.changedate = center.now()
        lines.append(f"SUCCESS: update_list LIST HAS BEEN UPDATED - {me}|{lst.list_id}")
    else:
        lines.append(f"NOTICE: update_list NO UPDATES DEFINED: |{me}|")
    if req.get("reset_list") == "Y":
        count = 0
        for lead in center.leads.values():
            if lead.list_id == lst.list_id:
                lead.called_since_last_reset = False
                count += 1
        lst.resets_today += 1
        lines.append(
            f"NOTICE: update_list LEADS IN LIST HAVE BEEN RESET - {me}|{lst.list_id}|{count}"
        )
    if req.get("delete_list") == "Y":
        del center.lists[lst.list_id]
        lines.append(f"NOTICE: update_list LIST HAS BEEN DELETED - {me}|{lst.list_id}|1")
        if req.get("delete_leads") == "Y":
            doomed = [i for i, lead in center.leads.items() if lead.list_id == lst.list_id]
            for lead_id in doomed:
                del center.leads[lead_id]
            gone = f"{me}|{lst.list_id}|{len(doomed)}"
            lines.append(f"NOTICE: update_list LEADS IN LIST HAVE BEEN DELETED - {gone}")
    copied = _copy_fields(req, lst.list_id) if lst.list_id in center.lists else None
    if copied:
        lines.append(copied)
    if changes or len(lines) > 1 or field_op:
        center.emit(SimEventKind.LIST_CHANGED, list_id=lst.list_id)
    return "".join(line + "\n" for line in lines)


def _dnc_request(req: ApiRequest) -> tuple[str, str, str | None]:
    phone, campaign = req.get("phone_number"), req.get("campaign_id")
    data = f"|{req.user.user}|{phone}|{campaign}"
    if not phone or not campaign:
        return phone, campaign, f"ERROR: {req.function} YOU MUST USE ALL REQUIRED FIELDS: {data}\n"
    if campaign != SYSTEM_DNC and campaign not in req.center.campaigns:
        return phone, campaign, f"ERROR: {req.function} CAMPAIGN DOES NOT EXIST: {data}\n"
    return phone, campaign, None


@handles("add_dnc_phone")
def add_dnc_phone(req: ApiRequest) -> str:
    phone, campaign, error = _dnc_request(req)
    if error:
        return error
    numbers = req.center.dnc.setdefault(campaign, set())
    me = req.user.user
    if phone in numbers:
        return f"ERROR: add_dnc_phone DNC NUMBER ALREADY EXISTS: |{me}|{phone}|{campaign}\n"
    numbers.add(phone)
    req.center.emit(SimEventKind.DNC_CHANGED, phone_number=phone, dnc_list=campaign, added=True)
    return f"SUCCESS: add_dnc_phone DNC NUMBER HAS BEEN ADDED - {me}|{phone}|{campaign}\n"


@handles("delete_dnc_phone")
def delete_dnc_phone(req: ApiRequest) -> str:
    phone, campaign, error = _dnc_request(req)
    if error:
        return error
    numbers = req.center.dnc.setdefault(campaign, set())
    me = req.user.user
    if phone not in numbers:
        return f"ERROR: delete_dnc_phone DNC NUMBER DOES NOT EXIST: |{me}|{phone}|{campaign}\n"
    numbers.discard(phone)
    req.center.emit(SimEventKind.DNC_CHANGED, phone_number=phone, dnc_list=campaign, added=False)
    return f"SUCCESS: delete_dnc_phone DNC NUMBER HAS BEEN DELETED - {me}|{phone}|{campaign}\n"
