"""admin.phones: every captured phone and phone alias answer."""

from __future__ import annotations

import pytest
from aiohttp import web

from integrations.vicidial.admin import ViciAdmin
from integrations.vicidial.admin.phones import Protocol
from integrations.vicidial.errors import ViciNotFoundError, ViciValidationError
from tests.integrations.vicidial.admin_writes.harness import Err, Local, Ok, check_fixture
from tests.integrations.vicidial.replay import PASSWORD, ServerFactory, fixture, serve

PHONE_ERROR = "ERROR: update_phone YOU MUST USE A VALID PHONE PASSWORD: |6666|{}\n"

ADDED = Ok(
    fields={
        "user": "6666",
        "server_ip": "127.0.0.1",
        "protocol": Protocol.SIP,
        "dialplan_number": "55000",
        "message": "PHONE HAS BEEN ADDED",
    },
    outcomes=(("PhoneDone", "PHONE HAS BEEN ADDED"),),
)

EXPECTED: dict[str, Ok | Err | Local] = {
    "add_phone/basic": Ok(fields={**ADDED.fields, "extension": "55000"}, outcomes=ADDED.outcomes),
    # "-5" is accepted as well as "-5.00": the server compares the offset as a number.
    "add_phone/local_gmt_numeric_compare": Ok(
        fields={**ADDED.fields, "extension": "55003"}, outcomes=ADDED.outcomes
    ),
    "add_phone/err_bad_timezone": Err(
        ViciValidationError, "add_phone YOU MUST USE A VALID TIMEZONE", ("", "6666", "-5.25")
    ),
    "add_phone/err_exists": Err(
        ViciValidationError,
        "add_phone PHONE ALREADY EXISTS ON THIS SERVER",
        ("", "6666", "127.0.0.1", "55000"),
    ),
    "add_phone/err_server_not_exist": Err(
        ViciNotFoundError, "add_phone SERVER DOES NOT EXIST", ("", "6666", "127.0.0.9")
    ),
    "update_phone/err_not_exist": Err(
        ViciNotFoundError,
        "update_phone PHONE DOES NOT EXIST ON THIS SERVER",
        ("", "6666", "127.0.0.1", "59999"),
    ),
    "add_phone_alias/basic": Ok(
        fields={
            "user": "6666",
            "alias_id": "xyz100",
            "alias_name": "XYZ testing",
            "phone_logins": ("1001", "1002"),
        },
        outcomes=(("AliasDone", "PHONE ALIAS HAS BEEN ADDED"),),
    ),
    "add_phone_alias/err_exists": Err(
        ViciValidationError, "add_phone_alias PHONE ALIAS ALREADY EXISTS", ("", "6666", "xyz100")
    ),
    "add_phone_alias/err_phone_not_exist": Err(
        ViciNotFoundError, "add_phone_alias PHONE DOES NOT EXIST", ("", "6666", "100a")
    ),
    "update_phone_alias/basic": Ok(
        fields={"user": "6666", "alias_id": "xyz100", "alias_name": None, "phone_logins": ()},
        outcomes=(("AliasDone", "PHONE ALIAS HAS BEEN UPDATED"),),
    ),
    "update_phone_alias/delete_alias": Ok(
        fields={"user": "6666", "alias_id": "xyz100", "message": "PHONE ALIAS HAS BEEN DELETED"},
        outcomes=(("AliasDone", "PHONE ALIAS HAS BEEN DELETED"),),
    ),
}


@pytest.mark.parametrize("key", sorted(EXPECTED))
async def test_fixture(aiohttp_server: ServerFactory, key: str) -> None:
    await check_fixture(aiohttp_server, key, EXPECTED[key])


async def test_friendly_method_sends_the_same_request(aiohttp_server: ServerFactory) -> None:
    item = fixture("add_phone_alias/basic")
    url = await serve(aiohttp_server, item)
    async with ViciAdmin(url, "6666", PASSWORD, source="test", method="GET") as admin:
        result = await admin.phones.add_alias("xyz100", "XYZ testing", ["1001", "1002"])
    assert result.alias_id == "xyz100"


async def test_bad_protocol_is_refused_locally() -> None:
    async with ViciAdmin("http://127.0.0.1:9", "6666", PASSWORD) as admin:
        with pytest.raises(ViciValidationError) as refused:
            await admin.phones.update("55000", "127.0.0.1", protocol="PJSIP")  # type: ignore[arg-type]
    assert refused.value.sent is False
    assert "protocol" in str(refused.value)


async def test_a_phone_password_the_dialer_echoes_is_masked(aiohttp_server: ServerFactory) -> None:
    secret = "Phone-Secret-42"

    async def echo(request: web.Request) -> web.Response:
        sent = str((await request.post())["phone_pass"])
        return web.Response(text=PHONE_ERROR.format(sent))

    app = web.Application()
    app.router.add_post("/vicidial/non_agent_api.php", echo)
    server = await aiohttp_server(app)
    async with ViciAdmin(str(server.make_url("")).rstrip("/"), "6666", PASSWORD) as admin:
        with pytest.raises(ViciValidationError) as refused:
            await admin.phones.update("55000", "127.0.0.1", phone_pass=secret)
        params = admin.build(
            "update_phone", {"extension": "55000", "server_ip": "127.0.0.1", "phone_pass": secret}
        )[1]
    error = refused.value
    for text in (str(error), repr(error), error.raw, "|".join(error.details), repr(params)):
        assert secret not in text
