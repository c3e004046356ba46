from __future__ import annotations

from typing import Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field, SecretStr

from engine.context import Context, Origin
from engine.errors import ServiceNotFoundError, ServiceValidationError
from engine.services import Service, ServiceCall, ServiceRegistry


class NotifyParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    recipient: str
    recipient_type: Literal["USER", "CAMPAIGN", "USER_GROUP"]
    notification_text: str = Field(max_length=200)
    password: SecretStr | None = Field(default=None, alias="pass")


class Sent(BaseModel):
    notification_id: int


calls: list[tuple[NotifyParams, ServiceCall]] = []


async def handler(params: NotifyParams, call: ServiceCall) -> Sent:
    calls.append((params, call))
    return Sent(notification_id=len(calls))


@pytest.fixture
def registry() -> ServiceRegistry:
    registry = ServiceRegistry()
    registry.register(
        Service(
            "vicidial.agent.send_notification",
            NotifyParams,
            handler,
            description="Show a notification on the agent screen",
            result=Sent,
        )
    )
    return registry


async def test_a_call_validates_then_reaches_the_handler_with_its_context(
    registry: ServiceRegistry,
) -> None:
    ctx = Context(Origin.RULE)
    result = await registry.call(
        "vicidial.agent.send_notification",
        {"recipient": "1001", "recipient_type": "USER", "notification_text": "hi"},
        context=ctx,
        caller="rule:pause_max",
    )
    assert result == Sent(notification_id=len(calls))
    params, call = calls[-1]
    assert params.recipient_type == "USER"
    assert (call.service, call.context, call.caller) == (
        "vicidial.agent.send_notification",
        ctx,
        "rule:pause_max",
    )


async def test_unknown_service_and_parameter_say_did_you_mean(registry: ServiceRegistry) -> None:
    with pytest.raises(
        ServiceNotFoundError, match=r"did you mean 'vicidial\.agent\.send_notification'"
    ):
        registry.get("vicidial.agent.send_notifcation")
    with pytest.raises(ServiceValidationError) as caught:
        await registry.call(
            "vicidial.agent.send_notification",
            {"recipient": "1001", "recipient_typ": "USER", "notification_text": "x"},
            context=Context(Origin.API),
        )
    assert str(caught.value) == (
        "vicidial.agent.send_notification: recipient_typ: unknown parameter; "
        "did you mean 'recipient_type'?"
    )
    assert caught.value.problems[0].field == "recipient_typ"


def test_a_wrong_value_names_the_field_and_never_echoes_it(registry: ServiceRegistry) -> None:
    with pytest.raises(ServiceValidationError) as caught:
        registry.validate(
            "vicidial.agent.send_notification",
            {
                "recipient": "1001",
                "recipient_type": "USR",
                "notification_text": "Secret-Text-" * 30,
                "pass": "Hunter2-Password",
            },
        )
    text = str(caught.value)
    assert "recipient_type: Input should be 'USER', 'CAMPAIGN' or 'USER_GROUP'" in text
    assert "notification_text: String should have at most 200 characters" in text
    assert "Secret-Text" not in text
    assert "Hunter2" not in text
    assert "USR'" not in text


def test_the_registry_lists_every_service_with_its_schema(registry: ServiceRegistry) -> None:
    assert registry.names() == ["vicidial.agent.send_notification"]
    described = registry.describe("vicidial.agent.send_notification")
    assert described["domain"] == "vicidial"
    assert set(described["params"]["properties"]) == {
        "recipient",
        "recipient_type",
        "notification_text",
        "pass",
    }
    assert described["result"]["properties"]["notification_id"]["type"] == "integer"
    with pytest.raises(ValueError, match="registered already"):
        registry.register(Service("vicidial.agent.send_notification", NotifyParams, handler))
    with pytest.raises(ValueError, match=r"<domain>\.<name>"):
        registry.register(Service("nodomain", NotifyParams, handler))


def test_the_catalog_knows_kinds_events_and_entity_domains() -> None:
    from engine.catalog import Catalog, DomainSpec, WebhookKindSpec

    catalog = Catalog()
    catalog.add_webhook_kind(WebhookKindSpec("pause_max", "over max pause", frozenset({"user"})))
    catalog.add_domain(DomainSpec("agent", "a logged-in agent", {"campaign": "from the poll"}))
    catalog.add_domain(DomainSpec("campaign"))
    assert catalog.webhook_kinds() == ["pause_max"]
    spec = catalog.event("vicidial_pause_max")
    assert spec is not None
    assert spec.fields == frozenset({"user"})
    assert "state_changed" in catalog.event_types()
    assert catalog.domains_matching("agent.*") == ["agent"]
    assert sorted(catalog.domains_matching("*")) == ["agent", "campaign"]
    assert catalog.domains_matching("ingrup.*") == []
