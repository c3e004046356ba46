"""The live call center: every record, and the changes the APIs and the control API make.

Each change is a method here that updates the records and then emits a ``SimEvent``, so the
API modules only translate wire text to these calls and back, and issue 7's traffic model and
callbacks can hook onto the events.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from integrations.vicidial.simulator.clock import SimClock
from integrations.vicidial.simulator.events import EventHub, SimEvent, SimEventKind
from integrations.vicidial.simulator.records import (
    AgentLog,
    AgentState,
    Call,
    CallDirection,
    CallLog,
    Campaign,
    Did,
    DidLog,
    HopperEntry,
    InGroup,
    Lead,
    LeadList,
    Notification,
    Phone,
    Recording,
    Session,
    User,
    UserGroup,
)

SYSTEM_DNC = "SYSTEM_INTERNAL"


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
    webserver: dict[str, str] = Field(default_factory=dict)
    # System Settings: Agent Push Events / Agent Push URL (relative to the dialer's /agc/),
    # and the API New Lead URL that lists may override.
    agent_push_events: bool = False
    agent_push_url: str = ""
    apinewlead_url: str = ""


class CallCenter:
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
        self.phones: dict[str, Phone] = {}
        self.group_aliases: dict[str, str] = {}
        # DNC numbers per list: SYSTEM_INTERNAL or a campaign id.
        self.dnc: dict[str, set[str]] = {SYSTEM_DNC: set()}
        self.sessions: dict[str, Session] = {}
        self.calls: dict[str, Call] = {}
        self.call_logs: list[CallLog] = []
        self.did_logs: list[DidLog] = []
        self.recordings: list[Recording] = []
        self.agent_logs: list[AgentLog] = []
        self.notifications: list[Notification] = []
        self.callbacks: list[dict[str, str]] = []
        self._next_lead_id = 1
        self._next_recording_id = 1
        self._next_call = 1
        self._next_hopper_id = 1
        self._next_closecallid = 1

    # -- bookkeeping -------------------------------------------------------------------------

    def emit(self, kind: SimEventKind, **data: Any) -> None:
        self.events.emit(SimEvent(kind, self.clock.now(), data))

    def now(self) -> datetime:
        return self.clock.now()

    def add_lead_record(self, lead: Lead) -> Lead:
        """Store a lead as it is (scenario loading); ids continue after the highest seen."""
        self.leads[lead.lead_id] = lead
        self._next_lead_id = max(self._next_lead_id, lead.lead_id + 1)
        return lead

    def new_lead_id(self) -> int:
        lead_id = self._next_lead_id
        self._next_lead_id += 1
        return lead_id

    def add_to_hopper(self, lead_id: int, campaign_id: str, priority: int = 0) -> HopperEntry:
        entry = HopperEntry(self._next_hopper_id, lead_id, campaign_id, priority)
        self._next_hopper_id += 1
        self.hopper.append(entry)
        self.emit(SimEventKind.HOPPER_CHANGED, campaign_id=campaign_id, lead_id=lead_id)
        return entry

    def new_call_ids(self, direction: CallDirection, lead_id: int) -> tuple[str, str]:
        """A ViciDial-shaped caller code (M/Y + MMDDhhmmss + 10-digit lead) and uniqueid."""
        now = self.now()
        prefix = "M" if direction is CallDirection.OUTBOUND else "Y"
        number = self._next_call
        self._next_call += 1
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

    # -- agent sessions ----------------------------------------------------------------------

    def _set_state(self, session: Session, status: AgentState) -> None:
        session.status = status
        session.state_since = self.now()

    def login(
        self,
        user: str,
        campaign_id: str,
        *,
        ingroups: Iterable[str] = (),
        blended: bool = False,
        session_id: str | None = None,
        computer_ip: str = "",
    ) -> Session:
        if user not in self.users:
            raise SimStateError(f"no user {user!r}")
        if campaign_id not in self.campaigns:
            raise SimStateError(f"no campaign {campaign_id!r}")
        if user in self.sessions:
            raise SimStateError(f"agent {user} is already logged in")
        groups = list(ingroups)
        unknown = [g for g in groups if g not in self.ingroups]
        if unknown:
            raise SimStateError(f"no in-group {unknown[0]!r}")
        number = 8600051 + len(self.sessions)
        taken = {s.session_id for s in self.sessions.values()}
        while str(number) in taken:
            number += 1
        session = Session(
            user=user,
            campaign_id=campaign_id,
            session_id=session_id or str(number),
            pause_code="LOGIN",
            ingroups=groups,
            blended=blended,
            computer_ip=computer_ip,
            server_ip=self.system.server_ip,
            login_time=self.now(),
            state_since=self.now(),
        )
        self.sessions[user] = session
        self.emit(SimEventKind.AGENT_LOGIN, user=user, campaign_id=campaign_id)
        return session

    def logout(self, user: str) -> None:
        session = self._require(user)
        if session.call_id:
            self.end_call(user)
        del self.sessions[user]
        self.emit(SimEventKind.AGENT_LOGOUT, user=user, campaign_id=session.campaign_id)

    def _require(self, user: str) -> Session:
        session = self.sessions.get(user)
        if session is None:
            raise SimStateError(f"agent {user} is not logged in")
        return session

    def pause(self, user: str) -> None:
        session = self._require(user)
        if session.status in (AgentState.INCALL, AgentState.DISPO):
            # ViciDial pauses an agent on a call once the call is over.
            session.pause_after_call = True
            return
        if session.status is not AgentState.PAUSED:
            self._set_state(session, AgentState.PAUSED)
            session.pause_code = ""
            self.emit(SimEventKind.AGENT_PAUSED, user=user, campaign_id=session.campaign_id)

    def resume(self, user: str) -> None:
        session = self._require(user)
        self._set_state(session, AgentState.READY)
        session.pause_code = ""
        session.pause_after_call = False
        self.emit(SimEventKind.AGENT_READY, user=user, campaign_id=session.campaign_id)

    def set_pause_code(self, user: str, code: str) -> None:
        session = self._require(user)
        session.pause_code = code
        self.emit(SimEventKind.PAUSE_CODE_SET, user=user, pause_code=code)

    # -- calls -------------------------------------------------------------------------------

    def start_call(
        self,
        *,
        phone_number: str,
        user: str | None = None,
        lead_id: int | None = None,
        direction: CallDirection = CallDirection.OUTBOUND,
        ingroup: str = "",
        campaign_id: str | None = None,
        did: str = "",
        call_id: str | None = None,
        uniqueid: str | None = None,
        touch_lead: bool = True,
        manual: bool = False,
    ) -> Call:
        """A new call: to an agent now, or (inbound, no agent) waiting in an in-group queue."""
        session = self._require(user) if user else None
        if session is not None and session.call_id:
            raise SimStateError(f"agent {user} is already on a call")
        if ingroup and ingroup not in self.ingroups:
            raise SimStateError(f"no in-group {ingroup!r}")
        if session is None and not ingroup:
            raise SimStateError("a call without an agent must wait in an in-group")
        lead = self.leads.get(lead_id) if lead_id else None
        if lead is None:
            lead = self._lead_for_call(phone_number, session, campaign_id, direction, did, ingroup)
        campaign = campaign_id or (session.campaign_id if session else "")
        new_id, new_uniqueid = self.new_call_ids(direction, lead.lead_id)
        closecallid = 0
        if direction is CallDirection.INBOUND:
            closecallid = self._next_closecallid
            self._next_closecallid += 1
        call = Call(
            call_id=call_id or new_id,
            uniqueid=uniqueid or new_uniqueid,
            lead_id=lead.lead_id,
            phone_number=phone_number,
            direction=direction,
            campaign_id=campaign,
            ingroup=ingroup,
            started=self.now(),
            did=did,
            manual=manual,
            closecallid=closecallid,
        )
        self.calls[call.call_id] = call
        if session is None:
            self.ingroups[ingroup].queue.append(call.call_id)
            self.emit(SimEventKind.CALL_QUEUED, call_id=call.call_id, ingroup=ingroup)
        else:
            self._connect(session, call, touch_lead=touch_lead)
        return call

    def _lead_for_call(
        self,
        phone: str,
        session: Session | None,
        campaign_id: str | None,
        direction: CallDirection,
        did: str,
        ingroup: str,
    ) -> Lead:
        found = self.leads_by_phone(phone)
        if found:
            return found[-1]
        campaign = self.campaigns.get(campaign_id or (session.campaign_id if session else ""))
        list_id = campaign.manual_dial_list_id if campaign else 999
        if direction is CallDirection.INBOUND and did in self.dids:
            list_id = self.dids[did].list_id
        lead = self.add_lead_record(
            Lead(
                lead_id=self.new_lead_id(),
                list_id=list_id,
                phone_number=phone,
                entry_list_id=list_id,
                entry_date=self.now(),
            )
        )
        # The inbound process adding a lead is what fires an in-group's Add Lead URL.
        origin = "inbound" if direction is CallDirection.INBOUND else "manual_dial"
        self.emit(
            SimEventKind.LEAD_ADDED,
            lead_id=lead.lead_id,
            list_id=list_id,
            origin=origin,
            ingroup=ingroup,
            did=did,
        )
        return lead

    def _connect(self, session: Session, call: Call, *, touch_lead: bool = True) -> None:
        call.agent = session.user
        session.call_id = call.call_id
        session.lead_id = call.lead_id
        session.calls_today += 1
        session.dead = False
        self._set_state(session, AgentState.INCALL)
        lead = self.leads.get(call.lead_id) if touch_lead else None
        if lead is not None:
            lead.status = "INCALL"
            lead.user = session.user
            lead.called_count += 1
            lead.last_local_call_time = f"{self.now():%Y-%m-%d %H:%M:%S}"
        self.emit(
            SimEventKind.CALL_STARTED,
            user=session.user,
            call_id=call.call_id,
            lead_id=call.lead_id,
            direction=call.direction.value,
            ingroup=call.ingroup,
            campaign_id=call.campaign_id,
        )

    def answer_queued(self, user: str, call_id: str | None = None) -> Call:
        """Give a call waiting in one of the agent's in-groups to the agent: ``call_id``, or
        the first waiting."""
        session = self._require(user)
        for call in self.waiting_calls(session.ingroups):
            if call_id is not None and call.call_id != call_id:
                continue
            self.ingroups[call.ingroup].queue.remove(call.call_id)
            self._connect(session, call)
            return call
        raise SimStateError(f"no call waiting for agent {user}")

    def end_call(self, user: str, *, term_reason: str = "AGENT") -> Call | None:
        """Hang up the agent's customer; the agent is left in DISPO with the lead on screen."""
        session = self._require(user)
        call = self.calls.pop(session.call_id, None)
        session.call_id = ""
        session.sub_status = ""
        session.parked = False
        session.dead = False
        if session.status is AgentState.INCALL:
            self._set_state(session, AgentState.DISPO)
        if call is not None:
            self._log_call(call, user, term_reason)
            self.emit(
                SimEventKind.CALL_ENDED,
                user=user,
                call_id=call.call_id,
                lead_id=call.lead_id,
                term_reason=term_reason,
                dead=False,
            )
        return call

    def _log_call(self, call: Call, user: str, term_reason: str, status: str = "") -> None:
        lead = self.leads.get(call.lead_id)
        started = call.started or self.now()
        self.call_logs.append(
            CallLog(
                uniqueid=call.uniqueid,
                lead_id=call.lead_id,
                list_id=lead.list_id if lead else 0,
                campaign_id=call.ingroup or call.campaign_id,
                call_date=started,
                length_in_sec=max(0, int((self.now() - started).total_seconds())),
                status=status,
                phone_number=call.phone_number,
                user=user,
                term_reason=term_reason,
                ingroup=call.ingroup,
                direction=call.direction,
            )
        )
        if call.did:
            self.did_logs.append(
                DidLog(call.did, call.phone_number, started, self.call_logs[-1].length_in_sec)
            )

    def mark_dead(self, user: str) -> None:
        """The customer hung up but the agent has not yet: ViciDial's dead call."""
        session = self._require(user)
        call = self.calls.pop(session.call_id, None)
        if call is None:
            raise SimStateError(f"agent {user} has no call")
        session.dead = True
        session.call_id = ""
        self._log_call(call, user, "CALLER")
        self.emit(
            SimEventKind.CALL_ENDED,
            user=user,
            call_id=call.call_id,
            lead_id=call.lead_id,
            term_reason="CALLER",
            dead=True,
        )

    def drop_call(
        self, call_id: str, *, status: str = "DROP", term_reason: str = "ABANDON"
    ) -> Call:
        """A call no agent took: it leaves its queue (or is never connected) and is logged
        with a system status, the way ViciDial logs drops, timeouts and after-hours calls."""
        call = self.calls.pop(call_id, None)
        if call is None:
            raise SimStateError(f"no live call {call_id!r}")
        if call.agent:
            self.calls[call_id] = call
            raise SimStateError(f"call {call_id} is with agent {call.agent}")
        group = self.ingroups.get(call.ingroup)
        if group is not None and call_id in group.queue:
            group.queue.remove(call_id)
        # ViciDial's pseudo-users for calls the dialer handled alone.
        user = "VDCL" if call.direction is CallDirection.INBOUND else "VDAD"
        self._log_call(call, user, term_reason, status)
        lead = self.leads.get(call.lead_id)
        if lead is not None:
            lead.status = status
            lead.modify_date = self.now()
        self.emit(
            SimEventKind.CALL_DROPPED,
            call_id=call.call_id,
            uniqueid=call.uniqueid,
            lead_id=call.lead_id,
            campaign_id=call.campaign_id,
            ingroup=call.ingroup,
            direction=call.direction.value,
            phone_number=call.phone_number,
            did=call.did,
            status=status,
            term_reason=term_reason,
            length_in_sec=self.call_logs[-1].length_in_sec,
        )
        return call

    def dial_unanswered(self, campaign_id: str, lead_id: int) -> Call:
        """An auto-dial call the customer answered while no agent was free (about to drop)."""
        lead = self.leads.get(lead_id)
        if lead is None:
            raise SimStateError(f"no lead {lead_id}")
        call_id, uniqueid = self.new_call_ids(CallDirection.OUTBOUND, lead_id)
        call = Call(
            call_id=call_id,
            uniqueid=uniqueid,
            lead_id=lead_id,
            phone_number=lead.phone_number,
            direction=CallDirection.OUTBOUND,
            campaign_id=campaign_id,
            started=self.now(),
        )
        self.calls[call_id] = call
        return call

    def nva_call(self, extension: str, phone_number: str) -> str:
        """A phone dials out through the NVA call menu, outside the agent screen; returns
        the call's uniqueid. ViciDial looks the number up among the leads (0: none found)."""
        phone = self.phones.get(extension)
        if phone is None:
            raise SimStateError(f"no phone {extension!r}")
        found = self.leads_by_phone(phone_number)
        _, uniqueid = self.new_call_ids(CallDirection.OUTBOUND, 0)
        self.emit(
            SimEventKind.NVA_CALL,
            extension=extension,
            phone_number=phone_number,
            uniqueid=uniqueid,
            lead_id=found[-1].lead_id if found else 0,
        )
        return uniqueid

    def disposition(self, user: str, status: str, *, callback_datetime: str = "") -> None:
        """Set the status of the lead on screen; the agent moves on (READY, or PAUSED)."""
        session = self._require(user)
        if session.call_id or session.dead:
            if session.call_id:
                self.end_call(user)
            session.dead = False
        lead = self.leads.get(session.lead_id)
        if lead is not None:
            lead.status = status
            lead.modify_date = self.now()
            for log in reversed(self.call_logs):
                if log.lead_id == lead.lead_id and log.status == "":
                    log.status = status
                    break
        self.emit(
            SimEventKind.CALL_DISPOSITIONED,
            user=user,
            lead_id=session.lead_id,
            status=status,
            callback_datetime=callback_datetime,
        )
        session.lead_id = 0
        if session.pause_after_call:
            session.pause_after_call = False
            self._set_state(session, AgentState.PAUSED)
            session.pause_code = ""
            self.emit(SimEventKind.AGENT_PAUSED, user=user, campaign_id=session.campaign_id)
        else:
            self._set_state(session, AgentState.READY)
            self.emit(SimEventKind.AGENT_READY, user=user, campaign_id=session.campaign_id)

    def transfer_to_ingroup(self, user: str, ingroup: str) -> Call:
        """The agent sends the customer to an in-group queue and is left in DISPO."""
        session = self._require(user)
        call = self.calls.get(session.call_id)
        if call is None:
            raise SimStateError(f"agent {user} has no call")
        session.call_id = ""
        session.sub_status = ""
        self._set_state(session, AgentState.DISPO)
        call.agent = ""
        call.ingroup = ingroup
        self.ingroups[ingroup].queue.append(call.call_id)
        self.emit(SimEventKind.CALL_TRANSFERRED, user=user, call_id=call.call_id, ingroup=ingroup)
        return call

    # -- recordings --------------------------------------------------------------------------

    def start_recording(self, user: str, suffix: str = "") -> Recording:
        session = self._require(user)
        now = self.now()
        lead = self.leads.get(session.lead_id)
        phone = lead.phone_number if lead else ""
        filename = f"{now:%Y%m%d-%H%M%S}_{phone}_{user}{suffix}"
        recording = Recording(
            recording_id=self._next_recording_id,
            start_time=now,
            user=user,
            lead_id=session.lead_id,
            filename=filename,
            location=f"{self.system.recording_url}/{filename}-all.mp3",
            uniqueid=self.calls[session.call_id].uniqueid if session.call_id in self.calls else "",
        )
        self._next_recording_id += 1
        self.recordings.append(recording)
        session.recording_id = recording.recording_id
        self.emit(SimEventKind.RECORDING_STARTED, user=user, recording_id=recording.recording_id)
        return recording

    def add_recording_record(self, recording: Recording) -> None:
        self.recordings.append(recording)
        self._next_recording_id = max(self._next_recording_id, recording.recording_id + 1)

    def active_recording(self, user: str) -> Recording | None:
        session = self.sessions.get(user)
        if session is None or session.recording_id is None:
            return None
        for recording in self.recordings:
            if recording.recording_id == session.recording_id:
                return recording
        return None

    def stop_recording(self, user: str) -> Recording | None:
        recording = self.active_recording(user)
        session = self._require(user)
        session.recording_id = None
        if recording is not None:
            recording.end_time = self.now()
            recording.length_in_sec = int((self.now() - recording.start_time).total_seconds())
            self.emit(
                SimEventKind.RECORDING_STOPPED, user=user, recording_id=recording.recording_id
            )
        return recording

    # -- notifications -----------------------------------------------------------------------

    def notify(
        self, recipient: str, recipient_type: str, text: str, *, confetti: bool
    ) -> Notification:
        """Queue a notification and keep it in the state of every agent it reaches."""
        note = Notification(
            notification_id=len(self.notifications) + 1,
            recipient=recipient,
            recipient_type=recipient_type,
            text=text,
            at=self.now(),
            confetti=confetti,
        )
        self.notifications.append(note)
        for session, user in self.agents_in(self.sessions.values()):
            if (
                (recipient_type == "USER" and user.user == recipient)
                or (recipient_type == "USER_GROUP" and user.user_group == recipient)
                or (recipient_type == "CAMPAIGN" and session.campaign_id == recipient)
            ):
                session.notifications.append(note)
        self.emit(
            SimEventKind.NOTIFICATION_SENT,
            notification_id=note.notification_id,
            recipient=recipient,
            recipient_type=recipient_type,
        )
        return note
