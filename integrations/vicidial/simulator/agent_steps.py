"""What most agent-API functions do first: find the agent the request names."""

from __future__ import annotations

from integrations.vicidial.simulator.records import Session
from integrations.vicidial.simulator.wire import ApiRequest

YES_NO = ("YES", "NO")


def agent_session(req: ApiRequest) -> Session | str:
    """The named agent's live session, or the error lines (``alt_user`` is resolved first)."""
    agent = req.get("agent_user")
    prefix = ""
    alt = req.get("alt_user")
    if alt and not agent:
        match = [u.user for u in req.center.users.values() if u.user_code and u.user_code == alt]
        if match:
            agent = match[0]
        else:
            prefix = f"ERROR: no user found - {alt}\n"
    session = req.center.session(agent) if agent else None
    if session is None:
        return prefix + f"ERROR: agent_user is not logged in - {agent}\n"
    return session


def agent_name(req: ApiRequest) -> str:
    return req.get("agent_user") or req.get("alt_user")


def yes_no(value: bool) -> str:
    return "YES" if value else "NO"
