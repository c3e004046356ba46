"""Agent API: what the agent screen shows and reloads (notifications, in-groups, fields)."""

from __future__ import annotations

from integrations.vicidial.simulator.agent_steps import YES_NO, agent_name, agent_session
from integrations.vicidial.simulator.events import SimEventKind
from integrations.vicidial.simulator.wire import ApiRequest, Handlers

HANDLERS = Handlers()
handles = HANDLERS.add


@handles("webserver")
def webserver(req: ApiRequest) -> str:
    settings = "".join(f"{key}: {value}\n" for key, value in req.center.system.webserver.items())
    return f"<PRE>Webserver Data:\n{settings}</PRE>\n"


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
    if value not in ("ADD", "REMOVE", "CHANGE") or blended not in YES_NO:
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
