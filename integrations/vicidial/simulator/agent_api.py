"""agc/api.php: the agent API, answered from the call center's state in a 2.14 server's texts.

Each handler checks its parameters in the order the real server does (validity, then the
agent's session, then the state the action needs) and prints the same lines, errors included.
"""

from __future__ import annotations

from collections.abc import Mapping

from integrations.vicidial.agent.functions import AGENT_FUNCTIONS
from integrations.vicidial.simulator.auth import agent_api_allowed, agent_api_login
from integrations.vicidial.simulator.events import SimEventKind
from integrations.vicidial.simulator.records import AgentState, Session
from integrations.vicidial.simulator.state import CallCenter
from integrations.vicidial.simulator.wire import (
    Answer,
    ApiRequest,
    Handlers,
    respond,
    stamp,
    unsupported,
)

HANDLERS = Handlers()
handles = HANDLERS.add

# Every function the real agent API knows: the others answer an empty body, as ViciDial does.
KNOWN_FUNCTIONS = frozenset(AGENT_FUNCTIONS.names())


def version_text(center: CallCenter) -> str:
    s = center.system
    return (
        f"VERSION: {s.agent_api_version}|BUILD: {s.agent_api_build}|"
        f"DATE: {stamp(center.now())}|EPOCH: {center.clock.epoch()}\n"
    )


def answer(center: CallCenter, params: Mapping[str, str]) -> Answer:
    function = params.get("function", "")
    if function == "version":
        return Answer(version_text(center))
    if not params.get("source"):
        return Answer("ERROR: Invalid Source - \n")
    login = agent_api_login(center, params)
    if isinstance(login, str):
        return Answer(login)
    if function not in KNOWN_FUNCTIONS:
        return Answer("")
    denied = agent_api_allowed(login, function)
    if denied:
        return Answer(denied)
    handler = HANDLERS.get(function)
    if handler is None:
        return Answer(unsupported(function))
    return respond(handler(ApiRequest(function, params, login, center)))


# -- shared steps --------------------------------------------------------------------------


def agent_session(req: ApiRequest) -> Session | str:
    """The named agent's live session, or the error lines (``alt_user`` is resolved first)."""
    agent = req.get("agent_user")
    prefix = ""
    alt = req.get("alt_user")
    if alt and not agent:
        match = [u.user for u in req.center.users.values() if u.user_code and u.user_code == alt]
        if match:
            agent = match[0]
        else:
            prefix = f"ERROR: no user found - {alt}\n"
    session = req.center.session(agent) if agent else None
    if session is None:
        return prefix + f"ERROR: agent_user is not logged in - {agent}\n"
    return session


def agent_name(req: ApiRequest) -> str:
    return req.get("agent_user") or req.get("alt_user")


def yes_no(value: bool) -> str:
    return "YES" if value else "NO"


# -- functions -----------------------------------------------------------------------------


@handles("webserver")
def webserver(req: ApiRequest) -> str:
    settings = "".join(f"{key}: {value}\n" for key, value in req.center.system.webserver.items())
    return f"<PRE>Webserver Data:\n{settings}</PRE>\n"


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


@handles("external_status")
def external_status(req: ApiRequest) -> str:
    value = req.get("value")
    if not value:
        return f"ERROR: external_status not valid - |{agent_name(req)}\n"
    session = agent_session(req)
    if isinstance(session, str):
        return session
    callback = [req.get(k) for k in ("callback_datetime", "callback_type", "callback_comments")]
    qm = req.get("qm_dispo_code")
    shown = value
    if any(callback) or qm:
        shown = "!".join([value, *callback, qm])
    center = req.center
    if session.lead_id:
        if any(callback):
            center.callbacks.append(
                {
                    "lead_id": str(session.lead_id),
                    "user": session.user,
                    "status": value,
                    "callback_datetime": callback[0],
                    "callback_type": callback[1] or "ANYONE",
                    "comments": callback[2],
                }
            )
        center.disposition(session.user, value, callback_datetime=callback[0])
    return f"SUCCESS: external_status function set - {shown}|{session.user}\n"


@handles("external_pause")
def external_pause(req: ApiRequest) -> str:
    value = req.get("value")
    if value not in ("PAUSE", "RESUME"):
        return f"ERROR: external_pause not valid - {value}|{agent_name(req)}\n"
    session = agent_session(req)
    if isinstance(session, str):
        return session
    if value == "RESUME":
        if session.status is not AgentState.PAUSED:
            return f"ERROR: external_pause agent is not paused - RESUME|{session.user}\n"
        req.center.resume(session.user)
    else:
        req.center.pause(session.user)
    epoch = req.center.clock.epoch()
    return f"SUCCESS: external_pause function set - {value}|{epoch}|{session.user}\n"


