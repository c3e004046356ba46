from __future__ import annotations

import asyncio
import gzip
import logging
import re
from collections.abc import AsyncIterator

import pytest
from yarl import URL

from integrations.vicidial.webhooks.payloads import (
    DidFilterPayload,
    DispoCallbackPayload,
    NoAgentPayload,
    WebhookPayload,
)

from .conftest import OLD_TOKEN, TOKEN, MakeReceiver


async def test_get_is_parsed_and_handed_off(make_receiver: MakeReceiver) -> None:
    r = await make_receiver()
    resp = await r.client.get(f"/webhooks/dispo_callback?token={TOKEN}&lead_id=12&dispo=SALE")
    assert (resp.status, await resp.text()) == (200, "OK")
    [payload] = r.received
    assert isinstance(payload, DispoCallbackPayload)
    assert (payload.lead_id, payload.dispo) == (12, "SALE")
    assert "token" not in payload.extra


async def test_post_form_and_query_together(make_receiver: MakeReceiver) -> None:
    r = await make_receiver()
    resp = await r.client.post(
        f"/webhooks/no_agent?token={TOKEN}&status=DROP",
        data=b"lead_id=7&phone_number=3125551000",
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"},
    )
    assert resp.status == 200
    [payload] = r.received
    assert isinstance(payload, NoAgentPayload)
    assert (payload.status, payload.lead_id, payload.phone_number) == ("DROP", 7, "3125551000")


@pytest.mark.parametrize("path", ["/webhooks", "/webhooks/"])
async def test_generic_route(make_receiver: MakeReceiver, path: str) -> None:
    r = await make_receiver()
    resp = await r.client.get(f"{path}?kind=pause_max&token={TOKEN}&user=1001")
    assert resp.status == 200
    assert [p.kind.value for p in r.received] == ["pause_max"]


async def test_a_token_in_the_form_body_counts(make_receiver: MakeReceiver) -> None:
    # get2post.php moves everything after the target's '?' into the POST body, token included.
    r = await make_receiver()
    resp = await r.client.post("/webhooks/agent_event", data=f"token={TOKEN}&event=logged_in")
    assert resp.status == 200
    assert len(r.received) == 1


async def test_a_rotated_out_token_still_works(make_receiver: MakeReceiver) -> None:
    r = await make_receiver()
    resp = await r.client.get(f"/webhooks/start_call?token={OLD_TOKEN}")
    assert resp.status == 200


@pytest.mark.parametrize(
    ("path", "status", "reason"),
    [
        ("/webhooks/start_call?lead_id=1", 401, "token missing"),
        ("/webhooks/start_call?token=&lead_id=1", 401, "token missing"),
        ("/webhooks/start_call?token=wrong", 403, "token not accepted"),
        (f"/webhooks/start_call?token={TOKEN}x", 403, "token not accepted"),
        (f"/webhooks/start_call?token={TOKEN}&token=other", 400, "token given more than once"),
        (f"/webhooks/nonsense?token={TOKEN}", 404, "unknown webhook kind"),
        (f"/webhooks?token={TOKEN}", 404, "name one webhook kind"),
        (f"/webhooks?kind=no_agent&kind=add_lead&token={TOKEN}", 404, "name one webhook kind"),
    ],
)
async def test_refusals(make_receiver: MakeReceiver, path: str, status: int, reason: str) -> None:
    r = await make_receiver()
    resp = await r.client.get(path)
    body = await resp.text()
    assert resp.status == status
    assert body.startswith(reason)
    assert body.count("\n") == 1
    assert not re.search(r"\d", body)  # a DID filter would read a digit as a decision
    assert r.received == []


async def test_source_networks(make_receiver: MakeReceiver) -> None:
    refused = await make_receiver(networks=("10.0.0.0/8",))
    resp = await refused.client.get(f"/webhooks/start_call?token={TOKEN}")
    assert (resp.status, await resp.text()) == (403, "source address not allowed\n")
    allowed = await make_receiver(networks=("10.0.0.0/8", "127.0.0.0/8"))
    resp = await allowed.client.get(f"/webhooks/start_call?token={TOKEN}")
    assert resp.status == 200


