"""The non-agent API's campaign settings beyond update_campaign: alternate URLs, transfer
presets and CID group entries. Each lists its entries too (LIST / INFO)."""

from __future__ import annotations

from integrations.vicidial.simulator.configuration import CidEntry, CidGroup
from integrations.vicidial.simulator.field_rules import (
    at_most,
    length,
    one_of,
    optional,
    refused,
    sent,
)
from integrations.vicidial.simulator.records import AltUrl, Campaign, Preset
from integrations.vicidial.simulator.wire import ApiRequest, Handlers, lines, table

HANDLERS = Handlers()
handles = HANDLERS.add

ALL = "---ALL---"


def _campaign(req: ApiRequest, longest: int = 8) -> Campaign | str:
    """The campaign named by campaign_id, or the refusal."""
    me, campaign_id = req.user.user, req.get("campaign_id")
    if not 2 <= len(campaign_id) <= longest:
        shown = f"|{me}|{campaign_id}||{campaign_id}"
        return f"ERROR: {req.function} YOU MUST USE ALL REQUIRED FIELDS: {shown}\n"
    campaign = req.center.campaigns.get(campaign_id)
    if campaign is None:
        return f"ERROR: {req.function} CAMPAIGN DOES NOT EXIST: |{me}|{campaign_id}\n"
    return campaign


# -- update_alt_url ------------------------------------------------------------------------

# update_alt_url's url_type -> the callback setting its entries stand for.
URL_TYPES = {"dispo": "dispo_call_url", "start": "start_call_url", "noagent": "na_call_url"}
_ALT_HEADER = ["url_id", "campaign_id", "entry_type", "active", "url_type", "url_rank"]
_ALT_HEADER += ["url_statuses", "url_description", "url_lists", "url_call_length", "url_address"]
_ALT_RULES = (
    optional("active", one_of("Y", "N"), "ACTIVE MUST BE Y OR N"),
    optional("url_address", length(5, 65000), "URL ADDRESS IS NOT VALID"),
    optional("url_rank", lambda v: len(v) <= 5 and v.isdigit(), "URL RANK IS NOT VALID"),
    optional(
        "url_call_length", lambda v: len(v) <= 5 and v.isdigit(), "URL CAL LENGTH IS NOT VALID"
    ),
    optional("url_statuses", length(0, 1000), "URL STATUSES IS NOT VALID"),
    optional("url_description", length(0, 255), "URL DESCRIPTION IS NOT VALID"),
    optional("url_lists", at_most(1000), "URL LISTS IS NOT VALID"),
)
_ALT_FIELDS = (
    *("url_address", "url_rank", "url_statuses", "url_description", "url_lists"),
    *("url_call_length", "active"),
)


def _alt_row(campaign: Campaign, entry: AltUrl, url_type: str) -> list[object]:
    statuses = " ".join(entry.statuses)
    lists = " ".join(str(x) for x in entry.lists)
    active = "Y" if entry.active else "N"
    head = [entry.url_id, campaign.campaign_id, "campaign", active, url_type, entry.rank]
    return [*head, statuses, entry.description, lists, entry.min_length, entry.url]


def _set_alt(entry: AltUrl, values: dict[str, str]) -> None:
    if "url_address" in values:
        entry.url = values["url_address"]
    if values.get("url_rank"):
        entry.rank = int(values["url_rank"])
    if "url_statuses" in values:
        entry.statuses = tuple(values["url_statuses"].split()) or (ALL,)
    if "url_description" in values:
        entry.description = values["url_description"]
    if "url_lists" in values:
        entry.lists = tuple(int(x) for x in values["url_lists"].split() if x.isdigit())
    if values.get("url_call_length"):
        entry.min_length = int(values["url_call_length"])
    if "active" in values:
        entry.active = values["active"] == "Y"


