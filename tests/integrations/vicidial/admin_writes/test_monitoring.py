"""admin.monitoring: blind_monitor, and agent_ingroup_info's HTML stages (info and change)."""

from __future__ import annotations

import pytest
from aiohttp import web

from integrations.vicidial.admin import ViciAdmin
from integrations.vicidial.admin.html import AgentInGroup
from integrations.vicidial.admin.monitoring import IngroupStage, ManagerOverride
from integrations.vicidial.errors import ViciNotFoundError, ViciValidationError
from tests.integrations.vicidial.admin_writes.harness import Err, Local, Ok, check_fixture
from tests.integrations.vicidial.admin_writes.test_html import INFO_PAGE
from tests.integrations.vicidial.replay import PASSWORD, ServerFactory, fixture, serve

LAUNCHED = ("MonitorLaunched", "HAS BEEN LAUNCHED")

EXPECTED: dict[str, Ok | Err | Local] = {
    "blind_monitor/monitor": Ok(
        fields={
            "user": "6666",
            "phone_login": "1002",
            # MONITOR pads the session with a 0 in the dial string, BARGE does not.
            "dial_string": "127*000*000*001*08600053",
            "session_id": "8600053",
            "message": "HAS BEEN LAUNCHED",
        },
        outcomes=(LAUNCHED,),
    ),
    "blind_monitor/barge": Ok(
        fields={"dial_string": "127*000*000*001*8600053", "session_id": "8600053"},
        outcomes=(LAUNCHED,),
        outcome_fields={
            0: {"details": ("1002", "127*000*000*001*8600053", "1002", "8600053", "15", "6666")}
        },
    ),
    "blind_monitor/err_invalid_phone": Err(
        ViciValidationError, "blind_monitor INVALID PHONE LOGIN", ("350q", "6666")
    ),
    "agent_ingroup_info/stage_change": Ok(
        fields={
            "agent_user": "1001",
            "ingroups": ("SALESLINE", "SUPPORT"),
            "outbound_autodial": True,
            "manager_override": None,
            "manager": None,
            "message": "",
        }
    ),
    "agent_ingroup_info/err_invalid_user": Err(
        ViciNotFoundError, "agent_ingroup_info INVALID USER ID", ("9", "6666")
    ),
    # An existing user who is not logged in is an "invalid user" too.
    "agent_ingroup_info/err_not_logged_in": Err(
        ViciNotFoundError, "agent_ingroup_info INVALID USER ID", ("6666", "6666")
    ),
}


@pytest.mark.parametrize("key", sorted(EXPECTED))
async def test_fixture(aiohttp_server: ServerFactory, key: str) -> None:
    await check_fixture(aiohttp_server, key, EXPECTED[key])


async def test_change_stage_gives_the_form_as_a_page(aiohttp_server: ServerFactory) -> None:
    item = fixture("agent_ingroup_info/stage_change")
    url = await serve(aiohttp_server, item)
    async with ViciAdmin(url, "6666", PASSWORD, source="test", method="GET") as admin:
        info = await admin.monitoring.agent_ingroup_info("1001", stage="change")
    assert info.page is not None
    assert info.page.editable is True
    assert info.page.full_name == "Alice Agent"
    assert info.page.campaign_id == "TESTCAMP"
    assert info.page.ingroups == (
        AgentInGroup(group_id="SALESLINE", name="Sales Line", selected=True),
        AgentInGroup(group_id="SUPPORT", name="Support Line", selected=True),
    )


async def test_info_stage_reads_the_info_page(aiohttp_server: ServerFactory) -> None:
    # No info page was captured; INFO_PAGE follows the shape ViciDial's source prints.
    async def handle(request: web.Request) -> web.Response:
        assert request.query["stage"] == "info"
        return web.Response(text=INFO_PAGE, content_type="text/html")

    app = web.Application()
    app.router.add_get("/vicidial/non_agent_api.php", handle)
    server = await aiohttp_server(app)
    url = str(server.make_url("")).rstrip("/")
    async with ViciAdmin(url, "6666", PASSWORD, method="GET", retries=0) as admin:
        info = await admin.monitoring.agent_ingroup_info("1002", stage=IngroupStage.INFO)
    assert info.agent_user == "1002"
    assert info.ingroups == ("SALESLINE",)
    assert info.outbound_autodial is False
    assert info.manager_override is ManagerOverride.SET
    assert info.manager == "6666"
    assert info.page is not None
    assert info.page.editable is False


async def test_blind_monitor_friendly_method(aiohttp_server: ServerFactory) -> None:
    item = fixture("blind_monitor/barge")
    url = await serve(aiohttp_server, item)
    async with ViciAdmin(url, "6666", PASSWORD, source="test", method="GET") as admin:
        result = await admin.monitoring.blind_monitor("1002", 8600053, "127.0.0.1", stage="BARGE")
    assert result.phone_login == "1002"


@pytest.mark.parametrize(
    ("params", "problem"),
    [
        ({"session_id": "860005"}, "session_id"),
        ({"stage": "LISTEN"}, "stage"),
        ({"phone_login": "10 02"}, "phone_login"),
    ],
)
def test_blind_monitor_limits(params: dict[str, str], problem: str) -> None:
    admin = ViciAdmin("http://127.0.0.1:9", "6666", PASSWORD)
    given = {"phone_login": "1002", "session_id": "8600053", "server_ip": "127.0.0.1", **params}
    with pytest.raises(ViciValidationError) as refused:
        admin.build("blind_monitor", given)
    assert problem in str(refused.value)


def test_only_the_three_stages_of_agent_ingroup_info() -> None:
    admin = ViciAdmin("http://127.0.0.1:9", "6666", PASSWORD)
    with pytest.raises(ViciValidationError):
        admin.build("agent_ingroup_info", {"agent_user": "1001", "stage": "html"})
    spec, params = admin.build("agent_ingroup_info", {"agent_user": "1001", "stage": "change"})
    assert spec.is_read(params)  # the change stage only shows the form
