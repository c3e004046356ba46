"""Removing the API password from what ViciDial echoes back.

ViciDial prints the submitted password in its bad-login errors, as a pipe-delimited field
(``Invalid Username/Password: |7777|1234|...``) and inside an SQL statement
(``... and pass='1234' ...``); the non-agent API's sounds_list page repeats it in the links it
prints (``...&user=6666&pass=1234&format=...``). The password is removed only there: a blind
substring replace would also mangle ordinary data, since a password such as 1234 is a
plausible DTMF string, street number or URL fragment.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote, quote_plus

MASK = "********"

# Lines on which ViciDial echoes credentials: the agent API's and non-agent API's login errors.
_ECHO_LINE = re.compile(r"Invalid Username/Password|Login incorrect|Too many login attempts", re.I)
# The SQL fragment the agent API prints; the value may contain escaped quotes.
_SQL_PASS = re.compile(r"(\bpass\s*=\s*')((?:[^'\\]|\\.)*)(')", re.I)


def _redact_links(line: str, password: str) -> str:
    if "pass=" not in line:
        return line
    spellings = {password, quote(password, safe=""), quote_plus(password)}
    values = "|".join(re.escape(s) for s in sorted(spellings, key=len, reverse=True))
    link = re.compile(r"(?<=[?&;]pass=)(?:" + values + r")(?=[&\"'#\s>]|$)")
    return link.sub(MASK, line)


def redact_line(line: str, password: str) -> str:
    if not password:
        return line
    line = _redact_links(line, password)
    if not _ECHO_LINE.search(line):
        return line
    line = _SQL_PASS.sub(lambda m: m.group(1) + MASK + m.group(3), line)
    # A pipe-delimited field equal to the password; lookarounds keep neighbouring fields.
    field = re.compile(r"(?<=\|)" + re.escape(password) + r"(?=\||$)")
    return field.sub(MASK, line)


def redact_body(body: str, password: str) -> str:
    # Two plain substring scans first: a report of 100,000 rows echoes nothing (echoes are in
    # ERROR lines or pass= links), and must not pay a regex per line for it.
    if not password or ("pass=" not in body and "ERROR:" not in body):
        return body
    return "\n".join(redact_line(line, password) for line in body.split("\n"))


def redact_fields(body: str, secrets: Iterable[str]) -> str:
    """``body`` with every data field equal to one of ``secrets`` masked.

    For secrets a request carries besides the API password (a new agent's password), which
    ViciDial prints back as a field of its answer. Only a whole field goes: a password such as
    1001 is also a user id, and 10011 is not it.
    """
    for secret in secrets:
        if secret:
            field = re.compile(
                r"(?:(?<=\|)|(?<= - )|(?<=: ))" + re.escape(secret) + r"(?=\||$)", re.M
            )
            body = field.sub(MASK, body)
    return body
