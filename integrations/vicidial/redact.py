"""Removing secrets from what ViciDial echoes back.

ViciDial prints the submitted API password in its bad-login errors, as the third
pipe-delimited field (``Invalid Username/Password: |7777|1234|...``, ``Login incorrect, please
try again: |1001|1234|BAD|``) and inside an SQL statement (``... and pass='1234' ...``); the
non-agent API's sounds_list page repeats it in the links it prints (``...&pass=1234&...``).
Neither API echoes it as sent: each first strips the characters it does not allow, so
``S3cr3t-Pa55w0rd!`` comes back as ``S3cr3t-Pa55w0rd``. Other secret parameters (a new agent's
``agent_pass``) come back as whole fields of the answer, stripped the same way.

Two layers:

- Every answer, successful or not: the login errors' password field and SQL value are masked
  whatever they hold, ``pass=`` links holding any spelling of the password, and whole fields
  holding another secret (``redact_fields``). Nothing else: a blind substring replace would
  mangle ordinary data, since a password such as 1234 is also a plausible DTMF string, street
  number or URL fragment.
- Errors only (``scrub_error``): every spelling of a secret at least ``MIN_BLIND`` characters
  long is masked anywhere in the error's reason, details, raw body and outcomes. An error is
  text for people and logs; a lost street number there costs less than a leaked password.
  Shorter spellings are left to the first layer: masking every ``ab`` would wreck the message
  and show which characters the secret holds.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from urllib.parse import quote, quote_plus

from integrations.vicidial.errors import ViciError
from integrations.vicidial.registry import Api

MASK = "********"
MIN_BLIND = 4

# What each API keeps of a password before echoing it, besides digits and letters: its
# sanitising of ``pass`` (the non-agent API's also of ``agent_pass`` and ``phone_pass``).
_KEEPS: dict[Api, frozenset[str]] = {"agent": frozenset("-.+/=_"), "admin": frozenset("-_")}

# Lines on which ViciDial echoes credentials: the agent API's and non-agent API's login errors.
_ECHO_LINE = re.compile(r"Invalid Username/Password|Login incorrect|Too many login attempts", re.I)
# The password field of those errors: |user|pass|...
_LOGIN_PASS = re.compile(
    r"((?:Invalid Username/Password|Login incorrect, please try again):\s*\|[^|]*\|)"
    r"([^|]+)(?=\||$)",
    re.I,
)
# The SQL fragment the agent API prints; the value may contain escaped quotes.
_SQL_PASS = re.compile(r"(\bpass\s*=\s*')((?:[^'\\]|\\.)*)(')", re.I)


def dialer_kept(secret: str, api: Api, *, any_script: bool = False) -> str:
    """``secret`` as ``api`` keeps it before using or echoing it: ASCII letters only, or letters
    of any script when the system's non-Latin setting is on."""
    keeps = _KEEPS[api]
    return "".join(
        c
        for c in secret
        if c in keeps or "0" <= c <= "9" or (c.isalpha() and (any_script or c.isascii()))
    )


def echo_forms(secret: str) -> frozenset[str]:
    """Every non-empty spelling of ``secret`` the dialer can print back: as sent, as each API
    keeps it (Latin-only or any script), each of those URL-encoded, and HTML-escaped."""
    kept = {secret}
    for api in _KEEPS:
        for any_script in (False, True):
            kept.add(dialer_kept(secret, api, any_script=any_script))
    forms = {
        spelling for form in kept for spelling in (form, quote(form, safe=""), quote_plus(form))
    }
    forms.add(html.escape(secret))
    forms.discard("")
    return frozenset(forms)


def _alternatives(forms: Iterable[str]) -> str:
    return "|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True))


def _link_pattern(password: str) -> re.Pattern[str]:
    values = _alternatives(echo_forms(password))
    return re.compile(r"(?<=[?&;]pass=)(?:" + values + r")(?=[&\"'#\s>]|$)")


def _redact(line: str, links: re.Pattern[str]) -> str:
    if "pass=" in line:
        line = links.sub(MASK, line)
    if not _ECHO_LINE.search(line):
        return line
    line = _SQL_PASS.sub(lambda m: m.group(1) + MASK + m.group(3), line)
    return _LOGIN_PASS.sub(lambda m: m.group(1) + MASK, line)


def redact_line(line: str, password: str) -> str:
    if not password:
        return line
    return _redact(line, _link_pattern(password))


def redact_body(body: str, password: str) -> str:
    # Two plain substring scans first: a report of 100,000 rows echoes nothing (echoes are in
    # ERROR lines or pass= links), and must not pay a regex per line for it.
    if not password or ("pass=" not in body and "ERROR:" not in body):
        return body
    links = _link_pattern(password)
    return "\n".join(_redact(line, links) for line in body.split("\n"))


def redact_fields(body: str, secrets: Iterable[str]) -> str:
    """``body`` with every data field equal to a spelling of one of ``secrets`` masked.

    For secrets a request carries besides the API password (a new agent's password), which
    ViciDial prints back as a field of its answer. Only a whole field goes: a password such as
    1001 is also a user id, and 10011 is not it. Of the spellings other than the one sent, only
    those of ``MIN_BLIND`` characters or more count: a stripped ``1!`` is the ``1`` of every
    flag.
    """
    for secret in secrets:
        if not secret:
            continue
        forms = {secret, *(form for form in echo_forms(secret) if len(form) >= MIN_BLIND)}
        field = re.compile(
            r"(?:(?<=\|)|(?<= - )|(?<=: ))(?:" + _alternatives(forms) + r")(?=\||$)", re.M
        )
        body = field.sub(MASK, body)
    return body


def scrub_error(error: ViciError, secrets: Iterable[str]) -> ViciError:
    """``error``, its texts rewritten in place with every spelling of each secret of at least
    ``MIN_BLIND`` characters masked, wherever it stands."""
    forms = {
        form
        for secret in secrets
        if secret
        for form in echo_forms(secret)
        if len(form) >= MIN_BLIND
    }
    # A secret of stars alone cannot be told from the mask; the others are masked until none is
    # left, since a mask can complete one (``a**`` in ``aa**``): each round removes a non-star.
    forms = {form for form in forms if form.strip("*")}
    if not forms:
        return error
    pattern = re.compile(_alternatives(forms))

    def mask(text: str) -> str:
        while (masked := pattern.sub(MASK, text)) != text:
            text = masked
        return text

    error.rewrite_texts(mask)
    return error