async def test_one_megabyte_body_is_413(make_receiver: MakeReceiver) -> None:
    r = await make_receiver()
    resp = await r.client.post(f"/webhooks/add_lead?token={TOKEN}", data=b"a" * 1_000_000)
    assert (resp.status, await resp.text()) == (413, "body is larger than the receiver's limit\n")


async def test_a_chunked_body_over_the_limit_is_413(make_receiver: MakeReceiver) -> None:
    r = await make_receiver(body_limit=1000)

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(20):
            yield b"x" * 100

    resp = await r.client.post(f"/webhooks/add_lead?token={TOKEN}", data=chunks())
    assert resp.status == 413
    ok = await r.client.post(f"/webhooks/add_lead?token={TOKEN}", data=b"x" * 1000)
    assert ok.status == 200


@pytest.mark.parametrize("content_type", ["application/json", "multipart/form-data; boundary=x"])
async def test_bodies_that_are_no_form(make_receiver: MakeReceiver, content_type: str) -> None:
    r = await make_receiver()
    resp = await r.client.post(
        f"/webhooks/add_lead?token={TOKEN}", data=b"{}", headers={"Content-Type": content_type}
    )
    assert resp.status == 400


async def test_latin1_body_is_flagged_not_refused(make_receiver: MakeReceiver) -> None:
    r = await make_receiver()
    resp = await r.client.post(
        f"/webhooks/add_lead?token={TOKEN}", data=b"list_name=Montr\xe9al&lead_id=4"
    )
    assert resp.status == 200
    [payload] = r.received
    assert payload.latin1
    assert payload.values["list_name"] == "Montréal"


async def test_repeated_keys_and_garbage_are_accepted(make_receiver: MakeReceiver) -> None:
    r = await make_receiver()
    url = URL(f"/webhooks/dead_call?%%%&==&%zz=%&token={TOKEN}&lead_id=1&lead_id=2", encoded=True)
    resp = await r.client.get(url)
    assert resp.status == 200
    [payload] = r.received
    assert payload.values == {"lead_id": "2"}
    assert payload.repeated == {"lead_id": ["1"]}
    # pieces that are no parameter are glued to the one before (here the first one)
    assert payload.extra == {"%%%": "&==&%zz=%"}


async def test_hand_off_failure_is_503_without_traceback(make_receiver: MakeReceiver) -> None:
    r = await make_receiver(failing=True)
    resp = await r.client.get(f"/webhooks/dead_call?token={TOKEN}&lead_id=1")
    assert (resp.status, await resp.text()) == (503, "event not accepted: the hand-off failed\n")


async def test_access_log_masks_the_token(
    make_receiver: MakeReceiver, caplog: pytest.LogCaptureFixture
) -> None:
    # No logging filter here: the access logger alone must mask the token.
    r = await make_receiver(filter_logs=False)
    await r.client.get(f"/webhooks/dead_call?lead_id=1&token={TOKEN}&x=2")
    await r.client.get(URL(f"/webhooks/dead_call?%74oken={TOKEN}", encoded=True))
    access = [rec.getMessage() for rec in caplog.records if rec.name == "aiohttp.access"]
    assert any("/webhooks/dead_call?lead_id=1&token=REDACTED&x=2" in line for line in access)
    assert any("%74oken=REDACTED" in line for line in access)


async def test_a_request_aiohttp_refuses_logs_no_token(make_receiver: MakeReceiver) -> None:
    r = await make_receiver()
    reader, writer = await asyncio.open_connection(r.client.host, r.client.port)
    writer.write(f"GET /webhooks/x?token={TOKEN}&a=b c HTTP/1.1\r\nHost: h\r\n\r\n".encode())
    await writer.drain()
    answer = await reader.read()
    writer.close()
    assert answer.split(b" ")[1] == b"400"
    # the fixture then checks every captured log record for the token and for tracebacks


