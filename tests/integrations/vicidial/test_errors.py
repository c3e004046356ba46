"""Error classification and password redaction."""

from __future__ import annotations

import pytest

from integrations.vicidial import (
    ViciAuthError,
    ViciError,
    ViciNotFoundError,
    ViciPermissionError,
    ViciStateError,
    ViciValidationError,
)
from integrations.vicidial.errors import classify_error
from tests.integrations.vicidial.replay import load_fixtures

# Messages the issue names and the non-agent API prints; the agent fixtures are covered
# line by line in agent/test_fixtures.py.
CLASSIFIED = [
    ("ERROR: Invalid Username/Password: |1001|x|1|0|GOOD|", ViciPermissionError),
    ("ERROR: Invalid Username/Password: |6668|x|0|1|LOCK|", ViciAuthError),
    ("ERROR: Login incorrect, please try again: |1001|x|BAD|", ViciAuthError),
    ("ERROR: Too many login attempts, try again in 15 minutes: |6668|LOCK|", ViciAuthError),
    (
        "ERROR: auth USER DOES NOT HAVE PERMISSION TO USE THIS FUNCTION: |6667|add_lead|",
        ViciPermissionError,
    ),
    ("ERROR: user_group_status NO VIEWABLE GROUPS: 6666|", ViciPermissionError),
    ("ERROR: Your IP Address is not allowed: 10.0.0.1", ViciPermissionError),
    ("ERROR: add_list CAMPAIGN DOES NOT EXIST: |6666|TESTCIMP", ViciNotFoundError),
    ("ERROR: lead_search NO MATCHES FOUND IN THE SYSTEM: |6666|||9998887777", ViciNotFoundError),
    ("ERROR: user_details USER NOT FOUND: 6666|9999", ViciNotFoundError),
    ("ERROR: lead_search NO VALID SEARCH METHOD - 6666|PHONE_NUMBER", ViciValidationError),
    ("ERROR: NO FUNCTION SPECIFIED", ViciValidationError),
    ("ERROR: add_user USER ALREADY EXISTS: |6666|1001", ViciValidationError),
    (
        "ERROR: add_lead DUPLICATE PHONE NUMBER IN LIST - 3125550110|101|10|PHONE",
        ViciValidationError,
    ),
    ("ERROR: add_phone YOU MUST USE A VALID TIMEZONE: |6666|-5.25", ViciValidationError),
    (
        "ERROR: update_remote_agent STATUS MUST BE ACTIVE OR INACTIVE, THIS IS AN OPTIONAL FIELD:",
        ViciValidationError,
    ),
    ("ERROR: update_user NO UPDATES DEFINED: |6666|", ViciValidationError),
    ("ERROR: webphone_url error - no session data - 6666", ViciStateError),
    ("ERROR: something nobody has seen - 1", ViciError),
]


@pytest.mark.parametrize(("line", "cls"), CLASSIFIED)
def test_classification(line: str, cls: type[ViciError]) -> None:
    assert classify_error(line) is cls


def test_classification_is_case_insensitive() -> None:
    assert classify_error("error: agent_user IS NOT LOGGED IN - 1") is ViciNotFoundError


def test_every_captured_error_line_is_classified() -> None:
    for item in load_fixtures():
        for line in item.text.splitlines():
            if line.startswith("ERROR:"):
                assert classify_error(line) is not ViciError, line
