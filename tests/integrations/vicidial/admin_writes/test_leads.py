"""admin.leads writes: every captured add_lead, update_lead, batch_update_lead and
lead_dearchive answer."""

from __future__ import annotations

from datetime import datetime

import pytest

from integrations.vicidial.admin import ViciAdmin
from integrations.vicidial.agent.enums import CallbackType
from integrations.vicidial.errors import (
    ViciNotFoundError,
    ViciPermissionError,
    ViciValidationError,
)
from tests.integrations.vicidial.admin_writes.harness import Err, Local, Ok, check_fixture
from tests.integrations.vicidial.replay import PASSWORD, ServerFactory, fixture, serve

EXPECTED: dict[str, Ok | Err | Local] = {
    # The server's order is phone|list_id|lead_id|gmt|user, not the documented one.
    "add_lead/minimal": Ok(
        fields={
            "phone_number": "7275551111",
            "list_id": 999,
            "lead_id": 32,
            "gmt_offset": -5.0,
            "user": "6666",
            "message": "LEAD HAS BEEN ADDED",
        },
        outcomes=(("LeadAdded", "LEAD HAS BEEN ADDED"),),
    ),
    "add_lead/hopper": Ok(
        fields={"lead_id": 34, "list_id": 101},
        outcomes=(("LeadAdded", "LEAD HAS BEEN ADDED"), ("AddedToHopper", "ADDED TO HOPPER")),
        outcome_fields={1: {"lead_id": 34, "hopper_id": 3, "user": "6666"}},
    ),
    "add_lead/custom_fields": Ok(
        fields={"lead_id": 36, "phone_number": "7275551115"},
        outcomes=(
            ("LeadAdded", "LEAD HAS BEEN ADDED"),
            ("CustomFieldsDone", "CUSTOM FIELDS VALUES ADDED"),
        ),
        outcome_fields={1: {"lead_id": 36, "list_id": 101}},
    ),
    "add_lead/err_duplicate": Err(
        ViciValidationError,
        "add_lead DUPLICATE PHONE NUMBER IN LIST",
        ("3125550110", "101", "10", "PHONE"),
    ),
    "add_lead/err_no_permission": Err(
        ViciPermissionError,
        "auth USER DOES NOT HAVE PERMISSION TO USE THIS FUNCTION",
        ("", "6667", "add_lead", ""),
    ),
    "update_lead/callback": Ok(
        outcomes=(("CallbackScheduled", "SCHEDULED CALLBACK ADDED"),),
        outcome_fields={
            0: {
                "lead_id": 16,
                "campaign_id": "TESTCAMP",
                "callback_time": datetime(2026, 11, 27, 4, 44, 33),
                "callback_type": CallbackType.USERONLY,
                "callback_user": "1002",
                "status": "CALLBK",
            }
        },
    ),
    "update_lead/custom_fields": Ok(
        fields={"lead_ids": (10,)},
        outcomes=(
            ("LeadChanged", "LEAD HAS BEEN UPDATED"),
            ("CustomFieldsDone", "CUSTOM FIELDS VALUES UPDATED"),
        ),
        outcome_fields={1: {"lead_id": 10, "list_id": 101}},
    ),
    "update_lead/delete_cf_data": Ok(
        outcomes=(("CustomFieldsDone", "CUSTOM FIELDS DATA HAS BEEN DELETED"),),
        outcome_fields={0: {"user": "6666", "lead_id": 12, "list_id": 101}},
    ),
    "update_lead/delete_lead": Ok(
        fields={"lead_ids": (29,)},
        outcomes=(("LeadChanged", "LEAD HAS BEEN DELETED 0|0"),),
    ),
    # NOTICE, SUCCESS, NOTICE: the search missed, the lead was inserted, its custom fields set.
    "update_lead/insert_if_not_found": Ok(
        fields={"lead_ids": (38,)},
        outcomes=(
            ("LeadsMatched", "NO MATCHES FOUND IN THE SYSTEM"),
            ("LeadAdded", "LEAD HAS BEEN ADDED"),
            ("CustomFieldsDone", "CUSTOM FIELDS VALUES ADDED"),
        ),
        outcome_fields={0: {"lead_ids": (), "phone_number": "9999000029"}},
    ),
    "update_lead/no_update": Ok(
        fields={"lead_ids": ()},
        outcomes=(("LeadsMatched", "LEADS FOUND IN THE SYSTEM"),),
        outcome_fields={0: {"lead_ids": (12,), "user": "6666", "list_id": 101}},
    ),
    "update_lead/phone_in_list": Ok(
        fields={"lead_ids": (7, 2)},
        outcomes=(
            ("LeadChanged", "LEAD HAS BEEN UPDATED"),
            ("LeadChanged", "LEAD HAS BEEN UPDATED"),
        ),
    ),
    "update_lead/system_no_update_hopper": Ok(
        outcomes=(
            ("LeadsMatched", "LEADS FOUND IN THE SYSTEM"),
            ("AddedToHopper", "ADDED TO HOPPER"),
        ),
        outcome_fields={
            0: {"lead_ids": (24,), "phone_number": "3125550124"},
            1: {"lead_id": 24, "hopper_id": 5},
        },
    ),
    "update_lead/vendor_lead_code": Ok(fields={"lead_ids": (15,)}),
    "batch_update_lead/list_move": Ok(
        fields={"user": "6666", "updated": 2, "lead_ids": (25, 24)},
        outcomes=(("BatchUpdateDone", "LEADS HAVE BEEN UPDATED"),),
    ),
    "batch_update_lead/err_no_leads_found": Err(
        ViciNotFoundError,
        "batch_update_lead NO MATCHES FOUND IN THE SYSTEM",
        ("", "6666", "999998,999999"),
    ),
    "lead_dearchive/archived_lead": Ok(
        fields={"user": "6666", "lead_id": 900001, "message": "LEAD DE-ARCHIVED"},
    ),
    "lead_dearchive/err_archived_not_found": Err(
        ViciNotFoundError,
        "lead_dearchive ARCHIVED LEAD NOT FOUND",
        ("6666", "900002", "", ""),
    ),
    # A lead that is not archived reads as "not found" too.
    "lead_dearchive/err_non_archived_lead": Err(
        ViciNotFoundError, "lead_dearchive ARCHIVED LEAD NOT FOUND", ("6666", "12", "", "")
    ),
}