async def _match(payload: DidFilterPayload) -> bool:
    return payload.phone_number == "3125550100"


async def _slow(payload: DidFilterPayload) -> bool:
    await asyncio.sleep(5)
    return True


async def _broken(payload: DidFilterPayload) -> bool:
    raise RuntimeError("lookup failed")


@pytest.mark.parametrize(
    ("decider", "fallback", "phone", "expected"),
    [
        (_match, False, "3125550100", "1"),
        (_match, True, "3125550199", "0"),
        (_slow, False, "3125550100", "0"),
        (_slow, True, "3125550100", "1"),
        (_broken, False, "1", "0"),
        (None, True, "1", "1"),
    ],
)
async def test_did_filter_answers_exactly_one_digit(
    make_receiver: MakeReceiver, decider: object, fallback: bool, phone: str, expected: str
) -> None:
    r = await make_receiver(
        did_decider=decider, did_filter_fallback=fallback, did_filter_timeout=0.2
    )
    resp = await r.client.get(
        f"/webhooks/did_filter?token={TOKEN}&phone_number={phone}&did_pattern=3125551000"
    )
    assert (resp.status, await resp.text()) == (200, expected)
    assert len(r.received) == 1


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("PUT", f"/webhooks/dispo_callback?token={TOKEN}", 405),
        ("DELETE", "/webhooks", 405),
        ("GET", f"/webhooks/dispo_callback/extra?token={TOKEN}", 404),
        ("GET", f"/webhooks/a/b?kind=dispo_callback&token={TOKEN}", 404),
    ],
)
async def test_methods_and_paths_the_router_would_refuse(
    make_receiver: MakeReceiver, method: str, path: str, status: int
) -> None:
    # aiohttp's router answers "405: Method Not Allowed": a DID filter reads the digits.
    r = await make_receiver()
    resp = await r.client.request(method, path)
    body = await resp.text()
    assert resp.status == status
    assert body.count("\n") == 1
    assert not re.search(r"\d", body), body
    if status == 405:
        assert resp.headers["Allow"] == "GET, POST"
    assert r.received == []


async def test_a_broken_gzip_body_is_a_400_and_an_info_line(
    make_receiver: MakeReceiver, caplog: pytest.LogCaptureFixture
) -> None:
    r = await make_receiver()
    resp = await r.client.post(
        f"/webhooks/add_lead?token={TOKEN}",
        data=b"this is not gzip",
        headers={"Content-Encoding": "gzip", "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert resp.status == 400
    assert not re.search(r"\d", await resp.text())
    receiver_lines = [rec for rec in caplog.records if rec.name.endswith("webhooks.receiver")]
    assert [rec.levelno for rec in receiver_lines] == [logging.INFO]
    assert r.received == []


async def test_a_good_gzip_body_is_read(make_receiver: MakeReceiver) -> None:
    r = await make_receiver()
    resp = await r.client.post(
        f"/webhooks/add_lead?token={TOKEN}",
        data=gzip.compress(b"lead_id=4&list_name=Q"),
        headers={"Content-Encoding": "gzip", "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert resp.status == 200
    assert r.received[0].values == {"lead_id": "4", "list_name": "Q"}


async def test_a_hand_off_that_is_full_is_a_503_without_digits(
    make_receiver: MakeReceiver, caplog: pytest.LogCaptureFixture
) -> None:
    class BusFullError(Exception):
        pass

    async def full(payload: WebhookPayload) -> None:
        raise BusFullError("bus full: 10000 events waiting, 0 free")

    r = await make_receiver(handoff=full)
    resp = await r.client.get(f"/webhooks/dead_call?token={TOKEN}&lead_id=1")
    body = await resp.text()
    assert resp.status == 503
    assert not re.search(r"\d", body), body
    [line] = [rec for rec in caplog.records if rec.levelno == logging.ERROR]
    assert "BusFullError: bus full" in line.getMessage()
