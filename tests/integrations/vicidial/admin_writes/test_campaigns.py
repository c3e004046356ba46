"""admin.campaigns.update: every captured update_campaign answer, reset_hopper included."""

from __future__ import annotations

from decimal import Decimal

import pytest

from integrations.vicidial.admin import ViciAdmin
from integrations.vicidial.errors import ViciNotFoundError, ViciValidationError
from tests.integrations.vicidial.admin_writes.harness import Err, Local, Ok, check_fixture
from tests.integrations.vicidial.replay import PASSWORD, ServerFactory, fixture, serve

UPDATED = Ok(
    fields={
        "user": "6666",
        "campaign_id": "TESTCAMP",
        "hopper_reset": False,
        "message": "CAMPAIGN HAS BEEN UPDATED",
    },
    outcomes=(("CampaignDone", "CAMPAIGN HAS BEEN UPDATED"),),
)

EXPECTED: dict[str, Ok | Err | Local] = {
    "update_campaign/dial_statuses_list_order": UPDATED,
    "update_campaign/dispo_call_url": UPDATED,
    "update_campaign/dispo_call_url_alt": UPDATED,
    "update_campaign/inactive_then_active": UPDATED,
    # Two NOTICEs and no SUCCESS: nothing else changed, and the hopper was emptied.
    "update_campaign/reset_hopper": Ok(
        fields={
            "user": "6666",
            "campaign_id": "TESTCAMP",
            "hopper_reset": True,
            "message": "HOPPER HAS BEEN RESET",
        },
        outcomes=(
            ("NothingToUpdate", "NO UPDATES DEFINED"),
            ("HopperReset", "HOPPER HAS BEEN RESET"),
        ),
        outcome_fields={0: {"user": "6666"}, 1: {"removed": None}},
    ),
    # This server allows at most 4.001; the client refuses what no server allows (above 18).
    "update_campaign/err_bad_dial_level": Local(
        "auto_dial_level",
        Err(
            ViciValidationError,
            "update_campaign AUTO DIAL LEVEL MUST BE FROM 0 TO 4.001, THIS IS AN OPTIONAL FIELD",
            ("", "6666", "99"),
        ),
    ),
    "update_campaign/err_not_exist": Err(
        ViciNotFoundError, "update_campaign CAMPAIGN DOES NOT EXIST", ("", "6666", "NOPE")
    ),
}


@pytest.mark.parametrize("key", sorted(EXPECTED))
async def test_fixture(aiohttp_server: ServerFactory, key: str) -> None:
    await check_fixture(aiohttp_server, key, EXPECTED[key])


async def test_reset_hopper_friendly_method(aiohttp_server: ServerFactory) -> None:
    item = fixture("update_campaign/reset_hopper")
    url = await serve(aiohttp_server, item)
    async with ViciAdmin(url, "6666", PASSWORD, source="test", method="GET") as admin:
        result = await admin.campaigns.reset_hopper("TESTCAMP")
    assert result.hopper_reset


async def test_update_friendly_method(aiohttp_server: ServerFactory) -> None:
    item = fixture("update_campaign/dial_statuses_list_order")
    url = await serve(aiohttp_server, item)
    async with ViciAdmin(url, "6666", PASSWORD, source="test", method="GET") as admin:
        result = await admin.campaigns.update(
            "TESTCAMP", dial_status_add="A2", dial_status_remove="B", list_order="DOWN COUNT"
        )
    assert result.campaign_id == "TESTCAMP"


def test_values_are_written_as_given() -> None:
    admin = ViciAdmin("http://127.0.0.1:9", "6666", PASSWORD)
    _, params = admin.build(
        "update_campaign",
        {"campaign_id": "TESTCAMP", "auto_dial_level": "2.5", "webform_one": "--BLANK--"},
    )
    assert params.to_wire() == {
        "campaign_id": "TESTCAMP",
        "auto_dial_level": "2.5",
        "webform_one": "--BLANK--",
    }
    assert params.auto_dial_level == Decimal("2.5")  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("campaign_name", "short"),
        ("hopper_level", 2001),
        ("dial_timeout", 0),
        ("dial_method", "PREDICTIVE"),
        ("dial_status_add", "A1234567"),
        ("xferconf_one", "1" * 51),
        ("campaign_id", "TOOLONGID"),
    ],
)
def test_limits_are_checked_locally(setting: str, value: object) -> None:
    admin = ViciAdmin("http://127.0.0.1:9", "6666", PASSWORD)
    with pytest.raises(ViciValidationError) as refused:
        admin.build("update_campaign", {"campaign_id": "TESTCAMP", setting: value})
    assert setting in str(refused.value)
