"""Scenarios: a YAML description of a call center, validated, with errors that say file:line.

The schema is the set of pydantic models in ``scenario_schema`` (documented in
docs/simulator.md). ``load``
reads a file (or text), ``build_center`` turns a validated scenario into live state. The
built-in scenario reproducing the captured fixtures' dialer ships as package data.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from integrations.vicidial.simulator.clock import SimClock
from integrations.vicidial.simulator.configuration import (
    AudioFile,
    CallMenu,
    CidEntry,
    CidGroup,
    Container,
    Did,
    GroupAlias,
    MohClass,
    Phone,
    PhoneAlias,
    RemoteAgent,
    Server,
    VoicemailBox,
)
from integrations.vicidial.simulator.records import (
    PERMISSIONS,
    AgentLog,
    AgentState,
    AltUrl,
    Callback,
    CallDirection,
    CallLog,
    Campaign,
    DidLog,
    InGroup,
    Lead,
    LeadList,
    Preset,
    Recording,
    User,
    UserGroup,
)
from integrations.vicidial.simulator.scenario_schema import (
    AltUrlModel,
    Loc,
    Scenario,
    ServerModel,
    references,
)
from integrations.vicidial.simulator.state import SYSTEM_DNC, CallCenter

__all__ = ["BUILTIN", "BUILTINS", "Scenario", "ScenarioError", "build_center", "load", "parse"]

BUILTIN = "fixtures_dialer.yaml"
# Built-in scenarios by the short name ``vicibus simulate --scenario`` accepts.
BUILTINS = {"fixtures": BUILTIN, "demo": "demo.yaml"}


class ScenarioError(Exception):
    """A scenario that cannot be used; ``str()`` reads ``file:line: problem``, one per line."""

    def __init__(self, source: str, problems: Sequence[tuple[int | None, str]]) -> None:
        self.source = source
        self.problems = tuple(problems)
        lines = [
            f"{source}:{line}: {text}" if line else f"{source}: {text}" for line, text in problems
        ]
        super().__init__("\n".join(lines))

    @property
    def line(self) -> int | None:
        return self.problems[0][0] if self.problems else None


def _line_of(tree: Any, loc: Loc) -> int | None:
    """The 1-based line of the deepest node of ``loc`` found in the ruamel tree."""
    line: int | None = None
    node = tree
    for part in loc:
        lc = getattr(node, "lc", None)
        try:
            if isinstance(node, dict) and part in node:
                if lc is not None:
                    line = lc.key(part)[0] + 1
                node = node[part]
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                if lc is not None:
                    line = lc.item(part)[0] + 1
                node = node[part]
            else:
                break
        except (KeyError, IndexError, TypeError, AttributeError):
            break
    if line is None and lc_line(tree) is not None:
        return lc_line(tree)
    return line


def lc_line(tree: Any) -> int | None:
    lc = getattr(tree, "lc", None)
    line = getattr(lc, "line", None)
    return line + 1 if isinstance(line, int) else None


def _describe(err: Any) -> str:
    where = ".".join(str(p) for p in err["loc"])
    if err["type"] == "extra_forbidden":
        return f"unknown key {where!r}"
    if err["type"] == "missing":
        return f"{where}: required"
    return f"{where}: {err['msg']}" if where else str(err["msg"])


def parse(text: str, source: str = "<scenario>") -> Scenario:
    """Validate scenario text; every failure is a ScenarioError naming file and line."""
    yaml = YAML(typ="rt")
    try:
        tree = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise ScenarioError(source, [(line, f"YAML: {exc.problem or exc.context}")]) from None
    except (YAMLError, ValueError, TypeError, RecursionError) as exc:
        raise ScenarioError(source, [(None, f"YAML: {type(exc).__name__}: {exc}")]) from None
    if tree is None:
        tree = {}
    if not isinstance(tree, dict):
        raise ScenarioError(source, [(lc_line(tree) or 1, "a scenario is a mapping of sections")])
    try:
        scenario = Scenario.model_validate(tree)
    except ValidationError as exc:
        raise ScenarioError(
            source, [(_line_of(tree, tuple(e["loc"])), _describe(e)) for e in exc.errors()]
        ) from None
    problems = references(scenario)
    if problems:
        raise ScenarioError(source, [(_line_of(tree, loc), text) for loc, text in problems])
    return scenario


def load(path: str | Path) -> Scenario:
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(str(file), [(None, f"cannot read: {exc}")]) from None
    return parse(text, str(file))


def builtin_text(file: str = BUILTIN) -> str:
    return (
        resources.files("integrations.vicidial.simulator")
        .joinpath("scenarios")
        .joinpath(file)
        .read_text(encoding="utf-8")
    )


def load_builtin(file: str = BUILTIN) -> Scenario:
    return parse(builtin_text(file), f"<builtin {file}>")


def load_named(name: str) -> Scenario:
    """A built-in scenario by short name (``demo``, ``fixtures``), else a file path."""
    return load_builtin(BUILTINS[name]) if name in BUILTINS else load(name)


def make_clock(scenario: Scenario) -> SimClock:
    return SimClock(scenario.clock.start, mode=scenario.clock.mode, speed=scenario.clock.speed)


def build_center(scenario: Scenario, clock: SimClock | None = None) -> CallCenter:
    """Live state from a validated scenario."""
    center = CallCenter(clock or make_clock(scenario))
    center.system = scenario.system.model_copy(deep=True)
    for g in scenario.user_groups:
        center.user_groups[g.group] = UserGroup(g.group, g.name, tuple(g.allowed_campaigns))
    for u in scenario.users:
        perms = PERMISSIONS if u.permissions == "all" else frozenset(u.permissions)
        allowed = u.allowed_functions
        center.users[u.user] = User(
            user=u.user,
            password=u.password,
            full_name=u.full_name,
            user_level=u.user_level,
            user_group=u.user_group,
            active=u.active,
            api_access=u.api_access,
            allowed_functions=frozenset([allowed] if isinstance(allowed, str) else allowed),
            permissions=perms,
            locked=u.locked,
            phone_login=u.phone_login,
            phone_pass=u.phone_pass,
            email=u.email,
            custom={str(k): v for k, v in u.custom.items()},
            agentcall_manual=u.agentcall_manual,
            in_groups=tuple(u.in_groups),
        )
    for c in scenario.campaigns:
        record = Campaign(**c.model_dump(exclude={"alt_urls", "presets"}))
        record.alt_urls = _alt_urls(center, c.alt_urls)
        record.presets = {p.name: Preset(**p.model_dump()) for p in c.presets}
        center.campaigns[c.campaign_id] = record
    for lst in scenario.lists:
        center.lists[lst.list_id] = LeadList(**lst.model_dump())
    for m in scenario.leads:
        data = m.model_dump(exclude={"archived"})
        data["entry_list_id"] = m.entry_list_id or m.list_id
        lead = Lead(**data)
        if m.archived:
            center.archived_leads[lead.lead_id] = lead
        else:
            center.add_lead_record(lead)
    for ig in scenario.ingroups:
        center.ingroups[ig.group_id] = InGroup(
            ig.group_id,
            ig.name,
            ig.active,
            callback_urls={str(k): v for k, v in ig.callback_urls.items()},
            alt_urls=_alt_urls(center, ig.alt_urls),
            drop_call_seconds=ig.drop_call_seconds,
            color=ig.color,
        )
    for number, d in enumerate(scenario.dids, start=1):
        did = Did(**d.model_dump(exclude={"did_id"}), did_id=d.did_id or number)
        center.dids[d.pattern] = did
        center.saw_id("did", did.did_id)
    _configuration(center, scenario)
    for dnc_list, numbers in scenario.dnc.items():
        center.dnc.setdefault(dnc_list, set()).update(numbers)
    center.dnc.setdefault(SYSTEM_DNC, set())
    for h in scenario.hopper:
        lead = center.leads[h.lead_id]
        campaign = h.campaign_id or center.lists[lead.list_id].campaign_id
        center.add_to_hopper(h.lead_id, campaign, h.priority)
    _live(center, scenario)
    _history(center, scenario)
    # Loading is not news: listeners attached later should not see the set-up.
    center.events.history.clear()
    return center


def _configuration(center: CallCenter, scenario: Scenario) -> None:
    """The dialer's configuration tables (phones, aliases, CID groups, media, ...)."""
    servers = scenario.servers or [ServerModel(server_ip=center.system.server_ip)]
    for server in servers:
        center.servers[server.server_ip] = Server(**server.model_dump())
    for p in scenario.phones:
        center.phones[p.extension] = Phone(**p.model_dump())
    for a in scenario.phone_aliases:
        center.phone_aliases[a.alias_id] = PhoneAlias(a.alias_id, a.name, tuple(a.logins))
    for alias, number in scenario.group_aliases.items():
        center.group_aliases[alias] = GroupAlias(alias, number, name=alias)
    for g in scenario.cid_groups:
        entries = [CidEntry(**e.model_dump()) for e in g.entries]
        center.cid_groups[g.group_id] = CidGroup(g.group_id, entries)
    for r in scenario.remote_agents:
        data = r.model_dump(exclude={"closer_campaigns"})
        center.remote_agents[r.user_start] = RemoteAgent(
            **data, closer_campaigns=tuple(r.closer_campaigns)
        )
    for group, numbers in scenario.filter_phone_groups.items():
        center.filter_phone_groups[group] = set(numbers)
    center.audio_store = [AudioFile(**f.model_dump()) for f in scenario.audio_store]
    center.moh_classes = [
        MohClass(m.moh_id, m.name, m.random, tuple(m.files)) for m in scenario.moh_classes
    ]
    center.voicemail_boxes = [VoicemailBox(**v.model_dump()) for v in scenario.voicemail_boxes]
    center.call_menus = [CallMenu(**m.model_dump()) for m in scenario.call_menus]
    center.containers = [Container(c.container_id, c.notes, c.type) for c in scenario.containers]
    center.scripts.update(scenario.scripts)
    center.call_times |= {name: (t.start, t.stop) for name, t in scenario.call_times.items()}
    center.area_codes.update(scenario.area_codes)


