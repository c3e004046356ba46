"""admin.dids and admin.dnc: every captured DID, DNC and Filter Phone Group answer."""

from __future__ import annotations

import pytest

from integrations.vicidial.admin import ViciAdmin
from integrations.vicidial.admin.dids import DidCopied
from integrations.vicidial.errors import ViciNotFoundError, ViciValidationError
from tests.integrations.vicidial.admin_writes.harness import Err, Local, Ok, check_fixture
from tests.integrations.vicidial.replay import PASSWORD, ServerFactory, fixture, serve

EXPECTED: dict[str, Ok | Err | Local] = {
    "add_did/full": Ok(
        fields={"user": "6666", "did_pattern": "7275553331", "did_id": None},
        outcomes=(("DidDone", "DID HAS BEEN ADDED"),),
    ),
    "add_did/err_missing_pattern": Local(
        "did_pattern",
        Err(ViciValidationError, "add_did YOU MUST USE ALL REQUIRED FIELDS", ("", "6666", "")),
    ),
    "update_did/full": Ok(fields={"user": "6666", "did_pattern": "7275553331"}),
    "update_did/description": Ok(fields={"did_pattern": "+1727555112", "did_id": None}),
    "update_did/delete_did": Ok(
        fields={"did_pattern": "+1727555119", "did_id": 6, "message": "DID HAS BEEN DELETED"}
    ),
    # The server looks the DID up before checking the description's length (6 to 50).
    "update_did/err_not_exist": Local(
        "did_description",
        Err(ViciNotFoundError, "update_did DID DOES NOT EXIST", ("", "6666", "5555555555")),
    ),
    "copy_did/many": Ok(
        fields={"user": "6666", "source_did_pattern": "3125551000", "added": 3},
        outcomes=(
            ("DidCopied", "DID HAS BEEN ADDED"),
            ("DidCopied", "DID HAS BEEN ADDED"),
            ("DidCopied", "DID HAS BEEN ADDED"),
            ("DidsCopied", "DIDS HAVE BEEN ADDED"),
        ),
        outcome_fields={
            0: {"did_pattern": "7275553338", "source_did_pattern": "3125551000", "did_id": 7},
            2: {"did_pattern": "7275553336", "did_id": 9},
        },
    ),
    "add_dnc_phone/campaign": Ok(
        fields={"user": "6666", "phone_number": "7275551299", "campaign_id": "TESTCAMP"},
        outcomes=(("DncDone", "DNC NUMBER HAS BEEN ADDED"),),
    ),
    "add_dnc_phone/err_exists": Err(
        ViciValidationError,
        "add_dnc_phone DNC NUMBER ALREADY EXISTS",
        ("", "6666", "7275551299", "SYSTEM_INTERNAL"),
    ),
    "add_dnc_phone/err_missing_fields": Local("campaign_id"),
    "delete_dnc_phone/campaign": Ok(
        fields={"phone_number": "7275551299", "campaign_id": "TESTCAMP"},
        outcomes=(("DncDone", "DNC NUMBER HAS BEEN DELETED"),),
    ),
    "delete_dnc_phone/system": Ok(fields={"campaign_id": "SYSTEM_INTERNAL"}),
    "delete_dnc_phone/err_not_exist": Err(
        ViciNotFoundError,
        "delete_dnc_phone DNC NUMBER DOES NOT EXIST",
        ("", "6666", "7275551299", "SYSTEM_INTERNAL"),
    ),
    "add_fpg_phone/err_exists": Err(
        ViciValidationError,
        "add_fpg_phone FILTER PHONE GROUP NUMBER ALREADY EXISTS",
        ("", "6666", "7275551298", "TEST_IN_FILTER"),
    ),
    "add_fpg_phone/err_group_not_exist": Err(
        ViciNotFoundError,
        "add_fpg_phone FILTER PHONE GROUP DOES NOT EXIST",
        ("", "6666", "TEST_IN_FILTER2"),
    ),
    "delete_fpg_phone/basic": Ok(
        fields={"user": "6666", "phone_number": "7275551298", "group": "TEST_IN_FILTER"},
        outcomes=(("FpgDone", "FILTER PHONE GROUP NUMBER HAS BEEN DELETED"),),
    ),
}


@pytest.mark.parametrize("key", sorted(EXPECTED))
async def test_fixture(aiohttp_server: ServerFactory, key: str) -> None:
    await check_fixture(aiohttp_server, key, EXPECTED[key])


async def test_copy_did_friendly_method(aiohttp_server: ServerFactory) -> None:
    item = fixture("copy_did/many")
    url = await serve(aiohttp_server, item)
    async with ViciAdmin(url, "6666", PASSWORD, source="test", method="GET") as admin:
        result = await admin.dids.copy("3125551000", ["7275553338", "7275553337", "7275553336"])
    assert [c.did_pattern for c in result.copied] == ["7275553338", "7275553337", "7275553336"]
    assert all(isinstance(c, DidCopied) for c in result.copied)


async def test_dnc_friendly_methods_default_to_the_system_list(
    aiohttp_server: ServerFactory,
) -> None:
    item = fixture("delete_dnc_phone/system")
    url = await serve(aiohttp_server, item)
    async with ViciAdmin(url, "6666", PASSWORD, source="test", method="GET") as admin:
        result = await admin.dnc.delete_phone("7275551299")
    assert result.campaign_id == "SYSTEM_INTERNAL"
