"""The seeded traffic model: calls arrive, agents answer, talk, disposition and pause.

Everything random comes from one ``random.Random(seed)`` and every step runs on the
simulator's ``Scheduler`` in time order, so one seed gives the same events in the same order
(on a stepped clock, at the same times too). The model works through the call center's own
methods, so the callbacks fire exactly as they would for the same changes made through the
APIs. Agents the model does not drive (not listed in ``traffic.agents``) are left alone.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from datetime import timedelta

from integrations.vicidial.simulator import admin_api
from integrations.vicidial.simulator.callbacks import CallbackDispatcher
from integrations.vicidial.simulator.did_calls import call_did
from integrations.vicidial.simulator.records import AgentState, CallDirection, Lead, Session
from integrations.vicidial.simulator.scheduler import Scheduler
from integrations.vicidial.simulator.state import CallCenter, SimStateError
from integrations.vicidial.simulator.traffic_schema import AgentPlan, Seconds, TrafficModel
from integrations.vicidial.simulator.wire import stamp

logger = logging.getLogger(__name__)

# Names for leads the model invents: some with a space, an apostrophe or accents, because
# that is where ViciDial's senders differ.
_FIRST = ("Ana", "Zoë", "José", "Anne Marie", "Li", "Omar", "Grace", "Jürgen")
_LAST = ("Smith", "D'Souza", "Müller", "Nguyen", "Okafor", "Silva", "Van Dyke", "Kowalski")
_CITIES = ("Chicago", "Saint John's", "Montréal", "Tampa", "San José")
_SHORT_PAUSE = 1  # seconds a READY agent waits before the model looks for work again


class Traffic:
    def __init__(
        self,
        center: CallCenter,
        scheduler: Scheduler,
        callbacks: CallbackDispatcher,
        model: TrafficModel,
    ) -> None:
        self.center = center
        self.scheduler = scheduler
        self.callbacks = callbacks
        self.model = model
        self.rng = random.Random(model.seed)
        self._plans = {plan.user: plan for plan in model.agents}
        self._logging_out: set[str] = set()
        self._lead_cursor: dict[str, int] = {}
        self._started_at = 0.0

    def __repr__(self) -> str:
        return f"Traffic(seed={self.model.seed}, agents={len(self._plans)})"

    # -- sampling --------------------------------------------------------------------------------

    def _seconds(self, span: Seconds) -> int:
        return self.rng.randint(span.min, span.max)

    def _weighted(self, weights: dict[str, float]) -> str:
        names = [name for name, weight in weights.items() if weight > 0]
        return self.rng.choices(names, [weights[name] for name in names])[0]

    def _gap(self, per_minute: float) -> float:
        # Poisson arrivals: exponential gaps, in whole seconds so stepped runs stay exact.
        return max(1.0, round(self.rng.expovariate(per_minute / 60.0)))

    def _phone(self) -> str:
        return str(self.rng.randint(2002000000, 9899999999))

    # -- start -----------------------------------------------------------------------------------

    def start(self) -> None:
        self._started_at = self.scheduler.clock.time()
        for plan in self.model.agents:
            self.scheduler.after(plan.login_after, self._log_in_action(plan), f"login {plan.user}")
            if plan.logout_after is not None:
                self.scheduler.after(
                    plan.logout_after, self._log_out_action(plan.user), f"logout {plan.user}"
                )
        for campaign_id, dialing in self.model.campaigns.items():
            if dialing.calls_per_minute > 0:
                self._every(dialing.calls_per_minute, self._outbound_action(campaign_id))
        for group_id, group_plan in self.model.ingroups.items():
            if group_plan.calls_per_minute > 0:
                self._every_async(group_plan.calls_per_minute, group_id)
        for nva in self.model.nva:
            if nva.calls_per_minute > 0:
                self._every(
                    nva.calls_per_minute, self._nva_action(nva.extension, nva.unknown_share)
                )
        api = self.model.api_leads
        if api is not None and api.per_minute > 0:
            self._every(api.per_minute, self._api_lead)

    def _outbound_action(self, campaign_id: str) -> Callable[[], None]:
        return lambda: self._outbound(campaign_id)

    def _nva_action(self, extension: str, unknown_share: float) -> Callable[[], None]:
        return lambda: self._nva(extension, unknown_share)

    def _every(self, per_minute: float, action: Callable[[], None]) -> None:
        def tick() -> None:
            action()
            self.scheduler.after(self._gap(per_minute), tick, "arrival")

        self.scheduler.after(self._gap(per_minute), tick, "arrival")

    def _every_async(self, per_minute: float, group_id: str) -> None:
        async def tick() -> None:
            await self._inbound(group_id)
            self.scheduler.after(self._gap(per_minute), tick, f"inbound {group_id}")

        self.scheduler.after(self._gap(per_minute), tick, f"inbound {group_id}")

    # -- agents ----------------------------------------------------------------------------------

    def _log_in_action(self, plan: AgentPlan) -> Callable[[], None]:
        def log_in() -> None:
            if plan.user not in self.center.sessions:
                self.center.login(plan.user, plan.campaign_id, ingroups=plan.ingroups)
            session = self.center.sessions[plan.user]
            if session.status is AgentState.PAUSED:
                self.center.resume(plan.user)
            self._look_for_work(plan.user)

        return log_in

    def _log_out_action(self, user: str) -> Callable[[], None]:
        def log_out() -> None:
            session = self.center.sessions.get(user)
            if session is None:
                return
            if session.call_id or session.status in (AgentState.INCALL, AgentState.DISPO):
                self._logging_out.add(user)  # after this call's disposition
                return
            self.center.logout(user)

        return log_out

    def _free_agent(self, wanted: Callable[[Session], bool]) -> Session | None:
        """The READY driven agent waiting longest (ties by user id), that ``wanted``."""
        ready = [
            s
            for s in self.center.sessions.values()
            if s.user in self._plans
            and s.status is AgentState.READY
            and not s.call_id
            and s.user not in self._logging_out
            and wanted(s)
        ]
        if not ready:
            return None
        return min(ready, key=lambda s: (s.state_since or self.center.now(), s.user))

    def _look_for_work(self, user: str) -> None:
        """A driven agent just became READY: take the oldest call waiting for it."""
        session = self.center.sessions.get(user)
        if session is None or session.status is not AgentState.READY or session.call_id:
            return
        waiting = self.center.waiting_calls(session.ingroups)
        if not waiting:
            return
        oldest = min(waiting, key=lambda c: (c.started or self.center.now(), c.call_id))
        call = self.center.answer_queued(user, oldest.call_id)
        self._talk(user, call.call_id)

    def _talk(self, user: str, call_id: str) -> None:
        self.scheduler.after(
            self._seconds(self.model.talk_seconds),
            lambda: self._talk_over(user, call_id),
            f"talk {user}",
        )

    def _talk_over(self, user: str, call_id: str) -> None:
        session = self.center.sessions.get(user)
        if session is None or session.call_id != call_id:
            return  # the call ended another way (API, control API)
        if self.rng.random() < self.model.dead.share:
            self.center.mark_dead(user)
            wrap = self._seconds(self.model.dead.seconds)
        else:
            hangup = "AGENT" if self.rng.random() < self.model.agent_hangup_share else "CALLER"
            self.center.end_call(user, term_reason=hangup)
            wrap = self._seconds(self.model.dispo_seconds)
        self.scheduler.after(wrap, lambda: self._dispo(user), f"dispo {user}")

    def _dispo(self, user: str) -> None:
        session = self.center.sessions.get(user)
        if session is None or (session.status is not AgentState.DISPO and not session.dead):
            return
        status = self._weighted(self.model.statuses)
        callback_at = ""
        if status in self.model.callback_statuses:
            moment = self.center.now() + timedelta(hours=self.model.callback_hours)
            callback_at = stamp(moment)
            self.center.schedule_callback(
                session.lead_id,
                campaign_id=session.campaign_id,
                user=user,
                when=callback_at,
                status=status,
            )
        pauses = self.model.pauses
        pausing = user not in self._logging_out and self.rng.random() < pauses.share
        if pausing:
            self.center.pause(user)  # on a call: takes effect with the disposition
        self.center.disposition(user, status, callback_datetime=callback_at)
        if user in self._logging_out:
            self._logging_out.discard(user)
            self.center.logout(user)
            return
        if pausing:
            self._pause(user)
        else:
            self.scheduler.after(_SHORT_PAUSE, lambda: self._look_for_work(user), f"ready {user}")

    def _pause(self, user: str) -> None:
        pauses = self.model.pauses
        code = self._weighted(pauses.codes)
        self.center.set_pause_code(user, code)
        session = self.center.sessions[user]
        campaign = self.center.campaigns.get(session.campaign_id)
        limit = campaign.max_pause_seconds if campaign is not None else 0
        length = self._seconds(pauses.seconds)
        if limit and self.rng.random() < pauses.over_max_share:
            length = limit + self._seconds(pauses.overrun)
        elif limit:
            length = min(length, limit)
        since = session.state_since

        def resume() -> None:
            current = self.center.sessions.get(user)
            if current is None or current.status is not AgentState.PAUSED:
                return
            if current.state_since != since:
                return  # paused again in between (API): that pause is not ours to end
            self.center.resume(user)
            self._look_for_work(user)

        self.scheduler.after(length, resume, f"resume {user}")

    # -- calls -----------------------------------------------------------------------------------

    def _next_lead(self, campaign_id: str) -> int:
        """The campaign's leads in turn (by lead id), or a new one when it has none."""
        campaign = self.center.campaigns[campaign_id]
        lists = {lst.list_id for lst in self.center.campaign_lists(campaign_id)}
        leads = sorted(
            lead.lead_id
            for lead in self.center.leads.values()
            if lead.list_id in lists and lead.status in campaign.dial_statuses
        )
        cursor = self._lead_cursor.get(campaign_id, 0)
        later = [lead_id for lead_id in leads if lead_id > cursor]
        if later or leads:
            chosen = (later or leads)[0]
            self._lead_cursor[campaign_id] = chosen
            return chosen
        return self._invent_lead(min(lists) if lists else campaign.manual_dial_list_id)

    def _invent_lead(self, list_id: int) -> int:
        lead = Lead(
            lead_id=self.center.new_lead_id(),
            list_id=list_id,
            phone_number=self._phone(),
            entry_list_id=list_id,
            entry_date=self.center.now(),
            first_name=self.rng.choice(_FIRST),
            last_name=self.rng.choice(_LAST),
            city=self.rng.choice(_CITIES),
        )
        self.center.add_lead_record(lead)
        return lead.lead_id

    def _outbound(self, campaign_id: str) -> None:
        lead_id = self._next_lead(campaign_id)
        lead = self.center.leads[lead_id]
        agent = self._free_agent(lambda s: s.campaign_id == campaign_id)
        if agent is None:
            call = self.center.dial_unanswered(campaign_id, lead_id)
            self.center.drop_call(call.call_id, status="DROP", term_reason="ABANDON")
            return
        call = self.center.start_call(
            phone_number=lead.phone_number,
            user=agent.user,
            lead_id=lead_id,
            direction=CallDirection.OUTBOUND,
            campaign_id=campaign_id,
        )
        self._talk(agent.user, call.call_id)

    def _caller(self, group_id: str) -> str:
        plan = self.model.ingroups[group_id]
        known = sorted({lead.phone_number for lead in self.center.leads.values()})
        if known and self.rng.random() >= plan.new_caller_share:
            return self.rng.choice(known)
        return self._phone()

    async def _inbound(self, group_id: str) -> None:
        plan = self.model.ingroups[group_id]
        phone = self._caller(group_id)
        if plan.did:
            routed = await call_did(self.center, self.callbacks, plan.did, phone, group_id)
            if routed is None:
                return  # the filter's action: hang up on the caller
            call = routed
        else:
            call = self.center.start_call(
                phone_number=phone, direction=CallDirection.INBOUND, ingroup=group_id
            )
        target = call.ingroup
        agent = self._free_agent(lambda s: target in s.ingroups)
        if agent is not None:
            self._look_for_work(agent.user)
        if call.call_id in self.center.ingroups[target].queue:
            seconds = self.center.ingroups[target].drop_call_seconds
            self.scheduler.after(seconds, lambda: self._queue_timeout(call.call_id), "drop")

    def _queue_timeout(self, call_id: str) -> None:
        call = self.center.calls.get(call_id)
        if call is None or call.agent:
            return
        try:
            self.center.drop_call(call_id, status="DROP", term_reason="QUEUETIMEOUT")
        except SimStateError:
            logger.debug("call %s left its queue before its drop time", call_id)

    def _nva(self, extension: str, unknown_share: float) -> None:
        known = sorted({lead.phone_number for lead in self.center.leads.values()})
        if known and self.rng.random() >= unknown_share:
            phone = self.rng.choice(known)
        else:
            phone = self._phone()
        self.center.nva_call(extension, phone)

    def _api_lead(self) -> None:
        """A CRM adds a lead through the non-agent API's add_lead, in process."""
        plan = self.model.api_leads
        if plan is None:
            return
        user = self.center.users[plan.user]
        params = {
            "source": "traffic",
            "user": user.user,
            "pass": user.password,
            "function": "add_lead",
            "phone_number": self._phone(),
            "list_id": str(plan.list_id),
            "first_name": self.rng.choice(_FIRST),
            "last_name": self.rng.choice(_LAST),
            "city": self.rng.choice(_CITIES),
            "vendor_lead_code": f"CRM-{self.rng.randint(1000, 9999)}",
        }
        answer = admin_api.answer(self.center, params)
        if not answer.body.startswith("SUCCESS"):
            logger.warning("traffic could not add an API lead: %s", answer.body.split(" - ")[0])
