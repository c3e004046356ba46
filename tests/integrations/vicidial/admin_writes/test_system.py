"""admin.system: every captured HTML list, server_refresh, add_group_alias,
update_cid_group_entry, update_alt_url, update_presets and update_log_entry answer."""

from __future__ import annotations

from datetime import datetime

import pytest

from integrations.vicidial.admin import ViciAdmin
from integrations.vicidial.admin.html import (
    CallMenuItem,
    ContainerItem,
    InGroupItem,
    MohClass,
    SoundFile,
)
from integrations.vicidial.admin.system import AltUrl, CidEntry, Preset, UrlType
from integrations.vicidial.client import parse_answer
from integrations.vicidial.errors import ViciNotFoundError, ViciValidationError
from tests.integrations.vicidial.admin_writes.harness import Err, Local, Ok, check_fixture
from tests.integrations.vicidial.replay import PASSWORD, ServerFactory, fixture, serve

AUDIO = "http://127.0.0.1:8089/audiostore/"
NOV27 = datetime(2026, 11, 27, 4, 35, 9)

EXPECTED: dict[str, Ok | Err | Local] = {
    # --- HTML lists
    "moh_list/selectframe": Ok(
        fields={
            "title": "Music On Hold Class",
            "items": (
                MohClass(
                    value="default",
                    label="default",
                    name="Default Music On Hold",
                    random=False,
                    files=("conf",),
                ),
            ),
            "message": "",
        }
    ),
    "vm_list/selectframe": Ok(fields={"title": "Voicemail Boxes"}),
    "ingroup_list/selectframe": Ok(
        fields={
            "title": "Inbound Groups",
            "items": (
                InGroupItem(
                    value="AGENTDIRECT",
                    label="AGENTDIRECT",
                    name="Single Agent Direct Queue",
                    color="white",
                ),
                InGroupItem(
                    value="AGENTDIRECT_CHAT",
                    label="AGENTDIRECT_CHAT",
                    name="Agent Direct Queue for Chats",
                    color="#FFFFFF",
                ),
                InGroupItem(
                    value="SALESLINE", label="SALESLINE", name="Sales Line", color="#99FF99"
                ),
                InGroupItem(value="SUPPORT", label="SUPPORT", name="Support Line", color="#9999FF"),
            ),
        }
    ),
    "callmenu_list/selectframe": Ok(
        fields={
            "title": "Call Menus",
            "items": (
                CallMenuItem(
                    value="2FA_say_auth_code", label="2FA_say_auth_code", name="2FA_say_auth_code"
                ),
                CallMenuItem(
                    value="default---agent",
                    label="default---agent",
                    name="agent phones restricted to only internal extensions",
                ),
                CallMenuItem(
                    value="defaultlog",
                    label="defaultlog",
                    name="logging of all outbound calls from agent phones",
                ),
            ),
        }
    ),
    "container_list/type_other": Ok(fields={"title": "Settings Containers: OTHER type"}),
    # Without a type the server refuses; so does the client, before sending.
    "container_list/no_type": Local(
        "type",
        Err(
            ViciValidationError,
            "container_list NO CONTAINER TYPE DEFINED",
            ("", "6666", "", ""),
        ),
    ),
    "sounds_list/link_by_size": Ok(
        fields={
            "items": (
                SoundFile(
                    value="appointment_reminder2",
                    label="appointment_reminder2.wav",
                    url=f"{AUDIO}appointment_reminder2.wav",
                ),
                SoundFile(value="EXship01", label="EXship01.wav", url=f"{AUDIO}EXship01.wav"),
                SoundFile(
                    value="ss-noservice", label="ss-noservice.wav", url=f"{AUDIO}ss-noservice.wav"
                ),
            ),
            "records": (),
        }
    ),
    "sounds_list/selectframe_by_date": Ok(
        fields={
            "items": (
                SoundFile(
                    value="ss-noservice",
                    label="ss-noservice.wav",
                    url=f"{AUDIO}ss-noservice.wav",
                    date=NOV27,
                    size=16044,
                ),
                SoundFile(
                    value="appointment_reminder2",
                    label="appointment_reminder2.wav",
                    url=f"{AUDIO}appointment_reminder2.wav",
                    date=NOV27,
                    size=48044,
                ),
                SoundFile(
                    value="EXship01",
                    label="EXship01.wav",
                    url=f"{AUDIO}EXship01.wav",
                    date=NOV27,
                    size=32044,
                ),
            )
        }
    ),
    # --- server_refresh, add_group_alias
    "server_refresh/refresh": Ok(
        fields={"user": "6666", "count": 0, "message": "SERVER REFRESH HAS BEEN TRIGGERED"},
        outcomes=(("RefreshTriggered", "SERVER REFRESH HAS BEEN TRIGGERED"),),
    ),
    # Alias id and name default to the caller id number.
    "add_group_alias/minimal": Ok(
        fields={
            "user": "6666",
            "caller_id_number": "7275551212",
            "group_alias_id": "7275551212",
            "group_alias_name": "7275551212",
            "message": "GROUP ALIAS HAS BEEN ADDED",
        },
        outcomes=(("GroupAliasAdded", "GROUP ALIAS HAS BEEN ADDED"),),
    ),
    "add_group_alias/err_exists": Err(
        ViciValidationError,
        "add_group_alias GROUP ALIAS ALREADY EXISTS",
        ("", "6666", "test_group_alias", "7275551212"),
    ),
    "add_group_alias/err_missing_fields": Local(
        "caller_id_number",
        Err(
            ViciValidationError,
            "add_group_alias YOU MUST USE ALL REQUIRED FIELDS",
            ("", "6666", "x", "", ""),
        ),
    ),
    # --- update_cid_group_entry
    "update_cid_group_entry/delete": Ok(
        fields={
            "user": "6666",
            "cid_group_id": "CIDGRP1",
            "areacode": "212",
            "outbound_cid": "2125551212",
            "count": 1,
            "records": (),
            "message": "CID GROUP ENTRIES HAVE BEEN DELETED",
        },
        outcomes=(("CidGroupDone", "CID GROUP ENTRIES HAVE BEEN DELETED"),),
    ),
    "update_cid_group_entry/update_all_cids": Ok(
        fields={"areacode": "312", "outbound_cid": "---ALL---", "count": 1},
        outcomes=(("CidGroupDone", "CID GROUP ENTRIES HAVE BEEN UPDATED"),),
    ),
    "update_cid_group_entry/err_group_not_exist": Err(
        ViciNotFoundError, "update_cid_group_entry CID GROUP DOES NOT EXIST", ("", "6666", "NOPE")
    ),
    # The INFO line has no separator before its data: CIDGRP1|---ALL---||2, then the rows.
    "update_cid_group_entry/info_all": Ok(
        fields={
            "user": None,
            "cid_group_id": "CIDGRP1",
            "areacode": "---ALL---",
            "outbound_cid": None,
            "count": 2,
            "message": "CID GROUP INFO AS FOLLOWS",
            "records": (
                CidEntry(1, "312", "3125550000", True, "Chicago CID", 0),  # type: ignore[arg-type]
                CidEntry(2, "727", "7275550000", True, "Clearwater CID", 0),  # type: ignore[arg-type]
            ),
        },
        outcomes=(("CidGroupLine", "CID GROUP INFO AS FOLLOWS"),),
        outcome_fields={0: {"details": ("CIDGRP1", "---ALL---", "", "2")}},
    ),
    "update_cid_group_entry/info_one": Ok(
        fields={
            "areacode": "212",
            "count": 1,
            "records": (CidEntry(1, "212", "2125551212", True, "Testing DID", 0),),  # type: ignore[arg-type]
        }
    ),
    # --- update_alt_url
    "update_alt_url/inactive": Ok(
        fields={
            "user": "6666",
            "url_id": 1,
            "url_type": UrlType.DISPO,
            "entry_type": "campaign",
            "campaign_id": "TESTCAMP",
            "records": (),
            "message": "ALT URL HAS BEEN UPDATED",
        },
        outcomes=(("AltUrlDone", "ALT URL HAS BEEN UPDATED"),),
    ),
    # The new id is printed with a label: "NEW URL ID: 2".
    "update_alt_url/new": Ok(
        fields={"url_id": 2, "campaign_id": "TESTCAMP", "message": "ALT URL HAS BEEN ADDED"},
        outcome_fields={0: {"details": ("6666", "NEW URL ID: 2", "dispo", "campaign", "TESTCAMP")}},
    ),
    "update_alt_url/err_campaign_not_exist": Err(
        ViciNotFoundError, "update_alt_url CAMPAIGN DOES NOT EXIST", ("", "6666", "NOPE")
    ),
    # --- update_presets
    "update_presets/new": Ok(
        fields={
            "user": "6666",
            "preset_name": "SUPPORT LINE",
            "campaign_id": "TESTCAMP",
            "message": "PRESET HAS BEEN ADDED",
        },
        outcomes=(("PresetDone", "PRESET HAS BEEN ADDED"),),
    ),
    "update_presets/delete": Ok(
        fields={"preset_name": "SUPPORT LINE", "message": "PRESET HAS BEEN DELETED"},
        outcomes=(("PresetDone", "PRESET HAS BEEN DELETED"),),
    ),
    "update_presets/err_not_exist": Err(
        ViciNotFoundError,
        "update_presets PRESET NAME DOES NOT EXIST",
        ("", "6666", "NOPE", "TESTCAMP", "2"),
    ),
    # --- update_log_entry
    "update_log_entry/inbound_callid": Ok(
        fields={
            "user": "6666",
            "group": "SALESLINE",
            "call_id": "Y1127000000000000012",
            "status": "SALEX",
            "previous_status": "SALE",
            "message": "RECORD HAS BEEN UPDATED",
        },
        outcomes=(("LogEntryUpdated", "RECORD HAS BEEN UPDATED"),),
    ),
    "update_log_entry/err_group_not_found": Err(
        ViciNotFoundError, "update_log_entry GROUP NOT FOUND", ("6666", "NOPE")
    ),
    "update_log_entry/err_no_records": Err(
        ViciNotFoundError,
        "update_log_entry NO RECORDS FOUND",
        ("6666", "TESTCAMP", "1600000000999", "NP"),
    ),
    # Named as a success, but the server drops the uniqueid's dot and then finds nothing.
    "update_log_entry/outbound_uniqueid": Err(
        ViciNotFoundError,
        "update_log_entry NO RECORDS FOUND",
        ("6666", "TESTCAMP", "1700000002102", "NP"),
    ),
}


