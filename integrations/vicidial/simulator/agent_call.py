"""Agent API: controlling the live call (hang up, transfer, park, record, DTMF, voicemail).

Telephony is not simulated: what only queues work for Asterisk (DTMF digits, ringing the
agent's phone) is kept as a screen command and answered as the real server answers it.
"""

from __future__ import annotations

import re

from integrations.vicidial.simulator.agent_dial import alias_error
from integrations.vicidial.simulator.agent_steps import (
    agent_name,
    agent_session,
    named,
    on_call,
    screen_command,
    yes_no,
)
from integrations.vicidial.simulator.events import SimEventKind
from integrations.vicidial.simulator.records import Call
from integrations.vicidial.simulator.state import CallCenter
from integrations.vicidial.simulator.wire import ApiRequest, Handlers, stamp

HANDLERS = Handlers()
handles = HANDLERS.add

DEFAULT_INGROUP = "DEFAULTINGROUP"


def default_ingroup(center: CallCenter, campaign_id: str, ingroup: str) -> str:
    """``DEFAULTINGROUP`` means the default in-group of the campaign the call came through."""
    if ingroup != DEFAULT_INGROUP:
        return ingroup
    campaign = center.campaigns.get(campaign_id)
    return campaign.default_ingroup if campaign else ""


@handles("external_hangup")
def external_hangup(req: ApiRequest) -> str:
    value = req.get("value")
    if not value or not named(req):
        return f"ERROR: external_hangup not valid - {value}|{agent_name(req)}\n"
    session = agent_session(req)
    if isinstance(session, str):
        return session
    if session.call_id:
        req.center.end_call(session.user)
    return f"SUCCESS: external_hangup function set - {value}|{session.user}\n"


# The choices agents have (the real server refuses any other value once it knows the
# agent is on a call, and any value shorter than 8 characters before anything else).
_TRANSFER_ACTIONS = frozenset(
    {
        "HANGUP_XFER",
        "HANGUP_BOTH",
        "BLIND_TRANSFER",
        "LEAVE_VM",
        "LOCAL_CLOSER",
        "DIAL_WITH_CUSTOMER",
        "PARK_CUSTOMER_DIAL",
        "LEAVE_3WAY_CALL",
    }
)
_CID_CHOICE = re.compile("CAMPAIGN|AGENT_PHONE|CUSTOMER|CUSTOM_CID")


@handles("transfer_conference")
def transfer_conference(req: ApiRequest) -> str:
    value = req.get("value")
    if len(value) < 8 or not named(req):
        return f"ERROR: transfer_conference not valid - {value}|{agent_name(req)}\n"
    session = agent_session(req)
    if isinstance(session, str):
        return session
    center, agent = req.center, session.user
    if not on_call(session):
        return f"ERROR: agent_user does not have a live call - {agent}\n"
    ingroup = req.get("ingroup_choices")
    if ingroup or value == "LOCAL_CLOSER":
        ingroup = default_ingroup(center, session.campaign_id, ingroup)
        if len(ingroup) < 2 or ingroup not in center.ingroups:
            return f"ERROR: ingroup is not valid - {ingroup}\n"
    refused = alias_error(center, agent, req.get("group_alias"))
    if refused:
        return refused
    cid_choice = req.get("cid_choice")
    if cid_choice and not _CID_CHOICE.search(cid_choice):
        return f"ERROR: cid_choice is not valid - {agent}|{cid_choice}\n"
    if value not in _TRANSFER_ACTIONS:
        return f"ERROR: value is not valid - {value}|{req.user.user}\n"
    call_id = session.call_id
    if value in ("DIAL_WITH_CUSTOMER", "PARK_CUSTOMER_DIAL"):
        session.sub_status = "3-WAY"
        session.parked = value == "PARK_CUSTOMER_DIAL"
    elif value == "HANGUP_XFER":
        session.sub_status = ""
    elif value == "LOCAL_CLOSER":
        center.transfer_to_ingroup(agent, ingroup)
    else:
        # HANGUP_BOTH, BLIND_TRANSFER, LEAVE_VM, LEAVE_3WAY_CALL: the agent's call is over.
        center.end_call(agent)
    consultative = yes_no(req.get("consultative") == "YES")
    fields = [value, ingroup, req.get("phone_number"), consultative, agent, call_id, ""]
    return "SUCCESS: transfer_conference function set - " + "|".join(fields) + "\n"


# What each park action leaves parked (None: swaps which party is parked). The real server
# accepts any value containing one of these words.
_PARK_WORDS = re.compile(
    "PARK_CUSTOMER|GRAB_CUSTOMER|PARK_IVR_CUSTOMER|GRAB_IVR_CUSTOMER|PARK_XFER|GRAB_XFER"
)
_PARKED_AFTER = {
    "PARK_CUSTOMER": True,
    "PARK_IVR_CUSTOMER": True,
    "PARK_XFER": True,
    "SWAP_PARK_CUSTOMER": None,
    "SWAP_PARK_XFER": None,
}


