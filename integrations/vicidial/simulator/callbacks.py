"""Every callback ViciDial fires, requested as the simulated call center's events happen.

The dispatcher listens to the call center's events. For each it reads, at that moment, the
values ViciDial would have (``callback_values``), finds the URLs configured for the kind
(campaign, in-group, list, DID, phone or system; ALT entries in rank order), substitutes
them the way the kind's sender does (``senders``) and queues the request. One worker sends
the queue in order over raw HTTP (``rawhttp``). A failed request is logged, without its query
(the token lives there), and never retried, as ViciDial never retries.

Timers for the pause max and dead call trigger URLs run on the simulator's ``Scheduler``. The
DID filter is not queued: the call waits for its answer (``did_filter``).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from integrations.vicidial.simulator import callback_values as cv
from integrations.vicidial.simulator.clock import to_epoch
from integrations.vicidial.simulator.events import SimEvent, SimEventKind
from integrations.vicidial.simulator.rawhttp import RawHttp, TransportError
from integrations.vicidial.simulator.records import AgentState, AltUrl, CallDirection
from integrations.vicidial.simulator.scheduler import Scheduler
from integrations.vicidial.simulator.senders import (
    GET2POST,
    Prepared,
    Refused,
    agent_screen_post,
    get2post,
    prepare_get,
)
from integrations.vicidial.simulator.state import CallCenter
from integrations.vicidial.webhooks.kinds import Kind, Sender
from integrations.vicidial.webhooks.push_events import PushEvent

logger = logging.getLogger(__name__)

HISTORY = 2000
DISABLED = "---DISABLED---"
ALL_STATUSES = "---ALL---"
ALT = "ALT"
CAMP = "CAMP"
_NO_PUSH_LEAD = ("", "0")
WAITING_CHECK_SECONDS = 1


@dataclass(frozen=True, slots=True)
class Delivery:
    """One callback request: where it went (never its query) and how it ended."""

    kind: Kind
    setting: str  # which setting it came from, e.g. "campaign TESTCAMP dispo_call_url"
    origin: str  # scheme://host/path, without the query that carries the token
    at: datetime
    status: int | None  # the HTTP status; None when it was not sent or no answer came
    error: str = ""
    event: str = ""  # the push event's name for agent_event
    request: bytes = field(default=b"", repr=False)
    answer: bytes = field(default=b"", repr=False)

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


@dataclass(slots=True)
class _Leg:
    """The agent's current or last call, kept until its disposition."""

    facts: cv.CallFacts
    ended_at: datetime | None = None
    term_reason: str = ""
    dead: bool = False


@dataclass(slots=True)
class _Job:
    kind: Kind
    setting: str
    prepared: Prepared | Refused
    event: str = ""
    after: Callable[[], None] | None = None


def _alt_matches(alt: AltUrl, *, status: str | None, list_id: int, seconds: int | None) -> bool:
    if not alt.active:
        return False
    if status is not None and ALL_STATUSES not in alt.statuses and status not in alt.statuses:
        return False
    if alt.lists and list_id not in alt.lists:
        return False
    return seconds is None or seconds >= alt.min_length


