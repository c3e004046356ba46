"""admin.lists writes: every captured add_list and update_list answer, custom field commands
and list deletion included."""

from __future__ import annotations

import pytest

from integrations.vicidial.admin import ViciAdmin
from integrations.vicidial.admin.lists import CopyMethod, CustomFieldCommand, ResetRefused
from integrations.vicidial.client import parse_answer
from integrations.vicidial.errors import ViciNotFoundError, ViciValidationError
from tests.integrations.vicidial.admin_writes.harness import Err, Local, Ok, check_fixture
from tests.integrations.vicidial.replay import PASSWORD, ServerFactory, fixture, serve

NOTHING = ("NothingToUpdate", "NO UPDATES DEFINED")

EXPECTED: dict[str, Ok | Err | Local] = {
    "add_list/err_campaign_not_exist": Err(
        ViciNotFoundError, "add_list CAMPAIGN DOES NOT EXIST", ("", "6666", "TESTCIMP")
    ),
    "update_list/campaign_change": Ok(
        fields={"user": "6666", "list_id": 1105, "message": "LIST HAS BEEN UPDATED"},
        outcomes=(("ListDone", "LIST HAS BEEN UPDATED"),),
    ),
    "update_list/name": Ok(
        fields={"user": "6666", "list_id": 1101}, outcomes=(("ListDone", "LIST HAS BEEN UPDATED"),)
    ),
    # Copying custom fields is not a list setting: NO UPDATES DEFINED comes first, as a NOTICE.
    "update_list/custom_fields_copy": Ok(
        fields={"user": "6666", "list_id": 1105, "message": "COPY CUSTOM FIELDS COMMAND SENT"},
        outcomes=(NOTHING, ("CustomFieldCommand", "COPY CUSTOM FIELDS COMMAND SENT")),
        outcome_fields={
            1: {
                "source_list_id": 101,
                "copy_method": CopyMethod.APPEND,
                "answer": "SUCCESS: Fields copied",
                "succeeded": True,
                "field_label": None,
            }
        },
    ),
    "update_list/custom_fields_delete": Ok(
        fields={"list_id": 1101},
        outcomes=(("CustomFieldCommand", "DELETE CUSTOM FIELD COMMAND SENT"), NOTHING),
        outcome_fields={
            0: {
                "field_label": "new_api_field4",
                "field_type": None,
                "answer": "SUCCESS: Field deleted",
                "succeeded": True,
            }
        },
    ),
    "update_list/custom_fields_update": Ok(
        fields={"list_id": 101},
        outcomes=(("CustomFieldCommand", "UPDATE CUSTOM FIELD COMMAND SENT"), NOTHING),
        outcome_fields={
            0: {
                "field_label": "favorite_color",
                "field_type": "TEXT",
                "answer": "SUCCESS: Field updated",
            }
        },
    ),
    "update_list/delete_list": Ok(
        fields={"user": "6666", "list_id": 1102, "message": "LIST HAS BEEN DELETED"},
        outcomes=(
            NOTHING,
            ("LeadsCounted", "LIST HAS BEEN DELETED"),
            ("LeadsCounted", "LEADS IN LIST HAVE BEEN DELETED"),
        ),
        outcome_fields={1: {"count": 1}, 2: {"list_id": 1102, "count": 0}},
    ),
    # Named as an error, but ViciDial prints a NOTICE: a result that changed nothing.
    "update_list/err_no_updates": Ok(
        fields={"list_id": None, "message": "NO UPDATES DEFINED"},
        outcomes=(NOTHING,),
        outcome_fields={0: {"user": "6666"}},
    ),
    # The server looks the list up before it checks the name's length (6 to 30).
    "update_list/err_not_exist": Local(
        "list_name",
        Err(ViciNotFoundError, "update_list LIST DOES NOT EXIST", ("", "6666", "98762")),
    ),
}


@pytest.mark.parametrize("key", sorted(EXPECTED))
async def test_fixture(aiohttp_server: ServerFactory, key: str) -> None:
    await check_fixture(aiohttp_server, key, EXPECTED[key])


