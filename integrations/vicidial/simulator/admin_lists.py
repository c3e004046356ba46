"""The non-agent API's list functions: list_info, list_custom_fields, add_list, update_list."""

from __future__ import annotations

from datetime import date

from integrations.vicidial.simulator.events import SimEventKind
from integrations.vicidial.simulator.field_rules import (
    BLANK,
    Rule,
    at_most,
    length,
    one_of,
    optional,
    refused,
    sent,
    starts_with,
)
from integrations.vicidial.simulator.list_fields import (
    copy_command,
    copy_fields,
    copy_problem,
    field_command,
    may_modify,
)
from integrations.vicidial.simulator.records import LeadList
from integrations.vicidial.simulator.state import CallCenter
from integrations.vicidial.simulator.wire import (
    ApiRequest,
    Handlers,
    delimiter,
    lines,
    stamp,
    table,
)

HANDLERS = Handlers()
handles = HANDLERS.add

ALL_LISTS = "---ALL---"
_LIST_HEAD = [
    "list_id",
    "list_name",
    "campaign_id",
    "active",
    "list_changedate",
    "list_lastcalldate",
]


def _find(center: CallCenter, text: str) -> LeadList | None:
    return center.lists.get(int(text)) if text.isdigit() else None


def _row(lst: LeadList) -> list[object]:
    active = "Y" if lst.active else "N"
    dates = [stamp(lst.changedate), stamp(lst.lastcalldate)]
    return [lst.list_id, lst.name, lst.campaign_id, active, *dates]


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


def _required(req: ApiRequest) -> str | None:
    text = req.get("list_id")
    if 2 <= len(text) <= 14:
        return None
    shown = f"|{req.user.user}|{text}|{req.get('list_name')}|{req.get('campaign_id')}"
    return f"ERROR: {req.function} YOU MUST USE ALL REQUIRED FIELDS: {shown}\n"


@handles("list_info")
def list_info(req: ApiRequest) -> str:
    center, me, text = req.center, req.user.user, req.get("list_id")
    missing = _required(req)
    if missing:
        return missing
    lst = _find(center, text)
    if lst is None:
        return f"ERROR: list_info LIST DOES NOT EXIST: |{me}|{text}\n"
    sep = delimiter(req.get("stage"))
    header = [*_LIST_HEAD, "expiration_date", "resets_today"]
    values = [*_row(lst), lst.expiration_date.isoformat(), lst.resets_today]
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


@handles("list_custom_fields")
def list_custom_fields(req: ApiRequest) -> str:
    center, me, text = req.center, req.user.user, req.get("list_id")
    if not center.system.custom_fields_enabled:
        return f"ERROR: CUSTOM LIST FIELDS ARE NOT ENABLED ON THIS SYSTEM: |{me}|{req.function}|\n"
    missing = _required(req)
    if missing:
        return missing
    if text == ALL_LISTS:
        chosen = [center.lists[i] for i in sorted(center.lists)]
    else:
        one = _find(center, text)
        if one is None:
            return f"ERROR: list_custom_fields LIST DOES NOT EXIST: |{me}|{text}\n"
        chosen = [one]
    order = req.get("custom_order")
    rows = []
    for lst in chosen:
        labels = list(lst.custom_fields)
        if order in ("alpha_up", "alpha_down"):
            labels.sort(reverse=order == "alpha_down")
        rows.append([*_row(lst), " ".join(labels)])
    return table(req, [*_LIST_HEAD, "custom_fields_list_space_delimited"], rows)


