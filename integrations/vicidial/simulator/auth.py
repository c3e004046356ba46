"""The credential and permission checks of both APIs, with the texts a 2.14 server prints.

Like the real server, each API first strips the user and password of the characters it does
not allow, then checks and echoes what is left: a password with other characters can never
log in, and its bad-login errors print the stripped password, which clients must redact
(``S3cr3t-Pa55w0rd!`` is echoed as ``S3cr3t-Pa55w0rd``). The simulator's system has the
non-Latin setting off. Nothing here is ever logged.
"""

from __future__ import annotations

from collections.abc import Mapping

from integrations.vicidial.redact import dialer_kept
from integrations.vicidial.registry import Api
from integrations.vicidial.simulator.records import User
from integrations.vicidial.simulator.state import CallCenter

# ViciDial's lock-out window: failed logins count for this many seconds.
LOCK_SECONDS = 900


def credentials(api: Api, params: Mapping[str, str]) -> tuple[str, str]:
    """The user and password as ``api`` keeps them (both APIs keep the same of a user name)."""
    return (
        dialer_kept(params.get("user", ""), "admin"),
        dialer_kept(params.get("pass", ""), api),
    )


def _check(center: CallCenter, name: str, password: str) -> tuple[User | None, str]:
    """The user, and one of GOOD (right password), BAD or LOCK."""
    user = center.users.get(name)
    if user is None or not user.active:
        return None, "BAD"
    if user.locked:
        return user, "LOCK"
    if password != user.password:
        return user, "BAD"
    return user, "GOOD"


def agent_api_login(center: CallCenter, params: Mapping[str, str]) -> User | str:
    """The API user, or the error body agc/api.php answers."""
    name, password = credentials("agent", params)
    user, verdict = _check(center, name, password)
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
    name, password = credentials("admin", params)
    user, verdict = _check(center, name, password)
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
