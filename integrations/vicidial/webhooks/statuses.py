"""ViciDial's 87 system statuses with their meanings; any campaign status is still accepted."""

from __future__ import annotations

import re

SYSTEM_STATUSES: dict[str, str] = {
    "NEW": "lead not called yet, or not callable",
    "QUEUE": "lead about to go to an agent",
    "INCALL": "an agent is talking to the lead",
    "DROP": "outbound customer hung up waiting for a free agent",
    "XDROP": "inbound customer hung up waiting for a free agent",
    "NA": "auto-dial got no answer (includes no-answer, disconnected, congestion)",
    "CALLBK": "callback, scheduled or not",
    "CBHOLD": "scheduled callback waiting for its time, or an agent-only callback",
    "A": "answering machine, set by the agent",
    "AA": "answering machine, detected by the dialer",
    "AM": "machine detected, message being played",
    "AL": "machine detected, message played",
    "AMDXFR": "machine detected, sent to a call menu or in-group",
    "AFAX": "fax machine, detected by the dialer",
    "B": "busy, set by the agent",
    "AB": "busy, signalled by the carrier",
    "DC": "disconnected number, set by the agent",
    "ADC": "disconnected number, signalled by the carrier",
    "ADCT": "congestion, signalled by the carrier",
    "ADCCAR": "disconnected according to the carrier lookup service",
    "DEC": "sale declined",
    "DNC": "do not call; also added to the DNC list",
    "DNCL": "number found on the system DNC list when loading the hopper",
    "DNCC": "number found on the campaign DNC list when loading the hopper",
    "DNCCAR": "do not call according to the carrier lookup service",
    "SALE": "sale made",
    "N": "no answer, set by the agent",
    "NI": "not interested",
    "NP": "no pitch, no price",
    "PU": "carrier answered, call not yet with an agent",
    "PM": "broadcast or survey message played",
    "XFER": "agent transferred the call to a closer",
    "ERI": "agent closed the browser before dispositioning",
    "DONEM": "agent closed the browser after a manual call, no disposition",
    "SVYEXT": "survey call sent to an extension",
    "SVYVM": "survey call sent to voicemail",
    "SVYHU": "survey call hung up",
    "SVYREC": "survey call sent to recording",
    "HXFER": "hold recall moved the call to another in-group",
    "HOLDTO": "inbound call ended by the hold time option",
    "QVMAIL": "caller left the queue for voicemail and left a message",
    "RQXFER": "call re-queued back to an agent",
    "CPDATB": "call progress detection: all trunks busy",
    "CPDB": "call progress detection: busy",
    "CPDNA": "call progress detection: no answer",
    "CPDREJ": "call progress detection: rejected",
    "CPDINV": "call progress detection: invalid number",
    "CPDSUA": "call progress detection: service unavailable",
    "CPDSI": "call progress detection: SIT intercept",
    "CPDSNC": "call progress detection: SIT no circuit",
    "CPDSR": "call progress detection: SIT reorder",
    "CPDSUK": "call progress detection: SIT unknown",
    "CPDSV": "call progress detection: SIT vacant",
    "CPDUK": "call progress detection: unknown",
    "CPDERR": "call progress detection: error",
    "TIMEOT": "inbound call reached the drop timeout",
    "AFTHRS": "inbound call arrived outside the in-group's hours",
    "NANQUE": "inbound call dropped: no agent logged in, no queue",
    "RAXFER": "remote agent transfer through the API",
    "ALTNUM": "alternate number dialed without a final disposition",
    "DISPO": "agent closed the browser on the disposition screen",
    "WAITTO": "inbound call ended by the wait time option",
    "PDROP": "call dropped the moment it was answered, before routing",
    "IVRXFR": "outbound drop sent to a call menu",
    "SVYCLM": "survey call sent to a call menu",
    "MLINAT": "multi-lead alternate dialing made the lead inactive",
    "MAXCAL": "in-group's max calls reached, call dropped",
    "LRERR": "outbound local channel could not be resolved",
    "QCFAIL": "quality control failed, back to callback",
    "QCCANC": "quality control cancelled",
    "QCPASS": "quality control passed",
    "LSMERG": "old lead merged from the agent's lead search",
    "DISMX": "dispo call URL reached its max status",
    "INBND": "new inbound lead on its way into the queue",
    "UNKXFR": "unknown detection result, sent to a call menu or in-group",
    "UNKAM": "unknown detection result, message being played",
    "UNKAL": "unknown detection result, message played",
    "NVAINS": "lead inserted by a phone's NVA call",
    "CLOSOP": "in-group's closing time option chosen",
    "PAUSMX": "agent paused past pause max",
    "IQNANQ": "in-queue call dropped: no agent, no queue",
    "SRDROP": "shared campaign drop sent to an in-group",
    "HUCXXX": "failed call with its disconnect cause, e.g. HUC18 (pattern, see is_system_status)",
    "ADAIR": "dead air detected by answering machine detection",
    "ACFLTR": "inbound call caught by the area code filter",
    "LTMGAD": "hotkey sent the customer to a voicemail message and dispositioned the call",
    "XAMMAD": "hotkey sent the customer to a voicemail message and dispositioned the call",
}

# Hang-up cause logging writes HUC followed by the numeric disconnect cause.
_HANGUP_CAUSE = re.compile(r"HUC\d{1,3}")


def is_system_status(status: str) -> bool:
    """Whether ``status`` is one of ViciDial's own statuses (HUC plus a cause number included)."""
    return status in SYSTEM_STATUSES or _HANGUP_CAUSE.fullmatch(status) is not None


def status_meaning(status: str) -> str | None:
    """The meaning of a system status; None for a campaign's custom status."""
    if _HANGUP_CAUSE.fullmatch(status):
        return f"failed call, disconnect cause {status[3:]}"
    return SYSTEM_STATUSES.get(status)
