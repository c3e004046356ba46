"""Parameter models of the 30 agent API functions, under their official names.

Lengths and choices are the ones ViciDial documents or its schema enforces; a value that
breaks them is refused before anything is sent.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, StringConstraints, model_validator

from integrations.vicidial.agent.enums import (
    AltDial,
    AudioStage,
    CallbackType,
    CidChoice,
    FronterScope,
    IngroupChange,
    ParkAction,
    PauseAction,
    PreviewAction,
    RecipientType,
    RecordingAction,
    RemoteAgentStage,
    TimerAction,
    TransferAction,
    WebphoneMode,
)
from integrations.vicidial.models import YN, Params, WireDateTime, YesNo, split_text

Text20 = Annotated[str, StringConstraints(max_length=20)]
Digits = Annotated[str, StringConstraints(pattern=r"^\d+$", max_length=18)]
ReloadFlag = Literal[1, "1"]


class NoParams(Params):
    """version and webserver take nothing but credentials."""


class AgentParams(Params):
    """Functions about one agent session: ``agent_user``, or ``alt_user`` to look the agent up
    by the user's custom_three field (ViciDial honours it on every agent function)."""

    agent_user: Text20 | None = None
    alt_user: Text20 | None = None

    @model_validator(mode="after")
    def _whose_session(self) -> AgentParams:
        if not self.agent_user and not self.alt_user:
            raise ValueError("agent_user is required (or alt_user)")
        return self


class LeadFields(Params):
    """The lead columns external_add_lead and update_fields accept; "" clears a field."""

    address1: Annotated[str, StringConstraints(max_length=100)] | None = None
    address2: Annotated[str, StringConstraints(max_length=100)] | None = None
    address3: Annotated[str, StringConstraints(max_length=100)] | None = None
    alt_phone: Annotated[str, StringConstraints(max_length=12)] | None = None
    city: Annotated[str, StringConstraints(max_length=50)] | None = None
    comments: Annotated[str, StringConstraints(max_length=255)] | None = None
    country_code: Annotated[str, StringConstraints(max_length=3)] | None = None
    date_of_birth: Annotated[str, StringConstraints(pattern=r"^(\d{4}-\d{2}-\d{2})?$")] | None = (
        None
    )
    email: Annotated[str, StringConstraints(max_length=70)] | None = None
    first_name: Annotated[str, StringConstraints(max_length=30)] | None = None
    gender: Literal["M", "F", "U", ""] | None = None
    gmt_offset_now: (
        Annotated[str, StringConstraints(pattern=r"^([+-]?\d{1,2}(\.\d{1,2})?)?$")] | None
    ) = None
    last_name: Annotated[str, StringConstraints(max_length=30)] | None = None
    middle_initial: Annotated[str, StringConstraints(max_length=1)] | None = None
    phone_number: Annotated[str, StringConstraints(pattern=r"^\d{0,18}$")] | None = None
    phone_code: Annotated[str, StringConstraints(pattern=r"^\d{0,10}$")] | None = None
    postal_code: Annotated[str, StringConstraints(max_length=10)] | None = None
    province: Annotated[str, StringConstraints(max_length=50)] | None = None
    security_phrase: Annotated[str, StringConstraints(max_length=100)] | None = None
    source_id: Annotated[str, StringConstraints(max_length=50)] | None = None
    state: Annotated[str, StringConstraints(max_length=2)] | None = None
    title: Annotated[str, StringConstraints(max_length=4)] | None = None
    vendor_lead_code: Annotated[str, StringConstraints(max_length=20)] | None = None
    rank: Annotated[int, Field(ge=-9999, le=9999)] | None = None
    owner: Annotated[str, StringConstraints(max_length=20)] | None = None

    def lead_values(self) -> dict[str, str]:
        return {k: v for k, v in self.to_wire().items() if k in LeadFields.model_fields}


class ExternalHangup(AgentParams):
    value: Literal[1, "1"] = 1


class ExternalStatus(AgentParams):
    value: Annotated[str, StringConstraints(min_length=1, max_length=6)]
    callback_datetime: WireDateTime | None = None
    callback_type: CallbackType | None = None
    callback_comments: Annotated[str, StringConstraints(max_length=199)] | None = None
    qm_dispo_code: Annotated[str, StringConstraints(max_length=20)] | None = None


class ExternalPause(AgentParams):
    value: PauseAction


