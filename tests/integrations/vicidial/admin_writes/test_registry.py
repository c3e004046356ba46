"""The admin registry against the 62 functions non_agent_api.php 2.14-202 dispatches.

Where the names come from:
- 58 from the function list at the top of ViciDial's NON-AGENT_API.txt (version to
  user_details);
- update_log_entry: its own section in the same document (and fixtures), though missing from
  that list;
- container_list: the document's changelog (230614) and fixtures;
- ingroup_list and callmenu_list: fixtures only (captured from the 2.14-202 server), not in
  the document at all.
"""

from __future__ import annotations

from integrations.vicidial.admin import ADMIN_FUNCTIONS
from tests.integrations.vicidial.replay import load_fixtures

DOCUMENTED_LIST = frozenset(
    [
        "version",
        "sounds_list",
        "moh_list",
        "vm_list",
        "blind_monitor",
        "add_lead",
        "update_lead",
        "batch_update_lead",
        "agent_ingroup_info",
        "recording_lookup",
        "did_log_export",
        "agent_stats_export",
        "add_user",
        "update_user",
        "copy_user",
        "add_phone",
        "update_phone",
        "add_phone_alias",
        "update_phone_alias",
        "add_list",
        "update_list",
        "list_info",
        "list_custom_fields",
        "add_group_alias",
        "user_group_status",
        "in_group_status",
        "agent_status",
        "callid_info",
        "lead_field_info",
        "lead_callback_info",
        "lead_all_info",
        "lead_status_search",
        "lead_search",
        "ccc_lead_info",
        "server_refresh",
        "check_phone_number",
        "logged_in_agents",
        "update_campaign",
        "add_did",
        "copy_did",
        "update_did",
        "phone_number_log",
        "call_status_stats",
        "call_dispo_report",
        "agent_campaigns",
        "update_cid_group_entry",
        "add_dnc_phone",
        "delete_dnc_phone",
        "add_fpg_phone",
        "delete_fpg_phone",
        "campaigns_list",
        "hopper_list",
        "hopper_bulk_insert",
        "update_alt_url",
        "update_presets",
        "lead_dearchive",
        "update_remote_agent",
        "user_details",
    ]
)
OUTSIDE_THE_LIST = frozenset(
    {"update_log_entry", "container_list", "ingroup_list", "callmenu_list"}
)
ALL_62 = DOCUMENTED_LIST | OUTSIDE_THE_LIST


def test_the_list_has_62_names_and_matches_the_fixtures() -> None:
    assert len(DOCUMENTED_LIST) == 58
    assert len(ALL_62) == 62
    captured = {f.function for f in load_fixtures("non_agent")} - {"_none_", "no_such_function"}
    assert captured == ALL_62


def test_registry_holds_no_name_outside_the_62() -> None:
    assert set(ADMIN_FUNCTIONS.names()) <= ALL_62


def test_registry_holds_exactly_the_62() -> None:
    assert set(ADMIN_FUNCTIONS.names()) == ALL_62


def test_listing_modes_are_reads() -> None:
    spec = ADMIN_FUNCTIONS.get("update_lead")
    assert spec is not None
    no_update = spec.params.model_validate({"lead_id": 12, "no_update": "Y"})
    update = spec.params.model_validate({"lead_id": 12, "first_name": "A"})
    assert spec.is_read(no_update)
    assert not spec.is_read(update)
