"""The non-agent API's DID functions: add, copy and update inbound DIDs.

A DID routes the calls dialed to it: inbound calls started with a DID and no in-group wait
in the DID's in-group (``Calls.start_call``), so a changed DID shows in the next call.
"""

from __future__ import annotations

from dataclasses import replace

from integrations.vicidial.simulator.configuration import Did
from integrations.vicidial.simulator.field_rules import (
    Rule,
    length,
    one_of,
    optional,
    refused,
    sent,
    starts_with,
)
from integrations.vicidial.simulator.state import CallCenter
from integrations.vicidial.simulator.wire import ApiRequest, Handlers, lines

HANDLERS = Handlers()
handles = HANDLERS.add

_ROUTES = ("EXTEN", "VOICEMAIL", "AGENT", "PHONE", "IN_GROUP", "CALLMENU", "VMAIL_NO_INST")


def _rules(center: CallCenter) -> tuple[Rule, ...]:
    """add_did's and update_did's optional fields, in the order the real server checks."""
    return (
        optional(
            "did_description", length(6, 50), "DID DESCRIPTION MUST BE FROM 6 TO 50 CHARACTERS"
        ),
        optional("active", one_of("Y", "N"), "ACTIVE MUST BE Y OR N"),
        optional("did_route", starts_with(*_ROUTES), "DID ROUTE IS NOT VALID"),
        optional("record_call", one_of("Y", "N", "Y_QUEUESTOP"), "RECORD CALL MUST BE Y OR N"),
        optional("extension", length(0, 50), "EXTENSION MUST BE FROM 1 TO 50 CHARACTERS"),
        optional(
            "exten_context", length(0, 50), "EXTENSION CONTEXT MUST BE FROM 1 TO 50 CHARACTERS"
        ),
        optional(
            "voicemail_ext", length(1, 10), "VOICEMAIL EXTENSION MUST BE FROM 1 TO 10 CHARACTERS"
        ),
        optional(
            "phone_extension", length(1, 100), "PHONE EXTENSION MUST BE FROM 1 TO 100 CHARACTERS"
        ),
        optional(
            "server_ip",
            center.servers.__contains__,
            "SERVER IP MUST BE A VALID SERVER IN THE SYSTEM",
        ),
        optional(
            "group",
            center.ingroups.__contains__,
            "GROUP ID MUST BE A VALID INBOUND GROUP IN THE SYSTEM",
        ),
        # Both functions name update_did in this refusal, as the real server does.
        optional(
            "menu_id",
            lambda v: any(m.menu_id == v for m in center.call_menus),
            "MENU ID MUST BE A VALID CALL MENU IN THE SYSTEM",
            names="update_did",
        ),
        optional(
            "filter_clean_cid_number",
            length(1, 20),
            "CLEAN CID NUMBER MUST BE FROM 1 TO 20 CHARACTERS",
        ),
        optional(
            "call_handle_method",
            length(3, 20),
            "CALL HANDLE METHOD MUST BE FROM 3 TO 20 CHARACTERS",
        ),
        optional("agent_search_method", length(2, 2), "AGENT SEARCH METHOD MUST BE 2 CHARACTERS"),
        optional("list_id", length(3, 14), "LIST ID MUST BE FROM 3 TO 14 DIGITS"),
        optional("entry_list_id", length(1, 14), "ENTRY LIST ID MUST BE FROM 1 TO 14 DIGITS"),
        optional("campaign_id", length(1, 8), "CAMPAIGN MUST BE FROM 1 TO 8 CHARACTERS"),
        optional("phone_code", length(1, 10), "PHONE CODE MUST BE FROM 1 TO 10 CHARACTERS"),
    )


# The fields stored in ``Did.settings`` (nothing in the simulator reads them).
_SETTINGS = (
    "extension",
    "exten_context",
    "voicemail_ext",
    "phone_extension",
    "server_ip",
    "menu_id",
    "filter_clean_cid_number",
    "call_handle_method",
    "agent_search_method",
    "entry_list_id",
    "campaign_id",
    "phone_code",
)


def _apply(req: ApiRequest, did: Did) -> list[str]:
    """Store the sent fields on ``did``; the names of those it changed."""
    p = req.params
    if "did_description" in p:
        did.description = p["did_description"]
    if "active" in p:
        did.active = p["active"] == "Y"
    if "did_route" in p:
        did.route = p["did_route"]
    if "record_call" in p:
        did.record_call = p["record_call"]
    if "group" in p:
        did.ingroup = p["group"]
    if p.get("list_id", "").isdigit():
        did.list_id = int(p["list_id"])
    settings = sent(req, _SETTINGS)
    did.settings |= settings
    columns = ("did_description", "active", "did_route", "record_call", "group", "list_id")
    return [name for name in columns if name in p] + list(settings)


