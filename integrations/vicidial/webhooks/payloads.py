"""Typed payloads, one pydantic model per callback kind.

Every payload keeps the text of every known variable it received (``values``) and every other
parameter (``extra``) besides the typed fields, so nothing ViciDial sent is lost to typing: a
value that does not fit its type (``lead_id=NOTFOUND``) becomes None in the typed field and
stays readable in ``values``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from .kinds import Kind
from .push_events import PushEvent, push_event_from_name
from .statuses import is_system_status

_INTEGER = re.compile(r"\s*-?\d{1,18}\s*")


def lenient_int(value: str) -> int | None:
    """``value`` as an int when it is digits (an optional sign, spaces around), else None."""
    if value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)  # the common case, without the regex
    if _INTEGER.fullmatch(value) is None:
        return None
    try:
        return int(value)
    except ValueError:  # spaces the regex takes for spaces and int() does not (\x1f)
        return None


def _int_or_none(value: Any) -> Any:
    return lenient_int(value) if isinstance(value, str) else value


# ids, epochs and seconds: an int when ViciDial sent digits, else None
LenientInt = Annotated[int | None, BeforeValidator(_int_or_none)]
_CONFIG = ConfigDict(frozen=True, populate_by_name=True, extra="ignore")


class WebhookPayload(BaseModel):
    model_config = _CONFIG

    kind: Kind
    values: dict[str, str] = Field(default_factory=dict)  # every known variable, as text
    extra: dict[str, str] = Field(default_factory=dict)  # parameters that are no variable
    repeated: dict[str, list[str]] = Field(default_factory=dict)  # earlier values of a key
    unsubstituted: list[str] = Field(default_factory=list)  # left as literal --A--x--B--
    latin1: bool = False  # some bytes were not UTF-8 and were read as Latin-1
    dedupe_key: str = ""  # equal for repeated deliveries of the same event


class _Lead(BaseModel):
    model_config = _CONFIG

    lead_id: LenientInt = None
    list_id: LenientInt = None
    phone_number: str | None = None
    vendor_lead_code: str | None = None


class _Call(BaseModel):
    model_config = _CONFIG

    uniqueid: str | None = None
    call_id: str | None = None
    epoch: LenientInt = None
    user: str | None = None
    campaign: str | None = None


class _Status(BaseModel):
    model_config = _CONFIG

    dispo: str | None = None

    @property
    def dispo_is_system_status(self) -> bool:
        return self.dispo is not None and is_system_status(self.dispo)


class AgentEventPayload(WebhookPayload):
    kind: Literal[Kind.AGENT_EVENT] = Kind.AGENT_EVENT
    user: str | None = None
    event: str | None = None
    message: str | None = None
    lead_id: LenientInt = None
    counter: LenientInt = None
    epoch: LenientInt = None
    agent_log_id: LenientInt = None

    @property
    def push_event(self) -> PushEvent | None:
        """The known push event; None for a name this version does not know."""
        return push_event_from_name(self.event) if self.event is not None else None


class DispoCallbackPayload(WebhookPayload, _Lead, _Call, _Status):
    kind: Literal[Kind.DISPO_CALLBACK] = Kind.DISPO_CALLBACK
    dispo_name: str | None = None
    talk_time: LenientInt = None  # talk seconds minus dead seconds
    term_reason: str | None = None
    callback_lead_status: str | None = None
    callback_datetime: str | None = None
    call_notes: str | None = None


class StartCallPayload(WebhookPayload, _Lead, _Call):
    kind: Literal[Kind.START_CALL] = Kind.START_CALL
    group: str | None = None
    comments: str | None = None


class NoAgentPayload(WebhookPayload, _Lead, _Call, _Status):
    kind: Literal[Kind.NO_AGENT] = Kind.NO_AGENT
    group: str | None = None
    status: str | None = None


class AddLeadPayload(WebhookPayload, _Lead):
    kind: Literal[Kind.ADD_LEAD] = Kind.ADD_LEAD
    uniqueid: str | None = None
    call_id: str | None = None
    phone_code: str | None = None
    list_name: str | None = None
    did_id: LenientInt = None
    did_extension: str | None = None
    did_pattern: str | None = None
    did_description: str | None = None
    closecallid: LenientInt = None
    sql_date: str | None = Field(default=None, alias="SQLdate")


class DeadCallPayload(WebhookPayload, _Lead, _Call, _Status):
    kind: Literal[Kind.DEAD_CALL] = Kind.DEAD_CALL
    talk_time: LenientInt = None  # the full talk time


class PauseMaxPayload(WebhookPayload):
    kind: Literal[Kind.PAUSE_MAX] = Kind.PAUSE_MAX
    user: str | None = None
    fullname: str | None = None
    campaign: str | None = None
    user_group: str | None = None
    agent_email: str | None = None
    epoch: LenientInt = None


class EnterIngroupPayload(WebhookPayload, _Lead, _Call):
    kind: Literal[Kind.ENTER_INGROUP] = Kind.ENTER_INGROUP
    did_id: LenientInt = None
    group: str | None = None


class _Waiting(BaseModel):
    model_config = _CONFIG

    group: str | None = None  # a constant the admin writes into the URL
    sql_date: str | None = Field(default=None, alias="SQLdate")


class WaitingCallOnPayload(WebhookPayload, _Waiting):
    kind: Literal[Kind.WAITING_CALL_ON] = Kind.WAITING_CALL_ON


class WaitingCallOffPayload(WebhookPayload, _Waiting):
    kind: Literal[Kind.WAITING_CALL_OFF] = Kind.WAITING_CALL_OFF


class ApiNewLeadPayload(WebhookPayload, _Lead):
    kind: Literal[Kind.API_NEW_LEAD] = Kind.API_NEW_LEAD
    phone_code: str | None = None
    source_id: str | None = None


class NvaCallPayload(WebhookPayload, _Lead):
    kind: Literal[Kind.NVA_CALL] = Kind.NVA_CALL
    uniqueid: str | None = None
    extension: str | None = None
    user: str | None = None
    campaign_id: str | None = None
    status: str | None = None
    server_ip: str | None = None

    @property
    def lead_found(self) -> bool:
        """False when ViciDial matched no lead (it sends the literal NOTFOUND)."""
        return self.lead_id is not None


class DidFilterPayload(WebhookPayload):
    kind: Literal[Kind.DID_FILTER] = Kind.DID_FILTER
    phone_number: str | None = None  # caller-ID digits, or its name when there are none
    did_pattern: str | None = None
    uniqueid: str | None = None
    channel: str | None = None
    server_ip: str | None = None


PAYLOAD_TYPES: dict[Kind, type[WebhookPayload]] = {
    Kind.AGENT_EVENT: AgentEventPayload,
    Kind.DISPO_CALLBACK: DispoCallbackPayload,
    Kind.START_CALL: StartCallPayload,
    Kind.NO_AGENT: NoAgentPayload,
    Kind.ADD_LEAD: AddLeadPayload,
    Kind.DEAD_CALL: DeadCallPayload,
    Kind.PAUSE_MAX: PauseMaxPayload,
    Kind.ENTER_INGROUP: EnterIngroupPayload,
    Kind.WAITING_CALL_ON: WaitingCallOnPayload,
    Kind.WAITING_CALL_OFF: WaitingCallOffPayload,
    Kind.API_NEW_LEAD: ApiNewLeadPayload,
    Kind.NVA_CALL: NvaCallPayload,
    Kind.DID_FILTER: DidFilterPayload,
}


@dataclass(frozen=True, slots=True)
class _Shape:
    """What the parser needs to build one kind's payload without pydantic's validation."""

    model: type[WebhookPayload]
    template: dict[str, Any]  # every field in order, with its default
    fields: dict[str, str]  # parameter name (alias or name) -> field, for the typed fields
    ints: frozenset[str]  # parameter names read as LenientInt


_BOOKKEEPING = frozenset(WebhookPayload.model_fields)


def _shape(model: type[WebhookPayload]) -> _Shape:
    assert not model.__pydantic_post_init__, "a payload built unvalidated must not need one"
    typed = {n: f for n, f in model.model_fields.items() if n not in _BOOKKEEPING}
    # Only text and LenientInt fields: the parser's values are already of those types.
    assert all(f.annotation in (str | None, int | None) for f in typed.values()), model
    return _Shape(
        model,
        {n: None if f.is_required() else f.get_default() for n, f in model.model_fields.items()},
        {f.alias or n: n for n, f in typed.items()},
        frozenset(
            f.alias or n
            for n, f in typed.items()
            if any(getattr(m, "func", None) is _int_or_none for m in f.metadata)
        ),
    )


_SHAPES = {kind: _shape(model) for kind, model in PAYLOAD_TYPES.items()}
# The parameters each kind reads as LenientInt.
INT_FIELDS: dict[Kind, frozenset[str]] = {kind: shape.ints for kind, shape in _SHAPES.items()}


def trusted_payload(
    kind: Kind,
    values: dict[str, str],
    extra: dict[str, str],
    repeated: dict[str, list[str]],
    unsubstituted: list[str],
    latin1: bool,
    dedupe_key: str,
) -> WebhookPayload:
    """The payload ``model_validate`` would make of the parser's text values, without it.

    The parser hands over text only, so each field is a str or, for the LenientInt fields,
    what lenient_int makes of it: this sets them as pydantic's model_construct would, at a
    third of validation's cost, which the receiver pays for every webhook. A test checks that
    both build the same payload.
    """
    shape = _SHAPES[kind]
    data = shape.template.copy()
    fields_set = set(_BOOKKEEPING)
    names = shape.fields
    ints = shape.ints
    for key, value in values.items():
        name = names.get(key)
        if name is not None:
            if key in ints:
                # lenient_int's common case inlined: this loop runs for every webhook.
                fast = value.isdigit() and value.isascii() and len(value) <= 18
                data[name] = int(value) if fast else lenient_int(value)
            else:
                data[name] = value
            fields_set.add(name)
    data["kind"] = kind
    data["values"] = values
    data["extra"] = extra
    data["repeated"] = repeated
    data["unsubstituted"] = unsubstituted
    data["latin1"] = latin1
    data["dedupe_key"] = dedupe_key
    payload = shape.model.__new__(shape.model)
    object.__setattr__(payload, "__dict__", data)
    object.__setattr__(payload, "__pydantic_fields_set__", fields_set)
    object.__setattr__(payload, "__pydantic_extra__", None)
    object.__setattr__(payload, "__pydantic_private__", None)
    return payload
