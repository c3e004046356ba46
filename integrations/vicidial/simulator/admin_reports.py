"""The non-agent API's report exports, computed from the call center's logs."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date, datetime

from integrations.vicidial.simulator.events import SimEventKind
from integrations.vicidial.simulator.records import AgentLog, CallDirection, CallLog
from integrations.vicidial.simulator.wire import ApiRequest, Handlers, delimiter, stamp, table

HANDLERS = Handlers()
handles = HANDLERS.add

# Statuses a person answered (ViciDial's human_answered flag on system statuses).
HUMAN_ANSWERED = frozenset(
    {"SALE", "NI", "NP", "XFER", "DNC", "CALLBK", "DEC", "N", "CBHOLD", "DC", "ADC"}
)


def _parse_time(text: str) -> datetime | None:
    try:
        return datetime.strptime(text.replace("+", " "), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None


def duration(seconds: int, time_format: str) -> str:
    """Seconds in the report's time format: S, M (83:45) or H/HF (1:23:45)."""
    if time_format == "S":
        return str(seconds)
    if time_format == "M":
        return f"{seconds // 60}:{seconds % 60:02d}"
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def percent(part: float, whole: float) -> str:
    value = round(100 * part / whole, 1) if whole else 0.0
    return f"{value:g}%"


_STATS_HEADER = [
    "user",
    "full_name",
    "user_group",
    "calls",
    "login_time",
    "total_talk_time",
    "avg_talk_time",
    "avg_wait_time",
    "pct_of_queue",
    "pause_time",
    "sessions",
    "avg_session",
    "pauses",
    "avg_pause_time",
    "pause_pct",
    "pauses_per_session",
    "wait_time",
    "talk_time",
    "dispo_time",
    "dead_time",
]


@handles("agent_stats_export")
def agent_stats_export(req: ApiRequest) -> str:
    center, me = req.center, req.user.user
    agent, campaign = req.get("agent_user"), req.get("campaign_id")
    start_text, end_text = req.get("datetime_start"), req.get("datetime_end")
    start, end = _parse_time(start_text), _parse_time(end_text)
    if start is None or end is None or end < start:
        return (
            f"ERROR: agent_stats_export INVALID SEARCH PARAMETERS: {me}|{agent}|{start_text}|"
            f"{end_text}|{campaign}\n"
        )
    logs = [
        log
        for log in center.agent_logs
        if start <= log.event_time <= end
        and (not agent or log.user == agent)
        and (not campaign or log.campaign_id == campaign)
    ]
    if not logs:
        return (
            f"ERROR: agent_stats_export NO RECORDS FOUND - {me}|{agent}|{start_text}|{end_text}|"
            f"{campaign}\n"
        )
    by_campaign = req.get("group_by_campaign") == "YES"
    groups: dict[tuple[str, str], list[AgentLog]] = defaultdict(list)
    for log in logs:
        groups[(log.campaign_id if by_campaign else "", log.user)].append(log)
    all_calls = sum(1 for log in logs if log.status)
    fmt = req.get("time_format") or "H"
    rows: list[list[object]] = []
    previous_avg_talk = 0
    for (campaign_id, user_id), items in sorted(groups.items()):
        user = center.users.get(user_id)
        row = _stats_row(items, all_calls, fmt)
        # The real server prints the previous agent's average talk time in this column (a
        # ViciDial bug kept for fidelity); grouped by campaign it prints zero.
        talk = sum(x.talk_sec for x in items)
        calls = sum(1 for x in items if x.status)
        row[3] = duration(0 if by_campaign else previous_avg_talk, fmt)
        previous_avg_talk = talk // calls if calls else 0
        name = [user_id, user.full_name if user else "", user.user_group if user else ""]
        rows.append(([campaign_id] if by_campaign else []) + name + row)
    header = (["campaign_id"] if by_campaign else []) + _STATS_HEADER
    return table(req, header, rows)