@handles("logout")
def logout(req: ApiRequest) -> str:
    value = req.get("value")
    if value != "LOGOUT":
        return f"ERROR: logout not valid - {value}|{agent_name(req)}\n"
    session = agent_session(req)
    if isinstance(session, str):
        return session
    req.center.logout(session.user)
    return f"SUCCESS: logout function set - LOGOUT|{req.center.clock.epoch()}|{session.user}\n"


@handles("pause_code")
def pause_code(req: ApiRequest) -> str:
    session = agent_session(req)
    if isinstance(session, str):
        return session
    value = req.get("value")
    if not value or len(value) > 6:
        return f"ERROR: pause_code not valid - {value}|{session.user}\n"
    if session.status is not AgentState.PAUSED:
        return f"ERROR: pause_code error - agent is not paused - {session.user}\n"
    req.center.set_pause_code(session.user, value)
    return f"SUCCESS: pause_code function sent - {session.user}\n"


_YES_NO = ("YES", "NO")


@handles("external_dial")
def external_dial(req: ApiRequest) -> str:
    value, lead_text = req.get("value"), req.get("lead_id")
    search, preview, focus = req.get("search"), req.get("preview"), req.get("focus")
    if (
        not (value or lead_text)
        or search not in _YES_NO
        or preview not in _YES_NO
        or focus not in _YES_NO
    ):
        return (
            f"ERROR: external_dial not valid - {value}|{req.get('phone_code')}|{search}|"
            f"{agent_name(req)}\n"
        )
    session = agent_session(req)
    if isinstance(session, str):
        return session
    center, agent = req.center, session.user
    alias = req.get("group_alias")
    if alias and alias not in center.group_aliases:
        return f"ERROR: group_alias is not valid - {agent}|{alias}\n"
    cid = req.get("outbound_cid")
    if cid and not center.system.outbound_cid_allowed:
        return f"ERROR: outbound_cid is not allowed on this system - {agent}|{cid}|DISABLED\n"
    phone, phone_code = value, req.get("phone_code")
    lead_id: int | None = None
    if lead_text:
        lead = center.leads.get(int(lead_text)) if lead_text.isdigit() else None
        if lead is None:
            return f"ERROR: lead_id is not valid - {agent}|{lead_text}\n"
        lead_id = lead.lead_id
        alt = req.get("alt_dial")
        phone = {"ALT": lead.alt_phone, "ADDR3": lead.address3}.get(alt, lead.phone_number)
        phone_code = lead.phone_code
    center.emit(SimEventKind.DIAL_REQUESTED, user=agent, phone_number=phone, lead_id=lead_id)
    # The agent screen places the call at once unless it is busy or the lead is previewed.
    if session.call_id or preview == "YES" or phone == "MANUALNEXT":
        session.pending_dial = phone
    else:
        center.start_call(phone_number=phone, user=agent, lead_id=lead_id, manual=True)
    fields = [
        phone,
        agent,
        phone_code,
        search,
        preview,
        focus,
        req.get("vendor_id"),
        str(center.clock.epoch()),
        req.get("dial_prefix"),
        alias,
        center.group_aliases.get(alias, ""),
        req.get("alt_dial"),
    ]
    return "SUCCESS: external_dial function set - " + "|".join(fields) + "\n"


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


_RECIPIENT_TYPES = ("USER", "USER_GROUP", "CAMPAIGN")


@handles("send_notification")
def send_notification(req: ApiRequest) -> str:
    center = req.center
    if not center.system.notifications_enabled:
        return "ERROR: Agent API Notifications are disabled on this system - 0\n"
    recipient, kind = req.get("recipient"), req.get("recipient_type")
    if not recipient:
        return f"ERROR: Missing recipient or recipient_type: ({recipient}|{kind})\n"
    notice = ""
    if kind not in _RECIPIENT_TYPES:
        # Like ViciDial, guess the type from the recipient: user, then user group, then campaign.
        if recipient in center.users:
            kind = "USER"
        elif recipient in center.user_groups:
            kind = "USER_GROUP"
        else:
            kind = "CAMPAIGN"
        notice = f"NOTICE: recipient_type not given, using {kind} - {recipient}\n"
    if kind == "USER" and recipient not in center.users:
        return f"ERROR: {recipient} DOES NOT EXIST in vicidial_users - |{recipient}\n"
    if kind == "USER_GROUP" and recipient not in center.user_groups:
        return f"ERROR: user_group DOES NOT EXIST - {recipient}|{req.user.user}\n"
    if kind == "CAMPAIGN" and recipient not in center.campaigns:
        return f"ERROR: campaign DOES NOT EXIST - {recipient}|{req.user.user}\n"
    note = center.notify(
        recipient, kind, req.get("notification_text"), confetti=req.get("show_confetti") == "Y"
    )
    return notice + f"SUCCESS: notification queued - {recipient}|{kind}|{note.notification_id}\n"