def _rules(center: CallCenter, names: tuple[str, ...]) -> tuple[Rule, ...]:
    """The list functions' optional-field rules named in ``names``, in that order."""
    xferconf = {
        f"xferconf_{n}": optional(
            f"xferconf_{n}", at_most(50), f"TRANSFER CONF OVERRIDE {n.upper()} IS NOT VALID"
        )
        for n in ("one", "two", "three", "four", "five")
    }
    rules = {
        "campaign_id": optional(
            "campaign_id", center.campaigns.__contains__, "CAMPAIGN DOES NOT EXIST"
        ),
        "script": optional("script", center.scripts.__contains__, "SCRIPT DOES NOT EXIST"),
        "drop_inbound_group": optional(
            "drop_inbound_group", center.ingroups.__contains__, "IN-GROUP DOES NOT EXIST"
        ),
        "list_name": optional(
            "list_name", length(6, 30), "LIST NAME MUST BE FROM 6 TO 30 CHARACTERS"
        ),
        "active": optional("active", one_of("Y", "N"), "ACTIVE MUST BE Y OR N"),
        "outbound_cid": optional(
            "outbound_cid", length(6, 18), "OUTBOUND CID MUST BE FROM 6 TO 18 DIGITS"
        ),
        "am_message": optional(
            "am_message", at_most(100), "ANSWERING MACHINE MESSAGE MUST LESS THAN 101 DIGITS"
        ),
        "reset_time": optional(
            "reset_time", lambda v: v in ("", BLANK) or len(v) >= 4, "RESET TIME IS NOT VALID"
        ),
        "expiration_date": optional(
            "expiration_date", lambda v: v == BLANK or len(v) >= 10, "EXPIRATION DATE IS NOT VALID"
        ),
        "tz_method": optional(
            "tz_method",
            starts_with(
                "COUNTRY_AND_AREA_CODE", "POSTAL_CODE", "NANPA_PREFIX", "OWNER_TIME_ZONE_CODE"
            ),
            "TIME ZONE METHOD IS NOT VALID",
        ),
        "local_call_time": optional(
            "local_call_time", center.call_times.__contains__, "LOCAL CALL TIME DOES NOT EXIST"
        ),
        **xferconf,
    }
    return tuple(rules[name] for name in names)


_XFERCONF = tuple(f"xferconf_{n}" for n in ("one", "two", "three", "four", "five"))
# The optional fields each function checks, in its order.
_ADD_RULES: tuple[str, ...] = (
    *("script", "drop_inbound_group", "reset_time", "tz_method", "local_call_time"),
    *_XFERCONF,
)
_UPDATE_RULES: tuple[str, ...] = (
    *("campaign_id", "script", "drop_inbound_group", "list_name", "active", "outbound_cid"),
    *("am_message", "reset_time", "expiration_date", "tz_method", "local_call_time"),
    *_XFERCONF,
)


# The settings stored in ``LeadList.settings`` (nothing in the simulator reads them).
_SETTINGS = (
    "script",
    "drop_inbound_group",
    "outbound_cid",
    "am_message",
    "reset_time",
    "tz_method",
    "local_call_time",
    "web_form_address",
    "web_form_address_two",
    "xferconf_one",
    "xferconf_two",
    "xferconf_three",
    "xferconf_four",
    "xferconf_five",
)


def _apply(req: ApiRequest, lst: LeadList) -> list[str]:
    """Store the sent settings on ``lst``; the names of those sent."""
    p = req.params
    changed = [
        name for name in ("list_name", "campaign_id", "active", "list_description") if name in p
    ]
    if "list_name" in p:
        lst.name = p["list_name"]
    if "campaign_id" in p:
        lst.campaign_id = p["campaign_id"]
    if "active" in p:
        lst.active = p["active"] == "Y"
    if "list_description" in p:
        lst.description = p["list_description"]
    expires = p.get("expiration_date", "")
    if len(expires) >= 10 and expires != BLANK:
        lst.expiration_date = date.fromisoformat(expires[:10])
        changed.append("expiration_date")
    settings = sent(req, _SETTINGS)
    lst.settings |= settings
    return changed + list(settings)