@handles("update_alt_url")
def update_alt_url(req: ApiRequest) -> str:
    center, me = req.center, req.user.user
    campaign = _campaign(req, longest=20)
    if isinstance(campaign, str):
        return campaign
    url_type, entry_type = req.get("url_type"), req.get("entry_type")
    where = f"{url_type}|{entry_type}|{campaign.campaign_id}"
    setting = URL_TYPES.get(url_type)
    if setting is None:
        return f"ERROR: update_alt_url NO VALID URL TYPE DEFINED:: |{me}|{where}\n"
    if entry_type != "campaign":
        # Only a campaign's alternate URLs can be reached through this function.
        shown = f"|{me}|{entry_type}|{campaign.campaign_id}"
        return f"ERROR: update_alt_url NO ENTRY TYPE DEFINED:: {shown}\n"
    entries = campaign.alt_urls.setdefault(setting, [])
    alt_id = req.get("alt_url_id")
    if alt_id == "LIST":
        if not entries:
            return f"NOTICE: update_alt_url LIST, No Records Found - {me}|{where}|0\n"
        return table(req, _ALT_HEADER, [_alt_row(campaign, e, url_type) for e in entries])
    if campaign.callback_urls.get(setting) != "ALT":
        return f"ERROR: update_alt_url CAMPAIGNS {url_type} URL IS NOT SET TO ALT: |{me}|{where}\n"
    entry: AltUrl | None = None
    if alt_id != "NEW":
        # Without an id, the campaign's only entry of this type is meant.
        matches = [
            e for e in entries if str(e.url_id) == alt_id or (not alt_id and len(entries) == 1)
        ]
        if not matches:
            return (
                f"ERROR: update_alt_url ALT URL ID DOES NOT EXIST: |{me}|{alt_id}|{where}|"
                f"{len(entries)}\n"
            )
        entry = matches[0]
    refusal = refused(req, _ALT_RULES)
    if refusal:
        return refusal
    values = sent(req, _ALT_FIELDS)
    if not values:
        return f"NOTICE: update_alt_url NO UPDATES DEFINED: |{me}|\n"
    if entry is None:
        entry = AltUrl(url="", active=False, url_id=center.next_id("alt_url"))
        _set_alt(entry, values)
        entries.append(entry)
        entries.sort(key=lambda e: e.rank)
        center.configured("alt_urls", str(entry.url_id), "added", campaign_id=campaign.campaign_id)
        added = f"{me}|NEW URL ID: {entry.url_id}|{where}"
        return f"SUCCESS: update_alt_url ALT URL HAS BEEN ADDED - {added}\n"
    _set_alt(entry, values)
    center.configured("alt_urls", str(entry.url_id), "updated", campaign_id=campaign.campaign_id)
    return f"SUCCESS: update_alt_url ALT URL HAS BEEN UPDATED - {me}|{entry.url_id}|{where}\n"


# -- update_presets ------------------------------------------------------------------------

_PRESET_HEADER = [
    "preset_name",
    "campaign_id",
    "preset_number",
    "preset_hide_number",
    "preset_dtmf",
]
_PRESET_RULES = (
    optional("preset_hide_number", one_of("Y", "N"), "PRESET HIDE NUMBER MUST BE Y OR N"),
    optional("preset_number", length(1, 50), "PRESET NUMBER IS NOT VALID"),
    optional("preset_dtmf", at_most(50), "PRESET DTMF IS NOT VALID"),
)


@handles("update_presets")
def update_presets(req: ApiRequest) -> str:
    center, me = req.center, req.user.user
    campaign = _campaign(req)
    if isinstance(campaign, str):
        return campaign
    action, name = req.get("action") or "UPDATE", req.get("preset_name")
    presets, where = campaign.presets, campaign.campaign_id
    if action == "LIST":
        if not presets:
            return f"NOTICE: update_presets LIST, No Records Found - {me}|{where}|0\n"
        rows = [
            [p.name, where, p.number, "Y" if p.hide_number else "N", p.dtmf]
            for p in presets.values()
        ]
        return table(req, _PRESET_HEADER, rows)
    if action != "NEW":
        if not name and len(presets) == 1:
            name = next(iter(presets))
        if name not in presets:
            return (
                f"ERROR: update_presets PRESET NAME DOES NOT EXIST: |{me}|{name}|{where}|"
                f"{len(presets)}\n"
            )
    refusal = refused(req, _PRESET_RULES)
    if refusal:
        return refusal
    if action == "DELETE":
        del presets[name]
        center.configured("presets", name, "deleted", campaign_id=where)
        return f"SUCCESS: update_presets PRESET HAS BEEN DELETED - {me}|{name}|{where}\n"
    values = sent(req, ("preset_number", "preset_dtmf", "preset_hide_number"))
    if not values:
        return f"NOTICE: update_presets NO UPDATES DEFINED: |{me}|\n"
    preset = presets.get(name) or Preset(name, "")
    preset.number = values.get("preset_number", preset.number)
    preset.dtmf = values.get("preset_dtmf", preset.dtmf)
    preset.hide_number = values.get("preset_hide_number", "Y" if preset.hide_number else "N") == "Y"
    presets[name] = preset
    if action == "NEW":
        center.configured("presets", name, "added", campaign_id=where)
        return f"SUCCESS: update_presets PRESET HAS BEEN ADDED - {me}|NEW PRESET: {name}|{where}\n"
    center.configured("presets", name, "updated", campaign_id=where)
    return f"SUCCESS: update_presets PRESET HAS BEEN UPDATED - {me}|{name}|{where}\n"


