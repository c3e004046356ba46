"""The non-agent API's do-not-call numbers and filter phone groups."""

from __future__ import annotations

from integrations.vicidial.simulator.events import SimEventKind
from integrations.vicidial.simulator.wire import ApiRequest, Handlers

HANDLERS = Handlers()
handles = HANDLERS.add


def _number_and_list(req: ApiRequest, list_param: str) -> tuple[str, str, str | None]:
    """The phone number and its list (a DNC list or filter phone group), or the refusal."""
    phone, group = req.get("phone_number"), req.get(list_param)
    if len(phone) < 6 or not group:
        data = f"|{req.user.user}|{phone}|{group}"
        return phone, group, f"ERROR: {req.function} YOU MUST USE ALL REQUIRED FIELDS: {data}\n"
    return phone, group, None


@handles("add_dnc_phone")
def add_dnc_phone(req: ApiRequest) -> str:
    phone, campaign, error = _number_and_list(req, "campaign_id")
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
    phone, campaign, error = _number_and_list(req, "campaign_id")
    if error:
        return error
    numbers = req.center.dnc.setdefault(campaign, set())
    me = req.user.user
    if phone not in numbers:
        return f"ERROR: delete_dnc_phone DNC NUMBER DOES NOT EXIST: |{me}|{phone}|{campaign}\n"
    numbers.discard(phone)
    req.center.emit(SimEventKind.DNC_CHANGED, phone_number=phone, dnc_list=campaign, added=False)
    return f"SUCCESS: delete_dnc_phone DNC NUMBER HAS BEEN DELETED - {me}|{phone}|{campaign}\n"


def _group(req: ApiRequest) -> tuple[str, str, set[str]] | str:
    phone, group, error = _number_and_list(req, "group")
    if error:
        return error
    numbers = req.center.filter_phone_groups.get(group)
    if numbers is None:
        return (
            f"ERROR: {req.function} FILTER PHONE GROUP DOES NOT EXIST: |{req.user.user}|{group}\n"
        )
    return phone, group, numbers


@handles("add_fpg_phone")
def add_fpg_phone(req: ApiRequest) -> str:
    found = _group(req)
    if isinstance(found, str):
        return found
    phone, group, numbers = found
    where = f"{req.user.user}|{phone}|{group}"
    if phone in numbers:
        return f"ERROR: add_fpg_phone FILTER PHONE GROUP NUMBER ALREADY EXISTS: |{where}\n"
    numbers.add(phone)
    req.center.configured("filter_phone_groups", group, "updated", added=phone)
    return f"SUCCESS: add_fpg_phone FILTER PHONE GROUP NUMBER HAS BEEN ADDED - {where}\n"


@handles("delete_fpg_phone")
def delete_fpg_phone(req: ApiRequest) -> str:
    found = _group(req)
    if isinstance(found, str):
        return found
    phone, group, numbers = found
    where = f"{req.user.user}|{phone}|{group}"
    if phone not in numbers:
        return f"ERROR: delete_fpg_phone FILTER PHONE GROUP NUMBER DOES NOT EXIST: |{where}\n"
    numbers.discard(phone)
    req.center.configured("filter_phone_groups", group, "updated", deleted=phone)
    return f"SUCCESS: delete_fpg_phone FILTER PHONE GROUP NUMBER HAS BEEN DELETED - {where}\n"