@pytest.mark.parametrize("key", sorted(EXPECTED))
async def test_fixture(aiohttp_server: ServerFactory, key: str) -> None:
    await check_fixture(aiohttp_server, key, EXPECTED[key])


async def test_vm_list_items(aiohttp_server: ServerFactory) -> None:
    result = await check_fixture(aiohttp_server, "vm_list/selectframe", Ok())
    assert [i.value for i in result.items] == [
        "8500",
        "1001",
        "1002",
        "1003",
        "1004",
        "1005",
        "102",
        "8300",
    ]
    assert (result.items[0].name, result.items[0].email) == (
        "Sales voicemail box",
        "sales@example.com",
    )


async def test_container_list_items(aiohttp_server: ServerFactory) -> None:
    result = await check_fixture(aiohttp_server, "container_list/type_other", Ok())
    assert len(result.items) == 9
    assert result.items[0] == ContainerItem(
        value="AGENT_CALLBACK_EMAIL ",
        label="AGENT_CALLBACK_EMAIL",
        notes="Scheduled callback email alert settings",
    )
    assert result.items[3].value == "FAILED_DIAL_MESSAGE_OVERRIDE"


@pytest.mark.parametrize(
    ("key", "call"),
    [
        ("moh_list/selectframe", "moh"),
        ("ingroup_list/selectframe", "ingroup"),
        ("callmenu_list/selectframe", "callmenu"),
        ("container_list/type_other", "container"),
        ("sounds_list/selectframe_by_date", "sounds"),
        ("update_log_entry/inbound_callid", "log"),
        ("server_refresh/refresh", "refresh"),
        ("update_presets/new", "preset"),
        ("update_alt_url/new", "alt_url"),
        ("update_cid_group_entry/info_one", "cid_info"),
        ("add_group_alias/minimal", "alias"),
    ],
)
async def test_friendly_methods_send_the_captured_requests(
    aiohttp_server: ServerFactory, key: str, call: str
) -> None:
    item = fixture(key)
    url = await serve(aiohttp_server, item)
    async with ViciAdmin(url, "6666", PASSWORD, source="test", method="GET") as admin:
        system = admin.system
        if call == "moh":
            assert (await system.moh_list(comments="fieldname", sort="date")).items
        elif call == "ingroup":
            assert (await system.ingroup_list(comments="fieldname")).items
        elif call == "callmenu":
            assert (await system.callmenu_list(comments="fieldname")).items
        elif call == "container":
            assert (await system.container_list("OTHER", comments="fieldname")).items
        elif call == "sounds":
            sounds = await system.sounds_list(
                sort="date", format="selectframe", comments="fieldname"
            )
            assert sounds.items
        elif call == "log":
            logged = await system.update_log_entry("Y1127000000000000012", "SALESLINE", "SALEX")
            assert logged.previous_status == "SALE"
        elif call == "refresh":
            assert (await system.server_refresh()).user == "6666"
        elif call == "preset":
            preset = await system.update_presets(
                "TESTCAMP",
                "SUPPORT LINE",
                action="NEW",
                preset_number="3125551214",
                preset_hide_number=True,
                preset_dtmf="1",
            )
            assert preset.preset_name == "SUPPORT LINE"
        elif call == "alt_url":
            added = await system.update_alt_url(
                "TESTCAMP",
                "dispo",
                "NEW",
                url_statuses=["PRQUAL"],
                url_description="Testing",
                url_address="http://127.0.0.1:8089/query.php?var1=X&var2=y",
            )
            assert added.url_id == 2
        elif call == "cid_info":
            assert len((await system.cid_group_info("CIDGRP1", "212")).records) == 1
        else:
            assert (await system.add_group_alias("7275551212")).group_alias_id == "7275551212"


