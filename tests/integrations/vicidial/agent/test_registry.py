"""The agent registry: complete, typed, and the single source of methods and call()."""

from __future__ import annotations

import re
import types
import typing
from pathlib import Path
from typing import Any

import pytest

from integrations.vicidial import ViciAgent, ViciValidationError
from integrations.vicidial.agent.enums import RecordingAction
from integrations.vicidial.agent.functions import AGENT_FUNCTIONS
from integrations.vicidial.models import Result

DOCS = Path(__file__).resolve().parents[4].parent / "shared" / "vicidial-docs" / "AGENT_API.txt"

# The functions agc/api.php 2.14 dispatches, as its documentation's index lists them.
AGENT_API_FUNCTIONS = {
    "version",
    "webserver",
    "external_hangup",
    "external_status",
    "external_pause",
    "logout",
    "external_dial",
    "preview_dial_action",
    "external_add_lead",
    "change_ingroups",
    "update_fields",
    "refresh_panel",
    "set_timer_action",
    "st_login_log",
    "st_get_agent_active_lead",
    "ra_call_control",
    "send_dtmf",
    "park_call",
    "transfer_conference",
    "recording",
    "webphone_url",
    "call_agent",
    "pause_code",
    "audio_playback",
    "switch_lead",
    "calls_in_queue_count",
    "force_fronter_leave_3way",
    "force_fronter_audio_stop",
    "send_notification",
    "vm_message",
}


def test_all_30_functions_are_registered() -> None:
    assert len(AGENT_API_FUNCTIONS) == 30
    assert set(AGENT_FUNCTIONS.names()) == AGENT_API_FUNCTIONS


@pytest.mark.skipif(not DOCS.exists(), reason="../shared is not beside this clone")
def test_list_matches_the_documentation_index() -> None:
    index = re.findall(r"^([a-z_0-9]+) - ", DOCS.read_text(errors="replace"), re.M)
    assert set(index[:30]) == AGENT_API_FUNCTIONS


def test_every_function_has_its_friendly_method() -> None:
    for spec in AGENT_FUNCTIONS:
        for method in spec.method.split(" / "):
            assert callable(getattr(ViciAgent, method, None)), (spec.name, method)


# Field names whose values are numbers or times in every answer captured.
NOT_TEXT = re.compile(r"(^|_)(lead_id|list_id|epoch|count|seconds|id|date|datetime|time)$")
TEXT_IDS = {"call_id", "vendor_id", "campaign_id", "caller_id_number", "source_id"}


def _types(annotation: Any) -> set[Any]:
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        return set().union(*(_types(a) for a in typing.get_args(annotation)))
    if typing.get_origin(annotation) is typing.Annotated:
        return _types(typing.get_args(annotation)[0])
    return {annotation}


def test_results_are_typed() -> None:
    for spec in AGENT_FUNCTIONS:
        result = spec.result
        assert issubclass(result, Result)
        own = {k: v for k, v in result.model_fields.items() if k not in Result.model_fields}
        assert own, f"{spec.name} result has no fields of its own"
        # No catch-all: a result that is only a mapping or a list of strings says nothing.
        assert any(typing.get_origin(f.annotation) not in (dict, list) for f in own.values()), (
            spec.name
        )
        for name, info in own.items():
            kinds = _types(info.annotation) - {type(None)}
            assert Any not in kinds, (spec.name, name)
            if NOT_TEXT.search(name) and name not in TEXT_IDS:
                assert str not in kinds, (spec.name, name)


def test_reads_follow_the_parameter_values() -> None:
    recording = AGENT_FUNCTIONS.get("recording")
    assert recording is not None
    status = recording.params.model_validate({"value": RecordingAction.STATUS, "agent_user": "1"})
    start = recording.params.model_validate({"value": RecordingAction.START, "agent_user": "1"})
    assert recording.is_read(status)
    assert not recording.is_read(start)
    writes = {"external_pause", "external_dial", "external_status", "logout", "park_call"}
    for name in writes:
        spec = AGENT_FUNCTIONS.get(name)
        assert spec is not None
        assert spec.reads is False


def test_call_converts_strings_and_refuses_unknown_names() -> None:
    agent = ViciAgent("http://127.0.0.1", "6666", "pw", agent_user="1001")
    _, model = agent.build(
        "external_dial", {"value": "7275551212", "lead_id": "12", "search": "YES", "focus": "N"}
    )
    assert model.to_wire() == {
        "agent_user": "1001",
        "value": "7275551212",
        "lead_id": "12",
        "search": "YES",
        "focus": "NO",
    }
    with pytest.raises(ViciValidationError) as raised:
        agent.build("external_dial", {"value": "7275551212", "serach": "YES"})
    assert "unknown parameter 'serach'" in str(raised.value)
    assert raised.value.sent is False


def test_unknown_function_is_refused_locally() -> None:
    agent = ViciAgent("http://127.0.0.1", "6666", "pw")
    with pytest.raises(ViciValidationError) as raised:
        agent.build("no_such_function", {})
    assert raised.value.sent is False
    assert "no_such_function" in str(raised.value)


@pytest.mark.parametrize(
    ("function", "params", "problem"),
    [
        ("pause_code", {"value": "JUMPING"}, "value"),
        ("external_pause", {"value": "NAP"}, "value"),
        ("external_dial", {}, "lead_id"),
        ("change_ingroups", {"value": "ADD", "blended": "NO"}, "ingroup_choices"),
        ("send_notification", {"recipient": "1001", "duration": "11"}, "duration"),
        ("send_dtmf", {"value": "12#"}, "value"),
        ("external_pause", {"value": "PAUSE", "agent_user": "x" * 21}, "agent_user"),
    ],
)
def test_documented_constraints_are_checked(
    function: str, params: dict[str, str], problem: str
) -> None:
    agent = ViciAgent("http://127.0.0.1", "6666", "pw", agent_user="1001")
    with pytest.raises(ViciValidationError) as raised:
        agent.build(function, params)
    assert problem in str(raised.value)


def test_agent_user_is_required_when_no_default() -> None:
    agent = ViciAgent("http://127.0.0.1", "6666", "pw")
    with pytest.raises(ViciValidationError) as raised:
        agent.build("external_pause", {"value": "PAUSE"})
    assert "agent_user" in str(raised.value)
    _, model = agent.build("external_pause", {"value": "PAUSE", "agent_user": "1002"})
    assert model.to_wire()["agent_user"] == "1002"