def _alt_urls(center: CallCenter, models: dict[Any, list[AltUrlModel]]) -> dict[str, list[AltUrl]]:
    # Kept in rank order: that is the order ViciDial requests them in. Each entry has an id
    # on the Alternate Multi URLs page, numbered across all entries like its table's rows.
    out: dict[str, list[AltUrl]] = {}
    for setting, entries in models.items():
        out[setting] = []
        for m in sorted(entries, key=lambda m: m.rank):
            url_id = m.url_id or center.next_id("alt_url")
            center.saw_id("alt_url", url_id)
            out[setting].append(
                AltUrl(
                    url=m.url,
                    rank=m.rank,
                    active=m.active,
                    statuses=tuple(m.statuses),
                    lists=tuple(m.lists),
                    min_length=m.min_length,
                    url_id=url_id,
                    description=m.description,
                )
            )
    return out


def _live(center: CallCenter, scenario: Scenario) -> None:
    for x in scenario.sessions:
        session = center.login(
            x.user,
            x.campaign_id,
            ingroups=x.ingroups,
            blended=x.blended,
            session_id=x.session_id,
            computer_ip=x.computer_ip,
        )
        session.calls_today = x.calls_today
        session.audio_playing = x.audio_playing
        if x.call is not None:
            call = x.call
            lead = center.leads[call.lead_id]
            center.start_call(
                phone_number=call.phone_number or lead.phone_number,
                user=x.user,
                lead_id=call.lead_id,
                direction=call.direction,
                ingroup=call.ingroup,
                did=call.did,
                call_id=call.call_id,
                touch_lead=False,
            )
            # The scenario states the count as the dialer showed it, this call included.
            session.calls_today = x.calls_today
        session.status = AgentState(x.status)
        session.pause_code = x.pause_code
        session.sub_status = x.sub_status
    for q in scenario.queue:
        lead = center.leads[q.lead_id]
        center.start_call(
            phone_number=q.phone_number or lead.phone_number,
            lead_id=q.lead_id,
            direction=CallDirection.INBOUND,
            ingroup=q.ingroup,
            did=q.did,
            call_id=q.call_id,
        )


