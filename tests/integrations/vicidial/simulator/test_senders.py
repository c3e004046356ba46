"""Each sender's encoding habits, byte for byte, and the bytes arriving at a real receiver."""

from __future__ import annotations

import pytest

from integrations.vicidial.simulator.rawhttp import RawHttp, split_url
from integrations.vicidial.simulator.senders import (
    Prepared,
    Refused,
    agent_screen_post,
    get2post,
    php_urlencode,
    prepare_get,
)
from integrations.vicidial.webhooks.kinds import Kind, Sender
from integrations.vicidial.webhooks.payloads import AgentEventPayload

from .conftest import CALLBACK_TOKEN, Receiving


def _prepared(result: Prepared | Refused) -> Prepared:
    assert isinstance(result, Prepared), result
    return result


def _line(prepared: Prepared) -> bytes:
    return prepared.request.split(b"\r\n", 1)[0]


def test_php_urlencode_is_phps() -> None:
    assert php_urlencode("a b+c~d_e.f-g/é") == "a+b%2Bc%7Ed_e.f-g%2F%C3%A9"


def test_php_inserts_some_values_raw_and_encodes_a_few_twice() -> None:
    template = (
        "http://h:81/d?user=--A--user--B--&first=--A--first_name--B--"
        "&name=--A--dispo_name--B--&talk=--A--talk_time--B--"
    )
    values = {"user": "jürgen 1001", "first_name": "Anne Marie", "dispo_name": "Call + me"}
    values["talk_time"] = "12\t"
    prepared = _prepared(prepare_get(Kind.DISPO_CALLBACK, Sender.PHP, template, values))
    assert (
        _line(prepared)
        == (
            "GET /d?user=jürgen 1001&first=Anne+Marie&name=Call%2B%252B%2Bme&talk=12_ HTTP/1.1"
        ).encode()
    )
    assert prepared.request.endswith(b"\r\nHost: h:81\r\nConnection: close\r\n\r\n")
    assert prepared.request.count(b"\r\n") == 4


def test_php_loses_everything_after_a_hash() -> None:
    prepared = _prepared(
        prepare_get(
            Kind.DEAD_CALL, Sender.PHP, "http://h/x?d=--A--dispo--B--&e=1", {"dispo": "A#B"}
        )
    )
    assert _line(prepared) == b"GET /x?d=A HTTP/1.1"


def test_wget_inserts_raw_with_plus_for_space_and_escapes_non_ascii() -> None:
    template = "http://h/n?c=--A--city--B--&a=--A--address1--B--&p=--A--phone_number--B--"
    values = {"city": "Saint John's", "address1": "Zoë & Tom", "phone_number": "+1514"}
    prepared = _prepared(prepare_get(Kind.NO_AGENT, Sender.WGET, template, values))
    assert _line(prepared) == b"GET /n?c=Saint+John's&a=Zo%C3%AB+&+Tom&p=+1514 HTTP/1.1"
    assert b"\r\nUser-Agent: Wget/" in prepared.request


@pytest.mark.parametrize(
    ("value", "line"),
    [
        ("a;b", b"GET /n?c=a HTTP/1.1"),
        ("a\nb", b"GET /n?c=a HTTP/1.1"),
        ("a|b", b"GET /n?c=a HTTP/1.1"),
    ],
)
def test_the_shell_ends_a_wget_url_early(value: str, line: bytes) -> None:
    result = prepare_get(Kind.NO_AGENT, Sender.WGET, "http://h/n?c=--A--city--B--", {"city": value})
    assert _line(_prepared(result)) == line


def test_the_shell_refuses_a_backtick_and_curl_a_quote() -> None:
    refused = prepare_get(Kind.NO_AGENT, Sender.WGET, "http://h/?c=--A--city--B--", {"city": "`x`"})
    assert isinstance(refused, Refused)
    template = "http://h/?n=--A--last_name--B--"
    refused = prepare_get(Kind.NVA_CALL, Sender.CURL, template, {"last_name": "O'Brien"})
    assert isinstance(refused, Refused)
    assert "quote" in refused.reason


