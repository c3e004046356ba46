"""Every captured agent-API answer, replayed from a loopback server that checks the request."""

from __future__ import annotations

from typing import Any

import pytest

from integrations.vicidial import ViciAgent, ViciError, ViciProtocolError, ViciValidationError
from integrations.vicidial.agent.functions import AGENT_FUNCTIONS
from integrations.vicidial.client import parse_answer, read_answer
from integrations.vicidial.redact import redact_body
from integrations.vicidial.transport import Transport
from tests.integrations.vicidial.agent.expectations import EXPECTED, Err, Ok
from tests.integrations.vicidial.replay import (
    PASSWORD,
    Fixture,
    ServerFactory,
    call_params,
    client_for,
    load_fixtures,
    serve,
)

AGENT = load_fixtures("agent")


def client(url: str, item: Fixture) -> ViciAgent:
    return client_for(ViciAgent, url, item)


async def raw_exchange(url: str, item: Fixture) -> Any:
    """Send the fixture's exact parameters, bypassing every client-side check."""
    function = item.params.get("function", "")
    async with Transport(retries=0) as transport:
        answer = await transport.send(
            url + item.path,
            item.expected_params(),
            function=function,
            method="POST" if item.method == "POST" else "GET",
            timeout=5,
            reads=False,
        )
    raw = redact_body(answer.body, PASSWORD)
    spec = AGENT_FUNCTIONS.get(function)
    if spec is None:
        return read_answer(function, raw)
    return parse_answer(spec, spec.params.model_construct(), raw)


def check_error(error: ViciError, expected: Err, item: Fixture) -> None:
    assert type(error) is expected.cls
    if expected.cls is ViciProtocolError:
        assert error.reason.startswith(expected.reason)
    else:
        assert error.reason == expected.reason
        assert error.details == expected.details
    assert error.function == item.params.get("function", "")
    assert error.sent is True
    assert error.raw == redact_body(item.text, PASSWORD)


def check_result(result: Any, expected: Ok) -> None:
    for name, value in expected.fields.items():
        got = getattr(result, name)
        assert got == value, name
        assert type(got) is type(value), name
    if expected.message is not None:
        assert result.message == expected.message
    assert tuple(n.reason for n in result.notices) == expected.notices


@pytest.mark.parametrize("item", AGENT, ids=lambda f: f.key)
async def test_fixture(aiohttp_server: ServerFactory, item: Fixture) -> None:
    expected = EXPECTED[item.key]
    url = await serve(aiohttp_server, item)
    if isinstance(expected, Err) and expected.local:
        await check_refused_locally(url, item)
        with pytest.raises(ViciError) as raised:
            await raw_exchange(url, item)
        check_error(raised.value, expected, item)
        return
    async with client(url, item) as agent:
        if isinstance(expected, Err):
            with pytest.raises(ViciError) as raised:
                await agent.call(item.function, **call_params(item))
            check_error(raised.value, expected, item)
        else:
            check_result(await agent.call(item.function, **call_params(item)), expected)


async def check_refused_locally(url: str, item: Fixture) -> None:
    if "source" not in item.params:
        with pytest.raises(ViciValidationError) as raised:
            ViciAgent(url, "6666", PASSWORD, source="")
        assert raised.value.sent is False
        return
    async with client(url, item) as agent:
        if item.key == "external_hangup/err_missing_value":
            # 1 is the only valid value, so the client sends it rather than nothing.
            _, model = agent.build(item.function, call_params(item))
            assert model.to_wire()["value"] == "1"
            return
        with pytest.raises(ViciValidationError) as raised:
            await agent.call(item.params.get("function", ""), **call_params(item))
        assert raised.value.sent is False
        assert str(raised.value)
