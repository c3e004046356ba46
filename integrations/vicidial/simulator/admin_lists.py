"""The non-agent API's list functions: lists, their custom fields, and DNC numbers."""

from __future__ import annotations

from integrations.vicidial.simulator.events import SimEventKind
from integrations.vicidial.simulator.state import SYSTEM_DNC, CallCenter
from integrations.vicidial.simulator.wire import (
    ApiRequest,
    Handlers,
    delimiter,
    optional_error,
    stamp,
)

HANDLERS = Handlers()
handles = HANDLERS.add


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
            return optional_error(fn, "LIST NAME MUST BE FROM 6 TO 30 CHARACTERS", me, name)
        changes["name"] = name
    if "campaign_id" in req.params:
        if req.get("campaign_id") not in center.campaigns:
            return optional_error(fn, "CAMPAIGN DOES NOT EXIST", me, req.get("campaign_id"))
        changes["campaign_id"] = req.get("campaign_id")
    if "active" in req.params:
        if req.get("active") not in ("Y", "N"):
            return optional_error(fn, "ACTIVE MUST BE Y OR N", me, req.get("active"))
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
