"""DID filter requests answered by rules.

ViciDial asks the DID filter URL whether an inbound call goes on to the DID's route, and
waits for the answer. The receiver puts the request on the bus as a ``vicidial_did_filter``
event and asks the decider; the rules triggered by the event answer with ``stop: {response:
{match: true|false}}`` or a ``did_filter`` step. The decider waits for the first run that
answers and gives its ``match``; when no rule listens to DID filters, or every run started
by the request ended without an answer (none started: conditions, cooldown, mode), it gives
the fallback at once. The receiver bounds the wait (``http.webhooks.did_filter_timeout``)
and answers the fallback when it runs out; the runs go on all the same.

The decider and the bus each get the same payload object: the decider finds the runs of
its request by it, whichever of the two comes first.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from engine.events import Event, webhook_event_type
from rules.runner import Run
from rules.steps import did_answer

if TYPE_CHECKING:
    from rules.engine import RuleEngine

logger = logging.getLogger("rules")

DID_FILTER = webhook_event_type("did_filter")
# Requests the bus brought before their decider asked (none in the receiver's order, where
# the decider asks before the bus delivers); a few are kept for it, the oldest dropped.
_UNCLAIMED = 64


class DidAnswers:
    """The DID filter decider the daemon installs in the ViciDial integration."""

    def __init__(self, engine: RuleEngine, fallback: bool) -> None:
        self._engine = engine
        self.fallback = fallback
        self._pending: dict[int, tuple[Any, asyncio.Future[list[Run]]]] = {}
        self._unclaimed: OrderedDict[int, tuple[Any, list[Run]]] = OrderedDict()

    def __repr__(self) -> str:
        return f"DidAnswers(fallback={self.fallback}, {len(self._pending)} waiting)"

    def seen(self, event: Event[Any], runs: list[Run]) -> None:
        """The rules have had the request's event: the runs it started (or queued)."""
        payload = event.data
        pending = self._pending.get(id(payload))
        if pending is not None and pending[0] is payload:
            if not pending[1].done():
                pending[1].set_result(runs)
            return
        self._unclaimed[id(payload)] = (payload, runs)
        while len(self._unclaimed) > _UNCLAIMED:
            self._unclaimed.popitem(last=False)

    async def __call__(self, payload: Any) -> bool:
        if not self._engine.listens(DID_FILTER):
            return self.fallback
        runs = self._claim(payload)
        if runs is None:
            future: asyncio.Future[list[Run]] = asyncio.get_running_loop().create_future()
            self._pending[id(payload)] = (payload, future)
            try:
                runs = await future
            finally:
                self._pending.pop(id(payload), None)
        return await self._first_answer(runs)

    def _claim(self, payload: Any) -> list[Run] | None:
        seen = self._unclaimed.get(id(payload))
        if seen is None or seen[0] is not payload:
            return None
        del self._unclaimed[id(payload)]
        return seen[1]

    async def _first_answer(self, runs: Sequence[Run]) -> bool:
        waiting = {run.answer(): run for run in runs}
        while waiting:
            done, _ = await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
            for answered in done:
                run = waiting.pop(answered)
                decided = did_answer(answered.result())
                if decided is not None:
                    # The run's own console line says what it answered.
                    logger.debug(
                        "DID filter answered %s by rule %s (run %s)",
                        "match" if decided else "no match",
                        run.record.rule_id,
                        run.id,
                    )
                    return decided
        logger.info("DID filter: no rule answered; the fallback (%s) answers", self.fallback)
        return self.fallback
