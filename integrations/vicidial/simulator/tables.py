"""The call center's tables and the bookkeeping every change shares.

``Tables`` holds the records by key (one attribute per ViciDial table the APIs read), hands
out ids and announces changes; ``calls.Calls`` and ``state.CallCenter`` build the changes
on it, one concept per module.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from integrations.vicidial.simulator.clock import SimClock
from integrations.vicidial.simulator.configuration import (
    AudioFile,
    CallMenu,
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
from integrations.vicidial.simulator.events import EventHub, SimEvent, SimEventKind
from integrations.vicidial.simulator.records import (
    AgentLog,
    AgentState,
    Call,
    Callback,
    CallDirection,
    CallLog,
    Campaign,
    DidLog,
    HopperEntry,
    InGroup,
    Lead,
    LeadList,
    MonitorSession,
    Notification,
    Recording,
    Session,
    User,
    UserGroup,
)

SYSTEM_DNC = "SYSTEM_INTERNAL"
# The call times a ViciDial install ships with.
DEFAULT_CALL_TIMES = {
    "24hours": (0, 2400),
    "9am-9pm": (900, 2100),
    "9am-5pm": (900, 1700),
    "12pm-5pm": (1200, 1700),
    "12pm-9pm": (1200, 2100),
    "5pm-9pm": (1700, 2100),
}


class SimStateError(Exception):
    """A control-API request that the call center's state does not allow (says why)."""


