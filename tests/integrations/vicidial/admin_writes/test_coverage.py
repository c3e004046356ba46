"""Every non-agent fixture is replayed by some test with a hand-written expectation.

The replay tests keep their expectations in tables keyed ``function/case``: ``EXPECTED`` in
each module here, and part 1's ``EXPECTED``/``REFUSED`` in ``admin/test_fixtures.py``. A few
fixtures are replayed by a test of their own; they are named in ``ELSEWHERE`` with the test.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import pytest

from integrations.vicidial.admin import ViciAdmin
from integrations.vicidial.client import read_answer
from integrations.vicidial.errors import ViciValidationError
from tests.integrations.vicidial import admin_writes
from tests.integrations.vicidial.admin import test_fixtures as part_one
from tests.integrations.vicidial.admin_writes.harness import admin_fixture
from tests.integrations.vicidial.replay import PASSWORD, load_fixtures

# Fixtures replayed outside the tables, and where.
ELSEWHERE = {
    "hopper_bulk_insert/already_in_hopper": "test_batch.test_hopper_bulk_insert_fixture",
    "_none_/err_no_function": "test_coverage.test_requests_without_a_known_function",
    "no_such_function/err_unknown_function": "test_coverage.test_requests_without_a_known_function",
}


def replayed_keys() -> dict[str, str]:
    """Each fixture key a replay table holds, with the module holding it."""
    keys: dict[str, str] = {}
    for info in pkgutil.iter_modules(admin_writes.__path__):
        if not info.name.startswith("test_"):
            continue
        module = importlib.import_module(f"{admin_writes.__name__}.{info.name}")
        table: dict[str, Any] = getattr(module, "EXPECTED", {})
        keys.update(dict.fromkeys(table, info.name))
    for key in (*part_one.EXPECTED, *part_one.REFUSED):
        keys[key] = "admin.test_fixtures"
    keys.update(ELSEWHERE)
    return keys


def test_every_non_agent_fixture_is_replayed() -> None:
    captured = {item.key for item in load_fixtures("non_agent")}
    missing = sorted(captured - set(replayed_keys()))
    assert missing == [], f"non-agent fixtures no replay test covers: {missing}"


def test_every_table_key_names_a_non_agent_fixture() -> None:
    unknown = []
    for key in replayed_keys():
        try:
            admin_fixture(key)
        except KeyError:
            unknown.append(key)
    assert unknown == []


@pytest.mark.parametrize("key", ["_none_/err_no_function", "no_such_function/err_unknown_function"])
async def test_requests_without_a_known_function(key: str) -> None:
    item = admin_fixture(key)
    # The client never sends such a request: an unknown name is refused before sending.
    async with ViciAdmin("http://127.0.0.1:9", "6666", PASSWORD) as admin:
        with pytest.raises(ViciValidationError) as refused:
            await admin.call("no_such_function")
    assert refused.value.sent is False
    assert "unknown admin API function 'no_such_function'" in str(refused.value)
    # What the server answers to one (with or without a function name) reads as typed.
    with pytest.raises(ViciValidationError) as answered:
        read_answer(item.function, item.text)
    assert answered.value.reason == "NO FUNCTION SPECIFIED"
    assert answered.value.details == ()
