"""The recording (``storage.record``): events and rule calls as JSON lines, masked, rotated by
size, written off the loop; and the reader replay uses, with its problems at file:line."""

from __future__ import annotations

import json
import math
import tempfile
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import SecretStr

from engine.clock import Clock, ClockMode
from engine.config import ConfigError, load_document
from engine.config.validate import validate
from engine.context import Context, Origin
from engine.core import Core
from engine.events import Event
from engine.jsonable import SECRET_MASK
from engine.logs import Redactor
from engine.storage.database import StorageError
from engine.storage.record_config import RECORD, RecordConfig
from engine.storage.record_lines import (
    LineProblem,
    RecordedCall,
    RecordedEvent,
    RecordingError,
    encode,
    event_line,
    parse_line,
    read_lines,
)
from engine.storage.recording import Recording, RecordSettings, recorded_files
from rules.masking import mask

START = 1_764_590_000.25
SECRET_VALUE = "s3cr3t-value-in-config"


def _recording(path: Path, **settings: Any) -> Recording:
    return Recording(
        RecordSettings(path, **settings),
        mask=partial(mask, secret=frozenset({"crm_key"})),
        redact=Redactor({SECRET_VALUE}),
    )


def _read(path: Path) -> tuple[list[RecordedEvent | RecordedCall], list[LineProblem]]:
    problems: list[LineProblem] = []
    return [r.record for r in read_lines(path, problems)], problems


async def test_every_delivered_event_is_a_line_with_its_time_context_and_masked_data(
    tmp_path: Path,
) -> None:
    core = Core(Clock(ClockMode.MANUAL, start=START))
    path = tmp_path / "rec" / "events.jsonl"
    recording = _recording(path)
    core.bus.subscribe(None, recording, name="recording")
    await core.start()
    await recording.start()
    webhook = core.fire(
        "vicidial_pause_max",
        {
            "user": "1001",
            "pass": "agentpw1",
            "crm_key": "k-123456",
            "values": {"token": "tok-abcdef", "note": f"said {SECRET_VALUE} aloud"},
            "api": SecretStr("hidden-one"),
        },
        origin=Origin.WEBHOOK,
    )
    await core.advance(1.5)
    poll = Context(Origin.POLL)
    core.states.set("agent.1001", "PAUSED", {"pause_code": "BREAK"}, context=poll)
    await core.settle()
    await recording.stop()
    await core.stop()

    lines, problems = _read(path)
    assert problems == []
    events = [line for line in lines if isinstance(line, RecordedEvent)]
    first, change = events
    assert first.event_type == "vicidial_pause_max"
    assert first.time_fired == webhook.time_fired == START  # exact, not rounded
    assert first.context.id == webhook.context.id
    assert first.context.origin is Origin.WEBHOOK
    assert first.data["user"] == "1001"
    for hidden in ("pass", "crm_key", "api"):
        assert first.data[hidden] == SECRET_MASK
    assert first.data["values"]["token"] == SECRET_MASK
    text = path.read_text()
    for secret in ("agentpw1", "k-123456", "tok-abcdef", SECRET_VALUE, "hidden-one"):
        assert secret not in text
    assert change.event_type == "state_changed"
    assert change.time_fired == START + 1.5
    assert change.context.id == poll.id
    assert change.data["entity_id"] == "agent.1001"
    assert change.data["old_state"] is None
    assert change.data["new_state"]["state"] == "PAUSED"
    assert change.data["new_state"]["attributes"] == {"pause_code": "BREAK"}
    assert json.loads(text.splitlines()[0])["fired_at"].startswith("2025-12-01T")
    assert recording.stats.lines == 2


