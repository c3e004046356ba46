"""Fidelity of shape: every captured request (all of tests/fixtures/vicidial), answered by a
fresh simulated dialer, has the captured answer's shape.

Each request goes to its own fresh call center built from the fixtures scenario, after the
requests the capture session had sent before it where the capture depends on them
(``capture_sequence.BEFORE``: a user added before it is updated, a DID before it is
copied, ...). The answer is compared with the captured body line by line: the same first
word, the same reason text and separator (``: `` or `` - ``) with digits normalised, the
same number of fields; the same HTTP status and the same final newline or none.

The responders are called in-process (the HTTP layer adds nothing to a shape), which keeps
341 fresh dialers to a few seconds; test_fidelity.py sends every fixture through real HTTP
and compares bytes.
"""

from __future__ import annotations

import re

import pytest

from integrations.vicidial.lines import LineKind, classify, split_lines
from integrations.vicidial.simulator import admin_api, agent_api
from tests.integrations.vicidial.replay import Fixture, load_fixtures
from tests.integrations.vicidial.simulator.capture_sequence import prepare
from tests.integrations.vicidial.simulator.conftest import fixture_center

# fixture key -> why the simulator's answer may differ in shape. An exception that starts
# matching fails the test, so the list stays honest. (None today.)
EXCEPTIONS: dict[str, str] = {}

_SEPARATOR = re.compile(r" - |: | -$|:$")
_DIGITS = re.compile(r"\d+")
_RESULT_KINDS = (LineKind.SUCCESS, LineKind.NOTICE, LineKind.ERROR)

Shape = tuple[int, bool, tuple[tuple[str, str, str, int], ...]]


def _delimiter(params: dict[str, str]) -> str:
    return {"csv": ",", "tab": "\t"}.get(params.get("stage", "").lower(), "|")


def _first_word(line: str) -> str:
    return _DIGITS.sub("#", re.split(r"[\s|,]", line, maxsplit=1)[0])


def line_shape(line: str, delimiter: str) -> tuple[str, str, str, int]:
    """First word, reason, separator and number of fields (digits normalised)."""
    kind = classify(line)
    if kind not in _RESULT_KINDS:
        return (_first_word(line), "", "", len(line.split(delimiter)))
    rest = line[len(kind.value) + 1 :].lstrip(" ")
    found = _SEPARATOR.search(rest)
    if found is None:
        return (_first_word(line), _DIGITS.sub("#", rest.strip()), "", 0)
    data = rest[found.end() :]
    reason = _DIGITS.sub("#", rest[: found.start()].strip())
    return (_first_word(line), reason, found.group(), len(data.split("|")) if data else 0)


def shape(status: int, body: str, params: dict[str, str]) -> Shape:
    delimiter = _delimiter(params)
    lines = tuple(line_shape(line, delimiter) for line in split_lines(body))
    return status, body.endswith("\n"), lines


def answered(item: Fixture) -> Shape:
    center = fixture_center()
    prepare(center, item.key)
    respond = agent_api.answer if item.api == "agent" else admin_api.answer
    answer = respond(center, item.expected_params())
    return shape(answer.status, answer.body, item.params)


FIXTURES = load_fixtures()


def test_every_capture_is_replayed() -> None:
    assert len(FIXTURES) == 341
    assert set(EXCEPTIONS) <= {f.key for f in FIXTURES}


@pytest.mark.parametrize("item", FIXTURES, ids=lambda f: f"{f.api}:{f.key}")
def test_the_answer_has_the_captured_shape(item: Fixture) -> None:
    got = answered(item)
    captured = shape(item.http_status, item.text, item.params)
    if item.key in EXCEPTIONS:
        assert got != captured, f"{item.key} now has the captured shape: drop it from EXCEPTIONS"
        return
    assert got == captured


def test_the_shape_tells_separators_and_fields_apart() -> None:
    # What this test exists to catch, shown on the example the real server gives.
    real = shape(200, "ERROR: agent_status AGENT NOT FOUND: 6666|9999\n", {})
    dash = shape(200, "ERROR: agent_status AGENT NOT FOUND - 6666|9999\n", {})
    extra = shape(200, "ERROR: agent_status AGENT NOT FOUND: 6666|9999|\n", {})
    unended = shape(200, "ERROR: agent_status AGENT NOT FOUND: 6666|9999", {})
    assert len({real, dash, extra, unended}) == 4
    assert real == shape(200, "ERROR: agent_status AGENT NOT FOUND: 7777|1234\n", {})
