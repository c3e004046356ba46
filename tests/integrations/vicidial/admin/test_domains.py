"""Typed fields of the reading functions' captured answers, written out by hand."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from integrations.vicidial.admin.campaigns import DialMethod
from integrations.vicidial.admin.leads import (
    LEAD_FIELD_INFO,
    CallbackStatus,
    CallbackTable,
    Gender,
    Lead,
    LeadFieldInfoParams,
)
from integrations.vicidial.admin.records import LeadStatus
from integrations.vicidial.admin.reporting import HangupReason, Share
from integrations.vicidial.agent.enums import CallbackType
from integrations.vicidial.client import parse_answer
from integrations.vicidial.errors import ViciHttpError, ViciNotFoundError
from tests.integrations.vicidial.admin.conftest import Replay

NOV27 = date(2026, 11, 27)


# --- campaigns ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "options"),
    [
        ("campaigns_list/pipe", {}),
        ("campaigns_list/csv_one", {"campaign_id": "TESTCAMP", "stage": "csv"}),
        ("campaigns_list/tab_header", {"stage": "tab", "header": True}),
    ],
)
async def test_campaigns_list(replay: Replay, key: str, options: dict[str, object]) -> None:
    admin = await replay(key)
    camp = (await admin.campaigns.list(**options)).records[0]  # type: ignore[arg-type]
    assert camp.campaign_id == "TESTCAMP"
    assert camp.campaign_name == "Test Campaign"
    assert camp.active is True
    assert camp.user_group == "---ALL---"
    assert camp.dial_method is DialMethod.RATIO
    assert camp.dial_level == 1.0
    assert camp.lead_order == "DOWN"
    assert camp.dial_statuses == ("NEW", "NA", "A", "B", "DROP", "CALLBK")
    assert camp.dial_timeout == 26
    assert (camp.dial_prefix, camp.manual_dial_prefix, camp.three_way_dial_prefix) == ("9",) * 3


@pytest.mark.parametrize(
    ("key", "options"),
    [("hopper_list/pipe", {}), ("hopper_list/tab_header", {"stage": "tab", "header": True})],
)
async def test_hopper_list_trims_padding(
    replay: Replay, key: str, options: dict[str, object]
) -> None:
    admin = await replay(key)
    first, second = (await admin.campaigns.hopper_list("TESTCAMP", **options)).records  # type: ignore[arg-type]
    assert (first.hopper_order, first.priority, first.lead_id, first.list_id) == (0, 0, 15, 101)
    assert (first.phone_number, first.phone_code, first.state) == ("2125550115", "1", "NY")
    assert (first.status, first.count, first.gmt_offset, first.rank) == ("NEW", 0, -5.0, 0)
    assert (first.alt, first.hopper_source, first.vendor_lead_code) == ("NONE", "S", "VLC0015")
    assert (first.source_id, first.age_days, first.last_call_time) == ("LIST", 6, "NEVER")
    assert (second.lead_id, second.state, second.gmt_offset, second.age_days) == (16, "NM", -6.0, 5)


async def test_hopper_list_unknown_campaign(replay: Replay) -> None:
    admin = await replay("hopper_list/err_campaign_not_exist")
    with pytest.raises(ViciNotFoundError) as info:
        await admin.campaigns.hopper_list("NOPE")
    assert info.value.details == ("", "6666", "NOPE")


# --- users ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "agent", "name", "stage"),
    [
        ("user_details/csv_header", "1001", "Alice Agent", "csv"),
        ("user_details/tab_header", "1004", "Dave Agent", "tab"),
    ],
)
async def test_user_details(replay: Replay, key: str, agent: str, name: str, stage: str) -> None:
    admin = await replay(key)
    user = (await admin.users.details(agent, stage=stage, header=True)).user
    assert (user.user, user.full_name, user.user_group, user.user_level, user.active) == (
        agent,
        name,
        "AGENTS",
        1,
        True,
    )


async def test_user_details_not_found(replay: Replay) -> None:
    admin = await replay("user_details/err_user_not_found")
    with pytest.raises(ViciNotFoundError):
        await admin.users.details("9999")


@pytest.mark.parametrize(
    ("key", "agent", "options"),
    [
        ("agent_campaigns/pipe", "1001", {}),
        ("agent_campaigns/pipe_header_admin", "6666", {"stage": "pipe", "header": True}),
        ("agent_campaigns/tab_header", "1001", {"stage": "tab", "header": True}),
        (
            "agent_campaigns/csv_campaign_ignore_agentdirect",
            "1001",
            {"campaign_id": "TESTCAMP", "ignore_agentdirect": True, "stage": "csv"},
        ),
    ],
)
async def test_agent_campaigns(
    replay: Replay, key: str, agent: str, options: dict[str, object]
) -> None:
    admin = await replay(key)
    allowed = (await admin.users.agent_campaigns(agent, **options)).allowed  # type: ignore[arg-type]
    assert allowed.user == agent
    assert allowed.allowed_campaigns_list == ("TESTCAMP",)
    assert allowed.allowed_ingroups_list == ("SALESLINE", "SUPPORT")


# --- lists ----------------------------------------------------------------------------------


async def test_list_info_with_counts(replay: Replay) -> None:
    admin = await replay("list_info/dialable_csv")
    info = (
        await admin.lists.info(
            101, dialable_count=True, leads_counts=True, stage="csv", header=True
        )
    ).list
    assert (info.list_id, info.list_name, info.campaign_id, info.active) == (
        101,
        "Test List 101",
        "TESTCAMP",
        True,
    )
    assert info.list_changedate == datetime(2026, 11, 27, 4, 44, 8)
    assert info.expiration_date == date(2099, 12, 31)
    assert (info.resets_today, info.all_leads_count, info.new_leads_count, info.dialable_count) == (
        0,
        26,
        18,
        18,
    )


async def test_list_info_tab_ignores_stray_delimiter(replay: Replay) -> None:
    admin = await replay("list_info/tab")
    result = await admin.lists.info(101, stage="tab")
    assert result.list.resets_today == 0
    assert result.list.all_leads_count is None
    assert result.unparsed == ()


async def test_list_custom_fields_all(replay: Replay) -> None:
    admin = await replay("list_custom_fields/all_csv")
    rows = (await admin.lists.custom_fields(stage="csv", header=True)).records
    assert [r.list_id for r in rows] == [101, 102, 998, 999]
    assert rows[0].custom_fields_list_space_delimited == ("favorite_color", "contract_value")
    assert rows[1].list_lastcalldate is None
    assert rows[1].custom_fields_list_space_delimited == ()
    assert rows[3].list_name == "Default inbound list"
    assert rows[3].list_changedate is None


async def test_list_custom_fields_alpha_tab(replay: Replay) -> None:
    admin = await replay("list_custom_fields/tab_alpha")
    row = (await admin.lists.custom_fields(101, stage="tab", custom_order="alpha_up")).records[0]
    assert row.custom_fields_list_space_delimited == ("contract_value", "favorite_color")


async def test_list_custom_fields_one_list_pipe(replay: Replay) -> None:
    admin = await replay("list_custom_fields/header")
    result = await admin.lists.custom_fields(101, header=True)
    assert result.header[-1] == "custom_fields_list_space_delimited"
    assert result.records[0].list_lastcalldate == datetime(2026, 11, 27, 4, 44, 8)


# --- leads ----------------------------------------------------------------------------------


def _henry(lead: Lead) -> None:
    assert lead.status == "SALE"
    assert lead.user == "1001"
    assert lead.vendor_lead_code == "VLC0012"
    assert lead.source_id == "WEB"
    assert lead.list_id == 101
    assert lead.gmt_offset_now == -5.0
    assert lead.phone_number == "4075550112"
    assert lead.title == "Dr"
    assert (lead.first_name, lead.middle_initial, lead.last_name) == ("Henry", "S", "Jekyll")
    assert lead.address1 == "1 Lab Rd"
    assert lead.address2 is None
    assert lead.province is None
    assert lead.gender is Gender.M
    assert lead.date_of_birth == date(1960, 3, 3)
    assert lead.alt_phone is None
    assert lead.email == "henry@example.com"
    assert lead.called_count == 3
    assert lead.rank == 5
    assert lead.owner == "1001"
    assert lead.last_local_call_time == datetime(2026, 11, 26, 4, 44, 8)


@pytest.mark.parametrize(
    ("key", "options"),
    [
        ("lead_all_info/lead_id", {}),
        ("lead_all_info/newline", {"stage": "newline"}),
        ("lead_all_info/csv_header_POST", {"stage": "csv", "header": True}),
    ],
)
async def test_lead_all_info(replay: Replay, key: str, options: dict[str, object]) -> None:
    admin = await replay(key)
    result = await admin.leads.all_info(12, **options)  # type: ignore[arg-type]
    assert len(result.records) == 1
    _henry(result.lead)
    assert (result.lead.entry_list_id, result.lead.lead_id) == (101, 12)
    assert result.lead.custom_fields == {}


async def test_lead_all_info_custom_fields_by_header_names(replay: Replay) -> None:
    admin = await replay("lead_all_info/force_entry_list_id")
    lead = (
        await admin.leads.all_info(11, header=True, custom_fields=True, force_entry_list_id=101)
    ).lead
    assert (lead.lead_id, lead.status, lead.gender, lead.alt_phone) == (
        11,
        "INCALL",
        Gender.F,
        "7275559111",
    )
    assert lead.custom_fields == {"favorite_color": "green", "contract_value": "250"}


@pytest.mark.parametrize(
    ("key", "options"),
    [
        ("ccc_lead_info/pipe", {}),
        ("ccc_lead_info/newline", {"stage": "newline"}),
        ("ccc_lead_info/csv_header", {"stage": "csv", "header": True}),
    ],
)
async def test_ccc_lead_info(replay: Replay, key: str, options: dict[str, object]) -> None:
    admin = await replay(key)
    lead = (await admin.leads.ccc_info("M1127040000000000012", **options)).lead  # type: ignore[arg-type]
    _henry(lead)
    assert lead.lead_id is None
    assert lead.entry_list_id is None


@pytest.mark.parametrize(
    ("key", "custom"),
    [
        ("lead_status_search/sale_today", {}),
        ("lead_status_search/custom_fields", {"favorite_color": "red", "contract_value": "9000"}),
    ],
)
async def test_lead_status_search_blocks(replay: Replay, key: str, custom: dict[str, str]) -> None:
    admin = await replay(key)
    result = await admin.leads.status_search("SALE", NOV27, custom_fields=True if custom else None)
    lead = result.lead
    _henry(lead)
    assert (lead.lead_id, lead.entry_list_id) == (12, 101)
    assert lead.custom_fields == custom


async def test_lead_status_search_nothing_found_is_empty(replay: Replay) -> None:
    admin = await replay("lead_status_search/err_no_results")
    result = await admin.leads.status_search("NP", "2012-08-09")
    assert result.records == ()
    assert result.message == "lead_status_search NO RESULTS FOUND"


async def test_lead_search_multi(replay: Replay) -> None:
    admin = await replay("lead_search/multi")
    hits = (
        await admin.leads.search(["3125550110", "7275551212", "4075550112", "9998886112"])
    ).records
    assert [(h.search_key, h.records_found, h.lead_ids) for h in hits] == [
        ("3125550110", 1, (10,)),
        ("7275551212", 7, (7, 6, 5, 4, 3, 2, 1)),
        ("4075550112", 1, (12,)),
        ("9998886112", 0, ()),
    ]


async def test_lead_search_header_without_delimiters(replay: Replay) -> None:
    admin = await replay("lead_search/records_limit")
    result = await admin.leads.search(["7275551212"], records=2, header=True)
    assert [(h.search_key, h.records_found, h.lead_ids) for h in result.records] == [
        ("7275551212", 2, (7, 6))
    ]


async def test_lead_search_no_matches_is_empty(replay: Replay) -> None:
    admin = await replay("lead_search/err_no_matches")
    result = await admin.leads.search(["9998887777"])
    assert (result.records, result.message) == ((), "lead_search NO MATCHES FOUND IN THE SYSTEM")


@pytest.mark.parametrize(
    ("key", "options"),
    [
        ("lead_callback_info/csv_current", {"stage": "csv"}),
        (
            "lead_callback_info/pipe_header_all",
            {"stage": "pipe", "header": True, "search_location": "ALL"},
        ),
    ],
)
async def test_lead_callback_info(replay: Replay, key: str, options: dict[str, object]) -> None:
    admin = await replay(key)
    cb = (await admin.leads.callback_info(14, **options)).records[0]  # type: ignore[arg-type]
    assert (cb.lead_id, cb.callback_type, cb.recipient) == (
        14,
        CallbackTable.CURRENT,
        CallbackType.USERONLY,
    )
    assert (cb.callback_status, cb.lead_status) == (CallbackStatus.ACTIVE, "CALLBK")
    assert cb.callback_date == datetime(2026, 11, 29, 4, 44, 8)
    assert cb.entry_date == datetime(2026, 11, 26, 4, 44, 8)
    assert (cb.user, cb.list_id, cb.campaign_id, cb.user_group) == (
        "1001",
        101,
        "TESTCAMP",
        "AGENTS",
    )
    assert cb.customer_timezone == "USA-EST-Y-Eastern US Time Zone"
    assert cb.customer_time == datetime(2026, 11, 29, 4, 44, 8)
    assert cb.comments == "call back next week"


async def test_lead_callback_info_not_found(replay: Replay) -> None:
    admin = await replay("lead_callback_info/err_lead_not_found")
    with pytest.raises(ViciNotFoundError):
        await admin.leads.callback_info(999999)


async def test_lead_field_info_bare_value(replay: Replay) -> None:
    admin = await replay("lead_field_info/first_name")
    result = await admin.leads.field_info(12, "first_name")
    assert (result.lead_id, result.field_name, result.value) == (12, "first_name", "Henry")


def test_lead_field_info_empty_field_is_an_empty_value() -> None:
    # The bare value is printed without a newline, so an empty field is an empty 200 body.
    params = LeadFieldInfoParams(lead_id=12, field_name="address2")
    result = parse_answer(LEAD_FIELD_INFO, params, "")
    assert (result.lead_id, result.field_name, result.value) == (12, "address2", "")


async def test_lead_field_info_unknown_field_is_http_500(replay: Replay) -> None:
    admin = await replay("lead_field_info/err_field_not_found")
    with pytest.raises(ViciHttpError) as info:
        await admin.leads.field_info(12, "shoe_size")
    assert info.value.status_code == 500


async def test_callid_info_detail_in_the_servers_order(replay: Replay) -> None:
    admin = await replay("callid_info/detail_pipe")
    call = (await admin.leads.callid_info("M1127040000000000012", detail=True)).call
    assert (call.call_id, call.custtime) == ("M1127040000000000012", 185)
    assert call.call_date == datetime(2026, 11, 27, 1, 44, 8)
    assert (call.phone, call.call_type, call.campaign_id) == (
        "4075550112",
        "OUTBOUND_MANUAL",
        "TESTCAMP",
    )
    assert (call.list_id, call.status, call.user) == (101, "SALE", "1001")


async def test_callid_info_not_found(replay: Replay) -> None:
    admin = await replay("callid_info/err_call_not_found")
    with pytest.raises(ViciNotFoundError):
        await admin.leads.callid_info("M9999999999999999999")


# --- reporting ------------------------------------------------------------------------------


async def test_recording_lookup_by_uniqueid(replay: Replay) -> None:
    admin = await replay("recording_lookup/uniqueid")
    rec = (
        await admin.reporting.recording_lookup(uniqueid="1700000001.101", agent_user="1001")
    ).records[0]
    assert (rec.start_time, rec.user, rec.recording_id, rec.lead_id) == (
        datetime(2026, 11, 27, 1, 44, 8),
        "1001",
        1,
        12,
    )
    assert (
        rec.location
        == "http://127.0.0.1/RECORDINGS/MP3/20261127-010000_4075550112_TESTCAMP_1001-all.mp3"
    )
    assert rec.duration is None


async def test_recording_lookup_none_found_is_empty(replay: Replay) -> None:
    admin = await replay("recording_lookup/err_no_recordings")
    result = await admin.reporting.recording_lookup(agent_user="1001", date="2012-08-09")
    assert (result.records, result.message) == ((), "recording_lookup NO RECORDINGS FOUND")


@pytest.mark.parametrize(
    ("key", "stage"), [("did_log_export/csv_header", "csv"), ("did_log_export/tab_header", "tab")]
)
async def test_did_log_export_rows_win_over_header(replay: Replay, key: str, stage: str) -> None:
    admin = await replay(key)
    result = await admin.reporting.did_log_export("3125551000", NOV27, stage=stage, header=True)
    assert result.header == ("did_number", "call_date", "caller_id_number", "length_in_sec")
    first, second = result.records
    assert (first.did_number, first.caller_id_number, first.call_date, first.length_in_sec) == (
        "3125551000",
        "4075550112",
        datetime(2026, 11, 27, 0, 44, 8),
        300,
    )
    assert (second.caller_id_number, second.length_in_sec) == ("7275550111", 65)


async def test_did_log_export_no_records_is_empty(replay: Replay) -> None:
    admin = await replay("did_log_export/err_no_records")
    result = await admin.reporting.did_log_export("3125551000", "2012-08-09")
    assert result.records == ()
    assert result.message == "did_log_export NO RECORDS FOUND"


async def test_phone_number_log(replay: Replay) -> None:
    admin = await replay("phone_number_log/pipe")
    a, b = (
        await admin.reporting.phone_number_log(["4075550112", "2135550113"], stage="pipe")
    ).records
    assert (a.phone_number, a.call_date, a.list_id, a.length_in_sec) == (
        "4075550112",
        datetime(2026, 11, 27, 1, 44, 8),
        101,
        185,
    )
    assert (a.lead_status, a.hangup_reason, a.call_status, a.source_id, a.user) == (
        "SALE",
        HangupReason.CALLER,
        "SALE",
        "WEB",
        "1001",
    )
    assert (b.hangup_reason, b.call_status, b.source_id, b.user) == (
        HangupReason.AGENT,
        "NI",
        "LIST",
        "1002",
    )


async def test_phone_number_log_notice_is_empty_with_message(replay: Replay) -> None:
    admin = await replay("phone_number_log/err_no_records")
    result = await admin.reporting.phone_number_log(["9998887777"])
    assert result.records == ()
    assert result.message == "phone_number_log NO RECORDS FOUND FOR THIS PHONE NUMBER"


async def test_agent_stats_seconds_csv(replay: Replay) -> None:
    admin = await replay("agent_stats_export/csv_header_seconds")
    alice, bob, carol = (
        await admin.reporting.agent_stats_export(
            "2026-11-27 00:00:00",
            datetime(2026, 11, 27, 23, 59, 59),
            time_format="S",
            stage="csv",
            header=True,
        )
    ).records
    assert (alice.user, alice.full_name, alice.calls, alice.login_time, alice.total_talk_time) == (
        "1001",
        "Alice Agent",
        1,
        845,
        185,
    )
    assert (alice.pct_of_queue, alice.pause_time, alice.pause_pct, alice.dispo_time) == (
        33.3,
        600,
        71.0,
        30,
    )
    assert (bob.avg_talk_time, bob.pause_pct, carol.login_time) == (185, 63.8, 76)
    assert alice.campaign_id is None


async def test_agent_stats_minutes_read_as_seconds(replay: Replay) -> None:
    admin = await replay("agent_stats_export/one_agent_minutes_pipe")
    row = (
        await admin.reporting.agent_stats_export(
            "2026-11-27 00:00:00",
            "2026-11-27 23:59:59",
            agent_user="1001",
            time_format="M",
            stage="pipe",
        )
    ).records[0]
    assert (row.login_time, row.total_talk_time, row.avg_pause_time, row.pct_of_queue) == (
        845,
        185,
        600,
        100.0,
    )


async def test_agent_stats_grouped_by_campaign_hours(replay: Replay) -> None:
    admin = await replay("agent_stats_export/tab_group_by_campaign")
    rows = (
        await admin.reporting.agent_stats_export(
            "2026-11-27 00:00:00",
            "2026-11-27 23:59:59",
            stage="tab",
            header=True,
            group_by_campaign=True,
        )
    ).records
    assert [(r.campaign_id, r.user) for r in rows] == [
        ("TESTCAMP", "1001"),
        ("TESTCAMP", "1002"),
        ("TESTCAMP", "1003"),
    ]
    assert (rows[0].login_time, rows[0].pause_pct, rows[2].pause_pct) == (830, 72.3, 82.2)


async def test_agent_stats_no_records_is_empty(replay: Replay) -> None:
    admin = await replay("agent_stats_export/err_no_records")
    result = await admin.reporting.agent_stats_export("2012-03-26 00:00:00", "2012-03-26 23:59:59")
    assert result.records == ()
    assert result.message == "agent_stats_export NO RECORDS FOUND"


async def test_call_status_stats_nested(replay: Replay) -> None:
    admin = await replay("call_status_stats/all")
    camp, sales, support = (
        await admin.reporting.call_status_stats(["---ALL---"], query_date=NOV27)
    ).records
    assert (camp.campaign_id, camp.total_calls, camp.human_answered_calls) == ("TESTCAMP", 5, 2)
    assert camp.hourly_breakdown[2] == 2
    assert sum(camp.hourly_breakdown.values()) == 5
    assert sorted(camp.hourly_breakdown) == list(range(24))
    assert camp.status_breakdown == {"A": 1, "B": 1, "INCALL": 1, "NI": 1, "SALE": 1}
    assert sales.status_breakdown == {"RAXFER": 1, "SALE": 1}
    assert sales.hourly_breakdown[0] == 1
    assert support.total_calls == 0
    assert support.status_breakdown == {}


@pytest.mark.parametrize(
    ("key", "download"),
    [("call_dispo_report/campaigns", None), ("call_dispo_report/file_download", True)],
)
async def test_call_dispo_report_total_apart(
    replay: Replay, key: str, download: bool | None
) -> None:
    admin = await replay(key)
    report = await admin.reporting.call_dispo_report(
        campaigns=["TESTCAMP"], query_date=NOV27, end_date=NOV27, file_download=download
    )
    assert [(r.campaign, r.total_calls, r.statuses) for r in report.records] == [
        ("TESTCAMP", 5, {})
    ]
    assert report.total is not None
    assert report.total.total_calls == 5
    assert report.header == ("campaign", "total_calls")


async def test_call_dispo_report_counts_and_percentages(replay: Replay) -> None:
    admin = await replay("call_dispo_report/ingroups_breakdown_pct")
    report = await admin.reporting.call_dispo_report(
        ingroups=["SALESLINE", "SUPPORT"],
        query_date=NOV27,
        end_date=NOV27,
        status_breakdown=True,
        show_percentages=True,
    )
    (row,) = report.records
    assert (row.campaign, row.total_calls) == ("SALESLINE", 2)
    assert row.statuses == {
        "RAXFER": Share(count=1, percent=50.0),
        "SALE": Share(count=1, percent=50.0),
    }
    assert report.total is not None
    assert report.total.statuses[LeadStatus("SALE")] == Share(count=1, percent=50.0)


# --- system ---------------------------------------------------------------------------------


async def test_version_seven_fields(replay: Replay) -> None:
    admin = await replay("version/basic_POST")
    v = await admin.system.version()
    assert (v.version, v.build, v.epoch) == ("2.14-202", "250720-1841", 1795754660)
    assert v.date == datetime(2026, 11, 27, 4, 44, 20)
    assert (v.dst, v.tz, v.tz_now) == (False, -5.0, -5.0)


async def test_sounds_list_tab(replay: Replay) -> None:
    admin = await replay("sounds_list/tab_by_name")
    sounds = (await admin.system.sounds_list(sort="name")).records
    assert [(s.index, s.filename, s.size) for s in sounds] == [
        (0, "EXship01.wav", 32044),
        (1, "appointment_reminder2.wav", 48044),
        (2, "ss-noservice.wav", 16044),
    ]
    assert sounds[0].modified == datetime(2026, 11, 27, 4, 35, 9)  # printed with a stray dot
    assert sounds[0].modified_epoch == 1795754109
