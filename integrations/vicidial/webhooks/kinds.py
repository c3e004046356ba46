"""The callback kinds ViciDial sends, and how each one is sent."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .errors import UnknownKindError


class Kind(StrEnum):
    AGENT_EVENT = "agent_event"
    DISPO_CALLBACK = "dispo_callback"
    START_CALL = "start_call"
    NO_AGENT = "no_agent"
    ADD_LEAD = "add_lead"
    DEAD_CALL = "dead_call"
    PAUSE_MAX = "pause_max"
    ENTER_INGROUP = "enter_ingroup"
    WAITING_CALL_ON = "waiting_call_on"
    WAITING_CALL_OFF = "waiting_call_off"
    API_NEW_LEAD = "api_new_lead"
    NVA_CALL = "nva_call"
    DID_FILTER = "did_filter"


class Sender(StrEnum):
    """The ViciDial program that requests the URL; each has its own encoding habits."""

    PHP = "php"  # PHP file(): urlencode() for most values, raw for some, a few twice
    WGET = "wget"  # AST_send_URL.pl through wget and a shell: raw values, spaces as +
    CURL = "curl"  # AGI scripts through curl: raw values, UTF-8 as raw bytes
    BROWSER = "browser"  # the agent screen's XHR POST, relayed by extras/get2post.php


@dataclass(frozen=True, slots=True)
class KindInfo:
    kind: Kind
    meaning: str
    setting: str  # where an admin pastes the URL in ViciDial's admin screens
    senders: tuple[Sender, ...]
    # Variables this kind fills according to the sending notes; None: any call variable.
    provides: frozenset[str] | None
    # Variables the builder puts into the URL when the caller does not choose.
    defaults: tuple[str, ...]
    # Variables whose identity and time make two requests the same event.
    identity: tuple[str, ...]
    # Variables the sender encodes twice, so the receiver decodes them once more.
    double_encoded: frozenset[str] = frozenset()
    # ViciDial only substitutes variables in this URL when it starts with VAR.
    needs_var_prefix: bool = False


_CALL = ("lead_id", "call_id", "uniqueid")
_PAUSE_MAX = frozenset(
    {"user", "fullname", "campaign", "user_group", "agent_email", "epoch", "SQLdate"}
    | {f"user_custom_{n}" for n in ("one", "two", "three", "four", "five")}
)
_ADD_LEAD = frozenset(
    [
        "lead_id",
        "vendor_id",
        "vendor_lead_code",
        "list_id",
        "list_name",
        "list_description",
        "phone_number",
        "phone_code",
        "did_id",
        "did_extension",
        "did_pattern",
        "did_description",
        "closecallid",
        "uniqueid",
        "call_id",
        "function",
        "SQLdate",
    ]
)
_NVA = frozenset(
    [
        "phone_number",
        "uniqueid",
        "lead_id",
        "extension",
        "server_ip",
        "entry_date",
        "modify_date",
        "status",
        "user",
        "vendor_lead_code",
        "source_id",
        "list_id",
        "title",
        "first_name",
        "middle_initial",
        "last_name",
        "address1",
        "address2",
        "address3",
        "city",
        "state",
        "province",
        "postal_code",
        "country_code",
        "gender",
        "date_of_birth",
        "alt_phone",
        "email",
        "security_phrase",
        "comments",
        "called_count",
        "last_local_call_time",
        "rank",
        "owner",
        "campaign_id",
        "list_description",
        "recording_id",
        "recording_filename",
    ]
)

KINDS: dict[Kind, KindInfo] = {
    info.kind: info
    for info in (
        KindInfo(
            Kind.AGENT_EVENT,
            "an agent screen event pushed by the agent's browser",
            "System Settings: Agent Push URL",
            (Sender.BROWSER,),
            frozenset({"user", "event", "message", "lead_id", "counter", "epoch", "agent_log_id"}),
            ("user", "event", "message", "lead_id", "counter", "epoch", "agent_log_id"),
            ("user", "event", "counter", "lead_id", "epoch"),
        ),
        KindInfo(
            Kind.DISPO_CALLBACK,
            "an agent set the disposition of a call",
            "Campaign or In-Group: Dispo Call URL",
            (Sender.PHP,),
            None,
            (
                "lead_id",
                "list_id",
                "user",
                "campaign",
                "phone_number",
                "dispo",
                "talk_time",
                "term_reason",
                "callback_lead_status",
                "callback_datetime",
                "uniqueid",
                "call_id",
                "epoch",
            ),
            (*_CALL, "dispo", "epoch"),
            frozenset({"dispo_name", "did_pattern", "did_description"}),
        ),
        KindInfo(
            Kind.START_CALL,
            "a call was sent to an agent",
            "Campaign or In-Group: Start Call URL",
            (Sender.PHP, Sender.WGET),
            None,
            (
                "lead_id",
                "list_id",
                "user",
                "campaign",
                "group",
                "phone_number",
                "uniqueid",
                "call_id",
                "epoch",
            ),
            (*_CALL, "user", "epoch"),
        ),
        KindInfo(
            Kind.NO_AGENT,
            "a call ended without reaching an agent (drop, no answer, after hours...)",
            "Campaign, In-Group or List: No Agent Call URL",
            (Sender.WGET,),
            None,
            (
                "lead_id",
                "list_id",
                "campaign",
                "group",
                "phone_number",
                "dispo",
                "status",
                "uniqueid",
                "call_id",
                "epoch",
            ),
            (*_CALL, "status", "epoch"),
        ),
        KindInfo(
            Kind.ADD_LEAD,
            "an inbound call created a new lead",
            "In-Group: Add Lead URL",
            (Sender.WGET,),
            _ADD_LEAD,
            (
                "lead_id",
                "list_id",
                "phone_number",
                "phone_code",
                "vendor_lead_code",
                "did_id",
                "did_pattern",
                "uniqueid",
                "call_id",
                "SQLdate",
            ),
            (*_CALL,),
            needs_var_prefix=True,
        ),
        KindInfo(
            Kind.DEAD_CALL,
            "the customer hung up and the agent stayed on the dead call past the trigger",
            "Campaign: Dead Call Trigger URL",
            (Sender.PHP,),
            None,
            ("lead_id", "user", "campaign", "dispo", "talk_time", "uniqueid", "call_id", "epoch"),
            (*_CALL, "epoch"),
        ),
        KindInfo(
            Kind.PAUSE_MAX,
            "an agent stayed paused longer than the campaign allows",
            "Campaign: Pause Max URL",
            (Sender.PHP,),
            _PAUSE_MAX,
            ("user", "fullname", "campaign", "user_group", "epoch"),
            ("user", "campaign", "epoch"),
            frozenset({"agent_email"}),
        ),
        KindInfo(
            Kind.ENTER_INGROUP,
            "a call entered an in-group's queue",
            "In-Group: Enter In-Group URL",
            (Sender.WGET,),
            None,
            ("lead_id", "list_id", "phone_number", "did_id", "user", "uniqueid", "call_id"),
            (*_CALL,),
        ),
        KindInfo(
            Kind.WAITING_CALL_ON,
            "an in-group now has calls waiting",
            "In-Group: Waiting Call URL On",
            (Sender.WGET,),
            frozenset({"SQLdate"}),
            ("SQLdate",),
            ("group", "SQLdate"),
        ),
        KindInfo(
            Kind.WAITING_CALL_OFF,
            "an in-group no longer has calls waiting",
            "In-Group: Waiting Call URL Off",
            (Sender.WGET,),
            frozenset({"SQLdate"}),
            ("SQLdate",),
            ("group", "SQLdate"),
        ),
        KindInfo(
            Kind.API_NEW_LEAD,
            "the non-agent API's add_lead inserted a lead",
            "System Settings or List: API New Lead URL",
            (Sender.PHP,),
            None,
            ("lead_id", "list_id", "phone_number", "phone_code", "vendor_lead_code", "source_id"),
            ("lead_id", "list_id"),
        ),
        KindInfo(
            Kind.NVA_CALL,
            "a phone made a call outside the agent screen (NVA call menu)",
            "Phone: NVA Call URL",
            (Sender.CURL,),
            _NVA,
            (
                "lead_id",
                "phone_number",
                "uniqueid",
                "extension",
                "user",
                "campaign_id",
                "list_id",
                "status",
                "server_ip",
            ),
            ("uniqueid", "lead_id", "phone_number"),
        ),
        KindInfo(
            Kind.DID_FILTER,
            "a call reached a DID whose filter asks us: match (1) or not (0)",
            "DID: Filter URL",
            (Sender.CURL,),
            frozenset({"phone_number", "did_pattern", "uniqueid", "channel", "server_ip"}),
            ("phone_number", "did_pattern", "uniqueid", "channel", "server_ip"),
            ("uniqueid", "phone_number", "did_pattern"),
            needs_var_prefix=True,
        ),
    )
}


_BY_NAME = {kind.value: kind for kind in Kind}


def kind_from_name(name: str) -> Kind:
    """The kind called ``name``; raises UnknownKindError for any other text."""
    kind = _BY_NAME.get(name)  # a dict, where Kind(name) costs a microsecond per request
    if kind is None:
        raise UnknownKindError(name)
    return kind
