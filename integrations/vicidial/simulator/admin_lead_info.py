"""The non-agent API's look-ups of one lead or one call: lead_field_info, lead_callback_info,
ccc_lead_info, callid_info, and lead_dearchive (which brings an archived lead back)."""

from __future__ import annotations

from datetime import datetime, timedelta

from integrations.vicidial.simulator.events import SimEventKind
from integrations.vicidial.simulator.php import floatval
from integrations.vicidial.simulator.records import (
    LEAD_COLUMNS,
    Callback,
    CallLog,
    Lead,
)
from integrations.vicidial.simulator.state import CallCenter
from integrations.vicidial.simulator.wire import Answer, ApiRequest, Handlers, stamp, table

HANDLERS = Handlers()
handles = HANDLERS.add

# ccc_lead_info prints a lead's columns up to its owner.
_CCC_COLUMNS = LEAD_COLUMNS[: LEAD_COLUMNS.index("owner") + 1]
# The time zones ViciDial names by GMT offset, for a callback's customer.
_ZONES = {
    -5.0: "USA-EST-Y-Eastern US Time Zone",
    -6.0: "USA-CST-Y-Central US Time Zone",
    -7.0: "USA-MST-Y-Mountain US Time Zone",
    -8.0: "USA-PST-Y-Pacific US Time Zone",
    -9.0: "USA-AKST-Y-Alaska Time Zone",
    -10.0: "USA-HST-N-Hawaii Time Zone",
}


def _lead(center: CallCenter, text: str) -> Lead | None:
    return center.leads.get(int(text)) if text.isdigit() else None


@handles("lead_field_info")
def lead_field_info(req: ApiRequest) -> str | Answer:
    center, me = req.center, req.user.user
    lead_text, name = req.get("lead_id"), req.get("field_name")
    if not lead_text or not name:
        return f"ERROR: lead_field_info INVALID SEARCH PARAMETERS: {me}|{lead_text}|{name}\n"
    lead = _lead(center, lead_text)
    if lead is None:
        return f"ERROR: lead_field_info LEAD NOT FOUND: {me}|{lead_text}\n"
    if req.flag("custom_fields"):
        forced = req.get("list_id")
        lst = center.lists.get(int(forced) if forced.isdigit() else lead.entry_list_id)
        if lst is None:
            return f"ERROR: lead_field_info LIST NOT FOUND: {me}|{lead_text}|{forced}\n"
        if name not in lst.custom_fields:
            return f"ERROR: lead_field_info LIST FIELD NOT FOUND: {me}|{lead_text}\n"
        return lead.custom.get(name, "")
    if name not in LEAD_COLUMNS:
        # The real server's query fails on an unknown column: an empty HTTP 500, every time.
        return Answer("", 500)
    # The value alone, without a newline.
    return lead.column(name)


_CALLBACK_HEADER = [
    "lead_id",
    "callback_type",
    "recipient",
    "callback_status",
    "lead_status",
    "callback_date",
    "entry_date",
    "user",
    "list_id",
    "campaign_id",
    "user_group",
    "customer_timezone",
    "customer_time",
    "comments",
]


