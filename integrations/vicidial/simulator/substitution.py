"""ViciDial's ``--A--name--B--`` substitution of callback URLs.

ViciDial replaces each variable it knows for a kind by plain string replacement,
case-insensitively on the server side (the agent screen's JavaScript is case-sensitive). A
name it does not know for that kind stays in the URL literally; a known name with no data
becomes empty. A leading ``VAR`` is simply stripped, and some settings (Add Lead URL, DID
Filter URL) only substitute at all when the URL starts with it. Encoding is the sender's
business: ``encode`` turns each (name, value) into the text inserted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

VAR_PREFIX = "VAR"
_PLACEHOLDER_ANY_CASE = re.compile(r"--A--(.+?)--B--", re.IGNORECASE | re.DOTALL)
_PLACEHOLDER_EXACT = re.compile(r"--A--(.+?)--B--", re.DOTALL)

Encoder = Callable[[str, str], str]


def _identity(name: str, value: str) -> str:
    return value


def strip_var(url: str) -> tuple[str, bool]:
    """``url`` without its ``VAR`` prefix, and whether it had one."""
    if url.startswith(VAR_PREFIX):
        return url[len(VAR_PREFIX) :], True
    return url, False


def substitute(
    template: str,
    values: Mapping[str, str],
    encode: Encoder = _identity,
    *,
    needs_var: bool = False,
    case_sensitive: bool = False,
) -> str:
    """``template`` with every placeholder named in ``values`` replaced by its encoded value.

    ``values`` holds every variable the kind fills (an empty string where there is no data);
    other placeholders are left as they are. Replacement is one pass over the template, so a
    value that itself looks like a placeholder is never substituted again.
    """
    url, had_var = strip_var(template)
    if needs_var and not had_var:
        return url
    if case_sensitive:
        exact = dict(values)

        def replace_exact(match: re.Match[str]) -> str:
            name = match[1]
            return encode(name, exact[name]) if name in exact else match[0]

        return _PLACEHOLDER_EXACT.sub(replace_exact, url)
    lowered = {name.lower(): (name, value) for name, value in values.items()}

    def replace(match: re.Match[str]) -> str:
        found = lowered.get(match[1].lower())
        return encode(*found) if found is not None else match[0]

    return _PLACEHOLDER_ANY_CASE.sub(replace, url)
