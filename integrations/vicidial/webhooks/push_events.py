"""The 50 events the agent screen pushes (Agent Events Push), with their meanings."""

from __future__ import annotations

from enum import StrEnum


class PushEvent(StrEnum):
    LOGGED_IN = "logged_in"
    LOGGED_OUT = "logged_out"
    LOGGED_OUT_COMPLETE = "logged_out_complete"
    STATE_READY = "state_ready"
    STATE_PAUSED = "state_paused"
    CALL_DIALED = "call_dialed"
    CALL_ANSWERED = "call_answered"
    CALL_DEAD = "call_dead"
    CALL_SCRIPT = "call_script"
    DEAD_TRIGGER_AUDIO = "dead_trigger_audio"
    DEAD_TRIGGER_URL = "dead_trigger_url"
    DEAD_TRIGGER_URL_SENT = "dead_trigger_url_sent"
    OTHER_ANSWERED = "other_answered"
    AGENT_HANGUP = "agent_hangup"
    DISPO_SCREEN_OPEN = "dispo_screen_open"
    DISPO_SET = "dispo_set"
    DISPO_SET_TWICE = "dispo_set_twice"
    THREEWAY_START = "3way_start"
    THREEWAY_ANSWERED = "3way_answered"
    THREEWAY_AGENT_HANGUP = "3way_agent_hangup"
    THREEWAY_AGENT_LEAVE = "3way_agent_leave"
    TRANSFER_LOCAL_CLOSER = "transfer_local_closer"
    TRANSFER_BLIND = "transfer_blind"
    TRANSFER_VMAIL = "transfer_vmail"
    PARK_STARTED = "park_started"
    PARK_RETRIEVED = "park_retrieved"
    PARK_IVR_STARTED = "park_ivr_started"
    PARK_IVR_RETRIEVED = "park_ivr_retrieved"
    AGENT_ALERT = "agent_alert"
    LOGIN_INVALID = "login_invalid"
    SESSION_DISABLED = "session_disabled"
    BLIND_MONITOR_ALERT = "blind_monitor_alert"
    MANUAL_DIAL_OPEN = "manual_dial_open"
    CALLBACK_SELECT_OPEN = "callback_select_open"
    TIME_SYNC = "time_sync"
    CUSTOMER_GONE = "customer_gone"
    NONE_IN_SESSION = "none_in_session"
    TRANSFER_PANEL_OPEN = "transfer_panel_open"
    TRANSFER_PANEL_CLOSED = "transfer_panel_closed"
    INGROUP_SCREEN_OPEN = "ingroup_screen_open"
    INGROUP_SCREEN_CLOSED = "ingroup_screen_closed"
    TERRITORY_SCREEN_OPEN = "territory_screen_open"
    TERRITORY_SCREEN_CLOSED = "territory_screen_closed"
    CONTACT_SEARCH_OPEN = "contact_search_open"
    LEAD_SEARCH_OPEN = "lead_search_open"
    PAUSE_CODE_OPEN = "pause_code_open"
    UPDATE_FIELDS = "update_fields"
    SESSION_EMPTY = "session_empty"
    SESSION_CHANNELS = "session_channels"
    # Emitted by the agent screen although the push document does not list it.
    IN_MAN_DIAL_NEXT_READY = "in_man_dial_next_ready"


