"""The fixed choices of the agent API's parameters and answers."""

from __future__ import annotations

from enum import StrEnum


class PauseAction(StrEnum):
    PAUSE = "PAUSE"
    RESUME = "RESUME"


class CallbackType(StrEnum):
    USERONLY = "USERONLY"
    ANYONE = "ANYONE"


class PreviewAction(StrEnum):
    SKIP = "SKIP"
    DIALONLY = "DIALONLY"
    ALTDIAL = "ALTDIAL"
    ADR3DIAL = "ADR3DIAL"
    FINISH = "FINISH"


class AltDial(StrEnum):
    ALT = "ALT"
    ADDR3 = "ADDR3"
    SEARCH = "SEARCH"


class IngroupChange(StrEnum):
    CHANGE = "CHANGE"
    REMOVE = "REMOVE"
    ADD = "ADD"


class TimerAction(StrEnum):
    NONE = "NONE"
    WEBFORM = "WEBFORM"
    WEBFORM2 = "WEBFORM2"
    D1_DIAL = "D1_DIAL"
    D2_DIAL = "D2_DIAL"
    D3_DIAL = "D3_DIAL"
    D4_DIAL = "D4_DIAL"
    D5_DIAL = "D5_DIAL"
    MESSAGE_ONLY = "MESSAGE_ONLY"


class RemoteAgentStage(StrEnum):
    HANGUP = "HANGUP"
    EXTENSIONTRANSFER = "EXTENSIONTRANSFER"
    INGROUPTRANSFER = "INGROUPTRANSFER"


class ParkAction(StrEnum):
    PARK_CUSTOMER = "PARK_CUSTOMER"
    GRAB_CUSTOMER = "GRAB_CUSTOMER"
    PARK_IVR_CUSTOMER = "PARK_IVR_CUSTOMER"
    GRAB_IVR_CUSTOMER = "GRAB_IVR_CUSTOMER"
    PARK_XFER = "PARK_XFER"
    GRAB_XFER = "GRAB_XFER"
    SWAP_PARK_CUSTOMER = "SWAP_PARK_CUSTOMER"
    SWAP_PARK_XFER = "SWAP_PARK_XFER"
    HANGUP_XFER_GRAB_CUSTOMER = "HANGUP_XFER_GRAB_CUSTOMER"


class TransferAction(StrEnum):
    HANGUP_XFER = "HANGUP_XFER"
    HANGUP_BOTH = "HANGUP_BOTH"
    BLIND_TRANSFER = "BLIND_TRANSFER"
    LEAVE_VM = "LEAVE_VM"
    LOCAL_CLOSER = "LOCAL_CLOSER"
    DIAL_WITH_CUSTOMER = "DIAL_WITH_CUSTOMER"
    PARK_CUSTOMER_DIAL = "PARK_CUSTOMER_DIAL"
    LEAVE_3WAY_CALL = "LEAVE_3WAY_CALL"


class CidChoice(StrEnum):
    CAMPAIGN = "CAMPAIGN"
    AGENT_PHONE = "AGENT_PHONE"
    CUSTOMER = "CUSTOMER"
    CUSTOM_CID = "CUSTOM_CID"


class RecordingAction(StrEnum):
    START = "START"
    STOP = "STOP"
    STATUS = "STATUS"
    # ViciDial reports a recording started in the middle of a call this way.
    START_MIDCALL = "START_MIDCALL"


class WebphoneMode(StrEnum):
    DISPLAY = "DISPLAY"
    LAUNCH = "LAUNCH"


class AudioStage(StrEnum):
    PLAY = "PLAY"
    STOP = "STOP"
    PAUSE = "PAUSE"
    RESUME = "RESUME"
    RESTART = "RESTART"


class FronterScope(StrEnum):
    LOCAL_ONLY = "LOCAL_ONLY"
    LOCAL_AND_CCC = "LOCAL_AND_CCC"
    CCC_REMOTE = "CCC_REMOTE"


class RecipientType(StrEnum):
    USER = "USER"
    USER_GROUP = "USER_GROUP"
    CAMPAIGN = "CAMPAIGN"


class AgentStatus(StrEnum):
    """An agent session's state as vicidial_live_agents.status holds it."""

    READY = "READY"
    PAUSED = "PAUSED"
    INCALL = "INCALL"
    QUEUE = "QUEUE"
    MQUEUE = "MQUEUE"
    CLOSER = "CLOSER"
    DISPO = "DISPO"
    DEAD = "DEAD"
