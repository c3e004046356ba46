"""The non-agent API's campaign functions: the campaigns, their hopper and their settings."""

from __future__ import annotations

from integrations.vicidial.simulator.events import SimEventKind
from integrations.vicidial.simulator.php import intval
from integrations.vicidial.simulator.wire import (
    Answer,
    ApiRequest,
    Handlers,
    optional_error,
    table,
)

HANDLERS = Handlers()
handles = HANDLERS.add


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
        return f"ERROR: campaigns_list THIS USER HAS NO VIEWABLE CAMPAIGNS: {req.user.user}|\n"
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
            f"{me}|{campaign}\n"
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
    priority = intval(req.get("hopper_priority"))
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
                "NOTICE: hopper_bulk_insert CAMPAIGN DOES NOT EXIST - "
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


@handles("update_campaign")
def update_campaign(req: ApiRequest) -> str:
    center, me, fn = req.center, req.user.user, "update_campaign"
    campaign_id = req.get("campaign_id")
    if not campaign_id:
        shown = f"|{me}|{campaign_id}||{campaign_id}"
        return f"ERROR: update_campaign YOU MUST USE ALL REQUIRED FIELDS: {shown}\n"
    campaign = center.campaigns.get(campaign_id)
    if campaign is None:
        return f"ERROR: update_campaign CAMPAIGN DOES NOT EXIST: |{me}|{campaign_id}\n"
    changes: dict[str, object] = {}
    if "active" in req.params:
        if req.get("active") not in ("Y", "N"):
            return optional_error(fn, "ACTIVE MUST BE Y OR N", me, req.get("active"))
        changes["active"] = req.get("active") == "Y"
    if "campaign_name" in req.params:
        name = req.get("campaign_name")
        if not 6 <= len(name) <= 40:
            return optional_error(fn, "CAMPAIGN NAME MUST BE FROM 6 TO 40 CHARACTERS", me, name)
        changes["name"] = name
    if "auto_dial_level" in req.params:
        level = req.get("auto_dial_level")
        try:
            valid = 0 <= float(level) <= 4.001
        except ValueError:
            valid = False
        if not valid:
            return optional_error(fn, "AUTO DIAL LEVEL MUST BE FROM 0 TO 4.001", me, level, ": |")
        changes["auto_dial_level"] = level
    if "dial_method" in req.params:
        if req.get("dial_method") not in _DIAL_METHODS:
            return optional_error(fn, "DIAL METHOD IS NOT VALID", me, req.get("dial_method"))
        changes["dial_method"] = req.get("dial_method")
    if "dial_timeout" in req.params:
        timeout = req.get("dial_timeout")
        if not (timeout.isdigit() and 1 <= int(timeout) <= 120):
            return optional_error(fn, "DIAL TIMEOUT MUST BE FROM 1 TO 120", me, timeout)
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
