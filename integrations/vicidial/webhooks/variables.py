"""The variables ViciDial substitutes into callback URLs as --A--name--B--, with their meanings."""

from __future__ import annotations

from dataclasses import dataclass

from .kinds import KINDS, Kind


@dataclass(frozen=True, slots=True)
class Variable:
    name: str
    meaning: str
    # Kinds the docs tie this variable to; None: any kind that fills call variables.
    kinds: frozenset[Kind] | None = None


_DISPO = frozenset({Kind.DISPO_CALLBACK})
_NO_AGENT = frozenset({Kind.NO_AGENT, Kind.NVA_CALL})
_PUSH = frozenset({Kind.AGENT_EVENT})
_PAUSE = frozenset({Kind.PAUSE_MAX})
_NVA = frozenset({Kind.NVA_CALL})
_ADD = frozenset({Kind.ADD_LEAD})

_ROWS: tuple[tuple[str, str] | tuple[str, str, frozenset[Kind]], ...] = (
    # lead record
    ("lead_id", "the lead's numeric id"),
    ("vendor_lead_code", "the lead's id in the customer's own system"),
    ("vendor_id", "older name of vendor_lead_code"),
    ("source_id", "where the lead came from, as loaded"),
    ("list_id", "the numeric id of the lead's list"),
    ("list_name", "the name of the lead's list"),
    ("list_description", "the description of the lead's list"),
    ("entry_list_id", "the list the lead was first loaded into"),
    ("gmt_offset_now", "the lead's current offset from GMT in hours"),
    ("called_since_last_reset", "whether the lead was dialed since the list was last reset"),
    ("called_count", "how many times the lead has been dialed"),
    ("phone_code", "the country dialing code of the lead's phone"),
    ("phone_number", "the lead's phone number (the caller ID for inbound calls)"),
    ("title", "the lead's title"),
    ("first_name", "the lead's first name"),
    ("middle_initial", "the lead's middle initial"),
    ("last_name", "the lead's last name"),
    ("address1", "first address line"),
    ("address2", "second address line"),
    ("address3", "third address line"),
    ("city", "the lead's city"),
    ("state", "the lead's state"),
    ("province", "the lead's province"),
    ("postal_code", "the lead's postal code"),
    ("country_code", "the lead's country code"),
    ("gender", "the lead's gender"),
    ("date_of_birth", "the lead's date of birth"),
    ("alt_phone", "the lead's alternate phone number"),
    ("email", "the lead's email address"),
    ("security_phrase", "the lead's security phrase field"),
    ("comments", "the lead's comments"),
    ("rank", "the lead's rank"),
    ("owner", "the lead's owner"),
    ("entry_date", "when the lead was created"),
    ("modify_date", "when the lead was last changed", _NVA),
    ("status", "the call's status (no-agent calls) or the lead's status (NVA)", _NO_AGENT),
    ("last_local_call_time", "when the lead was last dialed", _NVA),
    # agent and campaign
    ("user", "the agent's user id"),
    ("fullname", "the agent's full name", _PAUSE),
    ("user_group", "the agent's user group"),
    ("agent_email", "the agent's email address"),
    ("user_custom_one", "the agent's custom field 1"),
    ("user_custom_two", "the agent's custom field 2"),
    ("user_custom_three", "the agent's custom field 3"),
    ("user_custom_four", "the agent's custom field 4"),
    ("user_custom_five", "the agent's custom field 5"),
    ("campaign", "the campaign id"),
    ("campaign_id", "the campaign id, as the NVA call names it", _NVA),
    ("phone_login", "the phone login the agent uses"),
    ("group", "the in-group of an inbound call, or the campaign for outbound"),
    ("channel_group", "the campaign or in-group that carried the call"),
    ("camp_script", "the campaign's script id"),
    ("in_script", "the in-group's script id"),
    ("script_width", "the script frame's width in pixels"),
    ("script_height", "the script frame's height in pixels"),
    ("camp_custom_one", "the campaign's custom field 1"),
    ("camp_custom_two", "the campaign's custom field 2"),
    ("camp_custom_three", "the campaign's custom field 3"),
    ("camp_custom_four", "the campaign's custom field 4"),
    ("camp_custom_five", "the campaign's custom field 5"),
    ("ig_custom_one", "the in-group's custom field 1"),
    ("ig_custom_two", "the in-group's custom field 2"),
    ("ig_custom_three", "the in-group's custom field 3"),
    ("ig_custom_four", "the in-group's custom field 4"),
    ("ig_custom_five", "the in-group's custom field 5"),
    # call
    ("SQLdate", "the dialer's local date and time, YYYY-MM-DD HH:MM:SS"),
    ("epoch", "the dialer's time in seconds since 1970"),
    ("uniqueid", "Asterisk's unique id of the call"),
    ("call_id", "ViciDial's caller-ID name for the call, unique per call"),
    ("closecallid", "the id of the inbound call's log row"),
    ("xfercallid", "the id of the transfer's log row"),
    ("agent_log_id", "the id of the agent's log row for this call"),
    ("customer_zap_channel", "the Asterisk channel of the customer"),
    ("channel", "the Asterisk channel of the call"),
    ("server_ip", "the address of the dialer server handling the call"),
    ("SIPexten", "the agent's phone extension"),
    ("extension", "the phone extension that placed the call", _NVA),
    ("session_id", "the agent's conference session number"),
    ("dialed_number", "the number that was dialed"),
    ("dialed_label", "which of the lead's numbers was dialed (MAIN, ALT, ADDR3...)"),
    ("recording_filename", "the call recording's file name"),
    ("recording_id", "the call recording's id"),
    ("preset_number_a", "transfer preset A's number"),
    ("preset_number_b", "transfer preset B's number"),
    ("preset_number_c", "transfer preset C's number"),
    ("preset_number_d", "transfer preset D's number"),
    ("preset_number_e", "transfer preset E's number"),
    ("preset_number_f", "transfer preset F's number"),
    ("preset_dtmf_a", "transfer preset A's DTMF digits"),
    ("preset_dtmf_b", "transfer preset B's DTMF digits"),
    ("did_id", "the id of the DID the call came in on"),
    ("did_extension", "the DID's extension"),
    ("did_pattern", "the DID's number pattern"),
    ("did_description", "the DID's description"),
    ("did_carrier_description", "the carrier's description of the DID"),
    ("did_custom_one", "the DID's custom field 1"),
    ("did_custom_two", "the DID's custom field 2"),
    ("did_custom_three", "the DID's custom field 3"),
    ("did_custom_four", "the DID's custom field 4"),
    ("did_custom_five", "the DID's custom field 5"),
    ("function", "the inbound routing function that added the lead", _ADD),
    # dispo call extras
    ("dispo", "the status the call or lead ended with"),
    ("dispo_name", "the description of that status", _DISPO),
    ("talk_time", "the call's talk seconds"),
    ("term_reason", "which side ended the call (CALLER, AGENT, ABANDON...)", _DISPO),
    ("callback_lead_status", "the status chosen for a scheduled callback", _DISPO),
    ("callback_datetime", "the date and time chosen for a scheduled callback", _DISPO),
    ("call_notes", "the agent's notes for the call", _DISPO),
    # agent push extras
    ("event", "the agent screen event's name", _PUSH),
    ("message", "the detail the agent screen attaches to the event", _PUSH),
    ("counter", "the agent screen's running count of pushed events", _PUSH),
)

VARIABLES: dict[str, Variable] = {
    row[0]: Variable(row[0], row[1], row[2] if len(row) == 3 else None) for row in _ROWS
}


def kinds_providing(name: str) -> frozenset[Kind]:
    """The kinds that may fill ``name``: the ones the docs tie it to, else any general kind."""
    variable = VARIABLES.get(name)
    tied = variable.kinds if variable is not None else None
    general = frozenset(k for k, info in KINDS.items() if info.provides is None)
    listed = frozenset(k for k, info in KINDS.items() if info.provides and name in info.provides)
    return (tied if tied is not None else general) | listed
