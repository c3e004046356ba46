"""What most agent-API functions do first: find the agent the request names.

The real server checks a function's parameters, then whether the API user may call it, then
looks the agent up (``alt_user`` through the users' custom_three), each with its own error
line; ``agent_session`` does the last two in that order for every function that acts on an
agent's session.
"""

from __future__ import annotations

from integrations.vicidial.simulator.events import SimEventKind
from integrations.vicidial.simulator.records import Session, User
from integrations.vicidial.simulator.state import CallCenter
from integrations.vicidial.simulator.wire import ApiRequest

YES_NO = ("YES", "NO")
# A live call's caller code is longer than this (ViciDial's check for "on a call").
CALLERID_MIN = 15


def by_alt_id(center: CallCenter, alt_id: str) -> User | None:
    """The user whose custom_three is ``alt_id`` (the agent API's alternate user id)."""
    for user in center.users.values():
        if alt_id and user.alt_id() == alt_id:
            return user
    return None


def named(req: ApiRequest) -> bool:
    """Does the request name an agent (``agent_user``, or an ``alt_user`` of 2+ characters)?"""
    return bool(req.get("agent_user")) or len(req.get("alt_user")) >= 2


def agent_session(req: ApiRequest, lead: str | None = None) -> Session | str:
    """The named agent's live session, or the error lines: the API user's refusal, then
    ``no user found`` (an unknown alt_user) and ``agent_user is not logged in``. ``lead``
    is the data field some functions print before the agent (audio_playback's stage)."""
    if req.denied:
        return req.denied
    head = "" if lead is None else f"{lead}|"
    agent, prefix = req.get("agent_user"), ""
    alt = req.get("alt_user")
    if alt and not agent:
        user = by_alt_id(req.center, alt)
        if user is not None:
            agent = user.user
        else:
            prefix = f"ERROR: no user found - {head}{alt}\n"
    session = req.center.session(agent) if agent else None
    if session is None:
        return prefix + f"ERROR: agent_user is not logged in - {head}{agent}\n"
    return session


def on_call(session: Session) -> bool:
    """A lead on screen and a live caller code: what the real server calls a live call."""
    return session.lead_id > 0 and len(session.call_id) > CALLERID_MIN


def screen_command(center: CallCenter, session: Session, function: str, detail: str = "") -> None:
    """A command the API left for the agent's screen, which the simulator has no screen to
    run (a panel reload, DTMF digits, a timer): announced, so tests and rules can see it."""
    center.emit(SimEventKind.SCREEN_COMMAND, user=session.user, function=function, detail=detail)


def agent_name(req: ApiRequest) -> str:
    return req.get("agent_user") or req.get("alt_user")


def yes_no(value: bool) -> str:
    return "YES" if value else "NO"
