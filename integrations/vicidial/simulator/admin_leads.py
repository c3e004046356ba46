"""The non-agent API's lead functions: add, update, batch update, look up and search leads,
and check a phone number."""

from __future__ import annotations

from integrations.vicidial.simulator.events import SimEventKind
from integrations.vicidial.simulator.lead_entry import (
    COLUMNS,
    custom_values,
    insert_lead,
    valid_phone,
)
from integrations.vicidial.simulator.phone_checks import (
    campaign_dnc_problem,
    dialable_now,
    digits_only,
    nanpa_notice,
    number_problem,
)
from integrations.vicidial.simulator.php import intval
from integrations.vicidial.simulator.records import LEAD_COLUMNS, Lead
from integrations.vicidial.simulator.state import CallCenter
from integrations.vicidial.simulator.wire import ApiRequest, Handlers, delimiter, lines, stamp

HANDLERS = Handlers()
handles = HANDLERS.add

DEFAULT_LIST = 999


def _hopper_notice(req: ApiRequest, lead: Lead) -> str:
    center, me, fn = req.center, req.user.user, req.function
    if center.in_hopper(lead.lead_id):
        return (
            f"NOTICE: {fn} NOT ADDED TO HOPPER, LEAD IS ALREADY IN THE HOPPER - "
            f"{lead.phone_number}|{lead.lead_id}|{me}"
        )
    lst = center.lists.get(lead.list_id)
    if lst is None:
        return f"NOTICE: {fn} NOT ADDED TO HOPPER - {lead.phone_number}|{me}|{lead.lead_id}|0"
    entry = center.add_to_hopper(lead.lead_id, lst.campaign_id, intval(req.get("hopper_priority")))
    return (
        f"NOTICE: {fn} ADDED TO HOPPER - {lead.phone_number}|{lead.lead_id}|{entry.hopper_id}|{me}"
    )


def _duplicate(req: ApiRequest, phone: str, list_id: int) -> str | None:
    """add_lead's duplicate_check (DUPLIST, DUPCAMP, DUPSYS, DUPPHONEALT*, DUPNAMEPHONE*)."""
    center = req.center
    checks = req.get("duplicate_check").split("-")
    lst = center.lists.get(list_id)
    campaign_lists = {
        other.list_id
        for other in center.lists.values()
        if lst is not None and other.campaign_id == lst.campaign_id
    }
    scopes = {"LIST": ({list_id}, "LIST"), "CAMP": (campaign_lists, "CAMPAIGN LISTS")}
    for check in checks:
        for suffix, (allowed, where) in [*scopes.items(), ("SYS", (None, "SYSTEM"))]:
            if not check.endswith(suffix):
                continue
            found = [
                lead
                for lead in center.leads.values()
                if (allowed is None or lead.list_id in allowed)
                and (
                    lead.phone_number == phone
                    or (check.startswith("DUPPHONEALT") and lead.alt_phone == phone)
                )
                and (
                    not check.startswith("DUPNAMEPHONE")
                    or (
                        lead.first_name == req.get("first_name")
                        and lead.last_name == req.get("last_name")
                    )
                )
            ]
            if not found:
                continue
            dup = found[0]
            if check.startswith("DUPNAMEPHONE"):
                return (
                    f"ERROR: add_lead DUPLICATE NAME PHONE IN {where} - {req.get('first_name')}|"
                    f"{req.get('last_name')}|{phone}|{list_id}|{dup.lead_id}|{dup.list_id}\n"
                )
            tail = "|PHONE" if check.startswith("DUPPHONEALT") else ""
            extra = f"|{dup.list_id}" if where != "LIST" else ""
            return (
                f"ERROR: add_lead DUPLICATE PHONE NUMBER IN {where} - "
                f"{phone}|{list_id}|{dup.lead_id}{extra}{tail}\n"
            )
    return None


def _added(req: ApiRequest, lead: Lead) -> list[str]:
    fn, me = req.function, req.user.user
    out = [
        f"SUCCESS: {fn} LEAD HAS BEEN ADDED - {lead.phone_number}|{lead.list_id}|{lead.lead_id}|"
        f"{lead.gmt_offset_now}|{me}"
    ]
    if lead.custom:
        out.append(
            f"NOTICE: {fn} CUSTOM FIELDS VALUES ADDED - {lead.phone_number}|{lead.lead_id}|"
            f"{lead.list_id}|1"
        )
    return out


