"""The daemon's own secrets when the config names none: the API token and the webhook token.

A config holding only ``vicidial: {simulated: {scenario: demo}}`` is valid: the daemon makes
random tokens, says so once at start-up (so the newcomer can use them), and keeps them in the
storage directory (``tokens.json``, readable by its owner alone) so they survive a restart and
URLs pasted into ViciDial keep working.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

TOKENS_FILE = "tokens.json"
# 32 URL-safe characters: what the receiver takes in a URL without escaping.
_TOKEN_BYTES = 24


class TokenStoreError(Exception):
    """The tokens file cannot be read or written; the message says which and why."""


def new_token() -> str:
    return secrets.token_urlsafe(_TOKEN_BYTES)


@dataclass(frozen=True, slots=True)
class Tokens:
    api: str = field(repr=False)
    webhooks: tuple[str, ...] = field(repr=False)
    # Which were made now (to say once) and which came from the storage directory.
    generated: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return f"Tokens(webhooks={len(self.webhooks)}, generated={list(self.generated)})"


def load_tokens(
    storage: Path, *, api: str | None = None, webhooks: tuple[str, ...] = (), keep: bool = True
) -> Tokens:
    """The configured tokens, else those kept in ``storage``, else new ones (kept there unless
    ``keep`` is false: ``vicibus check`` writes nothing)."""
    path = storage / TOKENS_FILE
    kept: dict[str, str] = {}
    if path.exists():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            kept = {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
        except (OSError, ValueError) as exc:
            raise TokenStoreError(f"cannot read {path}: {exc}") from None
    generated = []
    api_token = api or kept.get("api")
    if not api_token:
        api_token = kept["api"] = new_token()
        generated.append("api")
    hooks = webhooks or ((kept["webhook"],) if kept.get("webhook") else ())
    if not hooks:
        kept["webhook"] = new_token()
        hooks = (kept["webhook"],)
        generated.append("webhook")
    if generated and keep:
        _write(path, kept)
    return Tokens(api_token, tuple(hooks), tuple(generated))


def _write(path: Path, tokens: dict[str, str]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Created 0600 from the start: never readable by others, not even for a moment.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(tokens, out)
    except OSError as exc:
        raise TokenStoreError(f"cannot write {path}: {exc}") from None
