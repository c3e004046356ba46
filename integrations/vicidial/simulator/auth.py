"""The credential and permission checks of both APIs, with the texts a 2.14 server prints.

The real server echoes the submitted password in its bad-login errors; so does the simulator,
since clients must be able to redact it. Nothing here is ever logged.
"""

from __future__ import annotations

from collections.abc import Mapping

from integrations.vicidial.simulator.records import User
from integrations.vicidial.simulator.state import CallCenter

# ViciDial's lock-out window: failed logins count for this many seconds.
LOCK_SECONDS = 900


def _check(center: CallCenter, params: Mapping[str, str]) -> tuple[User | None, str]:
    """The user, and one of GOOD (right password), BAD or LOCK."""
    user = center.users.get(params.get("user", ""))
    if user is None or not user.active:
        return None, "BAD"
    if user.locked:
        return user, "LOCK"
    if params.get("pass", "") != user.password:
        return user, "BAD"
    return user, "GOOD"


def agent_api_login(center: CallCenter, params: Mapping[str, str]) -> User | str:
    """The API user, or the error body agc/api.php answers."""
    name, password = params.get("user", ""), params.get("pass", "")
    user, verdict = _check(center, params)
    if verdict == "LOCK":
        return f"ERROR: Invalid Username/Password: |{name}|{password}|0|1|LOCK|\n"
    if verdict == "BAD" or user is None:
        since = center.clock.epoch() - LOCK_SECONDS
        sql = (
            f"SELECT count(*) from vicidial_users where user='{name}' and pass='{password}' "
            "and user_level > 0 and active='Y' and ( (failed_login_count < 10) or "
            f"(UNIX_TIMESTAMP(last_login_date) < {since}) );"
        )
        return f"ERROR: Invalid Username/Password: |{name}|{password}|0|0|BAD|0|api|{sql}|\n"
    if not user.api_access:
        return f"ERROR: Invalid Username/Password: |{name}|{password}|1|0|GOOD|\n"
    return user


def agent_api_allowed(user: User, function: str) -> str | None:
    if user.may_call(function):
        return None
    return (
        "ERROR: auth USER DOES NOT HAVE PERMISSION TO USE THIS FUNCTION - "
        f"{user.user}|{function}|{user.user_group}\n"
    )


def admin_api_login(center: CallCenter, params: Mapping[str, str]) -> User | str:
    """The API user, or the error body non_agent_api.php answers."""
    name, password = params.get("user", ""), params.get("pass", "")
    user, verdict = _check(center, params)
    if verdict == "LOCK":
        return f"ERROR: Too many login attempts, try again in 15 minutes: |{name}|LOCK|\n"
    if verdict == "BAD" or user is None or not user.api_access or user.user_level < 2:
        return f"ERROR: Login incorrect, please try again: |{name}|{password}|BAD|\n"
    return user


def admin_api_allowed(user: User, function: str) -> str | None:
    if user.may_call(function):
        return None
    return (
        "ERROR: auth USER DOES NOT HAVE PERMISSION TO USE THIS FUNCTION: "
        f"|{user.user}|{function}|\n"
    )
