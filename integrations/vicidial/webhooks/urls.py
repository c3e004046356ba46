"""The exact callback URLs an admin pastes into ViciDial, one per kind."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from urllib.parse import quote, urlsplit

from .errors import UrlBuildError
from .kinds import KINDS, Kind, kind_from_name
from .variables import VARIABLES

# Characters that survive every sender untouched: the agent screen deletes some punctuation
# from the whole URL, and wget's shell would act on others.
_SAFE_TOKEN = re.compile(r"[A-Za-z0-9._~-]{16,}")
# get2post.php keeps only these in its headers option (and the agent screen drops '$' and ':').
_SAFE_HEADER = re.compile(r"[-!=. _0-9A-Za-z]+")
_PUSH_WRAPPER = "get2post.php?uniqueid=--A--epoch--B--.--A--agent_log_id--B--&type=event"


def _placeholder(name: str) -> str:
    return f"--A--{name}--B--"


def _origin(base: str) -> tuple[str, str]:
    """(scheme, host[:port][/prefix]) of ``base``, checked."""
    try:
        parts = urlsplit(base)
        _ = parts.port  # reading it checks it: a number, at most 65535
    except ValueError as exc:  # "Invalid IPv6 URL", "Port out of range 0-65535"
        raise UrlBuildError(f"base is not a valid URL: {exc}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UrlBuildError("base must look like https://HOST (http or https, with a host)")
    if parts.query or parts.fragment:
        raise UrlBuildError("base must not carry a query string or fragment")
    return parts.scheme, parts.netloc + parts.path.rstrip("/")


def _check_token(token: str) -> None:
    if not _SAFE_TOKEN.fullmatch(token):
        raise UrlBuildError(
            "token must be at least 16 characters of letters, digits and - _ . ~ "
            "(other characters are changed by ViciDial's senders)"
        )


def _query(
    kind: Kind, token: str, variables: Sequence[str] | None, constants: Mapping[str, str]
) -> str:
    chosen = KINDS[kind].defaults if variables is None else tuple(variables)
    unknown = [name for name in chosen if name not in VARIABLES]
    if unknown:
        raise UrlBuildError(f"not a ViciDial callback variable: {', '.join(unknown)}")
    parts = [f"token={token}"]
    parts += [f"{quote(n, safe='')}={quote(v, safe='')}" for n, v in constants.items()]
    parts += [f"{name}={_placeholder(name)}" for name in chosen if name not in constants]
    return "&".join(parts)


def _constants(
    kind: Kind, group: str | None, constants: Mapping[str, str] | None
) -> dict[str, str]:
    fixed = dict(constants or {})
    if kind in (Kind.WAITING_CALL_ON, Kind.WAITING_CALL_OFF):
        # ViciDial substitutes nothing but the date here, not even the in-group's id.
        if not group:
            raise UrlBuildError(
                f"{kind.value} needs group=<in-group id>: ViciDial does not send it"
            )
        fixed["group"] = group
    elif group:
        fixed["group"] = group
    return fixed


def build_url(
    kind: Kind | str,
    base: str,
    token: str,
    *,
    variables: Sequence[str] | None = None,
    group: str | None = None,
    constants: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
) -> str:
    """The URL to paste into ViciDial's setting for ``kind`` (see KINDS[kind].setting).

    ``variables`` replaces the kind's default list; ``constants`` and ``group`` are fixed
    parameters written into the URL. ``headers`` only applies to agent_event, whose URL goes
    through the dialer's extras/get2post.php.
    """
    kind = kind_from_name(kind) if not isinstance(kind, Kind) else kind
    _check_token(token)
    scheme, origin = _origin(base)
    query = _query(kind, token, variables, _constants(kind, group, constants))
    if kind is Kind.AGENT_EVENT:
        return _agent_push_url(scheme, origin, query, headers or {})
    if headers:
        raise UrlBuildError("headers can only be set on the agent_event URL")
    prefix = "VAR" if KINDS[kind].needs_var_prefix else ""
    return f"{prefix}{scheme}://{origin}/webhooks/{kind.value}?{query}"


def _agent_push_url(scheme: str, origin: str, query: str, headers: Mapping[str, str]) -> str:
    # The agent screen deletes every ':' from this URL, so the target cannot name a port.
    if ":" in origin or "@" in origin:
        raise UrlBuildError(
            "agent_event cannot reach a base with a port or user: the agent screen deletes "
            "':' from its push URL; serve vicibus on the default port of its scheme"
        )
    wrapper = _PUSH_WRAPPER
    if headers:
        pairs = [(name, value) for name, value in headers.items()]
        if not all(_SAFE_HEADER.fullmatch(n + v) and "---" not in n + v for n, v in pairs):
            raise UrlBuildError("headers may use only letters, digits, space and - ! = . _")
        wrapper += "&headers=" + "-----".join(f"{n}---{v}" for n, v in pairs)
    target = "HTTPSURLTOPOST" if scheme == "https" else "HTTPURLTOPOST"
    return f"{wrapper}&{target}={origin}/webhooks/{Kind.AGENT_EVENT.value}?{query}"


def build_all_urls(base: str, token: str, *, group: str) -> dict[Kind, str]:
    """Every kind's URL with its default variables; ``group`` names the waiting-call in-group."""
    return {
        kind: build_url(
            kind,
            base,
            token,
            group=group if kind in (Kind.WAITING_CALL_ON, Kind.WAITING_CALL_OFF) else None,
        )
        for kind in Kind
    }
