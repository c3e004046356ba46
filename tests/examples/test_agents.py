"""The example rules about agents, end to end: pause_max_break, idle_agent_calls_waiting and
dead_call_cleanup, each proven by what it changed in the simulated call center."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import pytest

from integrations.vicidial.simulator.records import CallDirection
from tests.examples.conftest import Example

Start = Callable[..., Awaitable[Example]]


async def test_pause_max_tells_the_agent_and_sets_break_once_per_agent_in_ten_minutes(
    example: Start,
) -> None:
    d = await example()
    center = d.center
    center.login("1001", "DEMO")  # paused, as an agent screen starts
    await d.advance(61)  # past the demo campaign's 60-second maximum: pause_max
    agent = await d.agent("1001")
    assert (agent["pause_code"], agent["notifications"]) == (
        "BREAK",
        ["You have been paused too long"],
    )
    # Back to work, and paused too long again 2 minutes later: the cooldown holds.
    center.resume("1001")
    center.pause("1001")
    await d.advance(61)
    agent = await d.agent("1001")
    assert (agent["status"], agent["pause_code"]) == ("PAUSED", "")
    assert agent["notifications"] == ["You have been paused too long"]
    assert d.app.rules.runtime("pause_max_break").dropped["cooldown"] == 1
    # It is 1001's cooldown: another agent's pause_max is answered.
    center.login("1002", "DEMO")
    await d.advance(61)
    assert (await d.agent("1002"))["pause_code"] == "BREAK"
    # Ten minutes after the first, 1001's next pause_max is answered again.
    await d.advance(7 * 60)
    center.resume("1001")
    center.pause("1001")
    await d.advance(61)
    agent = await d.agent("1001")
    assert agent["pause_code"] == "BREAK"
    assert agent["notifications"] == ["You have been paused too long"] * 2
    assert [end.outcome for end in d.ends("pause_max_break")] == ["finished"] * 3


async def test_an_agent_ready_a_minute_while_calls_wait_is_reported_to_the_supervisors(
    example: Start, caplog: pytest.LogCaptureFixture
) -> None:
    d = await example()
    center = d.center
    # 1003 takes outbound calls only (no in-group), READY a minute with nothing waiting.
    center.login("1003", "DEMO")
    center.resume("1003")
    await d.poll()
    await d.advance(61)
    assert await d.chat() == []
    # Then a caller waits in DEMOIN while 1002, outbound too, is READY for a minute.
    center.start_call(phone_number="3125559001", direction=CallDirection.INBOUND, ingroup="DEMOIN")
    center.login("1002", "DEMO")
    center.resume("1002")
    with caplog.at_level(logging.INFO, logger="vicibus.notify"):
        await d.poll()
        await d.advance(61)
    assert await d.chat() == ["Agent 1002 has been READY for a minute while 1 calls wait in DEMOIN"]
    assert "agent.1002 has been READY for a minute with calls waiting" in caplog.text
    ends = d.ends("idle_agent_calls_waiting")
    assert [end.outcome for end in ends] == ["finished"]


async def test_a_dead_call_held_a_minute_is_hung_up_and_dispositioned(example: Start) -> None:
    d = await example()
    center = d.center
    for user, lead_id in (("1001", 1), ("1002", 2)):
        center.login(user, "DEMO")
        center.resume(user)
        center.start_call(
            phone_number=center.leads[lead_id].phone_number,
            user=user,
            lead_id=lead_id,
            direction=CallDirection.OUTBOUND,
        )
        center.mark_dead(user)  # the customer hung up; the agent is still on the line
    await d.poll()
    assert (await d.agent("1001"))["dead"] is True
    await d.advance(30)
    center.disposition("1002", "CALLBK")  # 1002 finishes the dead call within the minute
    await d.poll()
    await d.advance(31)
    agents = {user: await d.agent(user) for user in ("1001", "1002")}
    assert (agents["1001"]["dead"], agents["1001"]["status"]) == (False, "READY")
    assert center.leads[1].status == "NI"  # the rule's disposition
    assert center.leads[2].status == "CALLBK"  # the agent's own
    assert [log.status for log in center.call_logs if log.lead_id == 1] == ["NI"]
    assert [end.outcome for end in d.ends("dead_call_cleanup")] == ["finished"]