@pytest.mark.parametrize("key", sorted(EXPECTED))
async def test_fixture(aiohttp_server: ServerFactory, key: str) -> None:
    await check_fixture(aiohttp_server, key, EXPECTED[key])


async def test_custom_fields_pass_through_the_friendly_method(
    aiohttp_server: ServerFactory,
) -> None:
    item = fixture("add_lead/custom_fields")
    url = await serve(aiohttp_server, item)
    async with ViciAdmin(url, "6666", PASSWORD, source="test", method="GET") as admin:
        result = await admin.leads.add(
            "7275551115",
            list_id=101,
            phone_code="1",
            custom_fields=True,
            favorite_color="blue",
            contract_value="100",
        )
    assert result.lead_id == 36


async def test_custom_fields_refused_without_custom_fields_y() -> None:
    async with ViciAdmin("http://127.0.0.1:9", "6666", PASSWORD) as admin:
        with pytest.raises(ViciValidationError) as refused:
            await admin.leads.add("7275551115", favorite_color="blue")
    assert refused.value.sent is False
    assert "favorite_color" in str(refused.value)


async def test_batch_update_sets_records_to_the_number_of_ids(
    aiohttp_server: ServerFactory,
) -> None:
    async with ViciAdmin("http://127.0.0.1:9", "6666", PASSWORD) as admin:
        _, model = admin.build("batch_update_lead", {"lead_ids": "24,25", "status": "NEW"})
        assert "records" not in model.to_wire()
        spec = admin.registry.get("batch_update_lead")
        assert spec is not None
        wire = admin.make(spec, lead_ids=[24, 25], records=2).to_wire()
    assert wire["lead_ids"] == "24,25"
    assert wire["records"] == "2"


def test_dates_are_written_as_vicidial_reads_them() -> None:
    admin = ViciAdmin("http://127.0.0.1:9", "6666", PASSWORD)
    _, model = admin.build(
        "update_lead",
        {
            "lead_id": 16,
            "callback": "Y",
            "campaign_id": "TESTCAMP",
            "callback_datetime": datetime(2026, 11, 27, 9, 30),
            "date_of_birth": "1980-02-03",
            "first_name": "--BLANK--",
        },
    )
    wire = model.to_wire()
    assert wire["callback_datetime"] == "2026-11-27 09:30:00"
    assert wire["date_of_birth"] == "1980-02-03"