def test_curl_sends_utf8_raw() -> None:
    template = "VARhttp://h/f?p=--A--phone_number--B--"
    prepared = _prepared(
        prepare_get(Kind.DID_FILTER, Sender.CURL, template, {"phone_number": "José M"})
    )
    assert _line(prepared) == "GET /f?p=José+M HTTP/1.1".encode()
    assert b"\r\nUser-Agent: curl/" in prepared.request


def test_var_required_kinds_are_left_alone_without_var() -> None:
    template = "http://h/f?p=--A--phone_number--B--"
    prepared = _prepared(prepare_get(Kind.DID_FILTER, Sender.CURL, template, {"phone_number": "1"}))
    assert _line(prepared) == b"GET /f?p=--A--phone_number--B-- HTTP/1.1"


def test_agent_screen_and_get2post() -> None:
    push = (
        "get2post.php?uniqueid=--A--epoch--B--.--A--agent_log_id--B--&type=event"
        "&headers=X-Source---vicidial&HTTPSURLTOPOST=vb.example.com/webhooks/agent_event?"
        "user=--A--user--B--&event=--A--event--B--&message=--A--message--B--"
    )
    values = {"user": "1001", "event": "agent_alert", "message": 'Dial timed out: "x" 5%'}
    values |= {"epoch": "1700000000", "agent_log_id": "7"}
    post = agent_screen_post(push, values)
    assert post.page == "get2post.php"
    assert post.body == (
        "uniqueid=1700000000.7&type=event&headers=X-Source---vicidial&HTTPSURLTOPOST="
        "vb.example.com/webhooks/agent_event?user=1001&event=agent_alert&message=Dial+timed+out+x+5%"
    )
    relayed = _prepared(get2post(post.body))
    assert relayed.target.origin == "https://vb.example.com/webhooks/agent_event"
    head, _, body = relayed.request.partition(b"\r\n\r\n")
    assert body == b"user=1001&event=agent_alert&message=Dial timed out x 5%"
    assert head.split(b"\r\n")[0] == b"POST /webhooks/agent_event HTTP/1.1"
    assert b"\r\nX-Source: vicidial" in head
    assert f"Content-Length: {len(body)}".encode() in head


def test_split_url_keeps_the_target_raw() -> None:
    target = split_url("http://[::1]:8080/a b?x=%zz")
    assert (target.host, target.port, target.path) == ("::1", 8080, "/a b?x=%zz")
    assert split_url("https://h?x=1").path == "/?x=1"
    assert target.origin == "http://[::1]:8080/a b"


async def test_raw_bytes_reach_a_real_receiver(receiver: Receiving) -> None:
    template = (
        f"{receiver.base}/webhooks/dispo_callback?token={CALLBACK_TOKEN}"
        "&user=--A--user--B--&first_name=--A--first_name--B--&dispo_name=--A--dispo_name--B--"
    )
    values = {"user": "jürgen 1001", "first_name": "Zoë & Co", "dispo_name": "Call + me"}
    prepared = _prepared(prepare_get(Kind.DISPO_CALLBACK, Sender.PHP, template, values))
    answer = await RawHttp().send(prepared.target, prepared.request)
    assert (answer.status, answer.body) == (200, b"OK")
    [payload] = receiver.received
    assert payload.values == values


async def test_get2post_reaches_a_receiver_through_a_resolved_host(receiver: Receiving) -> None:
    push = (
        "get2post.php?uniqueid=--A--epoch--B--&type=event&HTTPURLTOPOST=vicibus.test/webhooks/"
        f"agent_event?token={CALLBACK_TOKEN}&user=--A--user--B--&event=--A--event--B--"
        "&message=--A--message--B--"
    )
    post = agent_screen_post(push, {"user": "1001", "event": "dispo_set", "message": "A & B"})
    relayed = _prepared(get2post(post.body))
    http = RawHttp(resolve={("vicibus.test", 80): (receiver.host, receiver.port)})
    answer = await http.send(relayed.target, relayed.request)
    assert answer.status == 200
    [payload] = receiver.received
    assert isinstance(payload, AgentEventPayload)
    # The screen posts "message=A+&+B": PHP reads a second field " B" with no value, and
    # get2post joins it back as " B=" without encoding; that is all a receiver can get.
    assert payload.values == {"user": "1001", "event": "dispo_set", "message": "A & B="}