@handles("add_lead")
def add_lead(req: ApiRequest) -> str:
    center = req.center
    phone = digits_only(req.get("phone_number"))
    list_text = req.get("list_id")
    list_id = int(list_text) if list_text.isdigit() else DEFAULT_LIST
    lst = center.lists.get(list_id)
    if req.flag("list_exists_check") and lst is None:
        return (
            "ERROR: add_lead NOT A DEFINED LIST ID, LIST EXISTS CHECK ENABLED - "
            f"{phone}|{list_text}\n"
        )
    notice = nanpa_notice(req)
    problem = number_problem(req, phone) or (
        campaign_dnc_problem(req, phone, lst.campaign_id) if lst is not None else None
    )
    if problem:
        return notice + problem
    if req.get("duplicate_check"):
        duplicate = _duplicate(req, phone, list_id)
        if duplicate:
            return notice + duplicate
    lead = insert_lead(req, phone, list_id)
    out = _added(req, lead)
    if req.get("add_to_hopper") == "Y":
        out.append(_hopper_notice(req, lead))
    return notice + lines(*out)


@handles("check_phone_number")
def check_phone_number(req: ApiRequest) -> str:
    center, me = req.center, req.user.user
    call_time = req.get("local_call_time")
    if call_time not in center.call_times:
        return f"ERROR: check_phone_number THIS IS NOT A VALID CALL TIME: |{me}|{call_time}|\n"
    nanpa = nanpa_notice(req, "ERROR")
    if nanpa:
        return nanpa
    phone = digits_only(req.get("phone_number"))
    problem = number_problem(req, phone) or campaign_dnc_problem(req, phone, req.get("campaign_id"))
    if problem:
        return problem
    dialable, offset = dialable_now(center, phone, call_time)
    methods = [m for m in ("AREACODE", "POSTAL", "TZCODE", "NANPA") if m in req.get("tz_method")]
    verdicts = [f"{m}: {int(dialable)}|{offset:g}" for m in methods or ["AREACODE"]]
    fields = [phone, req.get("phone_code") or "1", req.get("postal_code"), req.get("state")]
    phone_part = "PHONE: " + "|".join([*fields, req.get("owner")]) + "|"
    return "#".join([*verdicts, phone_part]) + "\n"


def _search(req: ApiRequest) -> tuple[list[Lead], str | None]:
    """update_lead's lead search; the error data names what was searched for."""
    center = req.center
    lead_text = req.get("lead_id")
    if lead_text:
        lead = center.leads.get(int(lead_text)) if lead_text.isdigit() else None
        return ([lead] if lead else []), None
    methods = (req.get("search_method") or "").split("_")
    method = req.get("search_method")
    location = req.get("search_location") or "SYSTEM"
    candidates = list(center.leads.values())
    if location == "LIST":
        candidates = [c for c in candidates if str(c.list_id) == req.get("list_id")]
    elif location == "CAMPAIGN":
        lst = center.lists.get(intval(req.get("list_id")))
        campaign = lst.campaign_id if lst else ""
        candidates = [
            c
            for c in candidates
            if c.list_id in center.lists and center.lists[c.list_id].campaign_id == campaign
        ]
    if method == "VENDOR_LEAD_CODE" and req.get("vendor_lead_code"):
        found = [c for c in candidates if c.vendor_lead_code == req.get("vendor_lead_code")]
    elif "PHONE" in methods and req.get("phone_number"):
        found = [c for c in candidates if c.phone_number == req.get("phone_number")]
    else:
        searched = f"{req.get('lead_id')}|{req.get('vendor_lead_code')}|{req.get('phone_number')}"
        return (
            [],
            f"ERROR: update_lead NO VALID SEARCH METHOD - {req.user.user}|{method}|{searched}\n",
        )
    found.sort(key=lambda lead: -lead.lead_id)
    limit = intval(req.get("records")) or 1000
    return found[:limit], None


@handles("update_lead")
def update_lead(req: ApiRequest) -> str:
    me = req.user.user
    found, error = _search(req)
    if error:
        return error
    searched = f"|{me}|{req.get('lead_id')}|{req.get('vendor_lead_code')}|{req.get('phone_number')}"
    if not found:
        if req.get("insert_if_not_found") != "Y":
            return f"ERROR: update_lead NO MATCHES FOUND IN THE SYSTEM: {searched}\n"
        phone, list_text = req.get("phone_number"), req.get("list_id")
        if not valid_phone(phone):
            shown = "|".join(req.get(k) for k in ("phone_number", "phone_code", "list_id"))
            return f"ERROR: update_lead INVALID DATA FOR LEAD INSERTION - {me}|{shown}|Y\n"
        lead = insert_lead(req, phone, int(list_text) if list_text.isdigit() else DEFAULT_LIST)
        return lines(
            f"NOTICE: update_lead NO MATCHES FOUND IN THE SYSTEM: {searched}", *_added(req, lead)
        )
    out: list[str] = []
    if req.get("no_update") == "Y":
        out.append(
            f"NOTICE: update_lead LEADS FOUND IN THE SYSTEM: |{me}|"
            + ",".join(str(lead.lead_id) for lead in found)
            + f"|{req.get('vendor_lead_code')}|{req.get('phone_number')}|"
            + ",".join(str(lead.list_id) for lead in found)
            + "|"
            + ",".join(str(lead.entry_list_id) for lead in found)
        )
    else:
        for lead in found:
            out.extend(_update_one(req, lead))
    if req.get("add_to_hopper") == "Y":
        out.extend(_hopper_notice(req, lead) for lead in found)
    if not out:
        out.append(f"NOTICE: update_lead NO UPDATES DEFINED: |{me}|")
    return lines(*out)


