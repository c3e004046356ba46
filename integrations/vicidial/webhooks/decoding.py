"""Lenient decoding of the query strings and form bodies ViciDial's senders produce.

ViciDial substitutes values into URLs without a consistent encoding (see docs/webhooks.md), so
this decoder never refuses input: ``+`` and ``%20`` are spaces, a ``%`` that starts no escape
stays as it is, raw characters pass, and bytes that are not UTF-8 are read as Latin-1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A parameter name as an admin writes one; text after a raw '&' inside a value rarely looks
# like this, which is how such a split value is put back together.
_NAME = re.compile(rb"[A-Za-z_][A-Za-z0-9_.\-\[\]]*")
_ESCAPE = re.compile(rb"%([0-9A-Fa-f]{2})")


@dataclass(frozen=True, slots=True)
class DecodedQuery:
    pairs: tuple[tuple[str, str], ...]
    latin1: bool  # some value was not UTF-8 and was read as Latin-1


def _byte(match: re.Match[bytes]) -> bytes:
    return bytes((int(match[1], 16),))


def unquote_bytes(raw: bytes) -> bytes:
    """Form-decode ``raw``: ``+`` is a space, ``%XX`` a byte, any other ``%`` stays."""
    raw = raw.replace(b"+", b" ")
    return _ESCAPE.sub(_byte, raw) if b"%" in raw else raw


def to_text(raw: bytes) -> tuple[str, bool]:
    """``raw`` as text: UTF-8 when it is, else Latin-1 (flagged True), which never fails."""
    try:
        return raw.decode("utf-8"), False
    except UnicodeDecodeError:
        return raw.decode("latin-1"), True


def unquote_text(value: str) -> str:
    """Decode a value a second time, for the values ViciDial encodes twice."""
    raw = value.encode("utf-8", "surrogateescape")
    return to_text(unquote_bytes(raw))[0]


def split_raw_pairs(raw: bytes) -> list[tuple[bytes, bytes]]:
    """Split on ``&`` and ``=``, re-joining pieces that a raw ``&`` cut out of a value.

    A piece without ``=``, or whose name does not look like a parameter name, is taken to be
    the rest of the previous value: ViciDial's senders insert some values unencoded, and a
    value such as ``Tom & Jerry`` would otherwise lose its second half.
    """
    pairs: list[tuple[bytes, bytes]] = []
    for piece in raw.split(b"&"):
        if not piece:
            continue
        name, has_value, value = piece.partition(b"=")
        if pairs and (not has_value or _NAME.fullmatch(name) is None):
            last_name, last_value = pairs[-1]
            pairs[-1] = (last_name, last_value + b"&" + piece)
            continue
        pairs.append((name, value))
    return pairs


def decode_query(raw: bytes) -> DecodedQuery:
    """Decode a query string or form body, without its leading ``?``, into text pairs."""
    if raw.isascii() and b"%" not in raw and b"+" not in raw:
        # The common case (values without spaces or escapes): nothing to unescape.
        plain = tuple((n.decode("ascii"), v.decode("ascii")) for n, v in split_raw_pairs(raw))
        return DecodedQuery(plain, False)
    return decode_escaped(raw)


def decode_escaped(raw: bytes) -> DecodedQuery:
    """decode_query's general path: every name and value unescaped and decoded."""
    latin1 = False
    pairs: list[tuple[str, str]] = []
    for raw_name, raw_value in split_raw_pairs(raw):
        name, name_latin1 = to_text(unquote_bytes(raw_name))
        value, value_latin1 = to_text(unquote_bytes(raw_value))
        latin1 = latin1 or name_latin1 or value_latin1
        pairs.append((name, value))
    return DecodedQuery(tuple(pairs), latin1)
