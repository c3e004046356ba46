"""The poller: the dialer's monitoring functions, read on the engine's clock, become entities.

A cycle's calls grow with the configured campaigns, in-groups and user groups, never with the
number of agents: one ``logged_in_agents`` (with sub-statuses) fills every agent entity,
``campaigns_list`` once, ``hopper_list`` per campaign, ``in_group_status`` per in-group (the API
adds up the groups it is given into one row, so each is asked alone) and ``user_group_status``
per user group. Calls are made one after another: ViciDial's live tables are MEMORY tables under
one lock, and a wallboard per viewer has locked real dialers up.

When the dialer fails, entities are kept and marked stale, ``vicidial.connection`` says why,
``vicidial_connectivity`` events are fired, and the poller backs off exponentially with jitter
until it answers again; it never crashes. Credentials or permissions the API user lacks are
reported once, clearly.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from engine.context import Context, Origin
from engine.core import Core
from engine.events import VICIDIAL_CONNECTIVITY
from engine.states import State
from integrations.vicidial.admin.campaigns import Campaign, HopperListResult
from integrations.vicidial.admin.client import ViciAdmin
from integrations.vicidial.admin.monitoring import InGroupStatus, UserGroupStatus
from integrations.vicidial.errors import (
    ViciAuthError,
    ViciConnectionError,
    ViciError,
    ViciHttpError,
    ViciNotFoundError,
    ViciPermissionError,
    ViciProtocolError,
    ViciTimeoutError,
)
from integrations.vicidial.glue.config import DEFAULT_POLL_INTERVAL, POLL_FLOOR
from integrations.vicidial.glue.entities import (
    CONNECTION,
    LOGGED_OUT,
    AgentView,
    DailyCounts,
    Update,
    agent_id,
    agent_view,
    campaign_agent_counts,
    campaign_update,
    ingroup_update,
    logged_out_attributes,
    usergroup_update,
)
from integrations.vicidial.glue.push import PUSH_ATTRIBUTES, PushTracker

logger = logging.getLogger(__name__)

DEFAULT_MAX_BACKOFF = 300.0
# Failures that say the dialer did not answer (as ViciDial): they fail the whole cycle.
_UNREACHABLE = (ViciConnectionError, ViciTimeoutError, ViciHttpError, ViciProtocolError)


class Connectivity(StrEnum):
    CONNECTED = "connected"
    CONNECTING = "connecting"  # before the first answer
    UNREACHABLE = "unreachable"  # no answer, or not ViciDial's
    AUTH_FAILED = "auth_failed"
    PERMISSION_DENIED = "permission_denied"


@dataclass(frozen=True, slots=True)
class ConnectivityChange:
    """The data of a ``vicidial_connectivity`` event."""

    state: Connectivity
    previous: Connectivity
    reason: str = ""
    failures: int = 0  # cycles failed in a row
    retry_in: float | None = None  # seconds until the next try


@dataclass(frozen=True, slots=True)
class PollPlan:
    interval: float = DEFAULT_POLL_INTERVAL
    campaigns: tuple[str, ...] = ()
    ingroups: tuple[str, ...] = ()
    usergroups: tuple[str, ...] = ()
    # With no campaigns (in-groups) configured, poll every campaign (in-group) the dialer lists.
    discover: bool = True
    max_backoff: float = DEFAULT_MAX_BACKOFF

    def __post_init__(self) -> None:
        if self.interval < POLL_FLOOR:
            raise ValueError(
                f"poll interval {self.interval:g}s is below the floor of {POLL_FLOOR:g}s"
            )


@dataclass(slots=True)
class _Snapshot:
    """What one cycle read, before it becomes entity updates."""

    poll: int  # the push tracker's token for when the requests went out
    agents: dict[str, AgentView] = field(default_factory=dict)
    campaigns: dict[str, Campaign] = field(default_factory=dict)
    hoppers: dict[str, HopperListResult] = field(default_factory=dict)
    ingroups: dict[str, InGroupStatus | None] = field(default_factory=dict)
    usergroups: dict[str, UserGroupStatus | None] = field(default_factory=dict)


class Poller:
    def __init__(
        self,
        core: Core,
        admin: ViciAdmin,
        plan: PollPlan,
        *,
        push: PushTracker,
        daily: DailyCounts,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self._core = core
        self._admin = admin
        self.plan = plan
        self._push = push
        self._daily = daily
        self._jitter = jitter
        self._task: asyncio.Task[None] | None = None
        self._state = Connectivity.CONNECTING
        self._failures = 0
        self._reported: set[str] = set()  # permission problems already logged
        self._skipped: set[str] = set()  # functions the API user may not call
        self._ingroups = plan.ingroups
        self._discovered = False
        self.cycles = 0
        self.first_poll = asyncio.Event()
        self._cycle_done = asyncio.Condition()

    def __repr__(self) -> str:
        return f"Poller(every {self.plan.interval:g}s, {self._state.value}, cycles={self.cycles})"

    @property
    def connectivity(self) -> Connectivity:
        return self._state

    # -- running ---------------------------------------------------------------------------

    def start(self) -> None:
        if self._task is None:
            self._set_connection(Connectivity.CONNECTING, "", fire=False)
            self._task = asyncio.get_running_loop().create_task(self._run(), name="vicidial-poll")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def wait_cycles(self, count: int, timeout: float = 10.0) -> None:
        """Wait until ``count`` cycles (successful or not) have ended in all (tests)."""
        async with asyncio.timeout(timeout), self._cycle_done:
            await self._cycle_done.wait_for(lambda: self.cycles >= count)

    async def _run(self) -> None:
        clock = self._core.clock
        while True:
            started = clock.time()
            delay = self.plan.interval
            try:
                await self.poll_once()
            except asyncio.CancelledError:
                raise
            except ViciError as exc:
                delay = self._failed(exc)
            except Exception:
                # A defect of ours: keep polling, but say so loudly.
                logger.exception("poll cycle failed")
                delay = self._failed(None)
            finally:
                self.cycles += 1
                async with self._cycle_done:
                    self._cycle_done.notify_all()
            await clock.sleep_until(started + delay)

    # -- one cycle -------------------------------------------------------------------------

    async def poll_once(self) -> None:
        snap = _Snapshot(self._push.poll_sent())
        admin = self._admin
        agents = await admin.monitoring.logged_in_agents(show_sub_status=True)
        snap.agents = {row.user: agent_view(row) for row in agents.records}
        campaigns = self.plan.campaigns
        if self.plan.discover or campaigns:
            listed = await self._optional("campaigns_list", admin.campaigns.list)
            if listed is not None:
                snap.campaigns = {c.campaign_id: c for c in listed.records}
            if not campaigns:
                campaigns = tuple(snap.campaigns)
        for campaign in campaigns:
            hopper = await self._optional(
                "hopper_list", functools.partial(admin.campaigns.hopper_list, campaign)
            )
            if hopper is not None:
                snap.hoppers[campaign] = hopper
        if not self._ingroups and self.plan.discover and not self._discovered:
            self._discovered = True
            found = await self._optional("ingroup_list", admin.system.ingroup_list)
            if found is not None:
                self._ingroups = tuple(item.value for item in found.items if item.value)
        for group in self._ingroups:
            rows = await self._optional(
                "in_group_status", functools.partial(admin.monitoring.in_group_status, [group])
            )
            snap.ingroups[group] = rows.records[0] if rows and rows.records else None
        for group in self.plan.usergroups:
            status = await self._optional(
                "user_group_status",
                functools.partial(admin.monitoring.user_group_status, [group]),
            )
            snap.usergroups[group] = status.records[0] if status and status.records else None
        self._apply(snap, campaigns)
        self._succeeded()

    async def _optional(self, function: str, call: Callable[[], Any]) -> Any:
        """A call the poll can do without. A dialer that cannot answer it (a permission the
        API user lacks, a function this dialer has not) skips the function from now on, said
        once; "nothing found" is an empty answer; a dialer that does not answer at all fails
        the cycle."""
        if function in self._skipped:
            return None
        try:
            return await call()
        except ViciNotFoundError:
            return None
        except _UNREACHABLE:
            raise
        except ViciAuthError:
            raise
        except ViciError as exc:
            self._skipped.add(function)
            lacks = "may not call" if isinstance(exc, ViciPermissionError) else "cannot use"
            logger.error(
                "the API user %s %s %s (%s); vicibus polls without it from now on",
                self._admin.user,
                lacks,
                function,
                exc.reason,
            )
            return None

    def _apply(self, snap: _Snapshot, campaigns: tuple[str, ...]) -> None:
        states = self._core.states
        known = states.snapshot().domain("agent")
        updates: list[Update] = []
        for user, view in snap.agents.items():
            update = self._agent_update(user, view, snap.poll, known)
            if update is not None:
                updates.append(update)
        for entity, current in known.items():
            user = entity[len("agent.") :]
            if user not in snap.agents and current.state != LOGGED_OUT:
                update = self._agent_update(user, None, snap.poll, known)
                if update is not None:
                    updates.append(update)
        counts = campaign_agent_counts(snap.agents.values())
        for campaign in campaigns:
            updates.append(
                campaign_update(
                    campaign,
                    snap.campaigns.get(campaign),
                    counts.get(campaign),
                    snap.hoppers.get(campaign),
                    self._daily,
                )
            )
        for group, in_group in snap.ingroups.items():
            updates.append(ingroup_update(group, in_group, self._daily))
        for group, user_group in snap.usergroups.items():
            updates.append(usergroup_update(group, user_group))
        states.set_many(updates, context=Context(Origin.POLL))

    def _agent_update(
        self, user: str, view: AgentView | None, poll: int, known: Mapping[str, State]
    ) -> Update | None:
        merged = self._push.merge(user, view, poll)
        entity = agent_id(user)
        current = known.get(entity)
        previous = current.attributes if current else {}
        if merged is None:
            attributes = logged_out_attributes(previous)
        elif isinstance(merged, AgentView):
            attributes = merged.attributes
        else:
            return None  # KEEP_CURRENT: a newer push already set it
        # What pushes told stays: the poll knows nothing of them.
        if "last_push_event" in previous:
            attributes.update((k, previous[k]) for k in PUSH_ATTRIBUTES if k in previous)
        return (entity, LOGGED_OUT if merged is None else merged.status, attributes)

    # -- connectivity ----------------------------------------------------------------------

    def _succeeded(self) -> None:
        self._failures = 0
        self._set_connection(Connectivity.CONNECTED, "")
        self.first_poll.set()

    def _failed(self, exc: ViciError | None) -> float:
        self._failures += 1
        if isinstance(exc, ViciAuthError):
            state = Connectivity.AUTH_FAILED
            reason = f"the dialer refused the API user {self._admin.user}: {exc.reason}"
        elif isinstance(exc, ViciPermissionError):
            state = Connectivity.PERMISSION_DENIED
            reason = f"the API user {self._admin.user} may not call {exc.function}: {exc.reason}"
        else:
            state = Connectivity.UNREACHABLE
            reason = str(exc) if exc is not None else "internal error in the poller"
        # The exponent stops growing once past the cap: 2.0 ** n overflows past n = 1,023,
        # a dialer down for a few days.
        doublings = min(self._failures - 1, 64)
        backoff = min(self.plan.max_backoff, self.plan.interval * 2.0**doublings)
        delay = backoff * (0.5 + self._jitter() / 2)
        if state is not self._state or reason not in self._reported:
            # Said once per state and reason, not once per cycle.
            self._reported.add(reason)
            logger.error("ViciDial poll failed: %s; next try in %.0fs", reason, delay)
        self._set_connection(state, reason, retry_in=delay)
        self._mark_stale()
        return delay

    def _set_connection(
        self, state: Connectivity, reason: str, *, retry_in: float | None = None, fire: bool = True
    ) -> None:
        previous = self._state
        self._state = state
        context = Context(Origin.POLL)
        self._core.states.set(
            CONNECTION,
            state.value,
            {"reason": reason or None, "failures": self._failures, "retry_in": retry_in},
            context=context,
        )
        if fire and state is not previous:
            if state is Connectivity.CONNECTED:
                self._reported.clear()
                again = previous is not Connectivity.CONNECTING
                logger.info("ViciDial answers again" if again else "ViciDial connected")
            change = ConnectivityChange(state, previous, reason, self._failures, retry_in)
            self._core.fire(VICIDIAL_CONNECTIVITY, change, context=context)

    def _mark_stale(self) -> None:
        states = self._core.states
        stale = [
            (s.entity_id, s.state, {**s.attributes, "stale": True})
            for domain in ("agent", "campaign", "ingroup", "usergroup")
            for s in states.glob(f"{domain}.*")
            if not s.attributes.get("stale")
        ]
        if stale:
            states.set_many(stale, context=Context(Origin.POLL))
