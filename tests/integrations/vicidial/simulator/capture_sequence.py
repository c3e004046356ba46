"""What the capture session had done before some of its captures.

Most fixtures were taken against the dialer as the built-in scenario describes it; a few
depend on an earlier request of the same session (a user added before it was updated, a
DID added before it was copied). For those, ``BEFORE`` lists the requests to send first to a
fresh simulator: a captured fixture by its key where the session's own request was
captured, else the request it must have sent. Both fidelity tests use it.
"""

from __future__ import annotations

from collections.abc import Mapping

from integrations.vicidial.simulator import admin_api, agent_api
from integrations.vicidial.simulator.state import CallCenter
from tests.integrations.vicidial.replay import PASSWORD, fixture

# A step: a fixture's key, or the non-agent API function and parameters of an uncaptured one.
Step = str | tuple[str, Mapping[str, str]]

USER_1010: Step = (
    "add_user",
    {
        "agent_user": "1010",
        "agent_pass": "9999",
        "agent_user_level": "1",
        "agent_full_name": "Testing Person",
        "agent_user_group": "AGENTS",
    },
)

# The entry the session added to CIDGRP1 before showing and deleting it.
CID_212: Step = (
    "update_cid_group_entry",
    {
        "stage": "ADD",
        "cid_group_id": "CIDGRP1",
        "areacode": "212",
        "outbound_cid": "2125551212",
        "cid_description": "Testing DID",
        "active": "Y",
    },
)


def api_list(list_id: str, **more: str) -> Step:
    """One of the lists the capture session added before updating it."""
    fields = {
        "list_id": list_id,
        "list_name": f"API test list {list_id}",
        "campaign_id": "TESTCAMP",
    }
    return ("add_list", fields | more)


# List 1101 got fields copied from 101, then one of its own.
LIST_1101: tuple[Step, ...] = (
    api_list("1101", custom_fields_copy="101"),
    (
        "update_list",
        {
            "list_id": "1101",
            "custom_fields_add": "Y",
            "field_label": "new_api_field4",
            "field_name": "New field 4",
            "field_size": "10",
            "field_type": "TEXT",
            "field_rank": "4",
        },
    ),
)

BEFORE: dict[str, tuple[Step, ...]] = {
    "update_list/campaign_change": (api_list("1105"),),
    "update_list/custom_fields_copy": (api_list("1105"),),
    "update_list/custom_fields_delete": LIST_1101,
    "update_list/delete_list": (api_list("1102"),),
    "update_list/err_no_updates": LIST_1101,
    "update_list/name": LIST_1101,
    "add_dnc_phone/err_exists": (
        ("add_dnc_phone", {"phone_number": "7275551299", "campaign_id": "SYSTEM_INTERNAL"}),
    ),
    "delete_dnc_phone/system": (
        ("add_dnc_phone", {"phone_number": "7275551299", "campaign_id": "SYSTEM_INTERNAL"}),
    ),
    "delete_dnc_phone/campaign": ("add_dnc_phone/campaign",),
    **{
        f"update_user/{case}": (USER_1010,)
        for case in (
            "campaign_rank_grade",
            "err_invalid_level",
            "in_groups",
            "name_hotkeys_active",
            "password",
            "user_level",
        )
    },
    "update_user/delete_user": ("copy_user/basic",),
    "add_phone/err_exists": ("add_phone/basic",),
    "add_phone_alias/err_exists": ("add_phone_alias/basic",),
    "update_phone_alias/basic": ("add_phone_alias/basic",),
    "update_phone_alias/delete_alias": ("add_phone_alias/basic",),
    "update_did/full": ("add_did/full",),
    "update_alt_url/inactive": ("update_campaign/dispo_call_url_alt",),
    "update_alt_url/new": ("update_campaign/dispo_call_url_alt",),
    "update_presets/delete": ("update_presets/new",),
    "update_cid_group_entry/info_one": (CID_212,),
    "update_cid_group_entry/delete": (CID_212,),
    "add_group_alias/err_exists": (
        (
            "add_group_alias",
            {"caller_id_number": "7275551212", "group_alias_id": "test_group_alias"},
        ),
    ),
    "update_remote_agent/notice_already_active": ("update_remote_agent/activate",),
}


def prepare(center: CallCenter, key: str) -> None:
    """Send the steps before ``key`` to ``center``; each must succeed, or the setup lies."""
    for step in BEFORE.get(key, ()):
        if isinstance(step, str):
            item = fixture(step)
            params = item.expected_params()
            answer = (agent_api if item.api == "agent" else admin_api).answer
        else:
            function, fields = step
            params = {"source": "test", "user": "6666", "pass": PASSWORD, "function": function}
            params |= fields
            answer = admin_api.answer
        body = answer(center, params).body
        assert "ERROR" not in body, f"step {step!r} before {key} failed: {body!r}"
