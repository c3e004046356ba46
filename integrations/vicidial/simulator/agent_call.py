"""Agent API: controlling the live call (hang up, transfer, park, record)."""

from __future__ import annotations

from integrations.vicidial.simulator.agent_steps import agent_name, agent_session, yes_no
from integrations.vicidial.simulator.events import SimEventKind
from integrations.vicidial.simulator.wire import ApiRequest, Handlers, stamp

HANDLERS = Handlers()
handles = HANDLERS.add


@handles("external_hangup")
def external_hangup(req: ApiRequest) -> str:
    value = req.get("value")
    if value != "1":
        return f"ERROR: external_hangup not valid - {value}|{agent_name(req)}\n"
    session = agent_session(req)
    if isinstance(session, str):
        return session
    if session.call_id:
        req.center.end_call(session.user)
    return f"SUCCESS: external_hangup function set - 1|{session.user}\n"


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
_CID_CHOICES = frozenset({"CAMPAIGN", "AGENT_PHONE", "CUSTOMER", "CUSTOM_CID"})


@handles("transfer_conference")
def transfer_conference(req: ApiRequest) -> str:
    value = req.get("value")
    if value not in _TRANSFER_ACTIONS:
        return f"ERROR: transfer_conference not valid - {value}|{agent_name(req)}\n"
    session = agent_session(req)
    if isinstance(session, str):
        return session
    center, agent = req.center, session.user
    if not session.call_id:
        return f"ERROR: agent_user does not have a live call - {agent}\n"
    alias, cid_choice = req.get("group_alias"), req.get("cid_choice")
    if alias and alias not in center.group_aliases:
        return f"ERROR: group_alias is not valid - {agent}|{alias}\n"
    if cid_choice and cid_choice not in _CID_CHOICES:
        return f"ERROR: cid_choice is not valid - {agent}|{cid_choice}\n"
    ingroup = req.get("ingroup_choices")
    if ingroup == "DEFAULTINGROUP":
        ingroup = center.campaigns[session.campaign_id].default_ingroup
    if ingroup and ingroup not in center.ingroups:
        return f"ERROR: ingroup is not valid - {ingroup}\n"
    call_id = session.call_id
    if value in ("DIAL_WITH_CUSTOMER", "PARK_CUSTOMER_DIAL"):
        session.sub_status = "3-WAY"
        session.parked = value == "PARK_CUSTOMER_DIAL"
    elif value == "HANGUP_XFER":
        session.sub_status = ""
    elif value == "LOCAL_CLOSER" and ingroup:
        center.transfer_to_ingroup(agent, ingroup)
    else:
        # HANGUP_BOTH, BLIND_TRANSFER, LEAVE_VM, LEAVE_3WAY_CALL: the agent's call is over.
        center.end_call(agent)
    consultative = yes_no(req.get("consultative") == "YES")
    fields = [value, ingroup, req.get("phone_number"), consultative, agent, call_id, ""]
    return "SUCCESS: transfer_conference function set - " + "|".join(fields) + "\n"


_PARK_ACTIONS = {
    "PARK_CUSTOMER": True,
    "GRAB_CUSTOMER": False,
    "PARK_IVR_CUSTOMER": True,
    "GRAB_IVR_CUSTOMER": False,
    "PARK_XFER": True,
    "GRAB_XFER": False,
    "SWAP_PARK_CUSTOMER": None,
    "SWAP_PARK_XFER": None,
}


@handles("park_call")
def park_call(req: ApiRequest) -> str:
    value = req.get("value")
    if value not in _PARK_ACTIONS:
        return f"ERROR: park_call not valid - {value}|{agent_name(req)}\n"
    session = agent_session(req)
    if isinstance(session, str):
        return session
    if not session.lead_id:
        return f"ERROR: agent_user does not have a lead on their screen - {session.user}\n"
    parked = _PARK_ACTIONS[value]
    session.parked = (not session.parked) if parked is None else parked
    req.center.emit(SimEventKind.CALL_PARKED, user=session.user, action=value)
    return f"SUCCESS: park_call function set - {value}|{session.user}\n"


@handles("recording")
def recording(req: ApiRequest) -> str:
    value = req.get("value")
    if value not in ("START", "STOP", "STATUS"):
        return f"ERROR: recording not valid - {value}|{agent_name(req)}\n"
    session = agent_session(req)
    if isinstance(session, str):
        return session
    center, agent = req.center, session.user
    where = f"{session.server_ip}|{session.session_id}|{session.status.value}"
    active = center.active_recording(agent)
    if value == "STATUS":
        if active is None:
            return f"NOTICE: not recording - {agent}|||||{where}\n"
        return (
            f"NOTICE: recording active - {agent}|{active.recording_id}|{active.filename}|"
            f"{session.server_ip}|{stamp(active.start_time)}|{where}\n"
        )
    if value == "STOP":
        if active is None:
            return f"ERROR: stop recording error - {agent}|||||{where}\n"
        center.stop_recording(agent)
        return f"SUCCESS: recording function sent - {agent}|STOP||||{where}\n"
    suffix = req.get("stage")[:14]
    center.start_recording(agent, suffix)
    # The real server only signals the agent screen, so it has no id or file name to show yet.
    return f"SUCCESS: recording function sent - {agent}|START{suffix}||||{where}\n"