async def test_custom_field_friendly_method_sends_options_with_line_breaks(
    aiohttp_server: ServerFactory,
) -> None:
    item = fixture("update_list/custom_fields_update")
    url = await serve(aiohttp_server, item)
    async with ViciAdmin(url, "6666", PASSWORD, source="test", method="GET") as admin:
        result = await admin.lists.update_custom_field(
            101, "favorite_color", field_options="1,1_1_hello\n2,2_2_hello\n3,3_3_hello"
        )
    command = result.outcomes[0]
    assert isinstance(command, CustomFieldCommand)
    assert command.succeeded


async def test_delete_and_copy_through_update(aiohttp_server: ServerFactory) -> None:
    item = fixture("update_list/delete_list")
    url = await serve(aiohttp_server, item)
    async with ViciAdmin(url, "6666", PASSWORD, source="test", method="GET") as admin:
        result = await admin.lists.update(1102, delete_list=True, delete_leads=True)
    assert result.list_id == 1102
    item = fixture("update_list/custom_fields_copy")
    url = await serve(aiohttp_server, item)
    async with ViciAdmin(url, "6666", PASSWORD, source="test", method="GET") as admin:
        copied = await admin.lists.update(1105, custom_fields_copy=101, custom_copy_method="APPEND")
    assert copied.list_id == 1105


def test_reset_and_its_refusal() -> None:
    admin = ViciAdmin("http://127.0.0.1:9", "6666", PASSWORD)
    spec, params = admin.build("update_list", {"list_id": 1101, "reset_list": True})
    assert params.to_wire() == {"list_id": "1101", "reset_list": "Y"}
    # The documented answers of a reset, done and refused (none was captured).
    done = parse_answer(
        spec, params, "NOTICE: update_list LEADS IN LIST HAVE BEEN RESET - 6666|1101|324\n"
    )
    assert done.outcomes[0].count == 324
    refused = parse_answer(
        spec,
        params,
        "NOTICE: update_list LIST RESET FAILED, daily reset limit reached: 2 / 2 - 6666|1101\n",
    )
    outcome = refused.outcomes[0]
    assert isinstance(outcome, ResetRefused)
    assert (outcome.limit, outcome.user, outcome.list_id) == ("2 / 2", "6666", 1101)


def test_a_failed_field_command_is_a_notice_not_an_error() -> None:
    admin = ViciAdmin("http://127.0.0.1:9", "6666", PASSWORD)
    spec, params = admin.build(
        "update_list", {"list_id": 1101, "custom_fields_delete": "Y", "field_label": "new_field"}
    )
    body = (
        "NOTICE: update_list DELETE CUSTOM FIELD COMMAND SENT - "
        "6666|1101|new_field|TEXT|ERROR: Field not deleted|\n"
    )
    command = parse_answer(spec, params, body).outcomes[0]
    assert isinstance(command, CustomFieldCommand)
    assert command.succeeded is False


@pytest.mark.parametrize(
    ("params", "problem"),
    [
        ({"custom_fields_add": "Y", "field_label": "x", "field_name": "X"}, "field_size"),
        ({"custom_fields_update": "Y"}, "field_label"),
        ({"field_type": "TEXTBOX", "custom_fields_update": "Y", "field_label": "x"}, "field_type"),
        ({"reset_time": "900-1700"}, "reset_time"),
        ({"expiration_date": "25/11/2012"}, "expiration_date"),
        ({"list_id": 1}, "list_id"),
    ],
)
def test_update_list_limits(params: dict[str, object], problem: str) -> None:
    admin = ViciAdmin("http://127.0.0.1:9", "6666", PASSWORD)
    with pytest.raises(ViciValidationError) as refused:
        admin.build("update_list", {"list_id": 1101, **params})
    assert problem in str(refused.value)


def test_blank_clears_and_dates_are_iso() -> None:
    admin = ViciAdmin("http://127.0.0.1:9", "6666", PASSWORD)
    _, params = admin.build(
        "update_list",
        {"list_id": 1101, "outbound_cid": "--BLANK--", "expiration_date": "2030-12-31"},
    )
    assert params.to_wire()["outbound_cid"] == "--BLANK--"
    assert params.to_wire()["expiration_date"] == "2030-12-31"