@handles("change_ingroups")
def change_ingroups(req: ApiRequest) -> str:
    value, blended, choices = req.get("value"), req.get("blended"), req.get("ingroup_choices")
    if value not in ("ADD", "REMOVE", "CHANGE") or blended not in _YES_NO:
        return f"ERROR: change_ingroups not valid - {value}|{blended}|{choices}|{agent_name(req)}\n"
    session = agent_session(req)
    if isinstance(session, str):
        return session
    center, agent = req.center, session.user
    wanted = [g for g in choices.split() if g != "-"]
    if value in ("ADD", "REMOVE") and not wanted:
        return f"ERROR: ingroup_choices are required for ADD and REMOVE values - {agent}|{value}|\n"
    for group in wanted:
        if group not in center.ingroups:
            return f"ERROR: ingroup does not exist - {agent}|{group}|{choices}\n"
    if value == "CHANGE":
        session.ingroups = wanted
    elif value == "ADD":
        session.ingroups += [g for g in wanted if g not in session.ingroups]
    else:
        session.ingroups = [g for g in session.ingroups if g not in wanted]
    session.blended = blended == "YES"
    center.emit(
        SimEventKind.INGROUPS_CHANGED,
        user=agent,
        ingroups=tuple(session.ingroups),
        blended=session.blended,
    )
    shown = " " + " ".join([*session.ingroups, "-"])
    default = "User settings set as default" if req.get("set_as_default") == "YES" else ""
    fields = [req.user.user, agent, shown, blended, default]
    return "SUCCESS: change_ingroups function set - " + "|".join(fields) + "\n"


# The lead fields update_fields accepts, in the order the real server reports them.
UPDATE_FIELDS = (
    "address1",
    "address2",
    "address3",
    "alt_phone",
    "city",
    "comments",
    "country_code",
    "date_of_birth",
    "email",
    "first_name",
    "gender",
    "gmt_offset_now",
    "last_name",
    "middle_initial",
    "phone_number",
    "phone_code",
    "postal_code",
    "province",
    "security_phrase",
    "source_id",
    "state",
    "title",
    "vendor_lead_code",
    "rank",
    "owner",
)
_RELOADS = ("formreload", "scriptreload", "script2reload", "emailreload", "chatreload")


@handles("update_fields")
def update_fields(req: ApiRequest) -> str:
    session = agent_session(req)
    if isinstance(session, str):
        return session
    center, agent = req.center, session.user
    given = [name for name in UPDATE_FIELDS if name in req.params]
    reloads = [name for name in _RELOADS if req.get(name)]
    if not given and not reloads:
        return f"ERROR: no fields have been defined - {agent}\n"
    lead = center.leads.get(session.lead_id)
    if lead is None:
        return (
            f"ERROR: agent_user does not have a lead on their screen - {agent}|{session.lead_id}\n"
        )
    for name in given:
        lead.set_column(name, req.get(name))
    if given:
        lead.modify_date = center.now()
        center.emit(SimEventKind.LEAD_UPDATED, lead_id=lead.lead_id, fields=tuple(given))
    assignments = ",".join(f'{name}="{req.get(name)}"' for name in given)
    fields = ",".join(given + reloads)
    return (
        f"SUCCESS: update_fields lead updated - {req.user.user}|{agent}|{lead.lead_id}|"
        f"{1 if given else 0}|1|{fields}|{assignments}|\n"
    )


@handles("calls_in_queue_count")
def calls_in_queue_count(req: ApiRequest) -> str:
    session = agent_session(req)
    if isinstance(session, str):
        return session
    value = req.get("value")
    if value != "DISPLAY":
        return f"ERROR: calls_in_queue_count not valid - {value}|{session.user}\n"
    count = len(req.center.waiting_calls(session.ingroups))
    # The real server prints no newline after the count.
    return f"SUCCESS: calls_in_queue_count - {count}"