PUSH_EVENT_MEANINGS: dict[PushEvent, str] = {
    PushEvent.LOGGED_IN: "the agent screen finished loading after login",
    PushEvent.LOGGED_OUT: "a logout started; the message says why",
    PushEvent.LOGGED_OUT_COMPLETE: "the logout finished (may be missing if the browser closed)",
    PushEvent.STATE_READY: "the agent became READY or CLOSER",
    PushEvent.STATE_PAUSED: "the agent became PAUSED",
    PushEvent.CALL_DIALED: "a manual dial call was placed",
    PushEvent.CALL_ANSWERED: "a call reached the agent, or a manual call was answered",
    PushEvent.CALL_DEAD: "the customer hung up before the agent did",
    PushEvent.CALL_SCRIPT: "the script tab loaded",
    PushEvent.DEAD_TRIGGER_AUDIO: "the dead call trigger played audio to the agent",
    PushEvent.DEAD_TRIGGER_URL: "the dead call trigger URL request started",
    PushEvent.DEAD_TRIGGER_URL_SENT: "the dead call trigger URL request was confirmed",
    PushEvent.OTHER_ANSWERED: "an email or chat reached the agent",
    PushEvent.AGENT_HANGUP: "the agent hung up the call",
    PushEvent.DISPO_SCREEN_OPEN: "the disposition screen opened",
    PushEvent.DISPO_SET: "the agent submitted a disposition; the message holds it",
    PushEvent.DISPO_SET_TWICE: "a disposition was submitted again for the same call",
    PushEvent.THREEWAY_START: "the agent started a three-way call",
    PushEvent.THREEWAY_ANSWERED: "the three-way party answered",
    PushEvent.THREEWAY_AGENT_HANGUP: "the agent hung up the three-way party",
    PushEvent.THREEWAY_AGENT_LEAVE: "the agent left the three-way call",
    PushEvent.TRANSFER_LOCAL_CLOSER: "the call was transferred to an in-group",
    PushEvent.TRANSFER_BLIND: "the call was blind transferred",
    PushEvent.TRANSFER_VMAIL: "the call was sent to a voicemail message",
    PushEvent.PARK_STARTED: "the customer was parked",
    PushEvent.PARK_RETRIEVED: "the customer came back from park",
    PushEvent.PARK_IVR_STARTED: "the customer was sent to a park IVR",
    PushEvent.PARK_IVR_RETRIEVED: "the customer came back from a park IVR",
    PushEvent.AGENT_ALERT: "a small alert box was shown to the agent; the message holds it",
    PushEvent.LOGIN_INVALID: "the agent screen was not opened properly",
    PushEvent.SESSION_DISABLED: "this agent session was disabled, often by a second login",
    PushEvent.BLIND_MONITOR_ALERT: "someone is silently monitoring the agent",
    PushEvent.MANUAL_DIAL_OPEN: "the manual dial screen opened",
    PushEvent.CALLBACK_SELECT_OPEN: "the callback date screen opened",
    PushEvent.TIME_SYNC: "the agent screen found a clock problem",
    PushEvent.CUSTOMER_GONE: "the customer-gone screen opened",
    PushEvent.NONE_IN_SESSION: "the agent's session has nobody in it",
    PushEvent.TRANSFER_PANEL_OPEN: "the transfer panel opened",
    PushEvent.TRANSFER_PANEL_CLOSED: "the transfer panel closed",
    PushEvent.INGROUP_SCREEN_OPEN: "the in-group selection screen opened",
    PushEvent.INGROUP_SCREEN_CLOSED: "the in-group selection screen closed",
    PushEvent.TERRITORY_SCREEN_OPEN: "the territory selection screen opened",
    PushEvent.TERRITORY_SCREEN_CLOSED: "the territory selection screen closed",
    PushEvent.CONTACT_SEARCH_OPEN: "the contact search screen opened",
    PushEvent.LEAD_SEARCH_OPEN: "the lead search screen opened",
    PushEvent.PAUSE_CODE_OPEN: "the pause code screen opened",
    PushEvent.UPDATE_FIELDS: "the API changed lead fields shown on screen",
    PushEvent.SESSION_EMPTY: "the agent's session lost its last channel",
    PushEvent.SESSION_CHANNELS: "the agent's session gained a channel",
    PushEvent.IN_MAN_DIAL_NEXT_READY: "the agent is ready for the next manual dial call",
}


def push_event_from_name(name: str) -> PushEvent | None:
    """The known event called ``name`` (exact, as the screen sends it), else None."""
    try:
        return PushEvent(name)
    except ValueError:
        return None