class Logout(AgentParams):
    value: Literal["LOGOUT"] = "LOGOUT"


class ExternalDial(AgentParams):
    value: Annotated[str, StringConstraints(pattern=r"^(\d{1,18}|MANUALNEXT)$")] | None = None
    lead_id: Annotated[int, Field(gt=0)] | None = None
    phone_code: Annotated[str, StringConstraints(pattern=r"^\d{1,10}$")] | None = None
    search: YesNo | None = None
    preview: YesNo | None = None
    focus: YesNo | None = None
    vendor_id: Text20 | None = None
    dial_prefix: Annotated[str, StringConstraints(max_length=20)] | None = None
    group_alias: Annotated[str, StringConstraints(max_length=30)] | None = None
    vtiger_callback: YesNo | None = None
    alt_dial: AltDial | None = None
    dial_ingroup: Text20 | None = None
    outbound_cid: Annotated[str, StringConstraints(pattern=r"^\d{1,20}$")] | None = None

    @model_validator(mode="after")
    def _number_or_lead(self) -> ExternalDial:
        if self.value is None and self.lead_id is None:
            raise ValueError("value (a phone number or MANUALNEXT) or lead_id is required")
        return self


class PreviewDialAction(AgentParams):
    value: PreviewAction


class ExternalAddLead(AgentParams, LeadFields):
    dnc_check: YesNo | None = None
    campaign_dnc_check: YesNo | None = None

    @model_validator(mode="after")
    def _some_lead_field(self) -> ExternalAddLead:
        if not self.lead_values():
            raise ValueError("at least one lead field (such as phone_number) is required")
        return self


class ChangeIngroups(AgentParams):
    value: IngroupChange
    blended: YesNo
    # ViciDial writes the list " A B -"; a string in that form (or "A B") is accepted too.
    ingroup_choices: Annotated[list[Text20], BeforeValidator(split_text(" ", drop="-"))] | None = (
        None
    )
    set_as_default: YesNo | None = None

    @model_validator(mode="after")
    def _choices_for_add_remove(self) -> ChangeIngroups:
        if self.value is not IngroupChange.CHANGE and not self.ingroup_choices:
            raise ValueError("ingroup_choices are required for ADD and REMOVE")
        return self

    def to_wire(self) -> dict[str, str]:
        wire = super().to_wire()
        if self.ingroup_choices is not None:
            # ViciDial's own format: space-delimited, framed by a leading space and " -".
            wire["ingroup_choices"] = " " + " ".join(self.ingroup_choices) + " -"
        return wire


class UpdateFields(AgentParams, LeadFields):
    formreload: ReloadFlag | None = None
    scriptreload: ReloadFlag | None = None
    script2reload: ReloadFlag | None = None
    emailreload: ReloadFlag | None = None
    chatreload: ReloadFlag | None = None


class RefreshPanel(AgentParams):
    formreload: ReloadFlag | None = None
    scriptreload: ReloadFlag | None = None
    script2reload: ReloadFlag | None = None
    emailreload: ReloadFlag | None = None
    chatreload: ReloadFlag | None = None
    callbacksreload: ReloadFlag | None = None


class SetTimerAction(AgentParams):
    value: TimerAction
    notes: Annotated[str, StringConstraints(max_length=255)] | None = None
    rank: Annotated[int, Field(ge=0)] | None = None


class CrmLookup(Params):
    """st_login_log and st_get_agent_active_lead: a CRM agent id and team id."""

    value: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    vendor_id: Annotated[str, StringConstraints(min_length=1, max_length=100)]


class RaCallControl(AgentParams):
    value: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    stage: RemoteAgentStage
    ingroup_choices: Text20 | None = None
    phone_number: Annotated[str, StringConstraints(pattern=r"^\d{1,30}$")] | None = None
    status: Annotated[str, StringConstraints(max_length=6)] | None = None

    @model_validator(mode="after")
    def _stage_needs(self) -> RaCallControl:
        if self.stage is RemoteAgentStage.INGROUPTRANSFER and not self.ingroup_choices:
            raise ValueError("ingroup_choices is required for INGROUPTRANSFER")
        if self.stage is RemoteAgentStage.EXTENSIONTRANSFER and not self.phone_number:
            raise ValueError("phone_number is required for EXTENSIONTRANSFER")
        return self