async def test_a_rules_call_line_is_masked_and_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    recording = _recording(path)
    await recording.start()
    recording.call(
        {
            "record": "call",
            "time": START,
            "rule_id": "pause_max_break",
            "run_id": "r1",
            "event_id": "e1",
            "event_type": "vicidial_pause_max",
            "path": "actions/0",
            "service": "vicidial.agent.pause_code",
            "data": {"agent_user": "1001", "value": "BREAK", "password": "pw-99999"},
            "outcome": "error",
            "result": None,
            "error": {"type": "ViciStateError", "message": f"refused {SECRET_VALUE}"},
        }
    )
    await recording.stop()
    (call,), problems = _read(path)
    assert problems == []
    assert isinstance(call, RecordedCall)
    assert call.data == {"agent_user": "1001", "value": "BREAK", "password": SECRET_MASK}
    assert call.error is not None
    assert call.error.type == "ViciStateError"
    assert SECRET_VALUE not in path.read_text()
    assert "pw-99999" not in path.read_text()


async def test_files_rotate_by_size_keeping_keep_files_and_never_splitting_a_line(
    tmp_path: Path,
) -> None:
    core = Core(Clock(ClockMode.MANUAL, start=START))
    path = tmp_path / "events.jsonl"
    recording = _recording(path, max_bytes=1200, keep=3, batch=7)
    core.bus.subscribe(None, recording)
    await core.start()
    await recording.start()
    for number in range(60):
        core.fire("custom_event", {"n": number})
        if number % 10 == 0:
            await core.settle()
    await core.settle()
    await recording.stop()
    await core.stop()

    files = recorded_files(path)
    assert files == [tmp_path / "events.jsonl.2", tmp_path / "events.jsonl.1", path]
    assert not (tmp_path / "events.jsonl.3").exists()
    numbers = []
    for file in files:
        assert file.stat().st_size <= 1200
        lines, problems = _read(file)
        assert problems == []
        numbers += [line.data["n"] for line in lines if isinstance(line, RecordedEvent)]
    # The oldest lines went with the deleted files; what is kept is the newest, in order.
    assert numbers == list(range(60 - len(numbers), 60))
    assert recording.stats.rotations >= 3


async def test_an_unwritable_path_is_a_storage_error_and_nothing_is_taken_when_stopped(
    tmp_path: Path,
) -> None:
    (tmp_path / "a-directory").mkdir()
    recording = _recording(tmp_path / "a-directory")
    with pytest.raises(StorageError, match="a-directory cannot be written"):
        await recording.start()
    event = Event("custom_event", None, START, Context(Origin.SYSTEM))
    recording(event)
    assert recording.stats.dropped == 1


# -- the reader --------------------------------------------------------------------------------


def _event_text(data: Any, *, time: float = START, event_type: str = "custom_event") -> str:
    event = Event(event_type, data, time, Context(Origin.WEBHOOK))
    return encode(event_line(event, data))


