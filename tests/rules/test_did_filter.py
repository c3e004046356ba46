"""DID filter requests answered by rules, through the real webhook receiver on loopback: by a
stop response, by a did_filter step, by the fallback when no rule answers in time, and with
no rule at all."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr

from integrations.vicidial.glue.sources import DidDecisions, WebhookHandoff
from integrations.vicidial.webhooks.config import ReceiverConfig
from integrations.vicidial.webhooks.receiver import create_receiver
from rules.records import Outcome
from tests.rules.conftest import Harness

TOKEN = "did-filter-test-token-0123456789"
ClientFactory = Callable[..., Awaitable[TestClient[Any, Any]]]
# Real seconds the receiver waits for the rules (its own timeout, not the engine clock's).
TIMEOUT = 0.2

KNOWN = """
- id: known_callers
  variables: {known: ["3125550101", "3125550102"]}
  triggers: {trigger: webhook, kind: did_filter}
  conditions: "{{ trigger.payload.did_pattern == '3125551000' }}"
  actions:
    - stop: decided
      response: {match: "{{ trigger.payload.phone_number in known }}"}
"""


class Receiver:
    def __init__(self, harness: Harness, client: TestClient[Any, Any]) -> None:
        self.harness = harness
        self.client = client

    async def ask(self, phone: str, did: str = "3125551000") -> str:
        query = {"token": TOKEN, "phone_number": phone, "did_pattern": did}
        answer = await self.client.get("/did_filter", params=query)
        assert answer.status == 200
        return await answer.text()


async def receiver_for(harness: Harness, aiohttp_client: ClientFactory, fallback: bool) -> Receiver:
    config = ReceiverConfig(
        tokens=(SecretStr(TOKEN),), did_filter_timeout=TIMEOUT, did_filter_fallback=fallback
    )
    decisions = DidDecisions(fallback)
    decisions.decider = harness.engine.did_decider(fallback)
    app = create_receiver(config, WebhookHandoff(harness.core), decisions)
    return Receiver(harness, await aiohttp_client(TestServer(app)))


@pytest.fixture
async def receiver(harness: Harness, aiohttp_client: ClientFactory) -> Receiver:
    return await receiver_for(harness, aiohttp_client, fallback=False)


async def test_a_rule_answers_match_for_known_callers(receiver: Receiver) -> None:
    harness = receiver.harness
    await harness.start(KNOWN)
    assert await receiver.ask("3125550101") == "1"
    assert await receiver.ask("3125559999") == "0"
    runs = harness.runs("known_callers")
    assert [r.response for r in runs] == [{"match": True}, {"match": False}]
    # The run's event is the one on the bus: the request's own, back to the webhook.
    assert all(r.event_context.origin.value == "webhook" for r in runs)


async def test_a_did_filter_step_answers_and_the_run_goes_on(receiver: Receiver) -> None:
    harness = receiver.harness
    await harness.start(
        """
        - id: route
          triggers: {trigger: webhook, kind: did_filter}
          actions:
            - did_filter: {match: "{{ is_state('campaign.TESTCAMP', 'ACTIVE') }}"}
            - delay: 60
            - action: notify.log
              data: {message: "answered {{ trigger.payload.phone_number }}"}
        """
    )
    await harness.change("campaign.TESTCAMP", "ACTIVE")
    assert await receiver.ask("3125550101") == "1"
    await harness.advance(60)
    assert [p.message for p in harness.calls.of("notify.log")] == ["answered 3125550101"]  # type: ignore[attr-defined]


async def test_the_first_answering_rule_wins(receiver: Receiver) -> None:
    harness = receiver.harness
    await harness.start(
        KNOWN
        + """
- id: slow_no
  triggers: {trigger: webhook, kind: did_filter}
  actions:
    - delay: 1
    - did_filter: false
- id: silent
  triggers: {trigger: webhook, kind: did_filter}
  actions: [{action: notify.log, data: {message: seen}}]
"""
    )
    assert await receiver.ask("3125550101") == "1"


async def test_no_answer_in_time_is_the_fallback(
    harness: Harness, aiohttp_client: ClientFactory
) -> None:
    receiver = await receiver_for(harness, aiohttp_client, fallback=True)
    await harness.start(
        """
        - id: slow
          triggers: {trigger: webhook, kind: did_filter}
          actions:
            - delay: 5
            - stop: late
              response: {match: false}
        """
    )
    # The run waits on the manual clock, which does not move: the receiver's timeout passes.
    assert await receiver.ask("3125550101") == "1"
    await harness.advance(5)
    (run,) = harness.runs("slow")
    assert (run.outcome, run.response) == (Outcome.STOPPED, {"match": False})


async def test_without_an_answering_run_the_fallback_answers_at_once(receiver: Receiver) -> None:
    harness = receiver.harness
    await harness.start(KNOWN)
    # Another DID: the conditions fail, no run starts, no waiting for the timeout.
    assert await receiver.ask("3125550101", did="8005550000") == "0"
    await harness.reload(
        """
        - id: log_only
          triggers: {trigger: webhook, kind: did_filter}
          actions: [{action: notify.log, data: {message: seen}}]
        """
    )
    assert await receiver.ask("3125550101") == "0"
    assert len(harness.runs("log_only")) == 1


async def test_with_no_rule_on_did_filters_the_fallback_answers(
    harness: Harness, aiohttp_client: ClientFactory
) -> None:
    receiver = await receiver_for(harness, aiohttp_client, fallback=True)
    await harness.start(
        """
        - id: unrelated
          triggers: {trigger: webhook, kind: pause_max}
          actions: [{delay: 1}]
        """
    )
    assert await receiver.ask("3125550101") == "1"