def _customer_time(center: CallCenter, lead: Lead | None, when: str) -> tuple[str, str]:
    """The customer's time zone name and the callback's time there."""
    offset = floatval(lead.gmt_offset_now) if lead else floatval(center.system.gmt_offset)
    try:
        moment = datetime.strptime(when, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return _ZONES.get(offset, ""), when
    shift = timedelta(hours=offset - floatval(center.system.gmt_offset))
    return _ZONES.get(offset, ""), stamp(moment + shift)


def _callback_row(center: CallCenter, cb: Callback) -> list[object]:
    lead = center.leads.get(cb.lead_id)
    zone, local = _customer_time(center, lead, cb.callback_time)
    kind = "ARCHIVE" if cb.status == "INACTIVE" else "CURRENT"
    return [
        cb.lead_id,
        kind,
        cb.recipient,
        cb.status,
        cb.lead_status,
        cb.callback_time,
        stamp(cb.entry_time),
        cb.user,
        cb.list_id,
        cb.campaign_id,
        cb.user_group,
        zone,
        local,
        cb.comments,
    ]


@handles("lead_callback_info")
def lead_callback_info(req: ApiRequest) -> str:
    center, me, lead_text = req.center, req.user.user, req.get("lead_id")
    if not lead_text:
        return f"ERROR: lead_callback_info INVALID SEARCH PARAMETERS: {me}|{lead_text}\n"
    where = req.get("search_location")
    found = [
        cb
        for cb in center.callbacks
        if str(cb.lead_id) == lead_text
        and (where == "ALL" or (cb.status == "INACTIVE") == (where == "ARCHIVE"))
    ]
    if not found:
        stage = req.get("stage") or "pipe"
        return f"ERROR: lead_callback_info CALLBACK NOT FOUND: {me}|{lead_text}|{stage}|{where}\n"
    return table(req, _CALLBACK_HEADER, [_callback_row(center, cb) for cb in found])


def _logged_call(center: CallCenter, call_id: str) -> CallLog | None:
    return next((log for log in reversed(center.call_logs) if log.call_id == call_id), None)


@handles("ccc_lead_info")
def ccc_lead_info(req: ApiRequest) -> str:
    center, me, call_id = req.center, req.user.user, req.get("call_id")
    if len(call_id) < 16:
        return f"ERROR: ccc_lead_info INVALID SEARCH PARAMETERS: {me}|{call_id}\n"
    live = center.calls.get(call_id)
    log = _logged_call(center, call_id)
    lead_id = live.lead_id if live else log.lead_id if log else None
    if lead_id is None:
        return f"ERROR: ccc_lead_info CALL NOT FOUND: {me}|\n"
    lead = center.leads.get(lead_id)
    if lead is None:
        return f"ERROR: ccc_lead_info LEAD NOT FOUND: {me}|\n"
    return table(req, list(_CCC_COLUMNS), [[lead.column(c) for c in _CCC_COLUMNS]])


def _call_type(call_id: str, manual: bool) -> str:
    if call_id.startswith("Y"):
        return "INBOUND"
    return "OUTBOUND_MANUAL" if manual else "OUTBOUND_AUTO"


@handles("callid_info")
def callid_info(req: ApiRequest) -> str:
    center, me, call_id = req.center, req.user.user, req.get("call_id")
    if not 16 <= len(call_id) <= 40:
        return f"ERROR: callid_info INVALID SEARCH PARAMETERS: {me}|{call_id}\n"
    live = center.calls.get(call_id)
    log = _logged_call(center, call_id)
    if live is None and log is None:
        return f"ERROR: callid_info CALL NOT FOUND: {me}|\n"
    header = ["call_id", "custtime"]
    if live is not None:
        started = live.started or center.now()
        seconds = int((center.now() - started).total_seconds())
        lead = center.leads.get(live.lead_id)
        when, phone, campaign = started, live.phone_number, live.ingroup or live.campaign_id
        list_id, status, user = (lead.list_id if lead else 0), "INCALL", live.agent
        # The M prefix is the agent's manual dial (V: the dialer's).
        manual = live.manual or call_id.startswith("M")
    else:
        assert log is not None
        seconds, when, phone = log.length_in_sec, log.call_date, log.phone_number
        campaign, list_id, status, user = log.campaign_id, log.list_id, log.status, log.user
        manual = call_id.startswith("M")
    row: list[object] = [call_id, seconds]
    if req.get("detail") == "YES":
        header += ["call_date", "phone", "call_type", "campaign_id", "list_id", "status", "user"]
        row += [stamp(when), phone, _call_type(call_id, manual), campaign, list_id, status, user]
    return table(req, header, [row])


@handles("lead_dearchive")
def lead_dearchive(req: ApiRequest) -> str:
    center, me, lead_text = req.center, req.user.user, req.get("lead_id")
    if not lead_text:
        return f"ERROR: lead_dearchive INVALID SEARCH PARAMETERS: {me}|{lead_text}\n"
    archived = center.archived_leads.get(int(lead_text)) if lead_text.isdigit() else None
    if archived is None:
        where = f"{req.get('stage')}|{req.get('search_location')}"
        return f"ERROR: lead_dearchive ARCHIVED LEAD NOT FOUND: {me}|{lead_text}|{where}\n"
    if archived.lead_id in center.leads:
        return (
            f"ERROR: lead_dearchive NON-ARCHIVED LEAD FOUND: {me}|{lead_text}|{archived.list_id}\n"
        )
    del center.archived_leads[archived.lead_id]
    center.add_lead_record(archived)
    center.emit(
        SimEventKind.LEAD_ADDED,
        lead_id=archived.lead_id,
        list_id=archived.list_id,
        origin=req.function,
    )
    return f"SUCCESS: lead_dearchive LEAD DE-ARCHIVED: {me}|{lead_text}|1|1\n"
