"""Keeping tokens out of every log line: an access logger and a logging filter."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from aiohttp.abc import AbstractAccessLogger
from aiohttp.web import BaseRequest, StreamResponse

from .decoding import to_text, unquote_bytes

MASK = "REDACTED"
# token=... in any text (a request line in aiohttp's own error logs, an exception message).
_TOKEN_IN_TEXT = re.compile(r"(?i)(token(?:=|%3D))[^&\s'\"]*")


def redact_query(query: str) -> str:
    """``query`` with the value of every parameter whose decoded name is token masked."""
    pieces = []
    for piece in query.split("&"):
        name, has_value, _ = piece.partition("=")
        decoded = to_text(unquote_bytes(name.encode("utf-8", "surrogateescape")))[0]
        pieces.append(f"{name}={MASK}" if has_value and decoded.lower() == "token" else piece)
    return "&".join(pieces)


def redact_text(text: str, secrets: Iterable[str] = ()) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, MASK)
    return _TOKEN_IN_TEXT.sub(rf"\g<1>{MASK}", text)


class RedactingFilter(logging.Filter):
    """Masks tokens in a record's message and traceback; attach it to aiohttp's loggers."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._secrets = tuple(secrets)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            # One line instead of a traceback: aiohttp's parser errors quote the request line.
            error = record.exc_info[1]
            message += f" ({type(error).__name__}: {' '.join(str(error).split())})"
        record.exc_info = None
        record.exc_text = None
        record.msg = redact_text(message, self._secrets)
        record.args = None
        return True


class RedactingAccessLogger(AbstractAccessLogger):
    """An access log line per request with the token parameter masked."""

    def log(self, request: BaseRequest, response: StreamResponse, time: float) -> None:
        path, has_query, query = request.raw_path.partition("?")
        target = path + ("?" + redact_query(query) if has_query else "")
        self.logger.info(
            '%s "%s %s" %s %.3fs', request.remote, request.method, target, response.status, time
        )
