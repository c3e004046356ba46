"""Agent API: audio played into agent sessions, and the fronter of a 3-way call.

A fronter is the other agent on the same lead: the one who brought the closer into a 3-way
call. The closer's API calls make the fronter leave, or stop the fronter's audio.
"""

from __future__ import annotations

from integrations.vicidial.simulator.agent_steps import agent_name, agent_session, named
from integrations.vicidial.simulator.records import Session
from integrations.vicidial.simulator.state import CallCenter
from integrations.vicidial.simulator.wire import ApiRequest, Handlers

HANDLERS = Handlers()
handles = HANDLERS.add


def _where(session: Session) -> str:
    """The agent's conference and server, as the real server's audio errors print them."""
    return f"{session.session_id}|{session.server_ip}"


@handles("audio_playback")
def audio_playback(req: ApiRequest) -> str:
    value, stage = req.get("value"), req.get("stage")
    if (not value and stage == "PLAY") or len(stage) < 4 or not named(req):
        return f"ERROR: audio_playback not valid - {value}|{stage}|{agent_name(req)}\n"
    session = agent_session(req, lead=stage)
    if isinstance(session, str):
        return session
    agent, done = session.user, f"SUCCESS: audio_playback function sent - {value}|{stage}|"
    if stage == "PLAY":
        override = req.get("dial_override")
        notice = ""
        if session.audio_playing:
            if override != "Y":
                return (
                    "ERROR: audio_playback error - audio already playing in agent session - "
                    f"{_where(session)}|{stage}|{override}|{agent}\n"
                )
            notice = f"NOTICE: audio_playback previous playback stopped - {stage}|Y|{agent}\n"
        session.audio_playing = True
        return f"{notice}{done}{agent}\n"
    if not session.audio_playing:
        return (
            "ERROR: audio_playback error - no audio playing in agent session - "
            f"{_where(session)}|{stage}|{agent}\n"
        )
    if stage == "STOP":
        session.audio_playing = False
    return f"{done}{agent}\n"


_FRONTER_VALUES = ("LOCAL_ONLY", "LOCAL_AND_CCC", "CCC_REMOTE")


def fronter_of(req: ApiRequest) -> tuple[Session, Session] | str:
    """The closer's session and its fronter's, or the error lines."""
    value = req.get("value")
    if value not in _FRONTER_VALUES or not named(req):
        return f"ERROR: {req.function} not valid - {value}|{agent_name(req)}\n"
    session = agent_session(req)
    if isinstance(session, str):
        return session
    if not session.lead_id:
        return f"ERROR: agent_user is not on a phone call - {session.user}\n"
    others = _fronters(req.center, session)
    if not others:
        return f"ERROR: no fronter found - {session.user}\n"
    return session, others[0]


def _fronters(center: CallCenter, session: Session) -> list[Session]:
    return [
        other
        for other in center.sessions.values()
        if other.user != session.user and other.lead_id == session.lead_id
    ]


@handles("force_fronter_leave_3way")
def force_fronter_leave_3way(req: ApiRequest) -> str:
    found = fronter_of(req)
    if isinstance(found, str):
        return found
    closer, fronter = found
    # The fronter hangs up its leg; customer and closer stay on the call.
    req.center.end_call(fronter.user)
    if not any(other.call_id for other in _fronters(req.center, closer)):
        closer.sub_status = ""
    # The real server prints no newline after this line.
    return f"SUCCESS: force_fronter_leave_3way SENT - {fronter.user}"


@handles("force_fronter_audio_stop")
def force_fronter_audio_stop(req: ApiRequest) -> str:
    found = fronter_of(req)
    if isinstance(found, str):
        return found
    closer, fronter = found
    stage = req.get("stage")
    if not fronter.audio_playing:
        return (
            "ERROR: force_fronter_audio_stop error - no audio playing in other agent session - "
            f"{_where(fronter)}|{stage}|{closer.user}|{fronter.user}\n"
        )
    fronter.audio_playing = False
    return (
        f"SUCCESS: force_fronter_audio_stop function sent - {req.get('value')}|{stage}|"
        f"{closer.user}|{fronter.user}\n"
    )
