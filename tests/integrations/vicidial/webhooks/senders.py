"""ViciDial's three senders, simulated after the sending notes, down to the bytes they send."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping
from urllib.parse import quote_plus, unquote_plus

from integrations.vicidial.webhooks.kinds import KINDS, Kind, Sender

from .conftest import Served

_PLACEHOLDER = re.compile(r"--A--(\w+)--B--", re.IGNORECASE)
# Values PHP's file() sender inserts without urlencode().
_PHP_RAW = frozenset(
    {"lead_id", "user", "campaign", "dispo", "term_reason", "talk_time", "epoch"}
    | {"recording_filename", "recording_id"}
    | {f"camp_custom_{n}" for n in ("one", "two", "three", "four", "five")}
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Characters the agent screen deletes from its whole push URL before sending.
_PUSH_DELETED = re.compile(r"[`:;#\"{}^$\r\n\t]")


def _php(kind: Kind, name: str, value: str) -> str:
    if name in KINDS[kind].double_encoded:
        return quote_plus(quote_plus(value))
    return _CONTROL.sub("_", value) if name in _PHP_RAW else quote_plus(value)


def _wget_or_curl(kind: Kind, name: str, value: str) -> str:
    return value.replace(" ", "+")


def substitute(kind: Kind, sender: Sender, template: str, values: Mapping[str, str]) -> str:
    """The URL after ViciDial's --A--name--B-- replacement, as ``sender`` writes it."""
    url = template[3:] if template.startswith("VAR") else template
    provides = KINDS[kind].provides
    lowered = {name.lower(): (name, value) for name, value in values.items()}
    encode = _php if sender is Sender.PHP else _wget_or_curl

    def replace(match: re.Match[str]) -> str:
        found = lowered.get(match[1].lower())
        if found is not None:
            return encode(kind, *found)
        # A variable this kind does not fill stays literal; a known one without data is empty.
        return match[0] if provides is not None and match[1] not in provides else ""

    url = _PLACEHOLDER.sub(replace, url)
    if sender is Sender.PHP:
        url = url.partition("#")[0]
    return url


def wire_bytes(sender: Sender, url: str) -> bytes:
    """The request target's bytes: wget escapes non-ASCII bytes, curl sends them raw."""
    raw = url.encode("utf-8")
    if sender is Sender.WGET:
        return b"".join(b"%%%02X" % b if b >= 0x80 else bytes((b,)) for b in raw)
    return raw


def agent_push(template: str, values: Mapping[str, str]) -> tuple[str, bytes]:
    """The agent screen's XHR and get2post.php's relay: (post page, body it POSTs)."""
    url = _PLACEHOLDER.sub(lambda m: values.get(m[1], m[0]), template)
    url = _PUSH_DELETED.sub("", url)
    body = url.partition("?")[2].replace(" ", "+")
    # get2post.php: PHP decodes the form, the pairs are joined again without encoding.
    pairs = [piece.partition("=") for piece in body.split("&") if piece]
    joined = "&".join(f"{unquote_plus(k)}={unquote_plus(v)}" for k, _, v in pairs)
    joined = re.sub(r"['\"\\]", "", joined)
    scheme = "https" if "HTTPSURLTOPOST=" in joined else "http"
    target = joined.split("URLTOPOST=", 1)[1]
    page, _, rest = target.partition("?")
    return f"{scheme}://{page}", rest.partition("?")[0].encode("utf-8")


async def exchange(server: Served, chunks: list[bytes], pause: float = 0.0) -> bytes:
    """Write ``chunks`` one by one on a new connection (pausing between them, so the server
    reads them separately), then read until the server closes it."""
    reader, writer = await asyncio.open_connection(server.host, server.port)
    for chunk in chunks:
        writer.write(chunk)
        await writer.drain()
        if pause:
            await asyncio.sleep(pause)
    async with asyncio.timeout(10):  # a server waiting for more must fail the test, not hang it
        answer = await reader.read()
    writer.close()
    await writer.wait_closed()
    return answer


def responses(raw: bytes) -> list[tuple[int, str]]:
    """(status, body) of every response in ``raw``, read by their Content-Length."""
    found: list[tuple[int, str]] = []
    while raw:
        head, _, rest = raw.partition(b"\r\n\r\n")
        status_line, *headers = head.split(b"\r\n")
        lengths = [
            h.partition(b":")[2] for h in headers if h.lower().startswith(b"content-length:")
        ]
        size = int(lengths[0]) if lengths else len(rest)
        found.append((int(status_line.split(b" ")[1]), rest[:size].decode("latin-1")))
        raw = rest[size:]
    return found


def request(method: str, target: bytes, body: bytes | None = None, *, close: bool = True) -> bytes:
    """One HTTP/1.1 request as PHP's file(), wget and curl write it: Host, maybe Connection."""
    head = method.encode() + b" " + target + b" HTTP/1.1\r\nHost: vicidial\r\n"
    if close:
        head += b"Connection: close\r\n"
    if body is not None:
        head += b"Content-Type: application/x-www-form-urlencoded\r\n"
        head += b"Content-Length: %d\r\n" % len(body)
    return head + b"\r\n" + (body or b"")


async def send(
    server: Served, method: str, target: bytes, body: bytes | None = None
) -> tuple[int, str]:
    """One HTTP/1.1 request written byte for byte, as the senders do; (status, body)."""
    [answer] = responses(await exchange(server, [request(method, target, body)]))
    return answer


def request_target(url: str) -> str:
    """The path and query of an absolute URL, untouched (no re-encoding)."""
    return "/" + url.split("://", 1)[1].partition("/")[2]