class SystemInfo(BaseModel):
    """What the servers say about themselves (version lines, webserver report)."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)

    agent_api_version: str = "2.14-82"
    agent_api_build: str = "250122-1010"
    admin_api_version: str = "2.14-202"
    admin_api_build: str = "250720-1841"
    server_ip: str = "127.0.0.1"
    gmt_offset: str = "-5.00"
    dst: bool = False
    outbound_cid_allowed: bool = False
    notifications_enabled: bool = True
    recording_url: str = "http://127.0.0.1/RECORDINGS/MP3"
    # Where agents' webphones and the audio store's files are served from.
    webphone_url: str = "https://127.0.0.1/agc/viciphone/viciphone.php"
    audio_store_url: str = "http://127.0.0.1/audiostore"
    webserver: dict[str, str] = Field(default_factory=dict)
    # System Settings: Agent Push Events / Agent Push URL (relative to the dialer's /agc/),
    # and the API New Lead URL that lists may override.
    agent_push_events: bool = False
    agent_push_url: str = ""
    apinewlead_url: str = ""
    custom_fields_enabled: bool = True
    sounds_central_control: bool = True


class Tables:
    """The whole simulated dialer's data; one per simulator, no globals."""

    def __init__(self, clock: SimClock, events: EventHub | None = None) -> None:
        self.clock = clock
        self.events = events or EventHub()
        self.system = SystemInfo()
        self.users: dict[str, User] = {}
        self.user_groups: dict[str, UserGroup] = {}
        self.campaigns: dict[str, Campaign] = {}
        self.lists: dict[int, LeadList] = {}
        self.leads: dict[int, Lead] = {}
        self.archived_leads: dict[int, Lead] = {}
        self.hopper: list[HopperEntry] = []
        self.ingroups: dict[str, InGroup] = {}
        self.dids: dict[str, Did] = {}
        self.servers: dict[str, Server] = {}
        self.phones: dict[str, Phone] = {}
        self.phone_aliases: dict[str, PhoneAlias] = {}
        self.group_aliases: dict[str, GroupAlias] = {}
        self.cid_groups: dict[str, CidGroup] = {}
        self.remote_agents: dict[str, RemoteAgent] = {}
        # DNC numbers per list: SYSTEM_INTERNAL or a campaign id.
        self.dnc: dict[str, set[str]] = {SYSTEM_DNC: set()}
        # Filter phone groups: group id -> its numbers.
        self.filter_phone_groups: dict[str, set[str]] = {}
        self.audio_store: list[AudioFile] = []
        self.moh_classes: list[MohClass] = []
        self.voicemail_boxes: list[VoicemailBox] = []
        self.call_menus: list[CallMenu] = []
        self.containers: list[Container] = []
        # Agent scripts by id, and call times: id -> (start, stop) as HHMM numbers.
        self.scripts: set[str] = set()
        self.call_times: dict[str, tuple[int, int]] = dict(DEFAULT_CALL_TIMES)
        # GMT offsets by area code (the AREACODE time-zone method); others: the dialer's.
        self.area_codes: dict[str, float] = {}
        self.sessions: dict[str, Session] = {}
        self.calls: dict[str, Call] = {}
        self.call_logs: list[CallLog] = []
        self.did_logs: list[DidLog] = []
        self.recordings: list[Recording] = []
        self.agent_logs: list[AgentLog] = []
        self.notifications: list[Notification] = []
        # Messages posted to the simulated chat service, by room (simulator/chat.py).
        self.chat: dict[str, list[Any]] = {}
        self.callbacks: list[Callback] = []
        self.monitors: list[MonitorSession] = []
        # The next id per kind of record ("lead", "hopper", "did", ...), as auto-increment
        # columns hand them out: one past the highest ever seen.
        self._ids: dict[str, int] = {}

    # -- bookkeeping -------------------------------------------------------------------------

    def emit(self, kind: SimEventKind, **data: Any) -> None:
        self.events.emit(SimEvent(kind, self.clock.now(), data))

    def configured(self, table: str, key: str, change: str, **data: Any) -> None:
        """Announce a change to a configuration table (``change``: added, updated, deleted)."""
        self.emit(SimEventKind.CONFIG_CHANGED, table=table, key=key, change=change, **data)

    def now(self) -> datetime:
        return self.clock.now()

    def next_id(self, kind: str) -> int:
        number = self._ids.get(kind, 1)
        self._ids[kind] = number + 1
        return number

    def saw_id(self, kind: str, number: int) -> None:
        """An id given by the scenario: later ones continue after it."""
        self._ids[kind] = max(self._ids.get(kind, 1), number + 1)

    def add_lead_record(self, lead: Lead) -> Lead:
        """Store a lead as it is (scenario loading); ids continue after the highest seen."""
        self.leads[lead.lead_id] = lead
        self.saw_id("lead", lead.lead_id)
        return lead

    def new_lead_id(self) -> int:
        return self.next_id("lead")

    def add_to_hopper(self, lead_id: int, campaign_id: str, priority: int = 0) -> HopperEntry:
        entry = HopperEntry(self.next_id("hopper"), lead_id, campaign_id, priority)
        self.hopper.append(entry)
        self.emit(SimEventKind.HOPPER_CHANGED, campaign_id=campaign_id, lead_id=lead_id)
        return entry

    def new_call_ids(self, direction: CallDirection, lead_id: int) -> tuple[str, str]:
        """A ViciDial-shaped caller code (M/Y + MMDDhhmmss + 10-digit lead) and uniqueid."""
        now = self.now()
        prefix = "M" if direction is CallDirection.OUTBOUND else "Y"
        number = self.next_id("call")
        call_id = f"{prefix}{now:%m%d%H%M%S}{lead_id:010d}"
        while call_id in self.calls:
            call_id = call_id[:-1] + str((int(call_id[-1]) + 1) % 10)
        return call_id, f"{self.clock.epoch()}.{number}"

    # -- look-ups ----------------------------------------------------------------------------

    def session(self, user: str) -> Session | None:
        return self.sessions.get(user)

    def leads_by_phone(self, phone: str) -> list[Lead]:
        return [lead for lead in self.leads.values() if lead.phone_number == phone]

    def campaign_lists(self, campaign_id: str) -> list[LeadList]:
        return [lst for lst in self.lists.values() if lst.campaign_id == campaign_id]

    def in_hopper(self, lead_id: int) -> bool:
        return any(entry.lead_id == lead_id for entry in self.hopper)

    def waiting_calls(self, ingroups: Iterable[str]) -> list[Call]:
        wanted = set(ingroups)
        return [
            self.calls[call_id]
            for group in self.ingroups.values()
            if group.group_id in wanted
            for call_id in group.queue
            if call_id in self.calls
        ]

    def is_dnc(self, phone: str, campaign_id: str | None = None) -> bool:
        return phone in self.dnc.get(campaign_id or SYSTEM_DNC, set())

    def agents_in(self, sessions: Iterable[Session]) -> Iterator[tuple[Session, User]]:
        for session in sessions:
            user = self.users.get(session.user)
            if user is not None:
                yield session, user

    def _set_state(self, session: Session, status: AgentState) -> None:
        session.status = status
        session.state_since = self.now()

    def _require(self, user: str) -> Session:
        session = self.sessions.get(user)
        if session is None:
            raise SimStateError(f"agent {user} is not logged in")
        return session
