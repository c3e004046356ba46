"""Point every callback setting of a call center at one receiver (``--callbacks-to``).

Each setting gets the URL ``vicibus urls`` would print for its kind, so a vicibus daemon (or
anything that reads those URLs) receives every kind. Existing URLs, ALT entries and list
overrides are replaced.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from integrations.vicidial.simulator.rawhttp import DEFAULT_PORTS, split_url
from integrations.vicidial.simulator.state import CallCenter
from integrations.vicidial.webhooks.kinds import Kind
from integrations.vicidial.webhooks.urls import build_url

_CAMPAIGN = {
    "start_call_url": Kind.START_CALL,
    "dispo_call_url": Kind.DISPO_CALLBACK,
    "na_call_url": Kind.NO_AGENT,
    "dead_trigger_url": Kind.DEAD_CALL,
    "pause_max_url": Kind.PAUSE_MAX,
}
_INGROUP = {
    "start_call_url": Kind.START_CALL,
    "dispo_call_url": Kind.DISPO_CALLBACK,
    "na_call_url": Kind.NO_AGENT,
    "enter_ingroup_url": Kind.ENTER_INGROUP,
    "add_lead_url": Kind.ADD_LEAD,
}


@dataclass(frozen=True, slots=True)
class Retargeted:
    # Where the agent push must really connect (see ``push_note``), for ``RawHttp(resolve=)``.
    resolve: dict[tuple[str, int], tuple[str, int]] = field(default_factory=dict)
    push_note: str = ""


def point_callbacks_at(center: CallCenter, base: str, token: str) -> Retargeted:
    """Set every callback URL of ``center`` to ``base``'s receiver with ``token``.

    The agent screen deletes every ``:`` from its push URL, so a real ViciDial can only push
    to the default port of the scheme. When ``base`` names another port, the push URL names
    the host alone and the simulator forwards that host's default port to ``base``'s port,
    as a port forward on the dialer would; ``push_note`` says so.
    """
    for campaign in center.campaigns.values():
        campaign.callback_urls = {s: build_url(k, base, token) for s, k in _CAMPAIGN.items()}
        campaign.alt_urls = {}
    for group in center.ingroups.values():
        urls = {s: build_url(k, base, token) for s, k in _INGROUP.items()}
        for setting, kind in (
            ("waiting_call_url_on", Kind.WAITING_CALL_ON),
            ("waiting_call_url_off", Kind.WAITING_CALL_OFF),
        ):
            urls[setting] = build_url(kind, base, token, group=group.group_id)
        group.callback_urls = urls
        group.alt_urls = {}
    for lst in center.lists.values():
        lst.callback_urls = {}  # defer to the campaign's, in-group's and system's
    for did in center.dids.values():
        did.filter_url = build_url(Kind.DID_FILTER, base, token)
    for phone in center.phones.values():
        phone.nva_call_url = build_url(Kind.NVA_CALL, base, token)
    center.system.apinewlead_url = build_url(Kind.API_NEW_LEAD, base, token)
    target = split_url(base)
    default = DEFAULT_PORTS[target.scheme]
    push_base, resolve, note = base, {}, ""
    if target.port != default or ":" in target.authority:
        push_base = f"{target.scheme}://{target.host}{target.path.rstrip('/')}"
        resolve = {(target.host.lower(), default): (target.host, target.port)}
        note = (
            f"agent push events: ViciDial cannot push to port {target.port} (the agent screen "
            f"deletes ':'); the simulator forwards {target.host}:{default} to it"
        )
    center.system.agent_push_events = True
    center.system.agent_push_url = build_url(Kind.AGENT_EVENT, push_base, token)
    return Retargeted(resolve, note)