def test_a_corrupt_line_is_named_by_file_and_line_and_the_others_stay(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    good = [_event_text({"n": n}) for n in range(4)]
    path.write_text(
        f"{good[0]}\n{good[1]}\n{{not json\n\n{good[2]}\n"
        '{"record": "event", "event_type": "Bad Type", "time_fired": 1, '
        '"context": {"id": "x", "origin": "poll"}}\n'
        '{"record": "event", "event_type": "ok", "time_fired": -1, '
        '"context": {"id": "x", "origin": "nowhere"}}\n'
        f"[1, 2]\n{good[3]}\n" + good[0][:30]
    )
    lines, problems = _read(path)
    assert [line.data["n"] for line in lines if isinstance(line, RecordedEvent)] == [0, 1, 2, 3]
    shown = [str(p) for p in problems]
    assert shown[0].startswith(f"{path}:3: not JSON")
    assert shown[1] == f"{path}:6: event_type: Value error, 'Bad Type' is no event type " + (
        "(lowercase letters, digits and _)"
    )
    assert shown[2].startswith(f"{path}:7: ")
    assert "(and 1 more)" in shown[2]
    assert shown[3] == f"{path}:8: expected a JSON object, found list"
    assert shown[4].startswith(f"{path}:10: not JSON")
    assert [p.last for p in problems] == [False, False, False, False, True]


def test_a_missing_or_unreadable_recording_is_a_recording_error(tmp_path: Path) -> None:
    with pytest.raises(RecordingError, match="no such recording"):
        list(read_lines(tmp_path / "nope.jsonl", []))
    with pytest.raises(RecordingError, match="is a directory"):
        list(read_lines(tmp_path, []))


def test_bytes_that_are_not_utf8_are_a_problem_of_their_line(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    path.write_bytes(_event_text(1).encode() + b"\n\xff\xfe\n")
    lines, problems = _read(path)
    assert len(lines) == 1
    assert [str(p) for p in problems] == [f"{path}:2: not UTF-8 text"]


@given(st.text(max_size=200))
def test_any_text_is_a_line_or_a_value_error(text: str) -> None:
    try:
        parse_line(text)
    except ValueError as exc:
        message = str(exc)
    else:
        return
    assert message


_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53), 2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@given(_JSON, st.floats(0, 4e9, allow_nan=False))
def test_an_event_line_reads_back_with_its_data_and_exact_time(data: Any, time: float) -> None:
    record = parse_line(_event_text(data, time=time))
    assert isinstance(record, RecordedEvent)
    assert record.data == data
    assert record.time_fired == time
    assert "\n" not in _event_text(data, time=time)


@pytest.mark.parametrize("time", [math.nan, math.inf, -5.0])
def test_a_time_that_is_no_time_is_refused(time: float) -> None:
    text = _event_text(None).replace(f'"time_fired":{START}', f'"time_fired":{json.dumps(time)}')
    with pytest.raises(ValueError, match="time_fired"):
        parse_line(text)


# -- storage.record ----------------------------------------------------------------------------


def _config(tmp_path: Path, record: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(f"storage:\n  path: {tmp_path / 'state'}\n  record: {record}\n")
    return path


def test_the_section_takes_sizes_in_units_and_places_the_file_in_the_state_directory(
    tmp_path: Path,
) -> None:
    document = load_document(_config(tmp_path, "{max_bytes: 10MiB, keep: 3}"), environ={})
    loaded = validate(document, [RECORD], environ={})
    config = loaded.section(RECORD)
    assert config == RecordConfig(max_bytes=10 * 1024 * 1024, keep=3)
    settings = config.settings(tmp_path / "state")
    assert settings.path == tmp_path / "state" / "recording.jsonl"
    absent = validate(load_document(_config(tmp_path, "null"), environ={}), [RECORD], environ={})
    assert absent.section(RECORD) is None


@pytest.mark.parametrize(
    ("record", "problem"),
    [
        ("{max_bytes: lots}", "max_bytes"),
        ("{max_bytes: 100}", "greater than or equal to 4096"),
        ("{keep: 0}", "keep"),
        ("{paht: x.jsonl}", "paht"),
    ],
)
def test_a_bad_section_is_a_config_error_at_its_line(
    tmp_path: Path, record: str, problem: str
) -> None:
    document = load_document(_config(tmp_path, record), environ={})
    with pytest.raises(ConfigError) as caught:
        validate(document, [RECORD], environ={})
    assert problem in str(caught.value)
    assert "config.yaml:3:" in str(caught.value)


@given(st.lists(st.binary(max_size=80) | st.sampled_from([b"{}", b"[]", b"null"]), max_size=8))
def test_any_bytes_read_as_good_lines_and_problems_never_an_exception(
    chunks: list[bytes],
) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "events.jsonl"
        good = _event_text({"n": 1}).encode()
        path.write_bytes(b"\n".join([good, *chunks, good]))
        problems: list[LineProblem] = []
        lines = list(read_lines(path, problems))
    assert len(lines) >= 1
    assert all(p.file == str(path) and p.line >= 1 and p.message for p in problems)
