"""The live call center: every record, and the changes the APIs and the control API make.

Each change is a method here that updates the records and then emits a ``SimEvent``, so the
API modules only translate wire text to these calls and back, and issue 7's traffic model and
callbacks can hook onto the events.
"""

from __future__ import annotations

from collections.abc import Iterable

from integrations.vicidial.simulator.calls import Calls
from integrations.vicidial.simulator.events import SimEventKind
from integrations.vicidial.simulator.records import (
    AgentState,
    Callback,
    Notification,
    Recording,
    Session,
)
from integrations.vicidial.simulator.tables import SYSTEM_DNC, SimStateError, SystemInfo

__all__ = ["SYSTEM_DNC", "CallCenter", "SimStateError", "SystemInfo"]


class CallCenter(Calls):
    """The live call center: agent sessions, recordings and notifications on top of calls."""

    # -- agent sessions ----------------------------------------------------------------------

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
        # ViciDial names a session by its login epoch, its conference and a random number;
        # the simulator's "random" part is the epoch again, so names are reproducible.
        epoch = self.clock.epoch()
        session.session_name = f"{epoch}_{session.session_id}{epoch % 10_000_000:07d}"
        self.sessions[user] = session
        self.emit(SimEventKind.AGENT_LOGIN, user=user, campaign_id=campaign_id)
        return session

    def logout(self, user: str) -> None:
        session = self._require(user)
        if session.call_id:
            self.end_call(user)
        del self.sessions[user]
        self.emit(SimEventKind.AGENT_LOGOUT, user=user, campaign_id=session.campaign_id)

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

    # -- recordings --------------------------------------------------------------------------

    def start_recording(self, user: str, suffix: str = "") -> Recording:
        session = self._require(user)
        now = self.now()
        lead = self.leads.get(session.lead_id)
        phone = lead.phone_number if lead else ""
        filename = f"{now:%Y%m%d-%H%M%S}_{phone}_{user}{suffix}"
        recording = Recording(
            recording_id=self.next_id("recording"),
            start_time=now,
            user=user,
            lead_id=session.lead_id,
            filename=filename,
            location=f"{self.system.recording_url}/{filename}-all.mp3",
            uniqueid=self.calls[session.call_id].uniqueid if session.call_id in self.calls else "",
        )
        self.recordings.append(recording)
        session.recording_id = recording.recording_id
        self.emit(SimEventKind.RECORDING_STARTED, user=user, recording_id=recording.recording_id)
        return recording

    def add_recording_record(self, recording: Recording) -> None:
        self.recordings.append(recording)
        self.saw_id("recording", recording.recording_id)

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

    # -- scheduled callbacks -----------------------------------------------------------------

    def schedule_callback(
        self,
        lead_id: int,
        *,
        campaign_id: str,
        user: str,
        when: str,
        status: str = "CALLBK",
        recipient: str = "ANYONE",
        comments: str = "",
    ) -> Callback:
        lead = self.leads.get(lead_id)
        owner = self.users.get(user)
        callback = Callback(
            callback_id=self.next_id("callback"),
            lead_id=lead_id,
            list_id=lead.list_id if lead else 0,
            campaign_id=campaign_id,
            user=user,
            callback_time=when,
            entry_time=self.now(),
            lead_status=status,
            recipient=recipient,
            comments=comments,
            user_group=owner.user_group if owner else "",
        )
        self.callbacks.append(callback)
        self.emit(
            SimEventKind.CALLBACK_SCHEDULED,
            callback_id=callback.callback_id,
            lead_id=lead_id,
            user=user,
            when=when,
        )
        return callback

    # -- notifications -----------------------------------------------------------------------

    def notify(
        self, recipient: str, recipient_type: str, text: str, *, confetti: bool
    ) -> Notification:
        """Queue a notification and keep it in the state of every agent it reaches."""
        note = Notification(
            notification_id=self.next_id("notification"),
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