@handles("add_list")
def add_list(req: ApiRequest) -> str:
    center, me = req.center, req.user.user
    text, name, campaign = req.get("list_id"), req.get("list_name"), req.get("campaign_id")
    if (
        not 2 <= len(text) <= 14
        or not 1 <= len(campaign) <= 8
        or len(name) < 2
        or not text.isdigit()
    ):
        return f"ERROR: add_list YOU MUST USE ALL REQUIRED FIELDS: |{me}|{text}|{name}|{campaign}\n"
    if campaign not in center.campaigns:
        return f"ERROR: add_list CAMPAIGN DOES NOT EXIST: |{me}|{campaign}\n"
    if int(text) in center.lists:
        return f"ERROR: add_list LIST ALREADY EXISTS: |{me}|{text}\n"
    source = req.get("custom_fields_copy")
    if source:
        problem = copy_problem(center, source)
        refusal = may_modify(req, int(text), source)
        if problem or refusal:
            what = (
                f"CUSTOM FIELDS LIST ID TO COPY FROM {problem}"
                if problem
                else "USER DOES NOT HAVE PERMISSION TO MODIFY CUSTOM FIELDS"
            )
            return f"ERROR: add_list {what}, THIS IS AN OPTIONAL FIELD: |{me}|{text}|{source}|0\n"
    refusal = refused(req, _rules(center, _ADD_RULES))
    if refusal:
        return refusal
    lst = LeadList(int(text), name, campaign, changedate=center.now())
    _apply(req, lst)
    if source:
        copy_fields(center, int(source), lst, "APPEND")
    center.lists[lst.list_id] = lst
    center.emit(SimEventKind.LIST_CHANGED, list_id=lst.list_id, added=True)
    return f"SUCCESS: add_list LIST HAS BEEN ADDED - {me}|{text}|{name}|{campaign}\n"


@handles("update_list")
def update_list(req: ApiRequest) -> str:
    center, me, text = req.center, req.user.user, req.get("list_id")
    missing = _required(req)
    if missing:
        return missing
    lst = _find(center, text)
    if lst is None:
        if req.get("insert_if_not_found") == "Y":
            sending = f"LIST DOES NOT EXIST, SENDING TO add_list FUNCTION: |{me}|{text}"
            return f"NOTICE: update_list {sending}\n" + add_list(req)
        return f"ERROR: update_list LIST DOES NOT EXIST: |{me}|{text}\n"
    out = []
    field_op = field_command(req, lst)
    if field_op:
        out.append(field_op)
    refusal = refused(req, _rules(center, _UPDATE_RULES))
    if refusal:
        return lines(*out) + refusal
    changed = _apply(req, lst)
    if changed:
        lst.changedate = center.now()
        out.append(f"SUCCESS: update_list LIST HAS BEEN UPDATED - {me}|{lst.list_id}")
    else:
        out.append(f"NOTICE: update_list NO UPDATES DEFINED: |{me}|")
    if req.get("reset_list") == "Y":
        count = 0
        for lead in center.leads.values():
            if lead.list_id == lst.list_id:
                lead.called_since_last_reset = False
                count += 1
        lst.resets_today += 1
        out.append(
            f"NOTICE: update_list LEADS IN LIST HAVE BEEN RESET - {me}|{lst.list_id}|{count}"
        )
    if req.get("delete_list") == "Y":
        out.extend(_delete(req, lst))
    copied = copy_command(req, lst) if lst.list_id in center.lists else None
    if copied:
        out.append(copied)
    if len(out) > 1 or changed or field_op:
        center.emit(SimEventKind.LIST_CHANGED, list_id=lst.list_id)
    return lines(*out)


def _delete(req: ApiRequest, lst: LeadList) -> list[str]:
    """delete_list (and delete_leads): the NOTICE lines."""
    center, me = req.center, req.user.user
    if "delete_lists" not in req.user.permissions:
        return [f"NOTICE: update_list USER DOES NOT HAVE PERMISSION TO DELETE LISTS: |{me}|0"]
    del center.lists[lst.list_id]
    out = [f"NOTICE: update_list LIST HAS BEEN DELETED - {me}|{lst.list_id}|1"]
    if req.get("delete_leads") == "Y":
        doomed = [i for i, lead in center.leads.items() if lead.list_id == lst.list_id]
        for lead_id in doomed:
            del center.leads[lead_id]
        gone = f"{me}|{lst.list_id}|{len(doomed)}"
        out.append(f"NOTICE: update_list LEADS IN LIST HAVE BEEN DELETED - {gone}")
    return out
