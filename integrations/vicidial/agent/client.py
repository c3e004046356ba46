"""ViciAgent: the agent API (agc/api.php) with one friendly, typed method per function."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from integrations.vicidial.agent import params as p
from integrations.vicidial.agent import results as r
from integrations.vicidial.agent.enums import (
    AltDial,
    AudioStage,
    CallbackType,
    CidChoice,
    FronterScope,
    IngroupChange,
    ParkAction,
    PreviewAction,
    RecipientType,
    RecordingAction,
    RemoteAgentStage,
    TimerAction,
    TransferAction,
    WebphoneMode,
)
from integrations.vicidial.agent.functions import AGENT_FUNCTIONS
from integrations.vicidial.client import BaseClient
from integrations.vicidial.registry import FunctionSpec, Registry


def _spec(name: str) -> FunctionSpec[Any, Any]:
    spec = AGENT_FUNCTIONS.get(name)
    assert spec is not None, name
    return spec


class ViciAgent(BaseClient):
    """The agent API of one dialer.

    ``agent_user`` given here is the default for every call; each method also takes
    ``agent_user``, so one client serves every agent of a dialer.
    """

    registry: ClassVar[Registry] = AGENT_FUNCTIONS
    path: ClassVar[str] = "/agc/api.php"

    def __init__(
        self, base_url: str, user: str, password: str, agent_user: str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(base_url, user, password, **kwargs)
        self.agent_user = agent_user

    def _defaults(self, spec: FunctionSpec[Any, Any], params: dict[str, Any]) -> dict[str, Any]:
        if (
            spec.needs_agent_user
            and self.agent_user
            and not params.get("agent_user")
            and not params.get("alt_user")
        ):
            return {**params, "agent_user": self.agent_user}
        return params

    async def _do(self, name: str, **params: Any) -> Any:
        spec = _spec(name)
        return await self.run(spec, self.make(spec, **params))

    async def version(self) -> r.VersionInfo:
        result: r.VersionInfo = await self._do("version")
        return result

    async def webserver(self) -> r.WebserverInfo:
        result: r.WebserverInfo = await self._do("webserver")
        return result

    async def hangup(self, *, agent_user: str | None = None) -> r.HangupResult:
        result: r.HangupResult = await self._do("external_hangup", value=1, agent_user=agent_user)
        return result

    async def set_status(
        self,
        status: str,
        *,
        callback_datetime: datetime | None = None,
        callback_type: CallbackType | None = None,
        callback_comments: str | None = None,
        qm_dispo_code: str | None = None,
        agent_user: str | None = None,
    ) -> r.StatusResult:
        result: r.StatusResult = await self._do(
            "external_status",
            value=status,
            callback_datetime=callback_datetime,
            callback_type=callback_type,
            callback_comments=callback_comments,
            qm_dispo_code=qm_dispo_code,
            agent_user=agent_user,
        )
        return result

    async def pause(self, *, agent_user: str | None = None) -> r.PauseResult:
        result: r.PauseResult = await self._do(
            "external_pause", value="PAUSE", agent_user=agent_user
        )
        return result

    async def resume(self, *, agent_user: str | None = None) -> r.PauseResult:
        result: r.PauseResult = await self._do(
            "external_pause", value="RESUME", agent_user=agent_user
        )
        return result

    async def logout(self, *, agent_user: str | None = None) -> r.LogoutResult:
        result: r.LogoutResult = await self._do("logout", agent_user=agent_user)
        return result

    async def dial(
        self,
        phone_number: str | None = None,
        *,
        lead_id: int | None = None,
        phone_code: str | None = None,
        search: bool | None = None,
        preview: bool | None = None,
        focus: bool | None = None,
        vendor_id: str | None = None,
        dial_prefix: str | None = None,
        group_alias: str | None = None,
        vtiger_callback: bool | None = None,
        alt_dial: AltDial | None = None,
        dial_ingroup: str | None = None,
        outbound_cid: str | None = None,
        agent_user: str | None = None,
    ) -> r.DialResult:
        """Dial a number (or ``MANUALNEXT``), or a lead by ``lead_id``."""
        result: r.DialResult = await self._do(
            "external_dial",
            value=phone_number,
            lead_id=lead_id,
            phone_code=phone_code,
            search=search,
            preview=preview,
            focus=focus,
            vendor_id=vendor_id,
            dial_prefix=dial_prefix,
            group_alias=group_alias,
            vtiger_callback=vtiger_callback,
            alt_dial=alt_dial,
            dial_ingroup=dial_ingroup,
            outbound_cid=outbound_cid,
            agent_user=agent_user,
        )
        return result

    async def preview_dial_action(
        self, action: PreviewAction, *, agent_user: str | None = None
    ) -> r.PreviewDialResult:
        result: r.PreviewDialResult = await self._do(
            "preview_dial_action", value=action, agent_user=agent_user
        )
        return result

    async def add_lead(
        self,
        *,
        dnc_check: bool | None = None,
        campaign_dnc_check: bool | None = None,
        agent_user: str | None = None,
        **lead: Any,
    ) -> r.AddLeadResult:
        """Add a lead to the agent campaign's manual dial list; ``lead`` holds lead columns."""
        result: r.AddLeadResult = await self._do(
            "external_add_lead",
            dnc_check=dnc_check,
            campaign_dnc_check=campaign_dnc_check,
            agent_user=agent_user,
            **lead,
        )
        return result

    async def change_ingroups(
        self,
        change: IngroupChange,
        *,
        blended: bool,
        ingroups: list[str] | None = None,
        set_as_default: bool | None = None,
        agent_user: str | None = None,
    ) -> r.ChangeIngroupsResult:
        result: r.ChangeIngroupsResult = await self._do(
            "change_ingroups",
            value=change,
            blended=blended,
            ingroup_choices=ingroups,
            set_as_default=set_as_default,
            agent_user=agent_user,
        )
        return result

    async def update_fields(
        self, *, agent_user: str | None = None, **fields: Any
    ) -> r.UpdateFieldsResult:
        """Change lead columns on the agent's screen ("" clears one), or reload its form."""
        result: r.UpdateFieldsResult = await self._do(
            "update_fields", agent_user=agent_user, **fields
        )
        return result

    async def refresh_panel(
        self, *panels: str, agent_user: str | None = None
    ) -> r.RefreshPanelResult:
        """Reload panels by name: form, script, script2, email, chat, callbacks."""
        flags = {f"{panel}reload": 1 for panel in panels}
        result: r.RefreshPanelResult = await self._do(
            "refresh_panel", agent_user=agent_user, **flags
        )
        return result

    async def set_timer_action(
        self,
        action: TimerAction,
        *,
        notes: str | None = None,
        seconds: int | None = None,
        agent_user: str | None = None,
    ) -> r.TimerActionResult:
        result: r.TimerActionResult = await self._do(
            "set_timer_action", value=action, notes=notes, rank=seconds, agent_user=agent_user
        )
        return result

    async def st_login_log(self, crm_agent_id: str, crm_team_id: str) -> r.LoginLogResult:
        result: r.LoginLogResult = await self._do(
            "st_login_log", value=crm_agent_id, vendor_id=crm_team_id
        )
        return result

    async def st_get_agent_active_lead(
        self, crm_agent_id: str, crm_team_id: str
    ) -> r.ActiveLeadResult:
        result: r.ActiveLeadResult = await self._do(
            "st_get_agent_active_lead", value=crm_agent_id, vendor_id=crm_team_id
        )
        return result

    async def ra_call_control(
        self,
        call_id: str,
        stage: RemoteAgentStage,
        *,
        ingroup: str | None = None,
        phone_number: str | None = None,
        status: str | None = None,
        agent_user: str | None = None,
    ) -> r.RemoteAgentCallResult:
        result: r.RemoteAgentCallResult = await self._do(
            "ra_call_control",
            value=call_id,
            stage=stage,
            ingroup_choices=ingroup,
            phone_number=phone_number,
            status=status,
            agent_user=agent_user,
        )
        return result

    async def send_dtmf(self, digits: str, *, agent_user: str | None = None) -> r.DtmfResult:
        """Digits 0-9, ``P`` for #, ``S`` for *, ``Q`` for a second of silence."""
        result: r.DtmfResult = await self._do("send_dtmf", value=digits, agent_user=agent_user)
        return result

    async def park_call(self, action: ParkAction, *, agent_user: str | None = None) -> r.ParkResult:
        result: r.ParkResult = await self._do("park_call", value=action, agent_user=agent_user)
        return result

    async def transfer_conference(
        self,
        action: TransferAction,
        *,
        phone_number: str | None = None,
        ingroup: str | None = None,
        consultative: bool | None = None,
        dial_override: bool | None = None,
        group_alias: str | None = None,
        cid_choice: CidChoice | None = None,
        multi_dial_phones: list[str] | None = None,
        md_check: bool | None = None,
        tw_check: bool | None = None,
        agent_user: str | None = None,
    ) -> r.TransferResult:
        result: r.TransferResult = await self._do(
            "transfer_conference",
            value=action,
            phone_number=phone_number,
            ingroup_choices=ingroup,
            consultative=consultative,
            dial_override=dial_override,
            group_alias=group_alias,
            cid_choice=cid_choice,
            multi_dial_phones=multi_dial_phones,
            md_check=md_check,
            tw_check=tw_check,
            agent_user=agent_user,
        )
        return result

    async def recording(
        self,
        action: RecordingAction,
        *,
        filename_suffix: str | None = None,
        agent_user: str | None = None,
    ) -> r.RecordingResult:
        result: r.RecordingResult = await self._do(
            "recording", value=action, stage=filename_suffix, agent_user=agent_user
        )
        return result

    async def webphone_url(
        self, mode: WebphoneMode = WebphoneMode.DISPLAY, *, agent_user: str | None = None
    ) -> r.WebphoneUrlResult:
        result: r.WebphoneUrlResult = await self._do(
            "webphone_url", value=mode, agent_user=agent_user
        )
        return result

    async def call_agent(self, *, agent_user: str | None = None) -> r.CallAgentResult:
        result: r.CallAgentResult = await self._do("call_agent", agent_user=agent_user)
        return result

    async def pause_code(self, code: str, *, agent_user: str | None = None) -> r.PauseCodeResult:
        result: r.PauseCodeResult = await self._do("pause_code", value=code, agent_user=agent_user)
        return result

    async def audio_playback(
        self,
        stage: AudioStage,
        file: str | None = None,
        *,
        dial_override: bool | None = None,
        agent_user: str | None = None,
    ) -> r.AudioPlaybackResult:
        result: r.AudioPlaybackResult = await self._do(
            "audio_playback",
            stage=stage,
            value=file,
            dial_override=dial_override,
            agent_user=agent_user,
        )
        return result

    async def switch_lead(
        self,
        *,
        lead_id: int | None = None,
        vendor_lead_code: str | None = None,
        agent_user: str | None = None,
    ) -> r.SwitchLeadResult:
        result: r.SwitchLeadResult = await self._do(
            "switch_lead", lead_id=lead_id, vendor_lead_code=vendor_lead_code, agent_user=agent_user
        )
        return result

    async def calls_in_queue_count(self, *, agent_user: str | None = None) -> r.CallsInQueueResult:
        result: r.CallsInQueueResult = await self._do("calls_in_queue_count", agent_user=agent_user)
        return result

    async def force_fronter_leave_3way(
        self, scope: FronterScope, *, lead_id: int | None = None, agent_user: str | None = None
    ) -> r.FronterLeaveResult:
        result: r.FronterLeaveResult = await self._do(
            "force_fronter_leave_3way", value=scope, lead_id=lead_id, agent_user=agent_user
        )
        return result

    async def force_fronter_audio_stop(
        self, scope: FronterScope, *, lead_id: int | None = None, agent_user: str | None = None
    ) -> r.FronterAudioStopResult:
        result: r.FronterAudioStopResult = await self._do(
            "force_fronter_audio_stop", value=scope, lead_id=lead_id, agent_user=agent_user
        )
        return result

    async def send_notification(
        self,
        recipient: str,
        recipient_type: RecipientType | None = None,
        *,
        notification_text: str | None = None,
        notification_date: datetime | None = None,
        text_size: int | None = None,
        text_font: str | None = None,
        text_weight: str | None = None,
        text_color: str | None = None,
        show_confetti: bool | None = None,
        duration: int | None = None,
        max_particle_count: int | None = None,
        particle_speed: int | None = None,
    ) -> r.NotificationResult:
        result: r.NotificationResult = await self._do(
            "send_notification",
            recipient=recipient,
            recipient_type=recipient_type,
            notification_text=notification_text,
            notification_date=notification_date,
            text_size=text_size,
            text_font=text_font,
            text_weight=text_weight,
            text_color=text_color,
            show_confetti=show_confetti,
            duration=duration,
            max_particle_count=max_particle_count,
            particle_speed=particle_speed,
        )
        return result

    async def vm_message(
        self, files: list[str], *, lead_id: int | None = None, agent_user: str | None = None
    ) -> r.VmMessageResult:
        result: r.VmMessageResult = await self._do(
            "vm_message", value=files, lead_id=lead_id, agent_user=agent_user
        )
        return result


__all__ = ["ViciAgent", "p", "r"]
