"""Every callback kind, from a change in the simulated call center to a typed payload.

Each request goes over real HTTP to a webhooks receiver on loopback; the test reads the bytes
the simulator wrote (its delivery record) for the encoding and the receiver's typed payload
for the values, and compares those with what the call center's state holds.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from integrations.vicidial.simulator import admin_api
from integrations.vicidial.simulator.callbacks import Delivery
from integrations.vicidial.simulator.records import CallDirection
from integrations.vicidial.simulator.runtime import Simulation
from integrations.vicidial.webhooks.kinds import Kind
from integrations.vicidial.webhooks.payloads import (
    AddLeadPayload,
    AgentEventPayload,
    ApiNewLeadPayload,
    DeadCallPayload,
    DidFilterPayload,
    DispoCallbackPayload,
    EnterIngroupPayload,
    NoAgentPayload,
    NvaCallPayload,
    PauseMaxPayload,
    StartCallPayload,
    WaitingCallOffPayload,
    WaitingCallOnPayload,
    WebhookPayload,
)

from .callback_setup import simulation
from .conftest import CALLBACK_TOKEN, Receiving


@pytest.fixture
async def sim(receiver: Receiving) -> AsyncIterator[Simulation]:
    simulation_ = simulation(receiver)
    await simulation_.start()
    yield simulation_
    await simulation_.stop()


def sent(sim: Simulation, kind: Kind) -> list[Delivery]:
    return [d for d in sim.callbacks.deliveries if d.kind is kind]


def line(delivery: Delivery) -> bytes:
    return delivery.request.split(b"\r\n", 1)[0]


def one(receiver: Receiving, kind: Kind) -> WebhookPayload:
    [payload] = receiver.of(kind)
    return payload


def pushed(receiver: Receiving) -> list[str]:
    return [
        p.event or "" for p in receiver.of(Kind.AGENT_EVENT) if isinstance(p, AgentEventPayload)
    ]


async def login_ready(sim: Simulation, user: str = "2001", **options: object) -> None:
    sim.center.login(user, "CBCAMP", ingroups=["CBIN"])
    sim.center.resume(user)


async def test_start_call_and_dispo_carry_the_call_as_the_state_holds_it(
    sim: Simulation, receiver: Receiving
) -> None:
    center = sim.center
    await login_ready(sim)
    call = center.start_call(phone_number="3125550501", user="2001", lead_id=501)
    await sim.advance(95)
    center.end_call("2001", term_reason="AGENT")
    await sim.advance(5)
    center.disposition("2001", "CALLBK", callback_datetime="2030-01-08 10:00:00")
    await sim.settle()

    start = one(receiver, Kind.START_CALL)
    assert isinstance(start, StartCallPayload)
    lead = center.leads[501]
    assert (start.lead_id, start.list_id, start.phone_number) == (501, 501, lead.phone_number)
    assert (start.user, start.campaign, start.group) == ("2001", "CBCAMP", "CBCAMP")
    assert (start.uniqueid, start.call_id) == (call.uniqueid, call.call_id)
    assert start.values["first_name"] == "Zoë Anne"
    assert start.values["city"] == "Saint John's"
    # Auto-dial writes the comments' newlines as !N (urlencoded); the parser restores them.
    assert b"comments=line+one%21Nline+two" in line(sent(sim, Kind.START_CALL)[0])
    assert start.comments == "line one\nline two"
    assert start.epoch == center.clock.epoch() - 100

    dispo = one(receiver, Kind.DISPO_CALLBACK)
    assert isinstance(dispo, DispoCallbackPayload)
    assert (dispo.dispo, dispo.talk_time, dispo.term_reason) == ("CALLBK", 95, "AGENT")
    assert (dispo.callback_lead_status, dispo.callback_datetime) == (
        "CALLBK",
        "2030-01-08 10:00:00",
    )
    assert dispo.dispo_name == "Call Back + soon"
    assert dispo.extra["favorite_color"] == "sky blue"  # a list custom field is a variable
    assert lead.status == "CALLBK"
    request = line(sent(sim, Kind.DISPO_CALLBACK)[0])
    # PHP: talk_time and dispo raw, dispo_name encoded twice, custom field urlencoded once.
    assert b"&dispo=CALLBK&talk_time=95&" in request
    assert b"dispo_name=Call%2BBack%2B%252B%2Bsoon" in request
    assert b"favorite_color=sky+blue" in request
    assert sent(sim, Kind.DISPO_CALLBACK)[0].request.endswith(
        b"\r\nHost: vicibus.test\r\nConnection: close\r\n\r\n"
    )


async def test_a_manual_dial_start_call_urlencodes_the_newlines(
    sim: Simulation, receiver: Receiving
) -> None:
    await login_ready(sim)
    sim.center.start_call(phone_number="3125550501", user="2001", lead_id=501, manual=True)
    await sim.settle()
    assert b"comments=line+one%0Aline+two" in line(sent(sim, Kind.START_CALL)[0])
    assert one(receiver, Kind.START_CALL).values["comments"] == "line one\nline two"
    assert pushed(receiver)[-2:] == ["call_dialed", "call_answered"]


async def test_a_dead_call_fires_its_trigger_and_the_dispo_counts_talk_minus_dead(
    sim: Simulation, receiver: Receiving
) -> None:
    center = sim.center
    await login_ready(sim)
    center.start_call(phone_number="3125550501", user="2001", lead_id=501)
    await sim.advance(60)
    center.mark_dead("2001")
    await sim.advance(9)
    await sim.settle()
    assert receiver.of(Kind.DEAD_CALL) == []
    await sim.advance(1)
    await sim.advance(20)
    center.disposition("2001", "SALE")
    await sim.settle()
    dead = one(receiver, Kind.DEAD_CALL)
    assert isinstance(dead, DeadCallPayload)
    # The dead call URL carries the full talk time, dead seconds included, and the lead's
    # status of the moment; the dispo URL the talk minus the dead seconds.
    assert (dead.talk_time, dead.dispo, dead.user) == (70, "INCALL", "2001")
    dispo = one(receiver, Kind.DISPO_CALLBACK)
    assert isinstance(dispo, DispoCallbackPayload)
    assert (dispo.talk_time, dispo.term_reason, dispo.dispo) == (60, "CALLER", "SALE")
    events = pushed(receiver)
    assert events.index("call_dead") < events.index("dead_trigger_url")
    assert events.index("dead_trigger_url") < events.index("dead_trigger_url_sent")


async def test_pause_past_max_fires_pause_max_once_per_pause(
    sim: Simulation, receiver: Receiving
) -> None:
    center = sim.center
    await login_ready(sim)
    center.pause("2001")
    await sim.advance(30)  # at the maximum, not past it
    await sim.settle()
    assert receiver.of(Kind.PAUSE_MAX) == []
    await sim.advance(1)
    center.set_pause_code("2001", "BREAK")  # a code is no new pause
    await sim.advance(300)
    await sim.settle()
    assert len(receiver.of(Kind.PAUSE_MAX)) == 1
    center.resume("2001")
    center.pause("2001")
    await sim.advance(31)
    await sim.settle()
    first, second = receiver.of(Kind.PAUSE_MAX)
    assert isinstance(first, PauseMaxPayload)
    assert isinstance(second, PauseMaxPayload)
    user = center.users["2001"]
    assert (first.user, first.fullname, first.campaign) == ("2001", user.full_name, "CBCAMP")
    assert (first.user_group, first.agent_email) == ("AGENTS", "ann+vb@example.com")
    assert first.values["user_custom_one"] == "tier 1"
    # Lead variables are not filled for pause max: the placeholder stays, read as missing.
    assert first.unsubstituted == ["lead_id"]
    request = line(sent(sim, Kind.PAUSE_MAX)[0])
    assert b"lead_id=--A--lead_id--B--" in request
    assert b"agent_email=ann%252Bvb%2540example.com" in request  # encoded twice
    assert b"fullname=Ann+O%27Neil" in request
    assert second.epoch is not None
    assert first.epoch is not None
    assert second.epoch - first.epoch == 300 + 31


async def test_an_outbound_drop_fires_no_agent_with_wget_habits(
    sim: Simulation, receiver: Receiving
) -> None:
    center = sim.center
    call = center.dial_unanswered("CBCAMP", 501)
    center.drop_call(call.call_id, status="DROP", term_reason="ABANDON")
    await sim.settle()
    payload = one(receiver, Kind.NO_AGENT)
    assert isinstance(payload, NoAgentPayload)
    assert (payload.dispo, payload.status, payload.lead_id) == ("DROP", "DROP", 501)
    assert (payload.uniqueid, payload.call_id, payload.campaign) == (
        call.uniqueid,
        call.call_id,
        "CBCAMP",
    )
    assert center.call_logs[-1].status == "DROP"
    request = line(sent(sim, Kind.NO_AGENT)[0])
    # wget: raw values, spaces as +, a raw & that splits the value, ' raw.
    assert b"&city=Saint+John's&address1=Tom+&+Jerry+St" in request
    assert request.endswith(b" HTTP/1.1")
    assert b"User-Agent: Wget/" in sent(sim, Kind.NO_AGENT)[0].request
    # The receiver puts the split value back together (its documented best effort).
    assert payload.values["address1"] == "Tom & Jerry St"


async def test_a_list_no_agent_url_overrides_the_campaigns(
    sim: Simulation, receiver: Receiving
) -> None:
    call = sim.center.dial_unanswered("CBCAMP", 502)
    sim.center.drop_call(call.call_id, status="NA", term_reason="NONE")
    await sim.settle()
    payload = one(receiver, Kind.NO_AGENT)
    assert payload.extra == {"from": "list"}
    assert (payload.values["dispo"], payload.values["status"]) == ("NA", "NA")


async def test_an_inbound_call_enters_waits_drops_and_fires_every_alt_url(
    sim: Simulation, receiver: Receiving
) -> None:
    center = sim.center
    call = center.start_call(
        phone_number="7735550000", direction=CallDirection.INBOUND, ingroup="CBIN", did="3125551000"
    )
    await sim.advance(1)
    await sim.settle()
    lead = center.leads[call.lead_id]
    added = one(receiver, Kind.ADD_LEAD)
    assert isinstance(added, AddLeadPayload)
    assert (added.lead_id, added.list_id, added.phone_number) == (lead.lead_id, 998, "7735550000")
    # wget inserts "Main + line" raw with spaces as +: every + reads as a space.
    assert (added.did_id, added.did_pattern, added.did_description) == (
        1,
        "3125551000",
        "Main   line",
    )
    assert (added.uniqueid, added.call_id, added.list_name) == (
        call.uniqueid,
        call.call_id,
        "Inbound new",
    )
    assert added.closecallid == call.closecallid > 0
    assert added.unsubstituted == ["first_name"]  # not among add lead's variables
    entered = one(receiver, Kind.ENTER_INGROUP)
    assert isinstance(entered, EnterIngroupPayload)
    assert (entered.lead_id, entered.group, entered.did_id) == (lead.lead_id, "CBIN", 1)
    on = one(receiver, Kind.WAITING_CALL_ON)
    assert isinstance(on, WaitingCallOnPayload)
    assert (on.group, on.sql_date, on.unsubstituted) == ("CBIN", "2030-01-07 09:00:01", ["lead_id"])
    assert receiver.kinds()[:3] == [Kind.ADD_LEAD, Kind.ENTER_INGROUP, Kind.WAITING_CALL_ON]

    await sim.advance(59)
    center.drop_call(call.call_id, status="DROP", term_reason="QUEUETIMEOUT")
    await sim.advance(1)
    await sim.settle()
    off = one(receiver, Kind.WAITING_CALL_OFF)
    assert isinstance(off, WaitingCallOffPayload)
    assert off.sql_date == "2030-01-07 09:01:01"
    # The in-group's ALT no-agent URLs: every active one, in rank order, its status filter
    # ignored as ViciDial ignores it.
    drops = receiver.of(Kind.NO_AGENT)
    assert [p.extra["alt"] for p in drops] == ["1", "2"]
    assert all(p.values["status"] == "DROP" and p.values["group"] == "CBIN" for p in drops)


async def test_a_call_answered_at_once_never_counts_as_waiting(
    sim: Simulation, receiver: Receiving
) -> None:
    center = sim.center
    await login_ready(sim)
    call = center.start_call(
        phone_number="3125550502", direction=CallDirection.INBOUND, ingroup="CBIN"
    )
    center.answer_queued("2001", call.call_id)
    await sim.advance(5)
    await sim.settle()
    assert receiver.of(Kind.WAITING_CALL_ON) == []
    # CAMP: the in-group defers to the campaign's Start Call URL.
    start = one(receiver, Kind.START_CALL)
    assert (start.values["group"], start.values["campaign"]) == ("CBIN", "CBCAMP")
    assert receiver.of(Kind.ADD_LEAD) == []  # the caller was a known lead


async def test_api_add_lead_fires_api_new_lead_with_empty_dates(
    sim: Simulation, receiver: Receiving
) -> None:
    answer = admin_api.answer(
        sim.center,
        {"source": "test", "user": "6666", "pass": "1234", "function": "add_lead"}
        | {"phone_number": "3125559999", "list_id": "501", "first_name": "Né & Co"},
    )
    assert answer.body.startswith("SUCCESS")
    sim.center.lists[502].callback_urls["apinewlead_url"] = "---DISABLED---"
    admin_api.answer(
        sim.center,
        {"source": "test", "user": "6666", "pass": "1234", "function": "add_lead"}
        | {"phone_number": "3125559998", "list_id": "502"},
    )
    await sim.settle()
    payload = one(receiver, Kind.API_NEW_LEAD)
    assert isinstance(payload, ApiNewLeadPayload)
    lead = sim.center.leads_by_phone("3125559999")[0]
    assert (payload.lead_id, payload.list_id, payload.phone_number) == (
        lead.lead_id,
        501,
        "3125559999",
    )
    assert (payload.values["epoch"], payload.values["SQLdate"]) == ("", "")
    assert payload.values["first_name"] == "Né & Co"
    assert b"first_name=N%C3%A9+%26+Co" in line(sent(sim, Kind.API_NEW_LEAD)[0])


async def test_nva_calls_send_curl_raw_utf8_and_notfound(
    sim: Simulation, receiver: Receiving
) -> None:
    center = sim.center
    center.nva_call("2001", "3125550502")
    center.nva_call("2001", "4155550000")
    center.leads[501].last_name = "Müller"
    center.nva_call("2001", "3125550501")
    await sim.settle()
    known, unknown, utf8 = receiver.of(Kind.NVA_CALL)
    assert isinstance(known, NvaCallPayload)
    assert isinstance(unknown, NvaCallPayload)
    assert (known.lead_id, known.values["first_name"], known.user) == (502, "Li", "2001")
    assert (unknown.lead_id, unknown.values["lead_id"], unknown.lead_found) == (
        None,
        "NOTFOUND",
        False,
    )
    assert utf8.values["last_name"] == "Müller"
    assert "last_name=Müller".encode() in line(sent(sim, Kind.NVA_CALL)[2])
    assert b"User-Agent: curl/" in sent(sim, Kind.NVA_CALL)[0].request


async def test_a_quote_stops_curl_and_the_simulator_logs_it(
    sim: Simulation, receiver: Receiving, caplog: pytest.LogCaptureFixture
) -> None:
    sim.center.leads[501].last_name = "O'Brien"
    sim.center.nva_call("2001", "3125550501")
    await sim.settle()
    assert receiver.of(Kind.NVA_CALL) == []
    [delivery] = sent(sim, Kind.NVA_CALL)
    assert delivery.status is None
    assert "quote" in delivery.error
    assert any(
        "nva_call" in r.getMessage() and "not sent" in r.getMessage() for r in caplog.records
    )


@pytest.mark.parametrize("match", [True, False])
async def test_the_did_filter_waits_for_the_answer(
    sim: Simulation, receiver: Receiving, match: bool
) -> None:
    receiver.answer_did = match
    assert await sim.callbacks.did_filter("3125551000", "José Q", "1893922800.7") is match
    payload = one(receiver, Kind.DID_FILTER)
    assert isinstance(payload, DidFilterPayload)
    assert (payload.phone_number, payload.did_pattern, payload.uniqueid) == (
        "José Q",
        "3125551000",
        "1893922800.7",
    )
    assert (payload.channel, payload.server_ip) == ("SIP/carrier-00000007", "127.0.0.1")
    assert "phone_number=José+Q".encode() in line(sent(sim, Kind.DID_FILTER)[0])
    assert await sim.callbacks.did_filter("nosuch", "1", "1.1") is None


@pytest.mark.parametrize(("body", "match"), [("match: 2\n", True), ("0 found", False), ("", False)])
async def test_any_number_above_zero_is_a_match(
    sim: Simulation, aiohttp_server: object, body: str, match: bool
) -> None:
    async def answer(request: web.Request) -> web.Response:
        return web.Response(text=body)

    app = web.Application()
    app.router.add_get("/filter", answer)
    server = await aiohttp_server(app)  # type: ignore[operator]
    sim.center.dids[
        "3125551000"
    ].filter_url = f"VARhttp://127.0.0.1:{server.port}/filter?p=--A--phone_number--B--"
    assert await sim.callbacks.did_filter("3125551000", "3125550000", "1.2") is match


async def test_agent_push_events_follow_the_agent_screen(
    sim: Simulation, receiver: Receiving
) -> None:
    center = sim.center
    center.login("2001", "CBCAMP", ingroups=["CBIN"])
    center.resume("2001")
    call = center.start_call(phone_number="3125550501", user="2001", lead_id=501)
    await sim.advance(10)
    center.end_call("2001")
    center.pause("2001")
    center.disposition("2001", "SALE")
    center.logout("2001")
    await sim.settle()
    assert pushed(receiver) == [
        "logged_in",
        "state_ready",
        "call_answered",
        "agent_hangup",
        "dispo_screen_open",
        "dispo_set",
        "state_paused",
        "logged_out",
        "logged_out_complete",
    ]
    events = [p for p in receiver.of(Kind.AGENT_EVENT) if isinstance(p, AgentEventPayload)]
    assert [p.counter for p in events] == list(range(1, 10))
    answered = events[2]
    assert (answered.user, answered.lead_id, answered.message) == ("2001", 501, call.call_id)
    assert events[5].message == "SALE"
    assert events[5].lead_id == 501
    session_line = events[0].message or ""
    assert session_line.startswith("8600051|127.0.0.1|")
    # get2post's POST: its own user agent, a form body with the values joined raw.
    posted = next(iter(sent(sim, Kind.AGENT_EVENT)))
    assert line(posted) == b"POST /webhooks/agent_event HTTP/1.1"
    head, _, body = posted.request.partition(b"\r\n\r\n")
    assert b"\r\nUser-Agent: VICIdial get2post.php\r\n" in head
    assert body.startswith(f"token={CALLBACK_TOKEN}&user=2001&event=logged_in&".encode())


async def test_a_failed_callback_is_logged_once_without_its_token(
    sim: Simulation, receiver: Receiving, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    campaign = sim.center.campaigns["CBCAMP"]
    # A port nothing listens on: connection refused.
    campaign.callback_urls["na_call_url"] = (
        f"http://127.0.0.1:9/webhooks/no_agent?token={CALLBACK_TOKEN}&lead_id=--A--lead_id--B--"
    )
    call = sim.center.dial_unanswered("CBCAMP", 501)
    sim.center.drop_call(call.call_id)
    await sim.settle()
    [delivery] = sent(sim, Kind.NO_AGENT)
    assert delivery.status is None
    assert delivery.error
    assert delivery.origin == "http://127.0.0.1:9/webhooks/no_agent"
    assert CALLBACK_TOKEN not in repr(delivery)
    failures = [r.getMessage() for r in caplog.records if "failed" in r.getMessage()]
    assert failures == [f"callback no_agent to {delivery.origin} failed: {delivery.error}"]
    for record in caplog.records:
        assert CALLBACK_TOKEN not in record.getMessage()
