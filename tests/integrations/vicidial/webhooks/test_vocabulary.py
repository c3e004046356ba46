from __future__ import annotations

import pytest

from integrations.vicidial.webhooks.errors import UnknownKindError
from integrations.vicidial.webhooks.kinds import KINDS, Kind, kind_from_name
from integrations.vicidial.webhooks.push_events import PUSH_EVENT_MEANINGS, PushEvent
from integrations.vicidial.webhooks.statuses import (
    SYSTEM_STATUSES,
    is_system_status,
    status_meaning,
)
from integrations.vicidial.webhooks.variables import VARIABLES, kinds_providing


def test_the_thirteen_kinds_by_their_names() -> None:
    assert [k.value for k in Kind] == [
        "agent_event",
        "dispo_callback",
        "start_call",
        "no_agent",
        "add_lead",
        "dead_call",
        "pause_max",
        "enter_ingroup",
        "waiting_call_on",
        "waiting_call_off",
        "api_new_lead",
        "nva_call",
        "did_filter",
    ]
    assert set(KINDS) == set(Kind)


def test_unknown_kind_is_a_typed_error() -> None:
    with pytest.raises(UnknownKindError, match="unknown webhook kind 'dispo'"):
        kind_from_name("dispo")


def test_fifty_push_events_each_with_a_meaning() -> None:
    assert len(PushEvent) == 50
    assert set(PUSH_EVENT_MEANINGS) == set(PushEvent)
    assert PushEvent("in_man_dial_next_ready") is PushEvent.IN_MAN_DIAL_NEXT_READY
    assert PushEvent("3way_agent_leave") is PushEvent.THREEWAY_AGENT_LEAVE


def test_eighty_seven_system_statuses() -> None:
    assert len(SYSTEM_STATUSES) == 87
    assert all(meaning for meaning in SYSTEM_STATUSES.values())
    assert is_system_status("HUC18")
    assert status_meaning("HUC18") == "failed call, disconnect cause 18"
    assert is_system_status("AFTHRS")
    assert not is_system_status("HUC")
    assert not is_system_status("SALEX")  # a campaign's own status
    assert status_meaning("SALEX") is None


@pytest.mark.parametrize(
    "name",
    [
        "dispo",
        "talk_time",
        "term_reason",
        "callback_lead_status",
        "callback_datetime",
        "call_notes",
        "fullname",
        "event",
        "message",
        "counter",
        "did_carrier_description",
        "extension",
        "campaign_id",
        "last_local_call_time",
        "SQLdate",
        "epoch",
    ],
)
def test_vocabulary_covers_the_extras(name: str) -> None:
    assert VARIABLES[name].meaning


def test_which_kinds_provide_a_variable() -> None:
    assert kinds_providing("counter") == {Kind.AGENT_EVENT}
    assert kinds_providing("fullname") == {Kind.PAUSE_MAX}
    assert kinds_providing("call_notes") == {Kind.DISPO_CALLBACK}
    assert Kind.WAITING_CALL_ON in kinds_providing("SQLdate")
    assert Kind.WAITING_CALL_ON not in kinds_providing("lead_id")
    assert Kind.DID_FILTER in kinds_providing("channel")
    assert Kind.PAUSE_MAX not in kinds_providing("phone_number")
    assert Kind.START_CALL in kinds_providing("first_name")


def test_builder_defaults_are_variables_the_kind_fills() -> None:
    for kind, info in KINDS.items():
        for name in info.defaults:
            assert name in VARIABLES, name
            assert kind in kinds_providing(name), (kind, name)
