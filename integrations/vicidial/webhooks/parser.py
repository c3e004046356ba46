"""From a query string, a URL or a form body to the typed payload of one kind."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from .decoding import decode_query, unquote_text
from .errors import MalformedInputError
from .kinds import KINDS, Kind, kind_from_name
from .payloads import WebhookPayload, trusted_payload
from .variables import VARIABLES

# Names that belong to the receiver, never to the event (the token must not reach a payload).
RESERVED = frozenset({"token", "kind"})
_PLACEHOLDER = re.compile(r"--A--(\w+)--B--")
# The auto-dial path writes a lead comment's newlines as this two-character marker.
_AUTODIAL_NEWLINE = "!N"


def _as_bytes(data: bytes | str) -> bytes:
    # Receivers hand over request text decoded with surrogateescape: recover the raw bytes.
    return data if isinstance(data, bytes) else data.encode("utf-8", "surrogateescape")


def build_payload(
    kind: Kind | str, pairs: Iterable[tuple[str, str]], *, latin1: bool = False
) -> WebhookPayload:
    """The typed payload for decoded ``pairs``; later values of a repeated key win, as in PHP."""
    kind = kind_from_name(kind) if not isinstance(kind, Kind) else kind
    double_encoded = KINDS[kind].double_encoded
    autodial_comments = kind is Kind.START_CALL
    values: dict[str, str] = {}
    extra: dict[str, str] = {}
    repeated: dict[str, list[str]] = {}
    unsubstituted: list[str] = []
    for name, value in pairs:
        if name in RESERVED:
            continue
        if "--A--" in value and _PLACEHOLDER.search(value):
            # ViciDial had no such variable for this kind: a missing value, never a value.
            unsubstituted.append(name)
            continue
        target = values if name in VARIABLES else extra
        if name in target:
            repeated.setdefault(name, []).append(target[name])
        if name in double_encoded:
            value = unquote_text(value)
        elif autodial_comments and name == "comments":
            value = value.replace(_AUTODIAL_NEWLINE, "\n")
        target[name] = value
    identity = [f"{n}={values[n]}" for n in KINDS[kind].identity if values.get(n)]
    dedupe_key = "|".join((kind.value, *identity))
    return trusted_payload(kind, values, extra, repeated, unsubstituted, latin1, dedupe_key)


def parse_query(kind: Kind | str, query: bytes | str) -> WebhookPayload:
    """Parse a query string (a leading ``?`` is allowed) or a form body for ``kind``."""
    raw = _as_bytes(query)
    decoded = decode_query(raw[1:] if raw.startswith(b"?") else raw)
    return build_payload(kind, decoded.pairs, latin1=decoded.latin1)


parse_form = parse_query


def kind_in_url(url: bytes | str) -> Kind:
    """The kind a receiver URL names: ``.../webhooks/<kind>`` or ``...?kind=<kind>``."""
    raw = _as_bytes(url).partition(b"#")[0]
    path, _, query = raw.partition(b"?")
    named = [v for n, v in decode_query(query).pairs if n == "kind"]
    if len(set(named)) > 1:
        raise MalformedInputError("kind is given more than once with different values")
    if named:
        return kind_from_name(named[0])
    last = path.rstrip(b"/").rpartition(b"/")[2].decode("latin-1")
    return kind_from_name(last)


def parse_url(url: bytes | str, kind: Kind | str | None = None) -> WebhookPayload:
    """Parse an absolute or relative URL; the kind comes from the URL unless given."""
    raw = _as_bytes(url).partition(b"#")[0]  # a sender never transmits a fragment
    chosen = kind if kind is not None else kind_in_url(raw)
    if b"://" in raw[:16]:
        raw = urlsplit(raw).path + b"?" + urlsplit(raw).query
    return parse_query(chosen, raw.partition(b"?")[2])
