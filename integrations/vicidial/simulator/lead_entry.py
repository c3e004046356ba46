"""Adding a lead from an API request's fields: both APIs' add-lead functions share it."""

from __future__ import annotations

from integrations.vicidial.simulator.events import SimEventKind
from integrations.vicidial.simulator.records import WRITABLE_LEAD_COLUMNS, Lead
from integrations.vicidial.simulator.wire import ApiRequest

# "user" on either API is the API user; a lead's user column is set through user_field.
COLUMNS = tuple(c for c in WRITABLE_LEAD_COLUMNS if c != "user")
PHONE_DIGITS = range(6, 19)


def valid_phone(phone: str) -> bool:
    return phone.isdigit() and len(phone) in PHONE_DIGITS


def custom_values(req: ApiRequest, list_id: int) -> dict[str, str]:
    """Custom field values sent with ``custom_fields=Y`` for the list's defined fields."""
    lst = req.center.lists.get(list_id)
    if req.get("custom_fields") != "Y" or lst is None:
        return {}
    return {label: req.get(label) for label in lst.custom_fields if label in req.params}


def insert_lead(req: ApiRequest, phone: str, list_id: int) -> Lead:
    center = req.center
    lead = Lead(
        lead_id=center.new_lead_id(),
        list_id=list_id,
        phone_number=phone,
        entry_list_id=list_id,
        entry_date=center.now(),
        modify_date=center.now(),
    )
    for column in COLUMNS:
        if column in req.params and column != "phone_number":
            lead.set_column(column, req.get(column))
    if not lead.status:
        lead.status = "NEW"
    lead.custom = custom_values(req, list_id)
    center.add_lead_record(lead)
    # Only the non-agent API's add_lead fires the API New Lead URL, so say which one it was.
    center.emit(SimEventKind.LEAD_ADDED, lead_id=lead.lead_id, list_id=list_id, origin=req.function)
    return lead
