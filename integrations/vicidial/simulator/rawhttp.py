"""HTTP/1.1 requests written byte for byte over asyncio streams.

ViciDial's senders put raw spaces, raw UTF-8 and unbalanced ``%`` on the request line, which
any HTTP client library would encode or refuse. The simulator must send what ViciDial sends,
so it writes the request bytes itself and reads just enough of the answer (status and body).
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass

MAX_HEAD = 64 * 1024
MAX_BODY = 1024 * 1024
DEFAULT_PORTS = {"http": 80, "https": 443}


class TransportError(Exception):
    """A request that could not be made or whose answer could not be read."""


@dataclass(frozen=True, slots=True)
class Target:
    """Where a URL points, split without decoding or re-encoding anything."""

    scheme: str
    host: str
    port: int
    authority: str  # host[:port] as written, for the Host header
    path: str  # path and query exactly as substituted

    @property
    def origin(self) -> str:
        """scheme://authority/path without the query: what logs may show (no token)."""
        return f"{self.scheme}://{self.authority}{self.path.partition('?')[0]}"


def split_url(url: str) -> Target:
    """Split an absolute http(s) URL; raises TransportError for anything else.

    ``urllib.parse`` is not used because it strips some control characters and would not keep
    the raw request-target a sender produced.
    """
    scheme, sep, rest = url.partition("://")
    scheme = scheme.lower()
    if not sep or scheme not in DEFAULT_PORTS:
        raise TransportError("not an absolute http or https URL")
    cut = min((i for i in (rest.find("/"), rest.find("?")) if i >= 0), default=len(rest))
    authority, path = rest[:cut], rest[cut:]
    if not path.startswith("/"):
        path = "/" + path
    host, port = authority, DEFAULT_PORTS[scheme]
    if authority.startswith("["):
        end = authority.find("]")
        host, tail = authority[1:end], authority[end + 1 :]
        if tail.startswith(":") and tail[1:].isdigit():
            port = int(tail[1:])
    elif ":" in authority:
        host, _, port_text = authority.rpartition(":")
        if not port_text.isdigit():
            raise TransportError("the URL's port is not a number")
        port = int(port_text)
    if not host or "@" in host or " " in host:
        raise TransportError("the URL has no usable host")
    return Target(scheme, host, port, authority, path)


@dataclass(frozen=True, slots=True)
class HttpAnswer:
    status: int
    body: bytes


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    body = b""
    while True:
        size_line = await reader.readuntil(b"\r\n")
        size = int(size_line.split(b";")[0].strip() or b"0", 16)
        if size == 0:
            await reader.readuntil(b"\r\n")
            return body
        body += await reader.readexactly(size)
        await reader.readexactly(2)
        if len(body) > MAX_BODY:
            raise TransportError("answer body too large")


async def read_answer(reader: asyncio.StreamReader) -> HttpAnswer:
    """Status and body of one HTTP/1.x response (Content-Length, chunked or until close)."""
    head = await reader.readuntil(b"\r\n\r\n")
    if len(head) > MAX_HEAD:
        raise TransportError("answer head too large")
    status_line, *header_lines = head[:-4].split(b"\r\n")
    parts = status_line.split(b" ", 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/") or not parts[1].isdigit():
        raise TransportError("not an HTTP answer")
    headers: dict[bytes, bytes] = {}
    for line in header_lines:
        name, _, value = line.partition(b":")
        headers[name.strip().lower()] = value.strip()
    if b"chunked" in headers.get(b"transfer-encoding", b"").lower():
        body = await _read_chunked(reader)
    elif headers.get(b"content-length", b"").isdigit():
        length = int(headers[b"content-length"])
        if length > MAX_BODY:
            raise TransportError("answer body too large")
        body = await reader.readexactly(length)
    else:
        body = await reader.read(MAX_BODY)
    return HttpAnswer(int(parts[1]), body)


class RawHttp:
    """Sends prepared request bytes; one connection per request, as ViciDial's senders do.

    ``resolve`` maps a URL's (host, port) to where to connect instead, like an /etc/hosts
    entry plus a port forward on the dialer: the request bytes (Host header included) stay
    those of the URL. Tests use it to reach loopback receivers on ephemeral ports.
    """

    def __init__(
        self,
        *,
        timeout: float = 5.0,
        resolve: Mapping[tuple[str, int], tuple[str, int]] | None = None,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.timeout = timeout
        self.resolve = dict(resolve or {})
        self._ssl_context = ssl_context

    def __repr__(self) -> str:
        return f"RawHttp(timeout={self.timeout}, resolve={len(self.resolve)} entries)"

    async def send(self, target: Target, request: bytes) -> HttpAnswer:
        host, port = self.resolve.get(
            (target.host.lower(), target.port), (target.host, target.port)
        )
        context: ssl.SSLContext | None = None
        if target.scheme == "https":
            context = self._ssl_context or ssl.create_default_context()
        try:
            async with asyncio.timeout(self.timeout):
                reader, writer = await asyncio.open_connection(
                    host,
                    port,
                    ssl=context,
                    server_hostname=target.host if context is not None else None,
                    limit=MAX_HEAD,
                )
                try:
                    writer.write(request)
                    await writer.drain()
                    return await read_answer(reader)
                finally:
                    writer.close()
                    # The answer is read; a reset while closing changes nothing.
                    with contextlib.suppress(OSError, ssl.SSLError):
                        await writer.wait_closed()
        except TimeoutError:
            raise TransportError(f"no answer within {self.timeout:g} seconds") from None
        except (
            OSError,
            ssl.SSLError,
            asyncio.IncompleteReadError,
            asyncio.LimitOverrunError,
        ) as exc:
            raise TransportError(type(exc).__name__) from None
        except ValueError as exc:
            raise TransportError(f"unreadable answer ({type(exc).__name__})") from None
