from __future__ import annotations

from integrations.vicidial.admin.client import ViciAdmin
from integrations.vicidial.agent.client import ViciAgent
from integrations.vicidial.glue.online import Verdict, check_online, service_functions
from tests.integrations.vicidial.glue.conftest import Dialer

RULE_SERVICES = [
    "vicidial.agent.external_pause",
    "vicidial.agent.send_notification",
    "vicidial.admin.update_lead",
    "vicidial.admin.server_refresh",
    "notify.log",
]


async def verdicts(dialer: Dialer, user: str, password: str) -> dict[tuple[str, str], Verdict]:
    async with (
        ViciAgent(dialer.url, user, password, retries=0) as agent,
        ViciAdmin(dialer.url, user, password, retries=0) as admin,
    ):
        probes = await check_online(
            {"agent": agent, "admin": admin}, service_functions(RULE_SERVICES)
        )
    return {(p.api, p.function): p.verdict for p in probes}


async def test_a_full_api_user_may_call_everything_and_nothing_changes(dialer: Dialer) -> None:
    before = {u: (s.status, s.pause_code) for u, s in dialer.center.sessions.items()}
    found = await verdicts(dialer, "6666", "1234")
    assert found[("admin", "logged_in_agents")] is Verdict.ALLOWED
    assert found[("admin", "in_group_status")] is Verdict.ALLOWED
    assert found[("agent", "external_pause")] is Verdict.ALLOWED
    assert found[("admin", "update_lead")] is Verdict.ALLOWED
    # A function that could act on a bare call is not sent at all.
    assert found[("admin", "server_refresh")] is Verdict.NOT_PROBED
    assert dialer.requests["server_refresh"] == 0
    assert {u: (s.status, s.pause_code) for u, s in dialer.center.sessions.items()} == before


async def test_a_limited_api_user_is_denied_what_it_may_not_call(dialer: Dialer) -> None:
    found = await verdicts(dialer, "6667", "1234")
    assert found[("admin", "logged_in_agents")] is Verdict.DENIED
    assert found[("agent", "external_pause")] is Verdict.DENIED


async def test_a_wrong_password_is_a_failed_login(dialer: Dialer) -> None:
    found = await verdicts(dialer, "6666", "Wrong-Pass-99")
    assert found[("admin", "logged_in_agents")] is Verdict.LOGIN_FAILED


async def test_an_unreachable_dialer_is_said_once() -> None:
    async with ViciAdmin("http://127.0.0.1:9", "6666", "1234", retries=0) as admin:
        probes = await check_online({"admin": admin}, [])
    assert [p.verdict for p in probes] == [Verdict.UNREACHABLE]
