"""Every captured answer of the reading functions, replayed through ``admin.call``.

The replay server answers only the fixture's exact request, so this also proves that the
generic call builds each request exactly as captured. What each answer must become is written
out by hand below; the domain tests check the typed fields.
"""

from __future__ import annotations

from typing import Any

import pytest

from integrations.vicidial.admin import ADMIN_FUNCTIONS
from integrations.vicidial.errors import (
    ViciAuthError,
    ViciError,
    ViciHttpError,
    ViciNotFoundError,
    ViciValidationError,
)
from tests.integrations.vicidial.admin.conftest import Replay
from tests.integrations.vicidial.replay import load_fixtures

READING = {
    "agent_status", "logged_in_agents", "user_group_status", "in_group_status",
    "agent_ingroup_info", "recording_lookup", "did_log_export", "agent_stats_export",
    "call_status_stats", "call_dispo_report", "phone_number_log", "lead_field_info",
    "lead_all_info", "lead_callback_info", "lead_search", "lead_status_search",
    "ccc_lead_info", "callid_info", "user_details", "agent_campaigns", "campaigns_list",
    "hopper_list", "list_info", "list_custom_fields", "version", "check_phone_number",
    "sounds_list",
}  # fmt: skip

# Fixture -> (error class, or None for a result) and how many records the result holds.
EXPECTED: dict[str, tuple[type[ViciError] | None, int | None]] = {
    "agent_campaigns/csv_campaign_ignore_agentdirect": (None, 1),
    "agent_campaigns/err_agent_not_exist": (ViciNotFoundError, None),
    "agent_campaigns/pipe": (None, 1),
    "agent_campaigns/pipe_header_admin": (None, 1),
    "agent_campaigns/tab_header": (None, 1),
    "agent_ingroup_info/err_invalid_user": (ViciNotFoundError, None),
    "agent_ingroup_info/err_not_logged_in": (ViciNotFoundError, None),
    "agent_ingroup_info/stage_change": (None, None),
    "agent_stats_export/csv_header_seconds": (None, 3),
    "agent_stats_export/err_no_records": (None, 0),
    "agent_stats_export/one_agent_minutes_pipe": (None, 1),
    "agent_stats_export/tab_group_by_campaign": (None, 3),
    "agent_status/err_agent_creds": (ViciAuthError, None),
    "agent_status/err_locked_user": (ViciAuthError, None),
    "agent_status/incall_csv_header_ip": (None, 1),
    "agent_status/incall_csv_header_ip_POST": (None, 1),
    "agent_status/include_ip_old_login": (None, 1),
    "agent_status/limited_user_allowed_function": (None, 1),
    "callid_info/detail_pipe": (None, 1),
    "callid_info/err_call_not_found": (ViciNotFoundError, None),
    "call_dispo_report/campaigns": (None, 1),
    "call_dispo_report/err_missing_groups": (ViciValidationError, None),
    "call_dispo_report/file_download": (None, 1),
    "call_dispo_report/ingroups_breakdown_pct": (None, 1),
    "call_status_stats/all": (None, 3),
    "campaigns_list/csv_one": (None, 1),
    "campaigns_list/pipe": (None, 1),
    "campaigns_list/pipe_POST": (None, 1),
    "campaigns_list/tab_header": (None, 1),
    "ccc_lead_info/csv_header": (None, 1),
    "ccc_lead_info/newline": (None, 1),
    "ccc_lead_info/pipe": (None, 1),
    "did_log_export/csv_header": (None, 2),
    "did_log_export/err_invalid_params": (ViciValidationError, None),
    "did_log_export/err_no_records": (None, 0),
    "did_log_export/tab_header": (None, 2),
    "hopper_list/err_campaign_not_exist": (ViciNotFoundError, None),
    "hopper_list/err_missing_campaign": (ViciNotFoundError, None),
    "hopper_list/pipe": (None, 2),
    "hopper_list/tab_header": (None, 2),
    "in_group_status/csv_header": (None, 1),
    "in_group_status/tab_header": (None, 1),
    "lead_all_info/csv_header_POST": (None, 1),
    "lead_all_info/force_entry_list_id": (None, 1),
    "lead_all_info/lead_id": (None, 1),
    "lead_all_info/newline": (None, 1),
    "lead_callback_info/csv_current": (None, 1),
    "lead_callback_info/err_lead_not_found": (ViciNotFoundError, None),
    "lead_callback_info/pipe_header_all": (None, 1),
    "lead_field_info/err_field_not_found": (ViciHttpError, None),
    "lead_field_info/err_lead_not_found": (ViciNotFoundError, None),
    "lead_field_info/first_name": (None, None),
    "lead_search/err_no_matches": (None, 0),
    "lead_search/err_no_valid_search": (ViciValidationError, None),
    "lead_search/multi": (None, 4),
    "lead_search/records_limit": (None, 1),
    "lead_status_search/custom_fields": (None, 1),
    "lead_status_search/err_invalid_params": (ViciValidationError, None),
    "lead_status_search/err_no_results": (None, 0),
    "lead_status_search/sale_today": (None, 1),
    "list_custom_fields/all_csv": (None, 4),
    "list_custom_fields/header": (None, 1),
    "list_custom_fields/tab_alpha": (None, 1),
    "list_info/dialable_csv": (None, 1),
    "list_info/err_list_not_exist": (ViciNotFoundError, None),
    "list_info/err_missing_list_id": (ViciValidationError, None),
    "list_info/tab": (None, 1),
    "logged_in_agents/csv_header": (None, 5),
    "logged_in_agents/csv_header_POST": (None, 5),
    "logged_in_agents/filtered": (None, 5),
    "phone_number_log/err_no_records": (None, 0),
    "phone_number_log/err_no_valid_numbers": (ViciValidationError, None),
    "phone_number_log/pipe": (None, 2),
    "recording_lookup/date_tab_header": (ViciValidationError, None),
    "recording_lookup/err_invalid_params": (ViciValidationError, None),
    "recording_lookup/err_no_recordings": (None, 0),
    "recording_lookup/uniqueid": (None, 1),
    "sounds_list/link_by_size": (None, None),
    "sounds_list/selectframe_by_date": (None, None),
    "sounds_list/tab_by_name": (None, 3),
    "user_details/csv_header": (None, 1),
    "user_details/err_user_not_found": (ViciNotFoundError, None),
    "user_details/tab_header": (None, 1),
    "user_group_status/err_invalid_params": (ViciValidationError, None),
    "user_group_status/pipe_header": (None, 1),
    "user_group_status/tab_header": (None, 1),
    "version/basic_POST": (None, None),
}
# Requests the client refuses before sending, so their answers are checked elsewhere:
# parameters ViciDial ignores or that are required.
REFUSED = {
    "check_phone_number/doc_example_call_time_param": "unknown parameter 'call_time'",
    "list_info/err_missing_list_id": "list_id",
    "recording_lookup/err_invalid_params": None,
    "user_group_status/err_invalid_params": "user_groups",
    "call_dispo_report/err_missing_groups": None,
    "hopper_list/err_missing_campaign": "campaign_id",
    "callid_info/err_invalid_params": "call_id",
    "did_log_export/err_invalid_params": "date",
    "lead_status_search/err_invalid_params": None,
}
MINE = [f for f in load_fixtures("non_agent") if f.function in READING]
SERVER_PARAMS = ("user", "pass", "source", "function")


