"""Failed notifications: each a typed error naming its target, never quoting a secret.

A target's URL, headers and password are never part of an error: an incoming-webhook URL is
its own credential. What a receiver answered is quoted only when it is short, one line, and
holds nothing of the target's secrets (``quoted_reply``).
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

# A receiver's answer is quoted up to this many characters: enough for Slack's
# "invalid_payload" or an SMTP server's reason, too little for an echoed request.
MAX_QUOTED = 120
# Secret pieces shorter than this are not looked for: they match ordinary words.
MIN_PIECE = 6


class NotifyError(Exception):
    """A notification was not delivered; ``target`` is the target's name (``notify.<target>``)."""

    def __init__(self, target: str, reason: str) -> None:
        super().__init__(f"notify.{target}: {reason}")
        self.target = target
        self.reason = reason

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.target!r}, {self.reason!r})"


class NotifyNotStartedError(NotifyError):
    """The notify integration is not started (a wiring defect: the daemon starts it)."""


class NotifyTemplateError(NotifyError):
    """The target's template (``template``: body or subject) failed on the data it was given:
    send what it reads, or mend the template."""

    def __init__(self, target: str, template: str, reason: str) -> None:
        super().__init__(target, f"{template} template: {reason}")
        self.template = template


class NotifyTimeoutError(NotifyError):
    """No answer within the target's timeout. Not retried: the receiver may have got it."""

    def __init__(self, target: str, timeout: float, *, attempts: int = 1) -> None:
        super().__init__(target, f"no answer within {timeout:g}s")
        self.timeout = timeout
        self.attempts = attempts


class NotifyRejectedError(NotifyError):
    """The receiver refused the notification (HTTP 4xx, an SMTP 5xx reply, a redirect):
    sending it again will not help; the target's config or the call's data must change."""

    def __init__(self, target: str, reason: str, *, status: int | None = None) -> None:
        super().__init__(target, reason)
        self.status = status


class NotifyUnavailableError(NotifyError):
    """The receiver could not be reached or failed (a connection error, HTTP 5xx, an SMTP 4xx
    reply), after every attempt the target allows."""

    def __init__(
        self, target: str, reason: str, *, status: int | None = None, attempts: int = 1
    ) -> None:
        tries = f" after {attempts} attempts" if attempts > 1 else ""
        super().__init__(target, f"{reason}{tries}")
        self.status = status
        self.attempts = attempts


class NotifyTlsError(NotifyError):
    """TLS with the receiver failed (an untrusted or mismatched certificate, no TLS offered):
    a config matter, so not retried; a private CA goes in the target's ``ca_file``."""

    @classmethod
    def untrusted(cls, target: str, why: str | None) -> NotifyTlsError:
        """The receiver's certificate did not verify (``why``: OpenSSL's words)."""
        reason = why or "the certificate is not trusted"
        return cls(target, f"TLS failed: {reason} (a private CA goes in ca_file)")


def secret_pieces(secrets: Iterable[str], *, url: str | None = None) -> frozenset[str]:
    """What to look for in a receiver's answer: each secret whole, and the URL whole and each
    piece of its path, query and fragment (a server may echo only the token part)."""
    pieces = set(secrets)
    if url is not None:
        parts = urlsplit(url)
        pieces.add(url)
        pieces.update(parts.path.split("/"))
        for pair in parts.query.split("&"):
            pieces.update(pair.split("="))
        pieces.add(parts.fragment)
    return frozenset(p for p in pieces if len(p) >= MIN_PIECE)


def quoted_reply(text: str, pieces: frozenset[str]) -> str:
    """``text`` fit to quote in an error: its first line, bounded; "" when it holds a secret,
    or is markup (an error page's first line says nothing)."""
    line = text.strip().partition("\n")[0].strip()
    if not line or line.startswith("<") or any(piece in text for piece in pieces):
        return ""
    if len(line) > MAX_QUOTED:
        line = line[: MAX_QUOTED - 3] + "..."
    return "".join(c if c.isprintable() else "?" for c in line)