# -- update_cid_group_entry ----------------------------------------------------------------


def _cid_group(req: ApiRequest) -> CidGroup | str:
    center, me = req.center, req.user.user
    group_id, areacode, stage = req.get("cid_group_id"), req.get("areacode"), req.get("stage")
    if not 1 <= len(group_id) <= 20 or not 3 <= len(stage) <= 6 or not areacode:
        shown = f"|{me}|{group_id}|{areacode}|{stage}"
        return f"ERROR: update_cid_group_entry YOU MUST USE ALL REQUIRED FIELDS: {shown}\n"
    group = center.cid_groups.get(group_id)
    if group is None and group_id in center.campaigns:
        # A campaign is a CID group of its own (its areacode caller ids).
        group = center.cid_groups.setdefault(group_id, CidGroup(group_id))
    if group is None:
        return f"ERROR: update_cid_group_entry CID GROUP DOES NOT EXIST: |{me}|{group_id}\n"
    return group


@handles("update_cid_group_entry")
def update_cid_group_entry(req: ApiRequest) -> str:
    group = _cid_group(req)
    if isinstance(group, str):
        return group
    center, me, fn = req.center, req.user.user, "update_cid_group_entry"
    stage, areacode, cid = req.get("stage"), req.get("areacode"), req.get("outbound_cid")
    head = f"|{me}|{group.group_id}"
    if stage == "ADD":
        if areacode == ALL:
            missing = f"YOU MUST DEFINE AN AREACODE WHEN ADDING AND ENTRY: {head}|{areacode}"
            return f"ERROR: {fn} {missing}\n"
        if len(cid) < 4:
            return f"ERROR: {fn} YOU MUST DEFINE A CID NUMBER WHEN ADDING AND ENTRY: {head}|{cid}\n"
        if any(e.areacode == areacode and e.outbound_cid == cid for e in group.entries):
            return f"ERROR: {fn} THIS CID GROUP ENTRY ALREADY EXISTS: {head}|{areacode}|{cid}\n"
        entry = CidEntry(areacode, cid, req.get("active") == "Y", req.get("cid_description"))
        group.entries.append(entry)
        center.configured("cid_groups", group.group_id, "updated", added=cid)
        done = f"{me}|{group.group_id}|{areacode}|{cid}|1"
        return f"SUCCESS: {fn} CID GROUP ENTRY HAS BEEN ADDED - {done}\n"
    chosen = [
        e
        for e in group.entries
        if areacode in (ALL, e.areacode) and cid in ("", ALL, e.outbound_cid)
    ]
    if not chosen:
        return f"ERROR: {fn} THIS CID GROUP HAS NO ENTRIES: {head}\n"
    done = f"{me}|{group.group_id}|{areacode}|{cid}|{len(chosen)}"
    if stage == "INFO":
        rows = [
            "|".join([str(n), e.areacode, e.outbound_cid, "Y" if e.active else "N"])
            + f"|{e.description}|{e.calls}"
            for n, e in enumerate(chosen, start=1)
        ]
        # No separator between the reason and the group, as the real server prints it.
        info = f"SUCCESS: {fn} CID GROUP INFO AS FOLLOWS {group.group_id}|{areacode}|{cid}|"
        return lines(info + str(len(chosen)), *rows)
    if stage == "DELETE":
        group.entries = [e for e in group.entries if e not in chosen]
        center.configured("cid_groups", group.group_id, "updated", deleted=len(chosen))
        return f"SUCCESS: {fn} CID GROUP ENTRIES HAVE BEEN DELETED - {done}\n"
    active, description = req.get("active"), req.get("cid_description")
    if stage != "UPDATE" or not (active or description):
        shown = f"{head}|{areacode}|{cid}|{active}|{description}"
        return f"ERROR: {fn} NO UPDATES WERE DEFINED: {shown}\n"
    for entry in chosen:
        entry.active = entry.active if not active else active == "Y"
        entry.description = description or entry.description
    center.configured("cid_groups", group.group_id, "updated", changed=len(chosen))
    return f"SUCCESS: {fn} CID GROUP ENTRIES HAVE BEEN UPDATED - {done}\n"