def test_every_reading_fixture_has_an_expectation() -> None:
    keys = {f.key for f in MINE}
    assert keys == set(EXPECTED) | (set(REFUSED) - set(EXPECTED))
    assert set(ADMIN_FUNCTIONS.names()) >= READING


@pytest.mark.parametrize("key", sorted(set(EXPECTED) - {k for k, v in REFUSED.items() if v}))
async def test_fixture_through_call(replay: Replay, key: str) -> None:
    item = next(f for f in MINE if f.key == key)
    admin = await replay(key)
    params: dict[str, Any] = {k: v for k, v in item.params.items() if k not in SERVER_PARAMS}
    error, count = EXPECTED[key]
    if error is not None:
        with pytest.raises(error) as info:
            await admin.call(item.function, **params)
        assert type(info.value) is error
        assert info.value.function == item.function
        return
    result = await admin.call(item.function, **params)
    if count is not None:
        assert len(result.records) == count  # type: ignore[attr-defined]
        if count == 0:
            assert result.message  # ViciDial's "nothing found" message is kept


@pytest.mark.parametrize(("key", "named"), sorted((k, v) for k, v in REFUSED.items() if v))
async def test_refused_before_sending(replay: Replay, key: str, named: str) -> None:
    item = next(f for f in MINE if f.key == key)
    admin = await replay(key)
    params: dict[str, Any] = {k: v for k, v in item.params.items() if k not in SERVER_PARAMS}
    with pytest.raises(ViciValidationError) as info:
        await admin.call(item.function, **params)
    assert info.value.sent is False
    assert named in info.value.reason