# Search keys and actions, not columns to write, when update_lead finds its leads by them.
_SEARCH_KEYS = frozenset({"phone_number", "vendor_lead_code"})


def _update_one(req: ApiRequest, lead: Lead) -> list[str]:
    center, me, out = req.center, req.user.user, []
    if req.get("delete_lead") == "Y":
        del center.leads[lead.lead_id]
        center.hopper = [e for e in center.hopper if e.lead_id != lead.lead_id]
        center.emit(SimEventKind.LEAD_DELETED, lead_id=lead.lead_id)
        return [f"SUCCESS: update_lead LEAD HAS BEEN DELETED 0|0 - {me}|{lead.lead_id}|1|0|0|"]
    searched_by = _SEARCH_KEYS if not req.get("lead_id") else frozenset()
    changed = [column for column in COLUMNS if column in req.params and column not in searched_by]
    if "list_id_field" in req.params and req.get("list_id_field").isdigit():
        lead.list_id = int(req.get("list_id_field"))
        changed.append("list_id")
    for column in changed:
        if column != "list_id":
            lead.set_column(column, req.get(column))
    if changed:
        lead.modify_date = center.now()
        out.append(f"SUCCESS: update_lead LEAD HAS BEEN UPDATED - {me}|{lead.lead_id}|1|||")
    custom = custom_values(req, lead.list_id)
    if custom:
        lead.custom.update(custom)
        out.append(
            f"NOTICE: update_lead CUSTOM FIELDS VALUES UPDATED - {req.get('phone_number')}|"
            f"{lead.lead_id}|{lead.list_id}|{lead.entry_list_id}|{lead.list_id}|1"
        )
    if req.get("delete_cf_data") == "Y":
        lead.custom = {}
        out.append(
            f"NOTICE: update_lead CUSTOM FIELDS DATA HAS BEEN DELETED - {me}|{lead.lead_id}|"
            f"{lead.list_id}|1|1"
        )
    if req.get("callback") == "Y":
        out.append(_callback(req, lead))
    if changed or custom:
        center.emit(SimEventKind.LEAD_UPDATED, lead_id=lead.lead_id, fields=tuple(changed))
    return out


def _callback(req: ApiRequest, lead: Lead) -> str:
    center = req.center
    when = req.get("callback_datetime")
    if when in ("", "NOW"):
        when = stamp(center.now())
    campaign = req.get("campaign_id")
    if campaign not in center.campaigns:
        return (
            "NOTICE: update_lead SCHEDULED CALLBACK NOT ADDED, CAMPAIGN NOT VALID - "
            f"{lead.lead_id}|{campaign}"
        )
    kind = req.get("callback_type") or "ANYONE"
    status = req.get("callback_status") or "CALLBK"
    user = req.get("callback_user")
    center.schedule_callback(
        lead.lead_id,
        campaign_id=campaign,
        user=user,
        when=when,
        status=status,
        recipient=kind,
        comments=req.get("callback_comments"),
    )
    return (
        f"NOTICE: update_lead SCHEDULED CALLBACK ADDED - {lead.lead_id}|{campaign}|{when}|"
        f"{kind}|{user}|{status}"
    )


# batch_update_lead's settable fields: parameter name -> lead column.
_BATCH_FIELDS = {
    "status": "status",
    "user_field": "user",
    "called_count": "called_count",
    "vendor_lead_code": "vendor_lead_code",
    "source_id": "source_id",
    "rank": "rank",
    "owner": "owner",
}


