"""Replaying the write functions' fixtures and checking hand-written expectations."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from integrations.vicidial.admin import ViciAdmin
from integrations.vicidial.client import parse_answer
from integrations.vicidial.errors import ViciError, ViciValidationError
from integrations.vicidial.redact import redact_body
from tests.integrations.vicidial.replay import (
    PASSWORD,
    Fixture,
    ServerFactory,
    call_params,
    client_for,
    load_fixtures,
    serve,
)


@dataclass(frozen=True)
class Ok:
    """Result fields with their exact typed values, and each outcome line's (model, reason)."""

    fields: dict[str, Any] = field(default_factory=dict)
    outcomes: tuple[tuple[str, str], ...] = ()
    outcome_fields: dict[int, dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class Err:
    cls: type[ViciError]
    reason: str
    details: tuple[str, ...] = ()
    # Reasons of the outcome lines printed before the ERROR (work already done).
    done: tuple[str, ...] = ()


@dataclass(frozen=True)
class Local:
    """Refused by the client before sending; ``problem`` is part of the message. ``body``
    is what the captured answer must still read as (the server was sent it anyway)."""

    problem: str
    body: Err | None = None


def admin_fixture(key: str) -> Fixture:
    """A non-agent fixture by ``function/case``: some keys (version/basic_POST) exist in both
    APIs, and the agent one must never answer for the admin client."""
    for item in load_fixtures("non_agent"):
        if item.key == key:
            return item
    raise KeyError(key)


def admin_for(url: str, item: Fixture) -> ViciAdmin:
    return client_for(ViciAdmin, url, item)


def check_result(result: Any, expected: Ok) -> None:
    for name, value in expected.fields.items():
        got = getattr(result, name)
        assert got == value, name
        assert type(got) is type(value), name
    if expected.outcomes:
        got_outcomes = tuple((type(o).__name__, o.reason) for o in result.outcomes)
        assert got_outcomes == expected.outcomes
    for index, values in expected.outcome_fields.items():
        outcome = result.outcomes[index]
        for name, value in values.items():
            assert getattr(outcome, name) == value, (index, name)
            assert type(getattr(outcome, name)) is type(value), (index, name)


def check_error(error: ViciError, expected: Err, item: Fixture) -> None:
    assert type(error) is expected.cls
    assert error.reason == expected.reason
    assert error.details == expected.details
    assert tuple(o.reason for o in error.outcomes) == expected.done
    assert error.function == item.function
    assert error.raw == redact_body(item.text, PASSWORD)


async def check_fixture(aiohttp_server: ServerFactory, key: str, expected: Ok | Err | Local) -> Any:
    item = admin_fixture(key)
    url = await serve(aiohttp_server, item)
    async with admin_for(url, item) as admin:
        if isinstance(expected, Local):
            with pytest.raises(ViciValidationError) as refused:
                await admin.call(item.function, **call_params(item))
            assert refused.value.sent is False
            assert expected.problem in str(refused.value)
            if expected.body is not None:
                spec = admin.registry.get(item.function)
                assert spec is not None
                with pytest.raises(ViciError) as raised:
                    parse_answer(spec, spec.params.model_construct(), item.text)
                check_error(raised.value, expected.body, item)
            return None
        if isinstance(expected, Err):
            with pytest.raises(ViciError) as raised:
                await admin.call(item.function, **call_params(item))
            check_error(raised.value, expected, item)
            return raised.value
        result = await admin.call(item.function, **call_params(item))
        check_result(result, expected)
        return result