class CallbackDispatcher:
    def __init__(
        self, center: CallCenter, scheduler: Scheduler, transport: RawHttp | None = None
    ) -> None:
        self.center = center
        self.scheduler = scheduler
        self.transport = transport or RawHttp()
        self.deliveries: deque[Delivery] = deque(maxlen=HISTORY)
        self._queue: asyncio.Queue[_Job] = asyncio.Queue()
        self._worker: asyncio.Task[None] | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self._legs: dict[str, _Leg] = {}
        self._inbound_new_leads: set[int] = set()
        self._waiting: dict[str, bool] = {}
        self._waiting_check_due = False
        self._pause_max_fired: set[tuple[str, datetime]] = set()
        self._push_counter: dict[str, int] = {}
        self._agent_log_id: dict[str, int] = {}
        self._next_agent_log_id = 1

    def __repr__(self) -> str:
        return f"CallbackDispatcher({len(self.deliveries)} sent, {self._queue.qsize()} queued)"

    # -- life cycle ----------------------------------------------------------------------------

    def start(self) -> None:
        self._waiting = {g.group_id: bool(g.queue) for g in self.center.ingroups.values()}
        self._unsubscribe = self.center.events.subscribe(self.on_event)
        self._worker = asyncio.get_running_loop().create_task(self._work())

    async def drain(self) -> None:
        """Wait until every queued callback has been sent (or has failed)."""
        await self._queue.join()

    async def stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self._worker is not None:
            self._worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._worker
            self._worker = None

    # -- sending -------------------------------------------------------------------------------

    def _enqueue(self, job: _Job) -> None:
        self._queue.put_nowait(job)

    async def _work(self) -> None:
        while True:
            job = await self._queue.get()
            try:
                delivery = await self._deliver(job)
                if delivery.ok and job.after is not None:
                    job.after()
            except Exception:
                logger.exception("callback %s could not be handled", job.kind.value)
            finally:
                self._queue.task_done()

    async def _deliver(self, job: _Job) -> Delivery:
        now = self.center.now()
        prepared = job.prepared
        if isinstance(prepared, Refused):
            logger.warning(
                "callback %s (%s) not sent: %s", job.kind.value, job.setting, prepared.reason
            )
            delivery = Delivery(job.kind, job.setting, "", now, None, prepared.reason, job.event)
        else:
            delivery = await self._send(job, prepared, now)
        self.deliveries.append(delivery)
        return delivery

    async def _send(self, job: _Job, prepared: Prepared, now: datetime) -> Delivery:
        origin = prepared.target.origin
        try:
            answer = await self.transport.send(prepared.target, prepared.request)
        except TransportError as exc:
            # ViciDial does not retry: say so once and carry on.
            logger.warning("callback %s to %s failed: %s", job.kind.value, origin, exc)
            return Delivery(
                job.kind, job.setting, origin, now, None, str(exc), job.event, prepared.request
            )
        if answer.status >= 400:
            logger.warning(
                "callback %s to %s answered HTTP %d", job.kind.value, origin, answer.status
            )
        return Delivery(
            job.kind,
            job.setting,
            origin,
            now,
            answer.status,
            "",
            job.event,
            prepared.request,
            answer.body,
        )

    def _get(
        self,
        kind: Kind,
        sender: Sender,
        urls: list[tuple[str, str]],
        values: dict[str, str],
        after: Callable[[], None] | None = None,
    ) -> None:
        for setting, url in urls:
            prepared = prepare_get(kind, sender, url, values)
            self._enqueue(_Job(kind, setting, prepared, after=after))

    # -- where URLs are configured -------------------------------------------------------------

    def _level(
        self,
        what: str,
        urls: dict[str, str],
        alts: dict[str, list[AltUrl]],
        setting: str,
        match: Callable[[AltUrl], bool] | None = None,
    ) -> list[tuple[str, str]]:
        url = urls.get(setting, "")
        if url == ALT:
            chosen = [alt for alt in alts.get(setting, []) if match is None or match(alt)]
            return [(f"{what} {setting} ALT rank {alt.rank}", alt.url) for alt in chosen]
        return [(f"{what} {setting}", url)] if url and url != DISABLED else []

    def _campaign_urls(
        self, campaign_id: str, setting: str, match: Callable[[AltUrl], bool] | None = None
    ) -> list[tuple[str, str]]:
        campaign = self.center.campaigns.get(campaign_id)
        if campaign is None:
            return []
        what = f"campaign {campaign_id}"
        return self._level(what, campaign.callback_urls, campaign.alt_urls, setting, match)

    def _ingroup_urls(
        self, group_id: str, setting: str, match: Callable[[AltUrl], bool] | None = None
    ) -> list[tuple[str, str]]:
        group = self.center.ingroups.get(group_id)
        if group is None:
            return []
        return self._level(
            f"in-group {group_id}", group.callback_urls, group.alt_urls, setting, match
        )

    def _call_urls(
        self, facts: cv.CallFacts, campaign_id: str, setting: str, match: Callable[[AltUrl], bool]
    ) -> list[tuple[str, str]]:
        """An inbound call uses its in-group's URL (CAMP: the campaign's), outbound the
        campaign's."""
        if facts.ingroup:
            group = self.center.ingroups.get(facts.ingroup)
            if group is not None and group.callback_urls.get(setting, "") != CAMP:
                return self._ingroup_urls(facts.ingroup, setting, match)
        return self._campaign_urls(campaign_id, setting, match)

    # -- events --------------------------------------------------------------------------------

    def on_event(self, event: SimEvent) -> None:
        handler = self._HANDLERS.get(event.kind)
        if handler is not None:
            handler(self, event)
        if event.kind in self._QUEUE_CHANGES and not self._waiting_check_due:
            # ViciDial looks at its queues about once a second, so a call answered at once
            # never counts as waiting: look one second later.
            self._waiting_check_due = True
            self.scheduler.after(WAITING_CHECK_SECONDS, self._check_waiting, "waiting calls")

    def _facts(self, call_id: str) -> cv.CallFacts | None:
        call = self.center.calls.get(call_id)
        if call is None:
            return None
        # A copy: the live call changes (agent, in-group) and leaves the tables at hang-up.
        return dataclasses.replace(call, started=call.started or self.center.now())

    def _list_of(self, lead_id: int) -> int:
        lead = self.center.leads.get(lead_id)
        return lead.list_id if lead is not None else 0

    def _call_started(self, event: SimEvent) -> None:
        user = str(event.data["user"])
        facts = self._facts(str(event.data["call_id"]))
        if facts is None:
            return
        self._legs[user] = _Leg(facts)
        if facts.direction is CallDirection.INBOUND:
            self._add_lead(facts)
        session = self.center.sessions.get(user)
        campaign_id = session.campaign_id if session is not None else facts.campaign_id
        list_id = self._list_of(facts.lead_id)
        urls = self._call_urls(
            facts,
            campaign_id,
            "start_call_url",
            lambda alt: _alt_matches(alt, status=None, list_id=list_id, seconds=None),
        )
        values = cv.general(self.center, facts, user)
        # The auto-dial path writes the comments' newlines as !N; manual dial urlencodes them.
        if not facts.manual:
            values["comments"] = values.get("comments", "").replace("\n", "!N")
        self._get(Kind.START_CALL, Sender.PHP, urls, values)
        if facts.manual:
            self._push(user, PushEvent.CALL_DIALED, f"{facts.phone_number}|MAIN")
        self._push(user, PushEvent.CALL_ANSWERED, facts.call_id)

    def _call_ended(self, event: SimEvent) -> None:
        user = str(event.data["user"])
        leg = self._legs.get(user)
        dead = bool(event.data.get("dead"))
        if leg is not None and leg.facts.call_id == event.data["call_id"]:
            leg.ended_at = event.at
            leg.term_reason = str(event.data.get("term_reason", ""))
            leg.dead = dead
            if dead:
                self._arm_dead_trigger(user, leg)
        if dead:
            self._push(user, PushEvent.CALL_DEAD, str(event.data["call_id"]))
        else:
            self._push(user, PushEvent.AGENT_HANGUP, str(event.data["call_id"]))
            self._push(user, PushEvent.DISPO_SCREEN_OPEN, "")

    def _dispositioned(self, event: SimEvent) -> None:
        user = str(event.data["user"])
        status = str(event.data["status"])
        callback_at = str(event.data.get("callback_datetime", ""))
        lead_id = int(event.data.get("lead_id") or 0)
        leg = self._legs.pop(user, None)
        session = self.center.sessions.get(user)
        campaign_id = session.campaign_id if session is not None else ""
        self._push(user, PushEvent.DISPO_SET, status, lead_id=lead_id)
        self._agent_log_id[user] = self._new_agent_log_id()
        if leg is None:
            return  # a disposition without a call the simulator saw (set up by a scenario)
        facts = leg.facts
        ended = leg.ended_at or event.at
        # For a dead call the leg ended when the customer left: talk minus dead seconds.
        talk = max(0, int((ended - (facts.started or ended)).total_seconds()))
        list_id = self._list_of(facts.lead_id)
        urls = self._call_urls(
            facts,
            campaign_id or facts.campaign_id,
            "dispo_call_url",
            lambda alt: _alt_matches(alt, status=status, list_id=list_id, seconds=talk),
        )
        campaign = self.center.campaigns.get(campaign_id or facts.campaign_id)
        values = cv.general(self.center, facts, user) | {
            "dispo": status,
            "dispo_name": campaign.statuses.get(status, "") if campaign else "",
            "talk_time": str(talk),
            "term_reason": leg.term_reason,
            "callback_lead_status": status if callback_at else "",
            "callback_datetime": callback_at,
            "call_notes": "",
        }
        self._get(Kind.DISPO_CALLBACK, Sender.PHP, urls, values)

    def _dropped(self, event: SimEvent) -> None:
        data = event.data
        facts = cv.CallFacts(
            call_id=str(data["call_id"]),
            uniqueid=str(data["uniqueid"]),
            lead_id=int(data["lead_id"]),
            phone_number=str(data["phone_number"]),
            direction=CallDirection(str(data["direction"])),
            campaign_id=str(data["campaign_id"]),
            ingroup=str(data["ingroup"]),
            did=str(data["did"]),
            started=event.at,
        )
        status = str(data["status"])
        lead = self.center.leads.get(facts.lead_id)
        lst = self.center.lists.get(lead.list_id) if lead is not None else None
        # A list's No Agent Call URL overrides the campaign's and the in-group's. The ALT
        # status filter is ignored here (a ViciDial bug): every active entry fires.
        urls: list[tuple[str, str]] = []
        if lst is not None and lst.callback_urls.get("na_call_url"):
            urls = self._level(f"list {lst.list_id}", lst.callback_urls, {}, "na_call_url")
        elif facts.ingroup:
            urls = self._ingroup_urls(facts.ingroup, "na_call_url", lambda alt: alt.active)
        else:
            urls = self._campaign_urls(facts.campaign_id, "na_call_url", lambda alt: alt.active)
        values = cv.general(self.center, facts) | {
            "dispo": status,
            "status": status,
            "term_reason": str(data["term_reason"]),
            "talk_time": "0",
        }
        self._get(Kind.NO_AGENT, Sender.WGET, urls, values)

    def _queued(self, event: SimEvent) -> None:
        facts = self._facts(str(event.data["call_id"]))
        if facts is None:
            return
        self._add_lead(facts)
        self._enter_ingroup(facts)

    def _transferred(self, event: SimEvent) -> None:
        user = str(event.data["user"])
        leg = self._legs.get(user)
        if leg is not None and leg.ended_at is None:
            leg.ended_at = event.at
            leg.term_reason = "AGENT"
        if user:
            # Only an agent's transfer is an agent screen event (not a queued call's move).
            self._push(user, PushEvent.TRANSFER_LOCAL_CLOSER, str(event.data["ingroup"]))
        facts = self._facts(str(event.data["call_id"]))
        if facts is not None:
            self._enter_ingroup(facts)

    def _enter_ingroup(self, facts: cv.CallFacts) -> None:
        urls = self._ingroup_urls(facts.ingroup, "enter_ingroup_url")
        self._get(Kind.ENTER_INGROUP, Sender.WGET, urls, cv.general(self.center, facts))

    def _add_lead(self, facts: cv.CallFacts) -> None:
        if facts.lead_id not in self._inbound_new_leads or not facts.ingroup:
            return
        self._inbound_new_leads.discard(facts.lead_id)
        urls = self._ingroup_urls(facts.ingroup, "add_lead_url")
        values = cv.restrict(Kind.ADD_LEAD, cv.general(self.center, facts) | {"function": ""})
        self._get(Kind.ADD_LEAD, Sender.WGET, urls, values)

    def _lead_added(self, event: SimEvent) -> None:
        lead_id = int(event.data["lead_id"])
        origin = event.data.get("origin")
        if origin == "inbound":
            self._inbound_new_leads.add(lead_id)
        if origin != "add_lead":
            return
        lead = self.center.leads.get(lead_id)
        if lead is None:
            return
        lst = self.center.lists.get(lead.list_id)
        own = lst.callback_urls.get("apinewlead_url", "") if lst is not None else ""
        if own == DISABLED:
            return
        if own:
            urls = [(f"list {lead.list_id} apinewlead_url", own)]
        elif self.center.system.apinewlead_url:
            urls = [("system apinewlead_url", self.center.system.apinewlead_url)]
        else:
            return
        # add_lead has no call and leaves the date variables empty.
        values = cv.general(self.center, None, lead_id=lead_id) | {"SQLdate": "", "epoch": ""}
        self._get(Kind.API_NEW_LEAD, Sender.PHP, urls, values)

    def _nva(self, event: SimEvent) -> None:
        extension = str(event.data["extension"])
        phone = self.center.phones.get(extension)
        if phone is None or not phone.nva_call_url:
            return
        lead_id = int(event.data["lead_id"])
        lead = self.center.leads.get(lead_id)
        values = cv.lead_values(self.center, lead)
        user = next(
            (
                u
                for u in self.center.users.values()
                if u.phone_login and u.phone_login == phone.login
            ),
            None,
        )
        session = self.center.sessions.get(user.user) if user is not None else None
        values |= {
            "lead_id": str(lead_id) if lead is not None else "NOTFOUND",
            "phone_number": str(event.data["phone_number"]),
            "uniqueid": str(event.data["uniqueid"]),
            "extension": extension,
            "server_ip": phone.server_ip,
            "user": user.user if user is not None else "",
            "campaign_id": session.campaign_id if session is not None else "",
            "status": lead.status if lead is not None else "",
        }
        values = cv.restrict(Kind.NVA_CALL, values)
        self._get(
            Kind.NVA_CALL,
            Sender.CURL,
            [(f"phone {extension} nva_call_url", phone.nva_call_url)],
            values,
        )

    def _check_waiting(self) -> None:
        self._waiting_check_due = False
        for group in self.center.ingroups.values():
            waiting = bool(group.queue)
            if self._waiting.get(group.group_id, False) == waiting:
                continue
            self._waiting[group.group_id] = waiting
            on = group.callback_urls.get("waiting_call_url_on", "")
            off = group.callback_urls.get("waiting_call_url_off", "")
            if not (on and off):
                continue  # ViciDial needs both URLs for the feature to work
            kind, setting = (
                (Kind.WAITING_CALL_ON, "waiting_call_url_on")
                if waiting
                else (Kind.WAITING_CALL_OFF, "waiting_call_url_off")
            )
            values = cv.restrict(kind, cv.time_values(self.center))
            url = on if waiting else off
            self._get(kind, Sender.WGET, [(f"in-group {group.group_id} {setting}", url)], values)

    # -- agents: timers and push ---------------------------------------------------------------

    def _new_agent_log_id(self) -> int:
        number = self._next_agent_log_id
        self._next_agent_log_id += 1
        return number

    def _login(self, event: SimEvent) -> None:
        user = str(event.data["user"])
        self._agent_log_id[user] = self._new_agent_log_id()
        self._push_counter[user] = 0
        session = self.center.sessions.get(user)
        if session is None:
            return
        system = self.center.system
        message = (
            f"{session.session_id}|{session.server_ip}|{system.agent_api_version}|"
            f"{system.agent_api_build}|"
        )
        self._push(user, PushEvent.LOGGED_IN, message)
        self._arm_pause_max(user)

    def _logout(self, event: SimEvent) -> None:
        user = str(event.data["user"])
        self._push(user, PushEvent.LOGGED_OUT, "NORMAL")
        self._push(user, PushEvent.LOGGED_OUT_COMPLETE, "")
        self._legs.pop(user, None)

    def _paused(self, event: SimEvent) -> None:
        user = str(event.data["user"])
        self._push(user, PushEvent.STATE_PAUSED, "PAUSED")
        self._arm_pause_max(user)

    def _ready(self, event: SimEvent) -> None:
        self._push(str(event.data["user"]), PushEvent.STATE_READY, "READY")

    def _parked(self, event: SimEvent) -> None:
        action = str(event.data.get("action", ""))
        push = PushEvent.PARK_RETRIEVED if action.startswith("GRAB") else PushEvent.PARK_STARTED
        self._push(str(event.data["user"]), push, "")

    def _arm_pause_max(self, user: str) -> None:
        session = self.center.sessions.get(user)
        campaign = self.center.campaigns.get(session.campaign_id) if session else None
        if session is None or campaign is None or campaign.max_pause_seconds <= 0:
            return
        since = session.state_since or self.center.now()
        # Past the maximum means one second more than it: ViciDial compares with >.
        when = to_epoch(since) + campaign.max_pause_seconds + 1
        self.scheduler.at(when, lambda: self._pause_max_due(user, since), f"pause max {user}")

    def _pause_max_due(self, user: str, since: datetime) -> None:
        session = self.center.sessions.get(user)
        if session is None or session.status is not AgentState.PAUSED:
            return
        if session.state_since != since or (user, since) in self._pause_max_fired:
            return  # another pause by now, or this one was reported already
        self._pause_max_fired.add((user, since))
        urls = self._campaign_urls(session.campaign_id, "pause_max_url")
        values = cv.agent_values(self.center, user) | cv.time_values(self.center)
        values["campaign"] = session.campaign_id
        # Only agent, campaign and time variables: lead variables stay literal.
        self._get(Kind.PAUSE_MAX, Sender.PHP, urls, cv.restrict(Kind.PAUSE_MAX, values))

    def _arm_dead_trigger(self, user: str, leg: _Leg) -> None:
        session = self.center.sessions.get(user)
        campaign = self.center.campaigns.get(session.campaign_id) if session else None
        if campaign is None or campaign.dead_trigger_seconds <= 0 or leg.ended_at is None:
            return
        call_id = leg.facts.call_id
        when = to_epoch(leg.ended_at) + campaign.dead_trigger_seconds
        self.scheduler.at(when, lambda: self._dead_due(user, call_id), f"dead trigger {user}")

    def _dead_due(self, user: str, call_id: str) -> None:
        session = self.center.sessions.get(user)
        leg = self._legs.get(user)
        if session is None or not session.dead or leg is None or leg.facts.call_id != call_id:
            return  # the agent has moved on
        urls = self._campaign_urls(session.campaign_id, "dead_trigger_url")
        if not urls:
            return
        lead = self.center.leads.get(leg.facts.lead_id)
        started = leg.facts.started or self.center.now()
        full_talk = int((self.center.now() - started).total_seconds())
        values = cv.general(self.center, leg.facts, user) | {
            "talk_time": str(full_talk),
            "dispo": lead.status if lead is not None else "",
        }
        self._push(user, PushEvent.DEAD_TRIGGER_URL, "")

        def confirmed() -> None:
            self._push(user, PushEvent.DEAD_TRIGGER_URL_SENT, "")

        self._get(Kind.DEAD_CALL, Sender.PHP, urls, values, after=confirmed)

    def _push(
        self, user: str, push: PushEvent, message: str, *, lead_id: int | None = None
    ) -> None:
        """The agent screen's push of ``push``, relayed through extras/get2post.php."""
        system = self.center.system
        if not (system.agent_push_events and system.agent_push_url):
            return
        counter = self._push_counter.get(user, 0) + 1
        self._push_counter[user] = counter
        session = self.center.sessions.get(user)
        shown = lead_id if lead_id is not None else (session.lead_id if session else 0)
        values = {
            "user": user,
            "event": push.value,
            "message": message,
            "lead_id": "" if str(shown) in _NO_PUSH_LEAD else str(shown),
            "counter": str(counter),
            "epoch": str(self.center.clock.epoch()),
            "agent_log_id": str(self._agent_log_id.get(user, 0)),
        }
        post = agent_screen_post(system.agent_push_url, values)
        if post.page.rpartition("/")[2] == GET2POST:
            relayed = get2post(post.body)
        else:
            # Only get2post.php (or a script of one's own) exists in a dialer's /agc/ folder.
            relayed = Refused(Sender.BROWSER, f"no script {post.page!r} in the dialer's /agc/")
        self._enqueue(_Job(Kind.AGENT_EVENT, "system agent_push_url", relayed, push.value))

    # -- the DID filter waits for its answer ---------------------------------------------------

    async def did_filter(self, pattern: str, phone_number: str, uniqueid: str) -> bool | None:
        """Ask the DID's filter URL about a caller: True on a match, None when the DID has no
        filter URL. ViciDial keeps only the digits of the answer; a number above 0 matches."""
        did = self.center.dids.get(pattern)
        if did is None or not did.filter_url:
            return None
        values = {
            "phone_number": phone_number,
            "did_pattern": pattern,
            "uniqueid": uniqueid,
            "channel": f"SIP/carrier-{int(uniqueid.partition('.')[2] or 0):08x}",
            "server_ip": self.center.system.server_ip,
        }
        prepared = prepare_get(Kind.DID_FILTER, Sender.CURL, did.filter_url, values)
        delivery = await self._deliver(_Job(Kind.DID_FILTER, f"DID {pattern} filter_url", prepared))
        digits = "".join(ch for ch in delivery.answer.decode("latin-1") if ch.isdigit())
        return delivery.ok and digits != "" and int(digits) > 0

    _HANDLERS: dict[SimEventKind, Callable[[CallbackDispatcher, SimEvent], None]] = {
        SimEventKind.CALL_STARTED: _call_started,
        SimEventKind.CALL_ENDED: _call_ended,
        SimEventKind.CALL_DISPOSITIONED: _dispositioned,
        SimEventKind.CALL_DROPPED: _dropped,
        SimEventKind.CALL_QUEUED: _queued,
        SimEventKind.CALL_TRANSFERRED: _transferred,
        SimEventKind.LEAD_ADDED: _lead_added,
        SimEventKind.NVA_CALL: _nva,
        SimEventKind.AGENT_LOGIN: _login,
        SimEventKind.AGENT_LOGOUT: _logout,
        SimEventKind.AGENT_PAUSED: _paused,
        SimEventKind.AGENT_READY: _ready,
        SimEventKind.CALL_PARKED: _parked,
    }
    _QUEUE_CHANGES = frozenset(
        {
            SimEventKind.CALL_QUEUED,
            SimEventKind.CALL_STARTED,
            SimEventKind.CALL_DROPPED,
            SimEventKind.CALL_TRANSFERRED,
        }
    )


def kinds_sent(deliveries: Iterator[Delivery] | deque[Delivery]) -> set[Kind]:
    return {d.kind for d in deliveries if d.ok}
