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
_NAME_PATTERN = r"[A-Za-z_][A-Za-z0-9_.\-\[\]]*"
_NAME = re.compile(_NAME_PATTERN)
# A query whose every piece is a name, '=' and a value: nothing to re-join, nothing empty.
_SIMPLE = re.compile(rf"{_NAME_PATTERN}=[^&]*(?:&{_NAME_PATTERN}=[^&]*)*")
_PAIR = re.compile(rf"({_NAME_PATTERN})=([^&]*)")
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


def byte_view(raw: bytes | str) -> str:
    """``raw``'s bytes one character each (Latin-1), so text methods split them losslessly.

    Text is taken as aiohttp gives a request's raw path: UTF-8, with surrogate escapes for
    bytes that are not; an ASCII path (every path the serving path hands over) is its own view.
    """
    if isinstance(raw, bytes):
        return raw.decode("latin-1")
    return raw if raw.isascii() else raw.encode("utf-8", "surrogateescape").decode("latin-1")


def looks_like_name(piece: str) -> bool:
    """Whether ``piece`` (before its ``=``) looks like a parameter name an admin writes."""
    # isidentifier() is the common case of _NAME, and much cheaper than a match.
    return (piece.isascii() and piece.isidentifier()) or _NAME.fullmatch(piece) is not None


def split_pairs(view: str) -> list[tuple[str, str]]:
    """Split a byte view on ``&`` and ``=``, re-joining pieces that a raw ``&`` cut out of a value.

    A piece without ``=``, or whose name does not look like a parameter name, is taken to be
    the rest of the previous value: ViciDial's senders insert some values unencoded, and a
    value such as ``Tom & Jerry`` would otherwise lose its second half.
    """
    if _SIMPLE.fullmatch(view) is not None:
        pairs: list[tuple[str, str]] = _PAIR.findall(view)  # the common case, in C
        return pairs
    return rejoin_pairs(view)


def rejoin_pairs(view: str) -> list[tuple[str, str]]:
    """split_pairs piece by piece, for the queries a raw ``&`` or a stray piece is in."""
    pairs: list[tuple[str, str]] = []
    fullmatch = _NAME.fullmatch
    for piece in view.split("&"):
        if not piece:
            continue
        name, has_value, value = piece.partition("=")
        # looks_like_name(), inlined: this loop runs for every parameter of every request.
        if pairs and (
            not has_value
            or not ((name.isascii() and name.isidentifier()) or fullmatch(name) is not None)
        ):
            last_name, last_value = pairs[-1]
            pairs[-1] = (last_name, last_value + "&" + piece)
            continue
        pairs.append((name, value))
    return pairs


def _plain(piece: str) -> bool:
    """Whether ``piece`` holds no escape, no ``+`` and no byte from 0x80: it is its own text."""
    return piece.isascii() and "%" not in piece and "+" not in piece


def _decode_piece(piece: str) -> tuple[str, bool]:
    return to_text(unquote_bytes(piece.encode("latin-1")))


def decode_query(raw: bytes | str) -> DecodedQuery:
    """Decode a query string or form body, without its leading ``?``, into text pairs.

    Only the names and values holding an escape, a ``+`` or a byte from 0x80 are unescaped
    and decoded; every other piece is already its own text.
    """
    view = byte_view(raw)
    pairs = split_pairs(view)
    if _plain(view):
        return DecodedQuery(tuple(pairs), False)
    latin1 = False
    decoded: list[tuple[str, str]] = []
    for name, value in pairs:
        if not _plain(name):
            name, name_latin1 = _decode_piece(name)
            latin1 = latin1 or name_latin1
        if not _plain(value):
            value, value_latin1 = _decode_piece(value)
            latin1 = latin1 or value_latin1
        decoded.append((name, value))
    return DecodedQuery(tuple(decoded), latin1)


def decode_escaped(raw: bytes | str) -> DecodedQuery:
    """decode_query's reference: every name and value unescaped and decoded, needed or not."""
    latin1 = False
    pairs: list[tuple[str, str]] = []
    for raw_name, raw_value in rejoin_pairs(byte_view(raw)):
        name, name_latin1 = _decode_piece(raw_name)
        value, value_latin1 = _decode_piece(raw_value)
        latin1 = latin1 or name_latin1 or value_latin1
        pairs.append((name, value))
    return DecodedQuery(tuple(pairs), latin1)
