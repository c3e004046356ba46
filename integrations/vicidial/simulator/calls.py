"""Calls: placed, queued, answered, ended, dropped, dispositioned and transferred."""

from __future__ import annotations

from integrations.vicidial.simulator.events import SimEventKind
from integrations.vicidial.simulator.records import (
    AgentState,
    Call,
    CallDirection,
    CallLog,
    DidLog,
    Lead,
    Session,
)
from integrations.vicidial.simulator.tables import SimStateError, Tables


class Calls(Tables):
    """The changes a call goes through, from its start to its disposition."""

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
        """A new call: to an agent now, or (inbound, no agent) waiting in an in-group queue
        (``ingroup``, else the one ``did`` routes to)."""
        session = self._require(user) if user else None
        route = self.dids.get(did)
        if direction is CallDirection.INBOUND and not ingroup and route is not None:
            # A call to a DID waits in the DID's in-group.
            ingroup = route.ingroup
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
            closecallid = self.next_id("closecall")
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
                call_id=call.call_id,
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

    def switch_lead(self, user: str, lead_id: int) -> None:
        """The agent's live call is about another lead from now on (switch_lead)."""
        session = self._require(user)
        previous = session.lead_id
        session.lead_id = lead_id
        call = self.calls.get(session.call_id)
        if call is not None:
            call.lead_id = lead_id
        self.emit(SimEventKind.LEAD_SWITCHED, user=user, lead_id=lead_id, previous=previous)

    def move_to_queue(self, call_id: str, ingroup: str) -> Call:
        """A live call goes to wait in an in-group's queue: from its agent, who is left in
        DISPO, or from the queue it waited in."""
        call = self.calls.get(call_id)
        if call is None:
            raise SimStateError(f"no live call {call_id!r}")
        if call.agent:
            return self.transfer_to_ingroup(call.agent, ingroup)
        group = self.ingroups.get(call.ingroup)
        if group is not None and call_id in group.queue:
            group.queue.remove(call_id)
        call.ingroup = ingroup
        self.ingroups[ingroup].queue.append(call_id)
        self.emit(SimEventKind.CALL_TRANSFERRED, user="", call_id=call_id, ingroup=ingroup)
        return call
