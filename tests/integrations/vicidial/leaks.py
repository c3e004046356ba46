"""Looking for leaked secrets: distinctive passwords, and the PHP rules by which each API strips
a password before echoing it, written out independently of the client's code."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from urllib.parse import quote, quote_plus

from integrations.vicidial.errors import ViciError
from integrations.vicidial.redact import MIN_BLIND

# The example and one the two APIs strip differently.
PUNCTUATED = "S3cr3t-Pa55w0rd!"
MIXED = "Kx.7+Lw/9=Qp!#"
AGENT_KEPT = {PUNCTUATED: "S3cr3t-Pa55w0rd", MIXED: "Kx.7+Lw/9=Qp"}
ADMIN_KEPT = {PUNCTUATED: "S3cr3t-Pa55w0rd", MIXED: "Kx7Lw9Qp"}


def php_agent_kept(password: str, *, any_script: bool = False) -> str:
    """agc/api.php's ``$pass=preg_replace(...)``: Latin, or ``\\p{L}`` when non-Latin is on."""
    if any_script:
        return "".join(c for c in password if c in "-.+/=_0123456789" or _letter(c))
    return re.sub(r"[^-.+/=_0-9a-zA-Z]", "", password)


def php_admin_kept(password: str, *, any_script: bool = False) -> str:
    """non_agent_api.php's ``$pass=preg_replace(...)``."""
    if any_script:
        return "".join(c for c in password if c in "-_0123456789" or _letter(c))
    return re.sub(r"[^-_0-9a-zA-Z]", "", password)


def _letter(c: str) -> bool:
    return unicodedata.category(c).startswith("L")


def spellings(password: str) -> set[str]:
    """What must never survive in an error: every spelling long enough to look for."""
    kept = {password}
    for any_script in (False, True):
        kept |= {php_agent_kept(password, any_script=any_script)}
        kept |= {php_admin_kept(password, any_script=any_script)}
    forms = {f for k in kept for f in (k, quote(k, safe=""), quote_plus(k))}
    return {form for form in forms if len(form) >= MIN_BLIND}


def texts_of(error: ViciError, *, framed: bool = True) -> Iterator[str]:
    """The error's texts; ``framed`` adds str and repr, which also hold the client's own words
    (the function name, ``reason=``): a random password may be one of those."""
    if framed:
        yield str(error)
        yield repr(error)
    yield error.reason
    yield error.raw
    yield from error.details
    for line in error.outcomes:
        yield line.text
        yield line.reason
        yield from line.data


def assert_clean(error: ViciError, password: str, *, framed: bool = True) -> None:
    for text in texts_of(error, framed=framed):
        for form in spellings(password):
            assert form not in text, (form, text)
