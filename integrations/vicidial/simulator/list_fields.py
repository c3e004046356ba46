"""A list's custom fields as update_list changes them: add, update, delete, copy.

Each command answers one NOTICE line (the real server reports custom-field work as notices
beside the list's own update).
"""

from __future__ import annotations

from integrations.vicidial.simulator.records import LeadList
from integrations.vicidial.simulator.state import CallCenter
from integrations.vicidial.simulator.wire import ApiRequest

_OPTIONAL = "THIS IS AN OPTIONAL FIELD"
# What add needs besides the label, as update_list prints them when one is missing.
_ADD_NEEDS = ("field_name", "field_size", "field_type", "field_rank")


def may_modify(req: ApiRequest, list_id: int, source: str = "") -> str | None:
    """The NOTICE refusing an API user without the custom fields permission, or None."""
    if "custom_fields_modify" in req.user.permissions:
        return None
    return (
        f"NOTICE: update_list USER DOES NOT HAVE PERMISSION TO MODIFY CUSTOM FIELDS, {_OPTIONAL}: "
        f"|{req.user.user}|{list_id}|{source}|0"
    )


def field_command(req: ApiRequest, lst: LeadList) -> str | None:
    """update_list's add, update or delete of one custom field: its NOTICE, or None."""
    for command in ("add", "update", "delete"):
        if req.get(f"custom_fields_{command}") == "Y":
            refused = may_modify(req, lst.list_id)
            if refused:
                return refused
            done = {"add": _add, "update": _update, "delete": _delete}[command]
            return done(req, lst)
    return None


def _no_fields(req: ApiRequest, lst: LeadList, what: str) -> str | None:
    # Custom fields are added to a list that has some already (the admin pages create a
    # list's first ones).
    if lst.custom_fields:
        return None
    return (
        f"NOTICE: update_list CUSTOM FIELDS LIST ID TO {what} TO HAS NO CUSTOM FIELDS, "
        f"{_OPTIONAL}: |{req.user.user}|{lst.list_id}|1"
    )


def _add(req: ApiRequest, lst: LeadList) -> str:
    me, label = req.user.user, req.get("field_label")
    refused = _no_fields(req, lst, "ADD")
    if refused:
        return refused
    if not label or not all(req.get(name) for name in _ADD_NEEDS):
        shown = "|".join(req.get(name) for name in ("field_label", *_ADD_NEEDS))
        return (
            "NOTICE: update_list REQUIRED CUSTOM FIELDS VARIABLES ARE MISSING, FIELD NOT ADDED, "
            f"{_OPTIONAL}: |{me}|{lst.list_id}|{shown}|"
        )
    kind = req.get("field_type")
    lst.custom_fields[label] = kind
    return (
        f"NOTICE: update_list ADD CUSTOM FIELD COMMAND SENT - {me}|{lst.list_id}|{label}|{kind}|"
        "SUCCESS: Field added|"
    )


def _update(req: ApiRequest, lst: LeadList) -> str:
    me, label = req.user.user, req.get("field_label")
    refused = _no_fields(req, lst, "UPDATE")
    if refused:
        return refused
    where = f"|{me}|{lst.list_id}|{label}"
    if not label:
        return (
            "NOTICE: update_list REQUIRED CUSTOM FIELDS VARIABLES ARE MISSING, FIELD NOT UPDATED, "
            f"{_OPTIONAL}: {where}|"
        )
    if label not in lst.custom_fields:
        shown = "|".join(req.get(name) for name in _ADD_NEEDS)
        return (
            "NOTICE: update_list FIELD DOES NOT EXIST, FIELD NOT UPDATED, "
            f"{_OPTIONAL}: {where}|{shown}|"
        )
    kind = req.get("field_type") or lst.custom_fields[label]
    lst.custom_fields[label] = kind
    return (
        f"NOTICE: update_list UPDATE CUSTOM FIELD COMMAND SENT - {where[1:]}|{kind}|"
        "SUCCESS: Field updated|"
    )


def _delete(req: ApiRequest, lst: LeadList) -> str:
    me, label = req.user.user, req.get("field_label")
    refused = _no_fields(req, lst, "DELETE")
    if refused:
        return refused
    where = f"|{me}|{lst.list_id}|{label}"
    if not label or label not in lst.custom_fields:
        problem = (
            "FIELD DOES NOT EXIST" if label else "REQUIRED CUSTOM FIELDS VARIABLES ARE MISSING"
        )
        return f"NOTICE: update_list {problem}, FIELD NOT DELETED, {_OPTIONAL}: {where}|"
    del lst.custom_fields[label]
    for lead in req.center.leads.values():
        if lead.list_id == lst.list_id:
            lead.custom.pop(label, None)
    done = "SUCCESS: Field deleted"
    return f"NOTICE: update_list DELETE CUSTOM FIELD COMMAND SENT - {where[1:]}||{done}|"


def copy_problem(center: CallCenter, source_text: str) -> str | None:
    """Why fields cannot be copied from ``source_text`` (the reason's words), or None."""
    source = center.lists.get(int(source_text)) if source_text.isdigit() else None
    if source is None:
        return "DOES NOT EXIST"
    if not source.custom_fields:
        return "HAS NO CUSTOM FIELDS"
    return None


def copy_fields(center: CallCenter, source_list: int, target: LeadList, method: str) -> None:
    """Copy a list's custom fields: APPEND the missing ones, UPDATE all, or REPLACE them."""
    source = center.lists[source_list].custom_fields
    if method == "REPLACE":
        target.custom_fields = dict(source)
        return
    for label, kind in source.items():
        if method == "UPDATE" or label not in target.custom_fields:
            target.custom_fields[label] = kind


def copy_command(req: ApiRequest, lst: LeadList) -> str | None:
    """update_list's custom_fields_copy: its NOTICE, or None when not asked."""
    source_text = req.get("custom_fields_copy")
    if not source_text:
        return None
    me, center = req.user.user, req.center
    problem = copy_problem(center, source_text)
    if problem:
        return (
            f"NOTICE: update_list CUSTOM FIELDS LIST ID TO COPY FROM {problem}, {_OPTIONAL}: "
            f"|{me}|{lst.list_id}|{source_text}|0"
        )
    refused = may_modify(req, lst.list_id, source_text)
    if refused:
        return refused
    method = req.get("custom_copy_method") or "APPEND"
    copy_fields(center, int(source_text), lst, method)
    return (
        f"NOTICE: update_list COPY CUSTOM FIELDS COMMAND SENT - {me}|{lst.list_id}|{source_text}|"
        f"{method}|SUCCESS: Fields copied|"
    )
