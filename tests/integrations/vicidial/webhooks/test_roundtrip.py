"""Builder -> ViciDial's substitution, sender by sender -> a real receiver -> typed payload.

The receiver is served through ``serving.start_receiver``, so values PHP inserts raw (spaces
included) and the raw UTF-8 curl sends reach the parsers as they were substituted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from integrations.vicidial.webhooks.kinds import KINDS, Kind, Sender
from integrations.vicidial.webhooks.payloads import AgentEventPayload
from integrations.vicidial.webhooks.push_events import PushEvent
from integrations.vicidial.webhooks.urls import build_url

from .conftest import TOKEN, ServeReceiver
from .senders import agent_push, request_target, send, substitute, wire_bytes

BASE = "https://vb.example.com"
CALL = {"uniqueid": "1700000000.1234", "call_id": "V1251200000000000010"}


@dataclass(frozen=True)
class Case:
    kind: Kind
    sender: Sender
    values: dict[str, str]
    extra_variables: tuple[str, ...] = ()
    # what the receiver reads where the sender itself destroys information
    best_effort: dict[str, str] = field(default_factory=dict)
    unsubstituted: tuple[str, ...] = ()
    group: str | None = None


CASES = [
    Case(
        Kind.DISPO_CALLBACK,
        Sender.PHP,
        {
            **CALL,
            "lead_id": "10",
            "list_id": "101",
            # PHP inserts user and campaign raw: a raw space and raw UTF-8 on the request line
            "user": "jürgen 1001",
            "campaign": "TEST CAMP",
            "phone_number": "3125551000",
            "dispo": "CALLBK",
            "talk_time": "95",
            "term_reason": "AGENT",
            "callback_lead_status": "CALLBK",
            "callback_datetime": "2030-01-25 12:00:00",
            "epoch": "1700000100",
            "dispo_name": "Call Back + soon",
            "call_notes": "notes & more, é 100%",
            "did_pattern": "+13125551000",
        },
        ("dispo_name", "call_notes", "did_pattern"),
    ),
    Case(
        Kind.START_CALL,
        Sender.PHP,
        {**CALL, "lead_id": "10", "user": "1001", "campaign": "TESTCAMP", "epoch": "1700000000"}
        | {"first_name": "José", "comments": "line one\nline two", "group": "TESTCAMP"},
        ("first_name", "comments"),
        # nothing was given for list_id and phone_number: known variables become empty
        best_effort={"list_id": "", "phone_number": ""},
    ),
    Case(
        Kind.START_CALL,
        Sender.WGET,
        {**CALL, "lead_id": "11", "user": "VDAD", "campaign": "TESTCAMP", "list_id": "101"}
        | {"group": "SALESLINE", "epoch": "1700000000", "first_name": "Zoë"}
        | {"comments": "first!Nsecond", "phone_number": "+15145550199"},
        ("first_name", "comments"),
        # the auto-dial marker becomes a newline; a literal '+' reaches us as a space
        best_effort={"comments": "first\nsecond", "phone_number": " 15145550199"},
    ),
    Case(
        Kind.NO_AGENT,
        Sender.WGET,
        {**CALL, "lead_id": "12", "list_id": "101", "campaign": "TESTCAMP", "group": "SALESLINE"}
        | {"phone_number": "3125551000", "dispo": "DROP", "status": "DROP", "epoch": "1700000200"}
        | {"city": "Saint John's", "address1": "Tom & Jerry St"},
        ("city", "address1"),
    ),
    Case(
        Kind.ADD_LEAD,
        Sender.WGET,
        {**CALL, "lead_id": "13", "list_id": "998", "phone_number": "3125550100"}
        | {"phone_code": "1", "vendor_lead_code": "V 100", "did_id": "5"}
        | {"did_pattern": "3125551000", "SQLdate": "2024-05-01 10:00:00"},
        ("first_name",),
        unsubstituted=("first_name",),
    ),
    Case(
        Kind.DEAD_CALL,
        Sender.PHP,
        {**CALL, "lead_id": "10", "user": "1003", "campaign": "OUT BOUND", "dispo": "INCALL"}
        | {"talk_time": "300", "epoch": "1700000300"},
    ),
    Case(
        Kind.PAUSE_MAX,
        Sender.PHP,
        {"user": "1001", "fullname": "Ann O'Neil", "campaign": "TESTCAMP"}
        | {"user_group": "AGENTS", "epoch": "1700000400", "agent_email": "ann+vb@example.com"},
        ("agent_email", "lead_id"),
        unsubstituted=("lead_id",),
    ),
    Case(
        Kind.ENTER_INGROUP,
        Sender.WGET,
        {**CALL, "lead_id": "14", "list_id": "101", "phone_number": "3125550111", "did_id": "5"},
        best_effort={"user": ""},
    ),
    Case(
        Kind.WAITING_CALL_ON,
        Sender.WGET,
        {"SQLdate": "2024-05-01 10:00:00"},
        ("SQLdate", "lead_id"),
        best_effort={"group": "SALESLINE"},
        unsubstituted=("lead_id",),
        group="SALESLINE",
    ),
    Case(
        Kind.WAITING_CALL_OFF,
        Sender.WGET,
        {"SQLdate": "2024-05-01 10:05:00"},
        best_effort={"group": "SALESLINE"},
        group="SALESLINE",
    ),
    Case(
        Kind.API_NEW_LEAD,
        Sender.PHP,
        {"lead_id": "15", "list_id": "101", "phone_number": "3125550122", "phone_code": "1"}
        | {"vendor_lead_code": "ABC 1", "source_id": "web form"},
        ("epoch",),
        best_effort={"epoch": ""},  # always empty for this kind
    ),
    Case(
        Kind.NVA_CALL,
        Sender.CURL,
        {"lead_id": "NOTFOUND", "phone_number": "3125550133", "uniqueid": "1700000000.77"}
        # curl sends UTF-8 raw
        | {"extension": "1001", "user": "Müller", "campaign_id": "TESTCAMP", "list_id": "999"}
        | {"status": "NVAINS", "server_ip": "10.0.0.5"},
    ),
    Case(
        Kind.DID_FILTER,
        Sender.CURL,
        # a caller-ID name when the caller sent no digits, sent raw by curl
        {"phone_number": "José Müller", "did_pattern": "3125551000", "uniqueid": "1700000000.5"}
        | {"channel": "SIP/carrier-00000001", "server_ip": "10.0.0.5"},
    ),
]


def test_every_kind_has_a_case() -> None:
    assert {case.kind for case in CASES} | {Kind.AGENT_EVENT} == set(Kind)


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.kind.value}-{c.sender.value}")
async def test_round_trip(serve_receiver: ServeReceiver, case: Case, method: str) -> None:
    r = await serve_receiver(did_decider=_match_all)
    variables = KINDS[case.kind].defaults + case.extra_variables
    template = build_url(case.kind, BASE, TOKEN, variables=variables, group=case.group)
    assert template.startswith("VAR") == KINDS[case.kind].needs_var_prefix
    sent = wire_bytes(case.sender, substitute(case.kind, case.sender, template, case.values))
    target = request_target(sent.decode("latin-1")).encode("latin-1")
    if method == "GET":
        status, body = await send(r, "GET", target)
    else:
        # get2post.php relays the query string it received as the body of a POST.
        path, _, query = target.partition(b"?")
        status, body = await send(r, "POST", path, query)
    assert (status, body) == (200, "1" if case.kind is Kind.DID_FILTER else "OK")
    [payload] = r.received
    assert payload.kind is case.kind
    expected = {n: v for n, v in case.values.items() if n in variables} | case.best_effort
    assert payload.values == expected
    assert payload.unsubstituted == list(case.unsubstituted)
    assert payload.extra == {}


async def _match_all(payload: object) -> bool:
    return True


PUSH_VALUES = {
    "user": "1001",
    "event": "dispo_set",
    "message": "SALE - Sale Made, 100% sure",
    "lead_id": "10",
    "counter": "12",
    "epoch": "1700000000",
    "agent_log_id": "5501",
}


@pytest.mark.parametrize(
    ("message", "received"),
    [
        (PUSH_VALUES["message"], PUSH_VALUES["message"]),
        # the agent screen deletes ':' and quotes; a '+' is read as a space by PHP
        ('Dial timed out: "retry"', "Dial timed out retry"),
        ("A+B", "A B"),
    ],
)
async def test_agent_push_through_get2post(
    serve_receiver: ServeReceiver, message: str, received: str
) -> None:
    r = await serve_receiver()
    template = build_url(Kind.AGENT_EVENT, BASE, TOKEN, headers={"X-Source": "vicidial"})
    assert template.startswith("get2post.php?uniqueid=--A--epoch--B--.--A--agent_log_id--B--")
    assert "&headers=X-Source---vicidial&HTTPSURLTOPOST=vb.example.com/webhooks/agent_event?" in (
        template
    )
    page, body = agent_push(template, PUSH_VALUES | {"message": message})
    assert page == "https://vb.example.com/webhooks/agent_event"
    status, answer = await send(r, "POST", b"/webhooks/agent_event", body)
    assert (status, answer) == (200, "OK")
    [payload] = r.received
    assert isinstance(payload, AgentEventPayload)
    assert payload.values == PUSH_VALUES | {"message": received}
    assert payload.push_event is PushEvent.DISPO_SET
    assert (payload.counter, payload.epoch, payload.agent_log_id) == (12, 1700000000, 5501)
    assert payload.dedupe_key == (
        "agent_event|user=1001|event=dispo_set|counter=12|lead_id=10|epoch=1700000000"
    )


async def test_agent_push_as_a_get(serve_receiver: ServeReceiver) -> None:
    r = await serve_receiver()
    template = build_url(Kind.AGENT_EVENT, BASE, TOKEN)
    _, body = agent_push(template, PUSH_VALUES | {"event": "in_man_dial_next_ready"})
    status, _ = await send(r, "GET", b"/webhooks/agent_event?" + body.replace(b" ", b"+"))
    assert status == 200
    [payload] = r.received
    assert isinstance(payload, AgentEventPayload)
    assert payload.push_event is PushEvent.IN_MAN_DIAL_NEXT_READY