@handles("batch_update_lead")
def batch_update_lead(req: ApiRequest) -> str:
    center, me = req.center, req.user.user
    ids_text = req.get("lead_ids")
    ids = [int(part) for part in ids_text.split(",") if part.isdigit()]
    if not ids:
        return f"ERROR: batch_update_lead NO LEADS DEFINED - {me}|\n"
    limit = intval(req.get("records")) or 100
    found = sorted(
        (center.leads[i] for i in set(ids) if i in center.leads), key=lambda x: -x.lead_id
    )
    if not found:
        return f"ERROR: batch_update_lead NO MATCHES FOUND IN THE SYSTEM: |{me}|{ids_text}\n"
    target = req.get("list_id_field")
    # The real server updates at most ``records`` leads, however many ids it was given.
    updated = found[:limit]
    for lead in updated:
        for param, column in _BATCH_FIELDS.items():
            if param in req.params:
                lead.set_column(column, req.get(param))
        if target.isdigit():
            lead.list_id = int(target)
        if req.get("reset_called_since_last_reset") == "Y":
            lead.called_since_last_reset = False
        lead.modify_date = center.now()
        center.emit(SimEventKind.LEAD_UPDATED, lead_id=lead.lead_id, batch=True)
    shown = ",".join(str(lead.lead_id) for lead in updated)
    return (
        f"SUCCESS: batch_update_lead LEADS HAVE BEEN UPDATED - {me}|{len(found)}|{len(updated)}|"
        f"{shown}\n"
    )


def _custom_labels(center: CallCenter, req: ApiRequest, lead: Lead) -> list[str]:
    if req.get("custom_fields") != "Y":
        return []
    forced = req.get("force_entry_list_id")
    list_id = int(forced) if forced.isdigit() else lead.list_id
    lst = center.lists.get(list_id)
    return list(lst.custom_fields) if lst else []


@handles("lead_all_info")
def lead_all_info(req: ApiRequest) -> str:
    center, me = req.center, req.user.user
    lead_text, phone = req.get("lead_id"), req.get("phone_number")
    if lead_text:
        one = center.leads.get(int(lead_text)) if lead_text.isdigit() else None
        found = [one] if one else []
    elif phone:
        found = center.leads_by_phone(phone)
    else:
        return f"ERROR: lead_all_info LEAD NOT FOUND: {me}||\n"
    if not found:
        return f"ERROR: lead_all_info LEAD NOT FOUND: {me}|{lead_text}|{phone}\n"
    sep = delimiter(req.get("stage"))
    out = []
    for lead in found:
        labels = _custom_labels(center, req, lead)
        if req.get("header") == "YES":
            # ViciDial repeats the header before each lead when several match.
            out.append(sep.join([*LEAD_COLUMNS, *labels]))
        values = [lead.column(c) for c in LEAD_COLUMNS] + [lead.custom.get(x, "") for x in labels]
        out.append(sep.join(values))
    return lines(*out)


@handles("lead_search")
def lead_search(req: ApiRequest) -> str:
    center, me = req.center, req.user.user
    phones = [p for p in req.get("phone_number").split(",") if p]
    valid = [p for p in phones if valid_phone(p)]
    if not valid:
        shown = ",".join(phones)
        return (
            f"ERROR: lead_search NO VALID SEARCH METHOD - {me}|PHONE_NUMBER|(0)|(0)|"
            f"{shown}({len(valid)})\n"
        )
    limit = intval(req.get("records")) or 1000
    rows = []
    for phone in valid:
        ids = sorted((lead.lead_id for lead in center.leads_by_phone(phone)), reverse=True)[:limit]
        rows.append([phone, len(ids), "-".join(str(i) for i in ids)])
    if not any(row[1] for row in rows):
        return f"ERROR: lead_search NO MATCHES FOUND IN THE SYSTEM: |{me}|||{','.join(valid)}\n"
    sep = delimiter(req.get("stage"))
    # The real header has no delimiters between its names.
    head = ["search_keyrecords_foundlead_ids"] if req.get("header") == "YES" else []
    return lines(*head, *(sep.join(str(v) for v in row) for row in rows))


@handles("lead_status_search")
def lead_status_search(req: ApiRequest) -> str:
    center, me = req.center, req.user.user
    status, day = req.get("status"), req.get("date")
    if not status or not day:
        return f"ERROR: lead_status_search INVALID SEARCH PARAMETERS: {me}|{status}|{day}|\n"
    lead_ids: list[int] = []
    for log in center.call_logs:
        same_day = log.call_date.date().isoformat() == day
        if log.status == status and same_day and log.lead_id in center.leads:
            lead_ids.append(log.lead_id)
    lead_ids = list(dict.fromkeys(lead_ids))
    if not lead_ids:
        return f"ERROR: lead_status_search NO RESULTS FOUND: {me}||{status}|\n"
    out = []
    for number, lead_id in enumerate(lead_ids, start=1):
        lead = center.leads[lead_id]
        out.append(f";---------- START OF RECORD {number} ----------")
        out.append(f"lead_id => {lead.lead_id}")
        out.extend(f"{c} => {lead.column(c)}" for c in LEAD_COLUMNS if c != "lead_id")
        out.extend(f"{x} => {lead.custom.get(x, '')}" for x in _custom_labels(center, req, lead))
    return lines(*out)
