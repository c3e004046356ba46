"""Which error class an ``ERROR:`` line stands for.

ViciDial answers every failure with HTTP 200 and an ``ERROR:`` line. ``ERROR_TABLE`` maps the
messages both APIs of 2.14 can print to a class, first match wins; docs/errors.md states the
policy, and tests/fixtures/vicidial/messages.json holds every message with the class chosen.

A pattern must begin in the message, before the first ``|``: what follows is data (ids, names,
an SQL statement) and must not decide the class. Only the login errors' patterns go on into
the fields, since there the verdict is a field.
"""

from __future__ import annotations

import re

from integrations.vicidial.errors import (
    ViciAuthError,
    ViciError,
    ViciNotFoundError,
    ViciPermissionError,
    ViciStateError,
    ViciValidationError,
)

# agc/api.php's login error: |user|pass|auth|api access|verdict|...
_VERDICT = r"Invalid Username/Password: \|(?:[^|]*\|){4}"

_RULES: tuple[tuple[str, type[ViciError]], ...] = (
    # Credentials. GOOD means the password was right but the user has no API access; IPBLOCK
    # that the address is refused; ERRSERVERS that the dialer has no active server.
    (_VERDICT + r"(?:GOOD|IPBLOCK)\|", ViciPermissionError),
    (_VERDICT + r"ERRSERVERS\|", ViciStateError),
    (r"Invalid Username/Password|Login incorrect|Too many login attempts", ViciAuthError),
    # The API user may not do this: its permissions, user group, allowed campaigns and lists.
    (r"DOES NOT HAVE PERMISSION|NO VIEWABLE|Your IP Address is not allowed", ViciPermissionError),
    (r"ACCESS TO [^|]* NOT ALLOWED FOR USER|NOT AN ALLOWED LIST ID", ViciPermissionError),
    (r"is not allowed to (?:modify|place|change)", ViciPermissionError),
    # Its own user group is gone (non-agent functions print "USER GROUP" for a parameter's).
    (r"ERROR:\s*user_group DOES NOT EXIST", ViciPermissionError),
    # The dialer's system or campaign settings switch the feature off, or lack what it needs.
    (r"System API NOT ACTIVE|IS NOT ACTIVE|NOT ENABLED ON THIS SYSTEM", ViciPermissionError),
    (r"are disabled|options disabled|audio store web directory", ViciPermissionError),
    (r"not allowed on this campaign|campaign (?:dial_method )?does not allow", ViciPermissionError),
    (r"manual dial list undefined|ARE NOT ALLOWED|NOT SET TO ALT", ViciPermissionError),
    # Right request, wrong moment: the agent's, call's or data's state refuses it, or the
    # dialer's own write failed. Every lead or DID refused: the NOTICE lines kept as outcomes
    # say why for each.
    (r"is not paused|does not have a live call|is not on a phone call", ViciStateError),
    (r"does not have a lead on their screen|call is not inbound", ViciStateError),
    (r"current call does not match lead_id|has (?:previous|current) active 3-way", ViciStateError),
    (r"no audio playing|audio already playing|stop recording error", ViciStateError),
    (r"no session data|webphone url is empty|entry is empty", ViciStateError),
    (r"already in this agents manual dial queue|TOO MANY EXISTING", ViciStateError),
    (r"NO LEADS HAVE BEEN INSERTED|NO DIDS ADDED", ViciStateError),
    (r"insertion failed|INSERT FAILED|HAS NOT BEEN ADDED", ViciStateError),
    # What the request names is not there (an agent not logged in counts as not there).
    (r"not logged in|\bno [\w ]*found\b|NOT FOUND|DOES NOT EXIST", ViciNotFoundError),
    (r"NOT A DEFINED LIST ID|NO MATCHES|NO RESULTS|NO RECORDS", ViciNotFoundError),
    (r"NO LEADS IN THE HOPPER|NO LOGGED IN AGENTS|HAS NO AVAILABLE", ViciNotFoundError),
    (r"INVALID USER ID|HAS NO ENTRIES|HAS NO CUSTOM FIELDS", ViciNotFoundError),
    (r"NOT AN EXISTING|NO EXISTING", ViciNotFoundError),
    # The request itself is wrong: a value, a missing or unknown parameter, a duplicate.
    (r"\bno [\w ]*defined\b|NO VALID SEARCH METHOD|NO FUNCTION SPECIFIED", ViciValidationError),
    (r"DUPLICATE|ALREADY EXISTS|NON-ARCHIVED LEAD FOUND", ViciValidationError),
    (r"PHONE NUMBER IN (?:CAMPAIGN )?DNC|is not allowed on this system", ViciValidationError),
    (r"\bare required\b|missing (?:variables|recipient)", ViciValidationError),
    (r"not valid|NOT A VALID|\bINVALID\b|\bMUST\b", ViciValidationError),
)

ERROR_TABLE: tuple[tuple[re.Pattern[str], type[ViciError]], ...] = tuple(
    (re.compile(r"[^|]*?(?:" + pattern + ")", re.IGNORECASE), cls) for pattern, cls in _RULES
)


def classify_error(line: str) -> type[ViciError]:
    """The error class for one ``ERROR:`` line; a message 2.14 does not print gives the base
    class, so a newer dialer's new message still raises a ViciError."""
    for pattern, cls in ERROR_TABLE:
        if pattern.match(line):
            return cls
    return ViciError
