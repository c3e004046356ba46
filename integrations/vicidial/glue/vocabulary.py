"""The ViciDial integration's vocabulary, declared into the engine's catalog at setup: the
callback kinds with the payload fields each carries, the agent push event names, and the entity
domains with the attributes docs/entities.md describes."""

from __future__ import annotations

from engine.catalog import Catalog, DomainSpec, EventSpec, WebhookKindSpec
from engine.events import VICIDIAL_CONNECTIVITY, VICIDIAL_EVENT_GAP
from integrations.vicidial.webhooks.kinds import KINDS
from integrations.vicidial.webhooks.payloads import PAYLOAD_TYPES
from integrations.vicidial.webhooks.push_events import PUSH_EVENT_MEANINGS

AGENT_STATES = ("READY", "PAUSED", "INCALL", "QUEUE", "CLOSER", "MQUEUE", "LOGGED_OUT")

AGENT_ATTRIBUTES = {
    "campaign": "the campaign the agent is logged into (logged_in_agents campaign_id)",
    "user_group": "the agent's user group (logged_in_agents user_group)",
    "session_id": "the agent's conference session (logged_in_agents session_id)",
    "lead_id": "the lead on the agent's screen, None for none (logged_in_agents; push lead_id)",
    "callerid": "the call's caller id name (logged_in_agents callerid)",
    "calls_today": "calls the agent took today (logged_in_agents calls_today)",
    "pause_code": "the pause code while PAUSED, else None (logged_in_agents pause_code)",
    "sub_status": "DEAD, DISPO, 3-WAY, PARK, RING, PREVIEW or DIAL (logged_in_agents sub_status;"
    " push events set it at once)",
    "full_name": "the agent's name (logged_in_agents full_name)",
    "user_level": "the agent's user level (logged_in_agents user_level)",
    "last_push_event": "the last agent push event received for the agent (vicibus)",
    "last_push_at": "when it arrived, epoch seconds (vicibus)",
    "stale": "true while the dialer does not answer the poll (vicibus)",
    "seconds_in_state": "seconds since the state last changed (vicibus, computed when read)",
}
_GROUP_COUNTS = {
    "calls_waiting": "calls waiting for an agent",
    "agents_logged_in": "agents logged in",
    "agents_in_calls": "agents on a call",
    "agents_waiting": "agents waiting for a call",
    "agents_paused": "agents paused",
    "agents_in_dispo": "agents dispositioning a call",
    "agents_in_dial": "agents dialing",
}
INGROUP_ATTRIBUTES = {
    "total_calls": "calls in the in-group now (in_group_status total_calls)",
    **{k: f"{v} (in_group_status {k})" for k, v in _GROUP_COUNTS.items()},
    "drops_today": "no_agent callbacks naming the in-group since local midnight (vicibus)",
    "stale": "true while the dialer does not answer the poll (vicibus)",
}
USERGROUP_ATTRIBUTES = {
    **{k: f"{v} (user_group_status {k})" for k, v in _GROUP_COUNTS.items()},
    "agents_in_dead_calls": "agents whose customer hung up (user_group_status)",
    "stale": "true while the dialer does not answer the poll (vicibus)",
}
CAMPAIGN_ATTRIBUTES = {
    "campaign_name": "the campaign's name (campaigns_list)",
    "dial_method": "RATIO, MANUAL, ... (campaigns_list)",
    "dial_level": "the dial level (campaigns_list)",
    **{
        k: f"{v} in the campaign (vicibus, from logged_in_agents)"
        for k, v in _GROUP_COUNTS.items()
        if k != "calls_waiting"
    },
    "agents_in_dead_calls": "agents whose customer hung up (vicibus, from logged_in_agents)",
    "hopper_count": "leads ready in the hopper (hopper_list)",
    "drops_today": "no_agent callbacks since local midnight (vicibus)",
    "calls_today": "dispo_callback callbacks since local midnight (vicibus)",
    "sales_today": "dispo_callback callbacks with a sale status since local midnight (vicibus)",
    "stale": "true while the dialer does not answer the poll (vicibus)",
}


def declare(catalog: Catalog) -> None:
    for info in KINDS.values():
        fields = frozenset(PAYLOAD_TYPES[info.kind].model_fields)
        catalog.add_webhook_kind(WebhookKindSpec(info.kind.value, info.meaning, fields))
    catalog.add_push_events(
        {event.value: meaning for event, meaning in PUSH_EVENT_MEANINGS.items()}
    )
    catalog.add_event(
        EventSpec(
            VICIDIAL_CONNECTIVITY,
            "the dialer's connection changed",
            frozenset({"state", "previous", "reason", "failures", "retry_in"}),
        )
    )
    catalog.add_event(
        EventSpec(
            VICIDIAL_EVENT_GAP,
            "agent push events were lost",
            frozenset({"user", "session", "session_id", "first", "last", "missing"}),
        )
    )
    catalog.add_domain(DomainSpec("agent", "a ViciDial agent", AGENT_ATTRIBUTES, AGENT_STATES))
    catalog.add_domain(DomainSpec("campaign", "a campaign", CAMPAIGN_ATTRIBUTES))
    catalog.add_domain(DomainSpec("ingroup", "an inbound group", INGROUP_ATTRIBUTES))
    catalog.add_domain(DomainSpec("usergroup", "a user group", USERGROUP_ATTRIBUTES))
    catalog.add_domain(
        DomainSpec(
            "vicidial",
            "the integration itself: vicidial.connection",
            {"reason": "why not connected", "failures": "cycles failed in a row"},
        )
    )
