"""Error classification: every ERROR message both APIs of ViciDial 2.14 can print.

tests/fixtures/vicidial/messages.json lists each message template of both APIs (the data the
server fills in as ``{name}``) and, for ERROR lines, the class chosen for it; docs/errors.md
gives the policy. Each line is built as the server prints it and read by the client.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from integrations.vicidial import (
    ViciAuthError,
    ViciError,
    ViciNotFoundError,
    ViciPermissionError,
    ViciStateError,
    ViciValidationError,
)
from integrations.vicidial.classify import classify_error
from integrations.vicidial.lines import LineKind, read_reply
from tests.integrations.vicidial.replay import FIXTURES, load_fixtures

CLASSES: dict[str, type[ViciError]] = {
    cls.__name__: cls
    for cls in (
        ViciAuthError,
        ViciPermissionError,
        ViciNotFoundError,
        ViciStateError,
        ViciValidationError,
    )
}
MESSAGES: list[dict[str, Any]] = json.loads((FIXTURES / "messages.json").read_text())
ERRORS = [message for message in MESSAGES if message["kind"] == "ERROR"]
_PLACEHOLDER = re.compile(r"\{([^}]*)\}")


def template_of(message: dict[str, Any]) -> str:
    """The row's template with its fixed values in (a value may hold a placeholder itself)."""
    values: dict[str, str] = message.get("values", {})
    return _PLACEHOLDER.sub(lambda m: values.get(m[1], m[0]), message["template"])


def line_of(message: dict[str, Any], fill: str = "1001") -> str:
    return f"{message['kind']}: " + _PLACEHOLDER.sub(fill, template_of(message))


def name_of(message: dict[str, Any]) -> str:
    return f"{message['api']}:{message['function']}:{message['template'][:50]}"


def test_the_table_holds_every_template_of_the_sheet() -> None:
    templates = {(m["api"], m["function"], m["template"]) for m in ERRORS}
    assert len(templates) == 749  # the sheet's 183 agent and 566 non-agent ERROR templates
    assert Counter(m["kind"] for m in MESSAGES) == {"ERROR": 753, "NOTICE": 93, "SUCCESS": 73}
    assert {m["class"] for m in ERRORS} <= set(CLASSES)  # never the base class


@pytest.mark.parametrize("message", ERRORS, ids=name_of)
def test_every_error_template_gets_its_class(message: dict[str, Any]) -> None:
    cls = CLASSES[message["class"]]
    line = line_of(message)
    assert classify_error(line) is cls
    with pytest.raises(ViciError) as raised:
        read_reply(message["function"], line + "\n")
    assert type(raised.value) is cls
    assert raised.value.function == message["function"]


@pytest.mark.parametrize("message", [m for m in MESSAGES if m["kind"] != "ERROR"], ids=name_of)
def test_notice_and_success_templates_are_outcomes(message: dict[str, Any]) -> None:
    reply = read_reply(message["function"], line_of(message) + "\n")
    assert [line.kind for line in reply.outcomes] == [LineKind(message["kind"])]


_WORD = st.from_regex(r"[A-Za-z0-9_]{0,12}", fullmatch=True)
_DATA = st.text(st.characters(blacklist_characters="|\r\n"), max_size=40)


@given(message=st.sampled_from(ERRORS), data=st.data())
def test_data_fields_never_decide_the_class(message: dict[str, Any], data: st.DataObject) -> None:
    # Before the first pipe the data is an id or a name; after it, any text at all.
    head, pipe, fields = template_of(message).partition("|")
    head = _PLACEHOLDER.sub(lambda _: data.draw(_WORD), head)
    fields = _PLACEHOLDER.sub(lambda _: data.draw(_DATA), fields)
    line = f"ERROR: {head}{pipe}{fields}"
    assert classify_error(line) is CLASSES[message["class"]], line


def _pattern(message: dict[str, Any]) -> re.Pattern[str]:
    parts = _PLACEHOLDER.split(template_of(message))[::2]
    return re.compile("ERROR: " + "(.*?)".join(map(re.escape, parts)) + r"\s*$", re.S)


PATTERNS = [(message, _pattern(message)) for message in ERRORS]


def test_every_captured_error_line_is_a_template_with_its_class() -> None:
    for item in load_fixtures():
        for line in item.text.splitlines():
            if not line.startswith("ERROR:"):
                continue
            found = {
                message["class"]
                for message, pattern in PATTERNS
                if message["api"] == item.api
                and message["function"] in (item.function, "(common)")
                and pattern.match(line)
            }
            assert found == {classify_error(line).__name__}, line


# The messages the issue names, the login verdicts, and one no 2.14 server prints.
CLASSIFIED = [
    ("ERROR: Invalid Username/Password: |1001|x|1|0|GOOD|", ViciPermissionError),
    ("ERROR: Invalid Username/Password: |6668|x|0|1|LOCK|", ViciAuthError),
    ("ERROR: Invalid Username/Password: |6666|x|0|1|IPBLOCK|", ViciPermissionError),
    ("ERROR: Invalid Username/Password: |6666|x|0|1|ERRSERVERS|", ViciStateError),
    # A user named like a verdict is not one.
    ("ERROR: Invalid Username/Password: |GOOD|x|0|0|BAD|0|api|SELECT 1;|", ViciAuthError),
    ("ERROR: Login incorrect, please try again: |1001|x|BAD|", ViciAuthError),
    ("ERROR: Too many login attempts, try again in 15 minutes: |6668|LOCK|", ViciAuthError),
    ("ERROR: Your IP Address is not allowed: 10.0.0.1: |6666|IPBLOCK|", ViciPermissionError),
    ("ERROR: add_lead NOT AN ALLOWED LIST ID - 3125550110|999", ViciPermissionError),
    (
        "ERROR: add_lead NOT A DEFINED LIST ID, LIST EXISTS CHECK ENABLED - 3125550110|999",
        ViciNotFoundError,
    ),
    ("ERROR: agent_status AGENT NOT LOGGED IN: 6666|1099", ViciNotFoundError),
    ("ERROR: batch_update_lead NO LEADS DEFINED - 6666|", ViciValidationError),
    (
        "ERROR: update_cid_group_entry YOU MUST DEFINE AN AREACODE WHEN ADDING AND ENTRY: "
        "|6666|CIDG|---ALL---",
        ViciValidationError,
    ),
    (
        "ERROR: update_campaign LIST ORDER IS NOT A VALID LENGTH, THIS IS AN OPTIONAL FIELD: "
        "|6666|D",
        ViciValidationError,
    ),
    (
        "ERROR: no matching recipient found in users, user_groups, or campaigns - NOBODY",
        ViciNotFoundError,
    ),
    (
        "ERROR: preview dialing not allowed on this campaign - 1001|TESTCAMP|DISABLED",
        ViciPermissionError,
    ),
    ("ERROR: Agent API Notifications are disabled on this system - 0", ViciPermissionError),
    ("ERROR: lead insertion failed - 3125550110|TESTCAMP|101|1001", ViciStateError),
    ("ERROR: something nobody has seen - 1", ViciError),
]


@pytest.mark.parametrize(("line", "cls"), CLASSIFIED)
def test_classification(line: str, cls: type[ViciError]) -> None:
    assert classify_error(line) is cls


def test_classification_is_case_insensitive() -> None:
    assert classify_error("error: agent_user IS NOT LOGGED IN - 1") is ViciNotFoundError
