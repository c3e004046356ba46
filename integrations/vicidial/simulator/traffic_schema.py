"""The ``traffic:`` section of a scenario: what the seeded traffic model generates.

Rates are per simulated minute; durations are ranges in simulated seconds, sampled
uniformly. Weights (status mix, pause codes) need not add up to anything. See
docs/simulator.md for the schema and ``traffic.py`` for how it is played.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

Loc = tuple[str | int, ...]


def _words(value: Any) -> Any:
    return value.split() if isinstance(value, str) else value


Words = Annotated[list[str], BeforeValidator(_words)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)


class Seconds(_Model):
    """A duration sampled uniformly from ``min`` to ``max`` (whole seconds)."""

    min: int = Field(ge=0)
    max: int = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Seconds:
        if self.max < self.min:
            raise ValueError("max must not be below min")
        return self


def _seconds(low: int, high: int) -> Any:
    return Field(default_factory=lambda: Seconds(min=low, max=high))


class AgentPlan(_Model):
    """An agent the model drives: logs in, answers, talks, dispositions, pauses."""

    user: str
    campaign_id: str
    ingroups: Words = Field(default_factory=list)
    login_after: int = Field(default=0, ge=0)
    # Logs out at the first moment after this many seconds when not on a call.
    logout_after: int | None = Field(default=None, ge=0)


class CampaignTraffic(_Model):
    # Auto-dialed calls a customer answers; each needs a READY agent or it drops.
    calls_per_minute: float = Field(default=0, ge=0)


class IngroupTraffic(_Model):
    calls_per_minute: float = Field(default=0, ge=0)
    # Calls come in through this DID (its filter URL, if any, is asked first).
    did: str = ""
    # Share of callers whose number matches no lead: the inbound process adds one.
    new_caller_share: float = Field(default=0.3, ge=0, le=1)


class PauseTraffic(_Model):
    # Share of dispositions after which the agent pauses.
    share: float = Field(default=0.2, ge=0, le=1)
    codes: dict[str, float] = Field(default_factory=lambda: {"BREAK": 1.0})
    seconds: Seconds = _seconds(30, 180)
    # Share of pauses that outlast the campaign's max pause seconds (by ``overrun``).
    over_max_share: float = Field(default=0.1, ge=0, le=1)
    overrun: Seconds = _seconds(5, 60)


class DeadTraffic(_Model):
    # Share of calls the customer ends first, leaving the agent on a dead call.
    share: float = Field(default=0.1, ge=0, le=1)
    seconds: Seconds = _seconds(5, 40)


class NvaTraffic(_Model):
    extension: str
    calls_per_minute: float = Field(default=0, ge=0)
    # Share of numbers dialed that match no lead (ViciDial sends lead_id NOTFOUND).
    unknown_share: float = Field(default=0.5, ge=0, le=1)


class ApiLeadTraffic(_Model):
    # The non-agent API user that adds the leads (through add_lead, as a CRM would).
    user: str
    list_id: int
    per_minute: float = Field(default=0, ge=0)


class TrafficModel(_Model):
    seed: int = 0
    agents: list[AgentPlan] = Field(default_factory=list)
    campaigns: dict[str, CampaignTraffic] = Field(default_factory=dict)
    ingroups: dict[str, IngroupTraffic] = Field(default_factory=dict)
    talk_seconds: Seconds = _seconds(30, 180)
    dispo_seconds: Seconds = _seconds(2, 10)
    dead: DeadTraffic = Field(default_factory=DeadTraffic)
    # Agent-side hang-ups against customer hang-ups among calls that do not go dead.
    agent_hangup_share: float = Field(default=0.5, ge=0, le=1)
    statuses: dict[str, float] = Field(default_factory=lambda: {"A": 1.0}, min_length=1)
    # Statuses that schedule a callback this many hours ahead (callback_datetime).
    callback_statuses: Words = Field(default_factory=lambda: ["CALLBK"])
    callback_hours: int = Field(default=24, ge=1)
    pauses: PauseTraffic = Field(default_factory=PauseTraffic)
    nva: list[NvaTraffic] = Field(default_factory=list)
    api_leads: ApiLeadTraffic | None = None

    def references(self, known: Mapping[str, set[Any]]) -> list[tuple[Loc, str]]:
        """Names this section uses that the rest of the scenario does not define."""
        problems: list[tuple[Loc, str]] = []

        def check(loc: Loc, value: object, what: str, singular: str) -> None:
            if value not in known[what]:
                problems.append((loc, f"unknown {singular} {value!r}"))

        for i, agent in enumerate(self.agents):
            check(("agents", i, "user"), agent.user, "users", "user")
            check(("agents", i, "campaign_id"), agent.campaign_id, "campaigns", "campaign")
            for group in agent.ingroups:
                check(("agents", i, "ingroups"), group, "ingroups", "in-group")
        for campaign in self.campaigns:
            check(("campaigns", campaign), campaign, "campaigns", "campaign")
        for group, plan in self.ingroups.items():
            check(("ingroups", group), group, "ingroups", "in-group")
            if plan.did:
                check(("ingroups", group, "did"), plan.did, "dids", "DID")
        for i, nva in enumerate(self.nva):
            check(("nva", i, "extension"), nva.extension, "phones", "phone")
        if self.api_leads is not None:
            check(("api_leads", "user"), self.api_leads.user, "users", "user")
            check(("api_leads", "list_id"), self.api_leads.list_id, "lists", "list")
        if not any(weight > 0 for weight in self.statuses.values()):
            problems.append((("statuses",), "at least one status needs a weight above 0"))
        return problems
