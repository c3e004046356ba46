"""The daemon's log: readable text by default, JSON lines on request, secrets never.

Every record carries the id of the event or rule run it belongs to (``context``), taken from
the context variable the bus and rule runs set (``engine.context``), so a JSON log can
be searched by run.
Redaction is applied to the finished line, traceback included: a secret that reached a message,
an argument or an exception's text is masked wherever it stands.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TextIO

from engine.context import current_context
from engine.jsonable import SECRET_MASK

# Shorter values are not masked: blind masking of "12" would wreck every line with a 12 in it
# (secrets that short are refused by the config anyway).
MIN_SECRET = 4


class Redactor:
    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets: list[str] = []
        self.update(secrets)

    def update(self, secrets: Iterable[str]) -> None:
        """Replace the secrets masked (a reload may rotate them)."""
        values = {s for s in secrets if s and len(s) >= MIN_SECRET}
        # Longest first, so a secret containing another is masked whole.
        self._secrets = sorted(values, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, SECRET_MASK)
        return text


class _ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "context"):
            current = current_context()
            record.context = current.id if current is not None else None
        return True


class TextFormatter(logging.Formatter):
    def __init__(self, redact: Redactor) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(name)s: %(message)s", "%Y-%m-%d %H:%M:%S")
        self._redact = redact

    def format(self, record: logging.LogRecord) -> str:
        return self._redact(super().format(record))


class JsonFormatter(logging.Formatter):
    def __init__(self, redact: Redactor) -> None:
        super().__init__()
        self._redact = redact

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "context": getattr(record, "context", None),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return self._redact(json.dumps(entry, ensure_ascii=False))


def setup_logging(
    level: str, fmt: str, redact: Redactor, *, stream: TextIO | None = None
) -> logging.Handler:
    """One handler on the root logger (replacing earlier ones of ours); the handler."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "vicibus", False):
            root.removeHandler(handler)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.vicibus = True  # type: ignore[attr-defined]
    handler.setFormatter(JsonFormatter(redact) if fmt == "json" else TextFormatter(redact))
    handler.addFilter(_ContextFilter())
    root.addHandler(handler)
    root.setLevel(level.upper())
    return handler