@handles("park_call")
def park_call(req: ApiRequest) -> str:
    value = req.get("value")
    if not _PARK_WORDS.search(value) or not named(req):
        return f"ERROR: park_call not valid - {value}|{agent_name(req)}\n"
    session = agent_session(req)
    if isinstance(session, str):
        return session
    if not session.lead_id:
        return f"ERROR: agent_user does not have a lead on their screen - {session.user}\n"
    parked = _PARKED_AFTER.get(value, False)
    session.parked = (not session.parked) if parked is None else parked
    if value == "HANGUP_XFER_GRAB_CUSTOMER":
        session.sub_status = ""
    req.center.emit(SimEventKind.CALL_PARKED, user=session.user, action=value)
    return f"SUCCESS: park_call function set - {value}|{session.user}\n"


_RECORDING_WORDS = re.compile("START|STOP|STATUS")


@handles("recording")
def recording(req: ApiRequest) -> str:
    value = req.get("value")
    if not _RECORDING_WORDS.search(value) or not named(req):
        return f"ERROR: recording not valid - {value}|{agent_name(req)}\n"
    session = agent_session(req)
    if isinstance(session, str):
        return session
    center, agent = req.center, session.user
    where = f"{session.server_ip}|{session.session_id}|{session.status.value}"
    active = center.active_recording(agent)
    if "STATUS" in value:
        if active is None:
            return f"NOTICE: not recording - {agent}|||||{where}\n"
        return (
            f"NOTICE: recording active - {agent}|{active.recording_id}|{active.filename}|"
            f"{session.server_ip}|{stamp(active.start_time)}|{where}\n"
        )
    if "STOP" in value:
        if active is None:
            return f"ERROR: stop recording error - {agent}|||||{where}\n"
        center.stop_recording(agent)
        return f"SUCCESS: recording function sent - {agent}|{value}||||{where}\n"
    suffix = req.get("stage")[:14]
    center.start_recording(agent, suffix)
    # The real server only signals the agent screen, so it has no id or file name to show yet.
    return f"SUCCESS: recording function sent - {agent}|{value}{suffix}||||{where}\n"


@handles("send_dtmf")
def send_dtmf(req: ApiRequest) -> str:
    value = req.get("value")
    if not value or not named(req):
        return f"ERROR: send_dtmf not valid - {value}|{agent_name(req)}\n"
    session = agent_session(req)
    if isinstance(session, str):
        return session
    screen_command(req.center, session, "send_dtmf", value)
    return f"SUCCESS: send_dtmf function set - {value}|{session.user}\n"


@handles("call_agent")
def call_agent(req: ApiRequest) -> str:
    value = req.get("value")
    if value != "CALL" or not named(req):
        return f"ERROR: call_agent not valid - {value}|{agent_name(req)}\n"
    session = agent_session(req)
    if isinstance(session, str):
        return session
    # The agent's phone would ring and join the session; the session's dial string is
    # always known here, so the real server's "entry is empty" cannot happen.
    screen_command(req.center, session, "call_agent", session.session_id)
    return f"SUCCESS: call_agent function sent - {session.user}\n"


@handles("vm_message")
def vm_message(req: ApiRequest) -> str:
    lead_text, value = req.get("lead_id"), req.get("value")
    if not value or not named(req):
        return f"ERROR: vm_message not valid - {lead_text}|{value}|{agent_name(req)}\n"
    session = agent_session(req)
    if isinstance(session, str):
        return session
    if not on_call(session):
        return f"ERROR: agent_user does not have a live call - {session.user}\n"
    lead_id = lead_text or str(session.lead_id)
    if lead_id != str(session.lead_id):
        return f"ERROR: current call does not match lead_id submitted - {session.user}\n"
    screen_command(req.center, session, "vm_message", value)
    return f"SUCCESS: vm_message function set - {session.user}|{lead_id}|{value}|\n"


_RA_STAGES = ("HANGUP", "EXTENSIONTRANSFER", "INGROUPTRANSFER")


@handles("ra_call_control")
def ra_call_control(req: ApiRequest) -> str:
    value, agent, stage = req.get("value"), req.get("agent_user"), req.get("stage")
    if not value or not agent or not stage:
        return f"ERROR: ra_call_control not valid - {value}|{agent}|{stage}\n"
    if req.denied:
        return req.denied
    center = req.center
    if center.session(agent) is None:
        return f"ERROR: agent_user is not logged in - {agent}\n"
    call = center.calls.get(value)
    if call is None:
        return f"ERROR: no active call found - {value}\n"
    if stage not in _RA_STAGES:
        return f"ERROR: stage is not valid - {stage}\n"
    if stage == "HANGUP":
        _hang_up(center, call)
        return f"SUCCESS: ra_call_control hungup - {agent}|{value}|HANGUP\n"
    phone = req.get("phone_number")
    if stage == "EXTENSIONTRANSFER":
        if len(phone) < 2:
            return f"ERROR: phone_number is not valid - {phone}\n"
        _hang_up(center, call, term_reason="XFER")
    else:
        ingroup = default_ingroup(center, call.campaign_id, req.get("ingroup_choices"))
        if len(ingroup) < 2 or ingroup not in center.ingroups:
            return f"ERROR: ingroup is not valid - {ingroup}\n"
        center.move_to_queue(call.call_id, ingroup)
    return f"SUCCESS: ra_call_control transfer - {agent}|{value}|{phone}\n"


def _hang_up(center: CallCenter, call: Call, *, term_reason: str = "AGENT") -> None:
    """The call leaves the dialer: its agent goes to DISPO, a queued call is dropped."""
    if call.agent:
        center.end_call(call.agent, term_reason=term_reason)
    else:
        center.drop_call(call.call_id, term_reason=term_reason)