class SendDtmf(AgentParams):
    # P is #, S is *, Q is one second of silence.
    value: Annotated[str, StringConstraints(pattern=r"^[0-9PSQ]+$", max_length=100)]


class ParkCall(AgentParams):
    value: ParkAction


_TRANSFERS_NEEDING_NUMBER = {TransferAction.BLIND_TRANSFER}


class TransferConference(AgentParams):
    value: TransferAction
    phone_number: Annotated[str, StringConstraints(pattern=r"^\d{1,30}$")] | None = None
    ingroup_choices: Text20 | None = None
    consultative: YesNo | None = None
    dial_override: YesNo | None = None
    group_alias: Annotated[str, StringConstraints(max_length=30)] | None = None
    cid_choice: CidChoice | None = None
    multi_dial_phones: (
        Annotated[
            list[Annotated[str, StringConstraints(pattern=r"^\d{1,18}$")]],
            BeforeValidator(split_text(",")),
            Field(max_length=10),
        ]
        | None
    ) = None
    md_check: YesNo | None = None
    tw_check: YesNo | None = None

    @model_validator(mode="after")
    def _needs(self) -> TransferConference:
        if self.value in _TRANSFERS_NEEDING_NUMBER and not self.phone_number:
            raise ValueError(f"phone_number is required for {self.value}")
        if self.value is TransferAction.LOCAL_CLOSER and not self.ingroup_choices:
            raise ValueError("ingroup_choices is required for LOCAL_CLOSER")
        return self


class Recording(AgentParams):
    value: RecordingAction
    stage: Annotated[str, StringConstraints(max_length=14)] | None = None


class WebphoneUrl(AgentParams):
    value: WebphoneMode


class CallAgent(AgentParams):
    value: Literal["CALL"] = "CALL"


class PauseCode(AgentParams):
    value: Annotated[str, StringConstraints(min_length=1, max_length=6)]


class AudioPlayback(AgentParams):
    stage: AudioStage
    value: Annotated[str, StringConstraints(min_length=1, max_length=100)] | None = None
    dial_override: YN | None = None

    @model_validator(mode="after")
    def _file_to_play(self) -> AudioPlayback:
        if self.stage is AudioStage.PLAY and not self.value:
            raise ValueError("value (the audio file, without extension) is required for PLAY")
        return self


class SwitchLead(AgentParams):
    lead_id: Annotated[int, Field(gt=0)] | None = None
    vendor_lead_code: Annotated[str, StringConstraints(max_length=20)] | None = None

    @model_validator(mode="after")
    def _one_key(self) -> SwitchLead:
        if self.lead_id is None and not self.vendor_lead_code:
            raise ValueError("lead_id or vendor_lead_code is required")
        return self


class CallsInQueueCount(AgentParams):
    value: Literal["DISPLAY"] = "DISPLAY"


class ForceFronter(AgentParams):
    value: FronterScope
    lead_id: Annotated[int, Field(gt=0)] | None = None


class SendNotification(Params):
    recipient: Text20
    recipient_type: RecipientType | None = None
    notification_date: WireDateTime | None = None
    notification_text: Annotated[str, StringConstraints(max_length=1000)] | None = None
    text_size: Annotated[int, Field(gt=0, le=200)] | None = None
    text_font: Annotated[str, StringConstraints(max_length=50)] | None = None
    text_weight: Annotated[str, StringConstraints(pattern=r"^[a-z, ]*$", max_length=50)] | None = (
        None
    )
    text_color: (
        Annotated[str, StringConstraints(pattern=r"^([A-Za-z]+|[0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})$")]
        | None
    ) = None
    show_confetti: YN | None = None
    duration: Annotated[int, Field(ge=1, le=10)] | None = None
    max_particle_count: Annotated[int, Field(ge=1, le=9999)] | None = Field(
        None, alias="maxParticleCount"
    )
    particle_speed: Annotated[int, Field(ge=1, le=100)] | None = Field(None, alias="particleSpeed")


class VmMessage(AgentParams):
    value: Annotated[
        list[Annotated[str, StringConstraints(min_length=1, max_length=100)]],
        BeforeValidator(split_text("|")),
        Field(min_length=1),
    ]
    lead_id: Annotated[int, Field(gt=0)] | None = None

    def to_wire(self) -> dict[str, str]:
        wire = super().to_wire()
        wire["value"] = "|".join(self.value)  # several files are pipe-separated
        return wire