def _stats_row(items: Sequence[AgentLog], all_calls: int, fmt: str) -> list[object]:
    pause = sum(x.pause_sec for x in items)
    wait = sum(x.wait_sec for x in items)
    talk = sum(x.talk_sec for x in items)
    dispo = sum(x.dispo_sec for x in items)
    dead = sum(x.dead_sec for x in items)
    login = pause + wait + talk + dispo + dead
    calls = sum(1 for x in items if x.status)
    sessions = len({x.session for x in items}) or 1
    pauses = sum(1 for x in items if x.pause_sec)
    return [
        calls,
        duration(login, fmt),
        duration(talk, fmt),
        "",  # avg_talk_time, filled in by the caller
        duration(wait // calls if calls else 0, fmt),
        percent(calls, all_calls),
        pause,
        sessions,
        duration(login // sessions, fmt),
        pauses,
        duration(pause // pauses if pauses else 0, fmt),
        percent(pause, login),
        pauses // sessions,
        duration(wait, fmt),
        duration(talk, fmt),
        duration(dispo, fmt),
        duration(dead, fmt),
    ]


def _breakdown(logs: Sequence[CallLog]) -> list[object]:
    hours = Counter(log.call_date.hour for log in logs)
    statuses = Counter(log.status for log in logs)
    return [
        len(logs),
        sum(1 for log in logs if log.status in HUMAN_ANSWERED),
        ",".join(f"{h:02d}-{hours[h]}" for h in range(24)),
        ",".join(f"{s}-{statuses[s]}" for s in sorted(statuses)),
    ]


def _missing_groups(req: ApiRequest, what: str) -> str:
    # The real server prints its source check's second line after this one.
    source = req.get("source")
    missing = f"ERROR: {req.function} INVALID OR MISSING {what} - {source}\n"
    return missing + f"ERROR: Invalid Source: |{source}|\n"


def _campaigns(req: ApiRequest) -> list[str]:
    wanted = req.get("campaigns")
    if wanted in ("---ALL---", "ALLCAMPAIGNS"):
        return list(req.center.campaigns)
    return [c for c in wanted.split("-") if c in req.center.campaigns]


@handles("call_status_stats")
def call_status_stats(req: ApiRequest) -> str:
    center = req.center
    if len(req.get("campaigns")) < 2:
        return _missing_groups(req, "CAMPAIGNS")
    if req.denied:
        return req.denied
    campaigns = _campaigns(req)
    day = req.get("query_date") or center.now().date().isoformat()
    ingroups = [g for g in req.get("ingroups").split("-") if g] or [
        g for c in campaigns for g in center.campaigns[c].ingroups
    ]
    statuses = {s for s in req.get("statuses").split("-") if s}
    logs = [
        log
        for log in center.call_logs
        if log.call_date.date().isoformat() == day and (not statuses or log.status in statuses)
    ]
    rows: list[list[object]] = []
    for campaign in campaigns:
        mine = [x for x in logs if x.campaign_id == campaign and not x.ingroup]
        rows.append([campaign, *_breakdown(mine)])
    for group in dict.fromkeys(ingroups):
        mine = [x for x in logs if x.ingroup == group]
        rows.append([group, *_breakdown(mine)])
    return "".join("|".join(str(v) for v in row) + "|\n" for row in rows)


@handles("recording_lookup")
def recording_lookup(req: ApiRequest) -> str:
    center, me = req.center, req.user.user
    agent, lead_text, day = req.get("agent_user"), req.get("lead_id"), req.get("date")
    uniqueid, extension = req.get("uniqueid"), req.get("extension")
    searched = f"{me}|{agent}|{lead_text}|{day}|{uniqueid}"
    # A date alone is not a search: the real server wants a user, lead, call or extension.
    if not (agent or lead_text or uniqueid or extension):
        return f"ERROR: recording_lookup INVALID SEARCH PARAMETERS: {searched}\n"
    found = [
        r
        for r in center.recordings
        if (not agent or r.user == agent)
        and (not lead_text or str(r.lead_id) == lead_text)
        and (not day or r.start_time.date().isoformat() == day)
        and (not uniqueid or r.uniqueid == uniqueid)
        and (not extension or extension in r.filename)
    ]
    if not found:
        return f"ERROR: recording_lookup NO RECORDINGS FOUND - {searched}\n"
    with_duration = req.get("duration") == "Y"
    rows = [
        [stamp(r.start_time), r.user, r.recording_id, r.lead_id]
        + ([r.length_in_sec] if with_duration else [])
        + [r.location]
        for r in found
    ]
    # The real header leaves duration out even when the rows carry it.
    return table(req, ["start_time", "user", "recording_id", "lead_id", "location"], rows)


@handles("phone_number_log")
def phone_number_log(req: ApiRequest) -> str:
    center, me = req.center, req.user.user
    phones = [p for p in req.get("phone_number").split(",") if p]
    valid = [p for p in phones if p.isdigit() and len(p) >= 6]
    if not valid:
        return f"ERROR: phone_number_log NO VALID PHONE NUMBERS DEFINED: {me}|{','.join(phones)}|\n"
    kind = req.get("type") or "OUT"
    directions = {
        "OUT": {CallDirection.OUTBOUND},
        "IN": {CallDirection.INBOUND},
    }.get(kind, {CallDirection.OUTBOUND, CallDirection.INBOUND})
    header = [
        "phone_number",
        "call_date",
        "list_id",
        "length_in_sec",
        "lead_status",
        "hangup_reason",
        "call_status",
        "source_id",
        "user",
    ]
    sep = delimiter(req.get("stage"))
    out, any_rows = [], False
    for phone in valid:
        logs = [
            x for x in center.call_logs if x.phone_number == phone and x.direction in directions
        ]
        if req.get("detail") == "LAST":
            logs = logs[-1:]
        if not logs:
            out.append(
                f"NOTICE: phone_number_log NO RECORDS FOUND FOR THIS PHONE NUMBER - {me}|{phone}||"
            )
        for log in logs:
            any_rows = True
            lead = center.leads.get(log.lead_id)
            row = [
                phone,
                stamp(log.call_date),
                log.list_id,
                log.length_in_sec,
                lead.status if lead else "",
                log.term_reason,
                log.status,
                lead.source_id if lead else "",
                log.user,
            ]
            out.append(sep.join(str(v) for v in row))
    if any_rows and req.get("header") == "YES":
        out.insert(0, sep.join(header))
    return "".join(line + "\n" for line in out)


@handles("did_log_export")
def did_log_export(req: ApiRequest) -> str:
    center, me = req.center, req.user.user
    did, day = req.get("phone_number"), req.get("date")
    if not did or not day:
        return f"ERROR: did_log_export INVALID SEARCH PARAMETERS: {me}|{did}|{day}\n"
    logs = [x for x in center.did_logs if x.did == did and x.call_date.date().isoformat() == day]
    if not logs:
        return f"ERROR: did_log_export NO RECORDS FOUND - {me}|||{day}\n"
    rows = [[x.did, x.caller_id_number, stamp(x.call_date), x.length_in_sec] for x in logs]
    # The real header names call_date second although rows put the caller id there.
    return table(req, ["did_number", "call_date", "caller_id_number", "length_in_sec"], rows)


@handles("update_log_entry")
def update_log_entry(req: ApiRequest) -> str:
    center, me = req.center, req.user.user
    group, status = req.get("group"), req.get("status")
    # The real server drops the dot of a uniqueid, so one never matches: only caller codes do.
    call_id = req.get("call_id").replace(".", "")
    if len(group) < 2 or len(call_id) < 8 or not status:
        return (
            f"ERROR: update_log_entry INVALID SEARCH PARAMETERS: {me}|{group}|{call_id}|{status}\n"
        )
    if group not in center.ingroups and group not in center.campaigns:
        return f"ERROR: update_log_entry GROUP NOT FOUND: {me}|{group}\n"
    found = [
        log
        for log in center.call_logs
        if log.campaign_id == group and call_id in (log.call_id, log.uniqueid)
    ]
    if not found:
        return f"ERROR: update_log_entry NO RECORDS FOUND: {me}|{group}|{call_id}|{status}\n"
    log = found[-1]
    old = log.status
    log.status = status
    center.emit(SimEventKind.CALL_LOG_CHANGED, call_id=call_id, status=status, previous=old)
    done = f"{me}|{me}|{group}|{call_id}|{status}|{old}|1|"
    return f"SUCCESS: update_log_entry RECORD HAS BEEN UPDATED - {done}\n"


def _days(req: ApiRequest) -> tuple[date, date]:
    today = req.center.now().date()
    first = _parse_day(req.get("query_date")) or today
    return first, _parse_day(req.get("end_date")) or first


def _parse_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _dispo_rows(req: ApiRequest) -> list[tuple[str, list[str]]]:
    """call_dispo_report's groups and the statuses of their calls in the date range."""
    center = req.center
    first, last = _days(req)
    statuses = {s for s in req.get("statuses").split("-") if s}
    users = {u for u in req.get("users").split("-") if u}

    def wanted(log: CallLog) -> bool:
        return (
            first <= log.call_date.date() <= last
            and (not statuses or log.status in statuses)
            and (not users or log.user in users)
        )

    logs = [log for log in center.call_logs if wanted(log)]
    out = [
        (c, [x.status for x in logs if x.campaign_id == c and not x.ingroup])
        for c in _campaigns(req)
    ]
    groups = [g for g in req.get("ingroups").split("-") if g in center.ingroups]
    out += [(g, [x.status for x in logs if x.ingroup == g]) for g in groups]
    dids = [d for d in center.did_logs if first <= d.call_date.date() <= last]
    patterns = {p for p in req.get("did_patterns").split("-") if p}
    patterns |= {
        did.pattern
        for did in center.dids.values()
        if str(did.did_id) in req.get("did_ids").split("-")
    }
    out += [(p, ["" for d in dids if d.did == p]) for p in sorted(patterns)]
    return [(name, found) for name, found in out if found]


@handles("call_dispo_report")
def call_dispo_report(req: ApiRequest) -> str:
    fields = ("campaigns", "ingroups", "did_patterns")
    if all(len(req.get(name)) < 2 for name in fields) and not req.get("did_ids"):
        return _missing_groups(req, "CAMPAIGNS, INGROUPS, OR DIDS")
    if req.denied:
        return req.denied
    rows = _dispo_rows(req)
    breakdown = req.get("status_breakdown") == "1"
    share = breakdown and req.get("show_percentages") == "1"
    names = sorted({s for _, found in rows for s in found if s}) if breakdown else []
    every = [s for _, found in rows for s in found]

    def cells(found: list[str]) -> list[str]:
        counts = Counter(found)
        out = [str(len(found))]
        for status in names:
            count = counts[status]
            out.append(f"{count} ({100 * count / len(found):.1f}%)" if share else str(count))
        return out

    lines_out = [",".join(["CAMPAIGN", "TOTAL CALLS", *names])]
    lines_out += [",".join([name, *cells(found)]) for name, found in rows]
    lines_out.append(",".join(["TOTAL", *cells(every)]) if every else "TOTAL,0")
    # The real report ends without a newline.
    return "\n".join(lines_out)