def _history(center: CallCenter, scenario: Scenario) -> None:
    for log in scenario.call_logs:
        lead = center.leads.get(log.lead_id) or center.archived_leads.get(log.lead_id)
        center.call_logs.append(
            CallLog(
                uniqueid=log.uniqueid,
                lead_id=log.lead_id,
                list_id=lead.list_id if lead else 0,
                campaign_id=log.ingroup or log.campaign_id,
                call_date=log.call_date,
                length_in_sec=log.length_in_sec,
                status=log.status,
                phone_number=log.phone_number or (lead.phone_number if lead else ""),
                user=log.user,
                term_reason=log.term_reason,
                ingroup=log.ingroup,
                direction=CallDirection.INBOUND if log.ingroup else CallDirection.OUTBOUND,
                call_id=log.call_id
                or f"{'Y' if log.ingroup else 'M'}{log.call_date:%m%d%H%M%S}{log.lead_id:010d}",
            )
        )
    for d in scenario.did_logs:
        center.did_logs.append(DidLog(**d.model_dump()))
    for r in scenario.recordings:
        center.add_recording_record(Recording(**r.model_dump()))
    for a in scenario.agent_logs:
        center.agent_logs.append(AgentLog(**a.model_dump()))
    for cb in scenario.callbacks:
        lead = center.leads[cb.lead_id]
        owner = center.users.get(cb.user)
        center.callbacks.append(
            Callback(
                callback_id=center.next_id("callback"),
                list_id=lead.list_id,
                user_group=owner.user_group if owner else "",
                **cb.model_dump(),
            )
        )
