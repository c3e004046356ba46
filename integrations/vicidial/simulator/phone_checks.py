"""Is a phone number valid and dialable? The checks add_lead and check_phone_number share.

The simulated dialer has no NANPA prefix data loaded (as a stock install), so the NANPA
checks are reported off; the USA/Canada area-code check follows the numbering plan's rules
(an area code is 2-9 then two digits, never N9X or N11), since the simulator carries no
copy of ViciDial's area-code table. A scenario's ``area_codes`` give offsets for the
AREACODE time-zone method; any other area code is in the dialer's own zone.
"""

from __future__ import annotations

import re
from datetime import timedelta

from integrations.vicidial.simulator.state import SYSTEM_DNC, CallCenter
from integrations.vicidial.simulator.wire import ApiRequest

PHONE_LENGTH = range(6, 17)
_NANP_AREACODE = re.compile(r"^[2-9][0-8]\d$")


def digits_only(phone: str) -> str:
    """The real server keeps only the digits of a submitted phone number."""
    return re.sub(r"\D", "", phone)


def valid_areacode(phone: str) -> bool:
    code = phone[:3]
    return len(phone) == 10 and bool(_NANP_AREACODE.match(code)) and code[1:] != "11"


def in_dnc(center: CallCenter, phone: str, dnc_list: str, how: str) -> bool:
    """Y checks the number; AREACODE also the area code's wildcard entry (312XXXXXXX)."""
    numbers = center.dnc.get(dnc_list, set())
    return phone in numbers or (how == "AREACODE" and f"{phone[:3]}XXXXXXX" in numbers)


def number_problem(req: ApiRequest, phone: str, kind: str = "ERROR") -> str | None:
    """The first check ``phone`` fails, as the line the function prints, or None.

    Length, then (for phone code 1) the USA/Canada prefix and area code, then the system DNC
    list, then the campaign's.
    """
    fn, me, center = req.function, req.user.user, req.center
    if len(phone) not in PHONE_LENGTH:
        return f"{kind}: {fn} INVALID PHONE NUMBER LENGTH - {phone}|{me}\n"
    usa = (req.get("phone_code") or "1") == "1"
    if usa and req.flag("usacan_prefix_check") and (len(phone) < 4 or phone[3] in "01"):
        return f"{kind}: {fn} INVALID PHONE NUMBER PREFIX - {phone}|{me}\n"
    if usa and req.flag("usacan_areacode_check") and not valid_areacode(phone):
        return f"{kind}: {fn} INVALID PHONE NUMBER AREACODE - {phone}|{me}\n"
    dnc = req.get("dnc_check")
    if dnc in ("Y", "AREACODE") and in_dnc(center, phone, SYSTEM_DNC, dnc):
        return f"{kind}: {fn} PHONE NUMBER IN DNC - {phone}|{me}\n"
    return None


def campaign_dnc_problem(req: ApiRequest, phone: str, campaign_id: str) -> str | None:
    how = req.get("campaign_dnc_check")
    if how in ("Y", "AREACODE") and in_dnc(req.center, phone, campaign_id, how):
        where = f"{phone}|{campaign_id}|{req.user.user}"
        return f"ERROR: {req.function} PHONE NUMBER IN CAMPAIGN DNC - {where}\n"
    return None


def nanpa_notice(req: ApiRequest, kind: str = "NOTICE") -> str:
    """The line for a NANPA prefix check asked of a dialer without NANPA data."""
    if not req.flag("nanpa_ac_prefix_check"):
        return ""
    me = req.user.user
    return f"{kind}: {req.function} NANPA options disabled, NANPA prefix data not loaded - 0|{me}\n"


def dialable_now(center: CallCenter, phone: str, call_time: str) -> tuple[bool, float]:
    """May ``phone`` be called now under ``call_time``, and at what GMT offset is it?"""
    own = float(center.system.gmt_offset)
    offset = center.area_codes.get(phone[:3], own)
    local = center.now() + timedelta(hours=offset - own)
    start, stop = center.call_times[call_time]
    hhmm = local.hour * 100 + local.minute
    return start <= hhmm < stop, offset
