"""A real engine core on a manual clock, with the ViciDial vocabulary in its catalog, test
services in its registry, and rules loaded from YAML text through the config loader."""

from __future__ import annotations

import textwrap
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

import pytest
from pydantic import BaseModel, ConfigDict, Field, SecretStr

from engine.clock import Clock, ClockMode
from engine.config.errors import ConfigProblem, Severity
from engine.config.loader import load_document
from engine.context import Context, Origin
from engine.core import Core
from engine.events import Event, webhook_event_type
from engine.services import Service, ServiceCall
from integrations.vicidial.glue.vocabulary import declare
from integrations.vicidial.webhooks.kinds import kind_from_name
from integrations.vicidial.webhooks.payloads import PAYLOAD_TYPES
from rules.engine import RuleEngine
from rules.loading import Prefixed, RuleLoad, load_rules
from rules.records import MemoryRecorder, RunRecord

TZ = ZoneInfo("Europe/Paris")
# Monday 2 March 2026, 09:00 in Paris.
START = datetime(2026, 3, 2, 9, 0, 0, tzinfo=TZ).timestamp()


class NotifyParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    recipient: str
    recipient_type: Literal["USER", "CAMPAIGN", "USER_GROUP"]
    notification_text: str = Field(max_length=200)


class PauseCodeParams(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    agent_user: str
    value: str
    password: SecretStr | None = Field(default=None, alias="pass")


class Sent(BaseModel):
    notification_id: int
    recipient: str


class ServiceRefusedError(Exception):
    """What an integration raises when the dialer says no (a typed error of its own)."""


class LogParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    message: str
    api_token: str | None = None


class Calls:
    """The test services and every call they got."""

    def __init__(self) -> None:
        self.made: list[tuple[str, BaseModel, ServiceCall]] = []
        self.refuse: set[str] = set()

    def of(self, service: str) -> list[BaseModel]:
        return [params for name, params, _ in self.made if name == service]

    def services(self) -> list[Service[Any]]:
        async def notify(params: NotifyParams, call: ServiceCall) -> Sent:
            self.made.append((call.service, params, call))
            return Sent(notification_id=len(self.made), recipient=params.recipient)

        async def pause_code(params: PauseCodeParams, call: ServiceCall) -> None:
            self.made.append((call.service, params, call))
            if params.agent_user in self.refuse:
                secret = params.password.get_secret_value() if params.password else ""
                raise ServiceRefusedError(f"ERROR: agent {params.agent_user} not paused {secret}")

        async def log(params: LogParams, call: ServiceCall) -> dict[str, str]:
            self.made.append((call.service, params, call))
            return {"logged": params.message}

        return [
            Service("vicidial.agent.send_notification", NotifyParams, notify, result=Sent),
            Service("vicidial.agent.pause_code", PauseCodeParams, pause_code),
            Service("notify.log", LogParams, log, side_effects=False),
        ]


def rules_file(text: str) -> str:
    """A config file whose ``rules`` section is ``text`` (a YAML list of rules)."""
    return "rules:\n" + textwrap.indent(textwrap.dedent(text), "  ")


def payload(kind: str, **fields: Any) -> BaseModel:
    """A real webhook payload model of ``kind``."""
    return PAYLOAD_TYPES[kind_from_name(kind)](**fields)


class _Unplaced:
    def problem(
        self, path: Any, message: str, *, key: bool = False, severity: Severity = "error"
    ) -> ConfigProblem:
        return ConfigProblem("<data>", 0, 0, f"{list(path)}: {message}", severity)


class Harness:
    def __init__(self) -> None:
        self.core = Core(Clock(ClockMode.MANUAL, tz=TZ, start=START))
        declare(self.core.catalog)
        self.calls = Calls()
        for service in self.calls.services():
            self.core.services.register(service)
        self.recorder = MemoryRecorder()
        self.engine = RuleEngine(self.core, recorder=self.recorder)
        self.events: list[Event[Any]] = []
        self.core.bus.subscribe(None, self.events.append, name="test")

    def load(self, text: str, *, strict: bool = False) -> RuleLoad:
        document = load_document("rules.yaml", text=rules_file(text))
        return load_rules(
            document.data["rules"], self.core, Prefixed(document, ("rules",)), strict=strict
        )

    def load_data(self, data: list[Any]) -> RuleLoad:
        """Rules given as data (no YAML text, no places): problems read ``<data>:0:0``."""
        return load_rules(data, self.core, _Unplaced())

    async def start(self, text: str | list[Any]) -> RuleLoad:
        loaded = self.load(text) if isinstance(text, str) else self.load_data(text)
        assert not loaded.errors, [str(p) for p in loaded.errors]
        await self.engine.reload(loaded.rules)
        await self.engine.start()
        return loaded

    async def reload(self, text: str) -> None:
        loaded = self.load(text)
        assert not loaded.errors, [str(p) for p in loaded.errors]
        await self.engine.reload(loaded.rules)

    def webhook(self, kind: str, **fields: Any) -> Event[Any]:
        return self.core.fire(
            webhook_event_type(kind), payload(kind, **fields), origin=Origin.WEBHOOK
        )

    def set(self, entity_id: str, state: str, **attributes: Any) -> None:
        """Write a state; queued changes of one entity coalesce on the bus (newest wins)."""
        self.core.states.set(entity_id, state, attributes, context=Context(Origin.POLL))

    async def change(self, entity_id: str, state: str, **attributes: Any) -> None:
        """Write a state and let the rules see it before the next one."""
        self.set(entity_id, state, **attributes)
        await self.settle()

    async def settle(self) -> None:
        await self.engine.settle()

    async def advance(self, seconds: float) -> None:
        await self.engine.advance(seconds)

    def runs(self, rule_id: str) -> list[RunRecord]:
        return self.recorder.runs(rule_id)

    def of_type(self, event_type: str) -> list[Event[Any]]:
        return [e for e in self.events if e.type == event_type]


@pytest.fixture
async def harness() -> AsyncIterator[Harness]:
    h = Harness()
    await h.core.start()
    yield h
    await h.engine.stop()
    await h.core.stop()
