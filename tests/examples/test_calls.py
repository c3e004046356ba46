"""The example rules about calls, end to end: drop_alert, sale_marker and known_callers, each
proven by what it changed in the simulated call center or its chat room."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from integrations.vicidial.simulator.did_calls import call_did
from integrations.vicidial.simulator.records import CallDirection
from tests.examples.conftest import Example

Start = Callable[..., Awaitable[Example]]
DEMO_DID = "3125551000"


async def drop(d: Example, lead_id: int) -> None:
    """An auto-dialed call the customer answered with no agent free: a no_agent callback."""
    call = d.center.dial_unanswered("DEMO", lead_id)
    d.center.drop_call(call.call_id, status="DROP", term_reason="ABANDON")
    await d.settle()


async def test_three_drops_within_fifteen_minutes_alert_the_supervisors(example: Start) -> None:
    d = await example()
    await drop(d, 1)
    await d.advance(60)
    await drop(d, 2)
    await d.advance(15 * 60)  # the first two slide out of the window: below the threshold
    await drop(d, 3)
    assert await d.chat() == []
    await d.advance(5 * 60)
    await drop(d, 4)
    assert await d.chat() == []  # two within 15 minutes
    await d.advance(5 * 60)
    await drop(d, 5)
    assert await d.chat() == ["3 calls dropped in campaign DEMO within 15 minutes"]
    assert [end.outcome for end in d.ends("drop_alert")] == ["finished"]


async def test_inbound_drops_alert_by_their_in_group(example: Start) -> None:
    # A caller left waiting in DEMOIN names no campaign, only the in-group.
    d = await example()
    for number in ("3125559001", "3125559002", "3125559003"):
        call = d.center.start_call(
            phone_number=number, direction=CallDirection.INBOUND, ingroup="DEMOIN"
        )
        d.center.drop_call(call.call_id, status="DROP", term_reason="ABANDON")
        await d.settle()
    assert await d.chat() == ["3 calls dropped in in-group DEMOIN within 15 minutes"]


async def test_a_sale_marks_the_lead_and_tells_the_supervisors(example: Start) -> None:
    d = await example()
    center = d.center
    center.login("1001", "DEMO")
    center.resume("1001")
    for lead_id, status in ((2, "SALE"), (3, "NI")):
        center.start_call(
            phone_number=center.leads[lead_id].phone_number,
            user="1001",
            lead_id=lead_id,
            direction=CallDirection.OUTBOUND,
        )
        await d.advance(30)
        center.disposition("1001", status)  # the dispo_callback goes to the daemon
        await d.advance(5)
    assert center.leads[2].comments == "SALE confirmed by vicibus"
    assert center.leads[3].comments == ""  # not a sale: left alone
    assert await d.chat() == ["Sale by agent 1001 on lead 2"]


async def test_known_callers_go_to_the_did_filters_ingroup_and_others_to_the_dids(
    example: Start,
) -> None:
    d = await example()
    center = d.center
    known = center.leads[1].phone_number
    # The dialer asks the DID's filter URL about each caller while the call waits.
    first = await call_did(center, d.callbacks, DEMO_DID, known)
    stranger = await call_did(center, d.callbacks, DEMO_DID, "3125559999")
    assert first is not None
    assert stranger is not None
    queues = (await d.state())["queues"]
    assert queues["DEMOKNOWN"] == [first.call_id]
    assert queues["DEMOIN"] == [stranger.call_id]
    # Only while the campaign is active: a known caller then takes the DID's own route.
    center.campaigns["DEMO"].active = False
    await d.poll()
    later = await call_did(center, d.callbacks, DEMO_DID, known)
    assert later is not None
    assert (await d.state())["queues"]["DEMOIN"] == [stranger.call_id, later.call_id]
    assert [end.response for end in d.ends("known_callers")] == [
        {"match": True},
        {"match": False},
        {"match": False},
    ]