# --- the listing modes: no listing was captured, so these follow the documented format ----


def test_alt_url_listing_is_a_read_and_gives_records() -> None:
    admin = ViciAdmin("http://127.0.0.1:9", "6666", PASSWORD)
    spec, params = admin.build(
        "update_alt_url",
        {"campaign_id": "ALTTEST", "url_type": "dispo", "alt_url_id": "LIST", "header": "YES"},
    )
    assert spec.is_read(params)
    body = (
        "url_id|campaign_id|entry_type|active|url_type|url_rank|url_statuses|url_description"
        "|url_lists|url_call_length|url_address\n"
        "3|ALTTEST|campaign|Y|dispo|2|SALE PSALE|Updated SALE URL||2|http://x.test/q.php?a=X&b=y\n"
    )
    result = parse_answer(spec, params, body)
    assert result.records == (
        AltUrl(
            3,
            "ALTTEST",  # type: ignore[arg-type]
            "campaign",
            True,
            UrlType.DISPO,
            2,
            ("SALE", "PSALE"),
            "Updated SALE URL",
            (),
            2,
            "http://x.test/q.php?a=X&b=y",
        ),
    )
    _, change = admin.build(
        "update_alt_url", {"campaign_id": "ALTTEST", "url_type": "dispo", "alt_url_id": 3}
    )
    assert not spec.is_read(change)


