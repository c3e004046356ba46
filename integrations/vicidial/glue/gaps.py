"""Lost agent push events, found from the push counter.

Each agent screen numbers its pushes: the counter goes up by one per event and starts again
when the screen loads (a new session). Pushes come from the browser and may arrive out of
order (the first ones of a session too: a logged_in overtaken by the push after it starts no
new session), so a missing number waits a short reorder window; a gap still open after it
fires ``vicidial_event_gap`` with the agent, the session and the missing range. ViciDial
itself has no way to tell that a push was lost; a gap means an automation may have missed
something.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from engine.clock import Clock

DEFAULT_REORDER_WINDOW = 5.0
# A counter this far below the last one is a new screen session, not a late arrival.
_RESTART_DROP = 50


@dataclass(frozen=True, slots=True)
class EventGap:
    """The data of a ``vicidial_event_gap`` event."""

    user: str
    session: int  # vicibus's number for the agent screen's session, counted from 1
    session_id: int | None  # ViciDial's session id, when a poll has shown it
    first: int  # the first missing counter value
    last: int  # the last missing counter value
    missing: int  # how many are missing in first..last


@dataclass(slots=True)
class _Session:
    number: int
    expected: int  # the next counter value
    start: int  # the lowest counter value seen in it
    began: float  # when its first push arrived (engine clock)
    # The missing values as ascending, disjoint (first, last) runs, never one entry per value:
    # the counter comes from outside, and one push may jump it by millions.
    missing: list[tuple[int, int]] = field(default_factory=list)


GapReport = Callable[[EventGap], None]


class GapDetector:
    def __init__(
        self,
        clock: Clock,
        report: GapReport,
        *,
        reorder_window: float = DEFAULT_REORDER_WINDOW,
        session_id: Callable[[str], int | None] = lambda user: None,
    ) -> None:
        self._clock = clock
        self._report = report
        self._window = reorder_window
        self._session_id = session_id
        self._sessions: dict[str, _Session] = {}

    def __repr__(self) -> str:
        return f"GapDetector({len(self._sessions)} sessions, window {self._window:g}s)"

    def seen(self, user: str, counter: int, *, starts_session: bool = False) -> None:
        session = self._sessions.get(user)
        if session is not None and self._began_earlier(session, counter):
            # The session's first pushes, overtaken by the ones after them: not a new session.
            if counter < session.start - 1:
                first, last = counter + 1, session.start - 1
                session.missing.insert(0, (first, last))
                self._clock.call_later(
                    self._window, lambda: self._check(user, session, first, last)
                )
            session.start = counter
            return
        restart = session is None or starts_session or counter <= 1
        if session is not None and counter < session.expected - _RESTART_DROP:
            restart = True
        if restart or session is None:
            number = session.number + 1 if session is not None else 1
            self._sessions[user] = _Session(number, counter + 1, counter, self._clock.time())
            return
        if counter == session.expected:
            session.expected += 1
        elif counter > session.expected:
            first, last = session.expected, counter - 1
            session.missing.append((first, last))
            session.expected = counter + 1
            self._clock.call_later(self._window, lambda: self._check(user, session, first, last))
        else:
            _arrived(session.missing, counter)  # a late arrival (or a repeat)

    def _began_earlier(self, session: _Session, counter: int) -> bool:
        """A counter below the session's first, arriving within the reorder window of it."""
        return (
            counter < session.start
            and session.start - counter <= _RESTART_DROP
            and self._clock.time() - session.began <= self._window
        )

    def _check(self, user: str, session: _Session, first: int, last: int) -> None:
        # Late arrivals only split runs, so what is left of this gap lies within first..last.
        still = [run for run in session.missing if first <= run[0] and run[1] <= last]
        if not still:
            return
        session.missing = [run for run in session.missing if run not in still]
        session_id = self._session_id(user)
        for start, end in still:
            self._report(EventGap(user, session.number, session_id, start, end, end - start + 1))


def _arrived(runs: list[tuple[int, int]], counter: int) -> None:
    for index, (first, last) in enumerate(runs):
        if first <= counter <= last:
            pieces = [(a, b) for a, b in ((first, counter - 1), (counter + 1, last)) if a <= b]
            runs[index : index + 1] = pieces
            return