def _pattern(req: ApiRequest, name: str = "did_pattern") -> str | None:
    pattern = req.get(name)
    return pattern if 2 <= len(pattern) <= 50 else None


@handles("add_did")
def add_did(req: ApiRequest) -> str:
    center, me = req.center, req.user.user
    pattern = _pattern(req)
    if pattern is None:
        return f"ERROR: add_did YOU MUST USE ALL REQUIRED FIELDS: |{me}|{req.get('did_pattern')}\n"
    if pattern in center.dids:
        return f"ERROR: add_did DID ALREADY EXISTS: |{me}|{pattern}\n"
    refusal = refused(req, _rules(center))
    if refusal:
        return refusal
    did = Did(pattern, did_id=center.next_id("did"))
    _apply(req, did)
    center.dids[pattern] = did
    center.configured("dids", pattern, "added")
    return f"SUCCESS: add_did DID HAS BEEN ADDED - {me}|{pattern}\n"


@handles("copy_did")
def copy_did(req: ApiRequest) -> str:
    center, me = req.center, req.user.user
    source, new_dids = _pattern(req, "source_did_pattern"), req.get("new_dids")
    if source is None or not 2 <= len(new_dids) <= 2000:
        shown = f"{req.get('source_did_pattern')}|{new_dids}"
        return f"ERROR: copy_did YOU MUST USE ALL REQUIRED FIELDS: |{me}|{shown}\n"
    original = center.dids.get(source)
    if original is None:
        return f"ERROR: copy_did SOURCE DID DOES NOT EXIST: |{me}|{source}\n"
    description = req.get("did_description")
    if description and not 6 <= len(description) <= 50:
        return (
            "ERROR: copy_did DID DESCRIPTION MUST BE EITHER BLANK OR FROM 6 TO 50 CHARACTERS, "
            f"THIS IS AN OPTIONAL FIELD: |{me}|{description}\n"
        )
    out, added, failed = [], 0, 0
    for pattern in new_dids.split(","):
        if pattern in center.dids:
            failed += 1
            out.append(f"NOTICE: copy_did DID ALREADY EXISTS - {me}|{pattern}")
            continue
        copy = replace(
            original,
            pattern=pattern,
            did_id=center.next_id("did"),
            description=description or original.description,
            settings=dict(original.settings),
        )
        center.dids[pattern] = copy
        center.configured("dids", pattern, "added", source=source)
        added += 1
        out.append(f"NOTICE: copy_did DID HAS BEEN ADDED - {me}|{pattern}|{source}|{copy.did_id}|1")
    counts = f"{me}|{source}|{added}|{failed}"
    if added:
        out.append(f"SUCCESS: copy_did DIDS HAVE BEEN ADDED - {counts}")
    else:
        out.append(f"ERROR: copy_did NO DIDS ADDED - {counts}")
    return lines(*out)


@handles("update_did")
def update_did(req: ApiRequest) -> str:
    center, me = req.center, req.user.user
    pattern = _pattern(req)
    if pattern is None:
        return (
            f"ERROR: update_did YOU MUST USE ALL REQUIRED FIELDS: |{me}|{req.get('did_pattern')}\n"
        )
    did = center.dids.get(pattern)
    if did is None:
        return f"ERROR: update_did DID DOES NOT EXIST: |{me}|{pattern}\n"
    if req.get("delete_did") == "Y":
        if "delete_dids" not in req.user.permissions:
            return f"ERROR: update_did USER DOES NOT HAVE PERMISSION TO DELETE DIDS: |{me}|0\n"
        del center.dids[pattern]
        center.configured("dids", pattern, "deleted")
        return f"SUCCESS: update_did DID HAS BEEN DELETED - {me}|{pattern}|{did.did_id}\n"
    refusal = refused(req, _rules(center))
    if refusal:
        return refusal
    changed = _apply(req, did)
    if not changed:
        return f"NOTICE: update_did NO UPDATES DEFINED: |{me}|\n"
    center.configured("dids", pattern, "updated", fields=tuple(changed))
    return f"SUCCESS: update_did DID HAS BEEN UPDATED - {me}|{pattern}\n"
