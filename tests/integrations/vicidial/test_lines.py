"""Reading bodies into lines, result lines and typed errors."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from integrations.vicidial.agent.functions import AGENT_FUNCTIONS
from integrations.vicidial.client import parse_answer
from integrations.vicidial.errors import (
    ViciError,
    ViciNotFoundError,
    ViciValidationError,
)
from integrations.vicidial.lines import (
    LineKind,
    classify,
    parse_result_line,
    read_reply,
    split_lines,
)
from integrations.vicidial.transport import decode_body


@pytest.mark.parametrize(
    ("body", "lines"),
    [
        ("SUCCESS: x - 1\n", ["SUCCESS: x - 1"]),
        ("SUCCESS: calls_in_queue_count - 1", ["SUCCESS: calls_in_queue_count - 1"]),
        ("a\r\nb\r\n", ["a", "b"]),
        ("", []),
        ("\n\n", []),
    ],
)
def test_split_lines_with_or_without_final_newline(body: str, lines: list[str]) -> None:
    assert split_lines(body) == lines


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("SUCCESS: a - b", LineKind.SUCCESS),
        ("NOTICE: a - b", LineKind.NOTICE),
        ("ERROR: a - b", LineKind.ERROR),
        ("VERSION: 2.14-82|BUILD: 250122-1010", LineKind.VERSION),
        ("<PRE>Webserver Data:", LineKind.HTML),
        ("</BODY>", LineKind.HTML),
        ("<!DOCTYPE html>", LineKind.HTML),
        ("1001|READY|TESTCAMP", LineKind.DATA),
        ("https://127.0.0.1/agc/viciphone/viciphone.php", LineKind.DATA),
        ("3 < 4", LineKind.DATA),
    ],
)
def test_classify(line: str, kind: LineKind) -> None:
    assert classify(line) is kind


def test_result_line_keeps_empty_fields() -> None:
    line = parse_result_line("ERROR: auth USER DOES NOT HAVE PERMISSION: |6666|1001")
    assert line.reason == "auth USER DOES NOT HAVE PERMISSION"
    assert line.data == ("", "6666", "1001")


def test_result_line_splits_at_the_earliest_separator() -> None:
    line = parse_result_line("SUCCESS: update_alt_url URL UPDATED - 6666|NEW URL ID: 2|x - y")
    assert line.reason == "update_alt_url URL UPDATED"
    assert line.data == ("6666", "NEW URL ID: 2", "x - y")
    colon = parse_result_line("ERROR: add_user USER ALREADY EXISTS: |6666|1001")
    assert colon.reason == "add_user USER ALREADY EXISTS"
    assert colon.data == ("", "6666", "1001")


def test_result_line_without_data() -> None:
    line = parse_result_line("ERROR: NO FUNCTION SPECIFIED")
    assert (line.kind, line.reason, line.data) == (LineKind.ERROR, "NO FUNCTION SPECIFIED", ())
    trailing = parse_result_line("ERROR: Invalid Source - ")
    assert (trailing.reason, trailing.data) == ("Invalid Source", ())


def test_notice_lines_come_back_with_the_result() -> None:
    reply = read_reply(
        "audio_playback",
        "NOTICE: audio_playback previous playback stopped - PLAY|Y|1005\n"
        "SUCCESS: audio_playback function sent - ss-noservice|PLAY|1005\n",
    )
    assert [o.kind for o in reply.outcomes] == [LineKind.NOTICE, LineKind.SUCCESS]
    assert reply.last.data == ("ss-noservice", "PLAY", "1005")


def test_error_after_work_carries_the_outcomes() -> None:
    body = (
        "NOTICE: hopper_bulk_insert NOT ADDED TO HOPPER, LEAD IS ALREADY IN THE HOPPER - 15\n"
        "NOTICE: hopper_bulk_insert NOT ADDED TO HOPPER, LEAD NOT FOUND - 999999\n"
        "ERROR: hopper_bulk_insert NO LEADS HAVE BEEN INSERTED INTO THE HOPPER - 1|1|6666\n"
    )
    with pytest.raises(ViciError) as raised:
        read_reply("hopper_bulk_insert", body)
    assert [o.data for o in raised.value.outcomes] == [("15",), ("999999",)]
    assert raised.value.raw == body


def test_first_error_decides() -> None:
    body = "ERROR: no user found - 999999\nERROR: agent_user is not logged in - \n"
    with pytest.raises(ViciNotFoundError) as raised:
        read_reply("external_hangup", body)
    assert raised.value.details == ("999999",)
    assert raised.value.outcomes == ()


def test_no_updates_defined_after_an_outcome_is_a_warning() -> None:
    body = (
        "NOTICE: update_user USER CAMPAIGN RANKS/GRADES HAVE BEEN UPDATED - 6666|1010|3|4\n"
        "ERROR: update_user NO UPDATES DEFINED: |6666|\n"
    )
    reply = read_reply("update_user", body)
    assert [w.reason for w in reply.warnings] == ["update_user NO UPDATES DEFINED"]
    assert reply.last.data == ("6666", "1010", "3", "4")


def test_no_updates_defined_alone_is_an_error() -> None:
    with pytest.raises(ViciValidationError):
        read_reply("update_user", "ERROR: update_user NO UPDATES DEFINED: |6666|\n")


def test_latin1_bodies_are_decoded_not_refused() -> None:
    assert decode_body("SUCCESS: x - Müller".encode("latin-1")) == "SUCCESS: x - Müller"
    assert decode_body("SUCCESS: x - Müller".encode()) == "SUCCESS: x - Müller"


SPECS = list(AGENT_FUNCTIONS)


@given(data=st.binary(max_size=400), index=st.integers(0, len(SPECS) - 1))
def test_arbitrary_bodies_raise_only_vici_errors(data: bytes, index: int) -> None:
    spec = SPECS[index]
    with contextlib.suppress(ViciError):
        parse_answer(spec, spec.params.model_construct(), decode_body(data))


LINE_START = st.sampled_from(["SUCCESS: ", "NOTICE: ", "ERROR: ", "VERSION: ", "<", ""])
FIELD = st.text(alphabet=st.characters(blacklist_characters="\n"), max_size=12)


@given(
    starts=st.lists(LINE_START, min_size=1, max_size=4),
    fields=st.lists(st.lists(FIELD, max_size=8), min_size=4, max_size=4),
    separator=st.sampled_from([" - ", ": ", "|", " "]),
    index=st.integers(0, len(SPECS) - 1),
)
def test_line_shaped_bodies_raise_only_vici_errors(
    starts: list[str], fields: list[list[str]], separator: str, index: int
) -> None:
    body = "\n".join(start + separator.join(f) for start, f in zip(starts, fields, strict=False))
    spec = SPECS[index]
    with contextlib.suppress(ViciError):
        parse_answer(spec, spec.params.model_construct(), body)
