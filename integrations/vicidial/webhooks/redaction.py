"""What outside input may put into a log line: never a secret, never a control character.

A callback URL carries the receiver's token and, where an admin substitutes --A--pass--B--,
the agent's password; both must stay out of every line aiohttp or we write. A decoded value
may hold a newline (``%0A``), which would start a forged line of its own.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from aiohttp.abc import AbstractAccessLogger
from aiohttp.web import BaseRequest, StreamResponse

from .config import SECRET_PARAMETERS
from .decoding import looks_like_name, unquote_text

if TYPE_CHECKING:
    from .connections import ConnectionGuard

MASK = "REDACTED"
# C0 and C1 controls, DEL, the Unicode line and paragraph separators, and the backslash (so
# that an escape in the output always means an escaped character).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\\]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match[0])
    if code == 0x5C:
        return "\\\\"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with its control characters escaped, so it cannot break out of its line."""
    return _CONTROL.sub(_escape, text)


class Redactor:
    """Masks the values of secret parameters, and known secret values, in log text."""

    def __init__(self, secrets: Iterable[str] = (), names: Iterable[str] = ()) -> None:
        # Longest first, so a secret that contains another is masked whole.
        self._secrets = tuple(sorted({s for s in secrets if s}, key=len, reverse=True))
        self._names = SECRET_PARAMETERS | {name.lower() for name in names}
        spelled = "|".join(re.escape(n) for n in sorted(self._names, key=len, reverse=True))
        # name=... in any text (a request line quoted in an error, an exception message); it
        # masks a longer name ending in one too (phone_pass=), which costs nothing in a log.
        self._in_text = re.compile(rf"(?i)((?:{spelled})(?:=|%3D))[^&\s'\"]*")

    def __repr__(self) -> str:
        return f"Redactor(secrets={len(self._secrets)}, names={sorted(self._names)})"

    def query(self, query: str) -> str:
        """``query`` with the value of every parameter whose decoded name is secret masked.

        What follows a secret value up to the next piece that looks like a parameter is
        masked with it, as the receiver reads it as the rest of that value: a raw ``&``
        inside a password cannot leave its second half outside the mask.
        """
        shown: list[str] = []
        masking = False
        for piece in query.split("&"):
            name, has_value, _ = piece.partition("=")
            decoded = unquote_text(name) if "%" in name or "+" in name else name
            if has_value and decoded.lower() in self._names:
                shown.append(f"{name}={MASK}")
                masking = True
            elif not piece:
                shown.append(piece)
            elif not masking or (has_value and looks_like_name(name)):
                shown.append(piece)
                masking = False
        return "&".join(shown)

    def target(self, target: str) -> str:
        """A request-target (path and query) with its secret values masked."""
        path, has_query, query = target.partition("?")
        return path + "?" + self.query(query) if has_query else path

    def text(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, MASK)
        return self._in_text.sub(rf"\g<1>{MASK}", text)


class RedactingFilter(logging.Filter):
    """Masks secrets in a record's message and traceback; attach it to aiohttp's loggers."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self._redactor = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            # One line instead of a traceback: aiohttp's parser errors quote the request line.
            error = record.exc_info[1]
            message += f" ({type(error).__name__}: {' '.join(str(error).split())})"
        record.exc_info = None
        record.exc_text = None
        record.msg = printable(self._redactor.text(message))
        record.args = None
        return True


_DEFAULT = Redactor()


class RedactingAccessLogger(AbstractAccessLogger):
    """An access log line per request with every secret parameter masked.

    Served by ``serving.start_receiver``, the names configured as secret are masked too and
    the lines of refused requests (status 400 and up) share the server's log budget; on any
    other server, pass, password and token are masked.
    """

    def log(self, request: BaseRequest, response: StreamResponse, time: float) -> None:
        guard: ConnectionGuard | None = getattr(request.protocol, "guard", None)
        redactor = _DEFAULT if guard is None else guard.redactor
        target = printable(redactor.target(request.raw_path))
        message = '%s "%s %s" %s %.3fs'
        args = (request.remote, printable(request.method), target, response.status, time)
        if guard is not None and response.status >= 400:
            guard.limiter.log(self.logger, logging.INFO, message, *args)
        else:
            self.logger.info(message, *args)
