"""Refusals as the receiver writes them: a status and a one-line reason holding no digit.

ViciDial reads any digit in a DID filter answer as its decision, so no refusal may hold one,
whoever writes it: the receiver, aiohttp's router, or the connection layer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from http import HTTPStatus

from aiohttp import web

_DIGIT = re.compile(r"\d")


def digit_free(reason: str, status: int) -> str:
    """``reason`` when it holds no digit, else the status's own phrase in lower case."""
    return reason if _DIGIT.search(reason) is None else status_phrase(status)


def status_phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase.lower()
    except ValueError:
        return "refused"


def refusal(status: int, reason: str, headers: Mapping[str, str] | None = None) -> web.Response:
    """The answer to a refused request; ``reason`` must hold no digit."""
    return web.Response(status=status, text=reason + "\n", headers=headers)


def plain_http_error(response: web.StreamResponse) -> web.StreamResponse:
    """An aiohttp HTTP error left with its default body (``405: Method Not Allowed``), reworded
    without digits; any other response as it is."""
    # aiohttp's own mark: an isinstance() on a response is an ABC check, every request.
    if (
        getattr(response, "__http_exception__", False)
        and isinstance(response, web.HTTPException)
        and response.status >= 400
        and response.text == f"{response.status}: {response.reason}"
    ):
        allow = response.headers.get("Allow")
        return refusal(
            response.status, status_phrase(response.status), {"Allow": allow} if allow else None
        )
    return response


def raw_refusal(status: int, reason: str) -> bytes:
    """A whole HTTP/1.1 answer that closes the connection, for when there is no request to
    answer through aiohttp: a head that came too slowly, a connection over the limit."""
    body = reason.encode() + b"\n"
    head = (
        f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + body