def test_an_empty_alt_url_listing_keeps_the_notice() -> None:
    admin = ViciAdmin("http://127.0.0.1:9", "6666", PASSWORD)
    spec, params = admin.build(
        "update_alt_url", {"campaign_id": "TESTCAMP", "url_type": "start", "alt_url_id": "LIST"}
    )
    body = "NOTICE: update_alt_url LIST, No Records Found - 6666|start|campaign|TESTCAMP|0\n"
    result = parse_answer(spec, params, body)
    assert result.records == ()
    assert result.message == "update_alt_url LIST, No Records Found"


def test_preset_listing_is_a_read_and_gives_records() -> None:
    admin = ViciAdmin("http://127.0.0.1:9", "6666", PASSWORD)
    spec, params = admin.build(
        "update_presets", {"campaign_id": "ALTTEST", "action": "LIST", "stage": "tab"}
    )
    assert spec.is_read(params)
    result = parse_answer(spec, params, "SALES\tALTTEST\t3125551213\tN\t1234\n")
    assert result.records == (Preset("SALES", "ALTTEST", "3125551213", False, "1234"),)  # type: ignore[arg-type]
    _, new = admin.build("update_presets", {"campaign_id": "ALTTEST", "action": "NEW"})
    assert not spec.is_read(new)


def test_cid_info_is_a_read_and_add_needs_one_entry() -> None:
    admin = ViciAdmin("http://127.0.0.1:9", "6666", PASSWORD)
    spec, info = admin.build(
        "update_cid_group_entry", {"cid_group_id": "CIDGRP1", "stage": "INFO", "areacode": "212"}
    )
    assert spec.is_read(info)
    with pytest.raises(ViciValidationError) as refused:
        admin.build(
            "update_cid_group_entry",
            {"cid_group_id": "CIDGRP1", "stage": "ADD", "areacode": "---ALL---"},
        )
    assert "ADD" in str(refused.value)


@pytest.mark.parametrize(
    ("function", "params", "problem"),
    [
        ("update_presets", {"campaign_id": "TESTCAMP", "preset_dtmf": "12#"}, "preset_dtmf"),
        ("update_presets", {"campaign_id": "TESTCAMP", "action": "COPY"}, "action"),
        ("update_alt_url", {"campaign_id": "TESTCAMP", "url_type": "hangup"}, "url_type"),
        ("update_log_entry", {"call_id": "123", "group": "X", "status": "SALE"}, "call_id"),
        ("add_group_alias", {"caller_id_number": "727"}, "caller_id_number"),
        ("sounds_list", {"format": "json"}, "format"),
        ("moh_list", {"format": "tab"}, "format"),
        ("server_refresh", {"stage": "NOW"}, "stage"),
    ],
)
def test_limits_are_checked_locally(function: str, params: dict[str, str], problem: str) -> None:
    admin = ViciAdmin("http://127.0.0.1:9", "6666", PASSWORD)
    with pytest.raises(ViciValidationError) as refused:
        admin.build(function, params)
    assert problem in str(refused.value)
