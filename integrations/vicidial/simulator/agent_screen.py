"""Agent API: what the agent screen shows and reloads (notifications, in-groups, fields,
panels, timers, the webphone)."""

from __future__ import annotations

from collections.abc import Collection

from integrations.vicidial.simulator.agent_steps import (
    agent_name,
    agent_session,
    named,
    screen_command,
)
from integrations.vicidial.simulator.events import SimEventKind
from integrations.vicidial.simulator.wire import Answer, ApiRequest, Handlers

HANDLERS = Handlers()
handles = HANDLERS.add

# Where the real server looks a notification's recipient up, by recipient type.
_RECIPIENT_TABLES = {
    "USER": "vicidial_users",
    "USER_GROUP": "vicidial_user_groups",
    "CAMPAIGN": "vicidial_campaigns",
}


@handles("send_notification")
def send_notification(req: ApiRequest) -> str:
    center = req.center
    if not center.system.notifications_enabled:
        return "ERROR: Agent API Notifications are disabled on this system - 0\n"
    if req.denied:
        return req.denied
    recipient, kind = req.get("recipient"), req.get("recipient_type")
    known: dict[str, Collection[str]] = {
        "USER": center.users,
        "USER_GROUP": center.user_groups,
        "CAMPAIGN": center.campaigns,
    }
    notice = ""
    if recipient and kind not in known:
        # Like ViciDial, guess the type from the recipient: user, then user group, then campaign.
        guessed = [name for name, table in known.items() if recipient in table]
        if not guessed:
            return (
                "ERROR: no matching recipient found in users, user_groups, or campaigns - "
                f"{recipient}\n"
            )
        kind = guessed[0]
        notice = f"NOTICE: found {recipient} as {kind}<BR>\n"
    if not recipient or not kind:
        return f"ERROR: Missing recipient or recipient_type - {recipient}|{kind}\n"
    if recipient not in known[kind]:
        table, value = _RECIPIENT_TABLES[kind], req.get("value")
        return f"ERROR: {recipient} DOES NOT EXIST in {table} - {value}|{recipient}\n"
    note = center.notify(
        recipient, kind, req.get("notification_text"), confetti=req.get("show_confetti") == "Y"
    )
    return notice + f"SUCCESS: notification queued - {recipient}|{kind}|{note.notification_id}\n"


@handles("change_ingroups")
def change_ingroups(req: ApiRequest) -> str:
    value, blended, choices = req.get("value"), req.get("blended"), req.get("ingroup_choices")
    agent_user = req.get("agent_user")
    if len(blended) < 2 or len(agent_user) < 2 or len(value) < 3:
        return f"ERROR: change_ingroups not valid - {value}|{blended}|{choices}|{agent_user}\n"
    session = agent_session(req)
    if isinstance(session, str):
        return session
    center, agent = req.center, session.user
    if "change_agent_campaign" not in req.user.permissions:
        return f"ERROR: user is not allowed to change agent in-groups - {req.user.user}\n"
    campaign = center.campaigns[session.campaign_id]
    if blended == "YES" and campaign.dial_method in ("MANUAL", "INBOUND_MAN"):
        return f"ERROR: campaign dial_method does not allow outbound autodial - {agent}|{blended}\n"
    wanted = [g for g in choices.split() if g != "-"]
    for group in wanted:
        if group not in center.ingroups:
            return f"ERROR: ingroup does not exist - {agent}|{group}|{choices}\n"
    if value in ("ADD", "REMOVE") and not wanted:
        return (
            f"ERROR: ingroup_choices are required for ADD and REMOVE values - {agent}|{value}|"
            f"{choices}\n"
        )
    if value == "CHANGE":
        session.ingroups = wanted
    elif value == "ADD":
        session.ingroups += [g for g in wanted if g not in session.ingroups]
    elif value == "REMOVE":
        session.ingroups = [g for g in session.ingroups if g not in wanted]
    session.blended = blended == "YES"
    user = center.users.get(agent)
    if req.get("set_as_default") == "YES" and user is not None:
        user.in_groups = tuple(session.ingroups)
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
    agent_user = req.get("agent_user")
    if not agent_user:
        return f"ERROR: agent_user not valid - {agent_user}\n"
    session = agent_session(req)
    if isinstance(session, str):
        return session
    center, agent = req.center, session.user
    if "modify_leads" not in req.user.permissions:
        return f"ERROR: user is not allowed to modify lead information - {agent}|{req.user.user}\n"
    lead = center.leads.get(session.lead_id)
    if lead is None:
        return f"ERROR: agent_user does not have a lead on their screen - {agent}\n"
    given = [name for name in UPDATE_FIELDS if name in req.params]
    reloads = [name for name in _RELOADS if req.get(name)]
    if not given and not reloads:
        return f"ERROR: no fields have been defined - {agent}\n"
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


_PANELS = (*_RELOADS, "callbacksreload")


@handles("refresh_panel")
def refresh_panel(req: ApiRequest) -> str:
    agent_user = req.get("agent_user")
    if not agent_user:
        return f"ERROR: agent_user not valid - {agent_user}\n"
    session = agent_session(req)
    if isinstance(session, str):
        return session
    panels = [name for name in _PANELS if req.get(name)]
    if not panels:
        return f"ERROR: no panels have been defined - {session.user}\n"
    shown = ",".join(panels)
    screen_command(req.center, session, "refresh_panel", shown)
    return f"SUCCESS: refresh_panel request sent - {req.user.user}|{session.user}|1|{shown}|\n"


@handles("set_timer_action")
def set_timer_action(req: ApiRequest) -> str:
    agent_user, value = req.get("agent_user"), req.get("value")
    if not agent_user or len(value) < 2:
        return f"ERROR: set_timer_action not valid - {agent_user}|{value}\n"
    session = agent_session(req)
    if isinstance(session, str):
        return session
    me = req.user.user
    if "modify_campaigns" not in req.user.permissions:
        return f"ERROR: user is not allowed to modify campaign settings - {session.user}|{me}\n"
    notes, rank = req.get("notes"), req.get("rank")
    session.timer = (value, notes, rank)
    screen_command(req.center, session, "set_timer_action", value)
    return f"SUCCESS: set_timer_action lead updated - {me}|{session.user}|{value}|{notes}|{rank}\n"


@handles("webphone_url")
def webphone_url(req: ApiRequest) -> str | Answer:
    value = req.get("value")
    if value not in ("DISPLAY", "LAUNCH") or not named(req):
        return f"ERROR: webphone_url not valid - {value}|{agent_name(req)}\n"
    session = agent_session(req)
    if isinstance(session, str):
        return session
    center = req.center
    user = center.users.get(session.user)
    phone = center.phones.get(user.phone_login) if user else None
    if phone is None or not phone.webphone:
        return f"ERROR: webphone_url error - webphone url is empty - {session.user}\n"
    url = (
        f"{center.system.webphone_url}?phone_login={phone.login}&"
        f"session_name={session.session_name}"
    )
    if value == "DISPLAY":
        # The bare link, without a newline.
        return url
    return (
        f'<META HTTP-EQUIV=Refresh CONTENT="0; URL={url}">\n</HEAD>\n'
        "<BODY BGCOLOR=#FFFFFF marginheight=0 marginwidth=0 leftmargin=0 topmargin=0>\n"
        f'<a href="{url}">click here to continue. . .</a>\n</BODY>\n'
    )
