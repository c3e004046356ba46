"""The non-agent API's telephony configuration: phones, phone aliases, group aliases and
the servers' configuration refresh.

Nothing here reaches a PBX (none is attached): server_refresh marks the servers for a
rebuild that no Asterisk will ever pick up, so it always reports no server newly marked,
as the real server without Asterisk does.
"""

from __future__ import annotations

from integrations.vicidial.simulator.configuration import GroupAlias, Phone, PhoneAlias
from integrations.vicidial.simulator.field_rules import (
    Rule,
    length,
    one_of,
    optional,
    refused,
    sent,
    timezone,
)
from integrations.vicidial.simulator.state import CallCenter
from integrations.vicidial.simulator.wire import ApiRequest, Handlers

HANDLERS = Handlers()
handles = HANDLERS.add

_ADD_PHONE_FIELDS = (
    "extension",
    "dialplan_number",
    "voicemail_id",
    "phone_login",
    "phone_pass",
    "server_ip",
    "protocol",
    "registration_password",
    "phone_full_name",
    "local_gmt",
    "outbound_cid",
)
# The shortest value each required add_phone field may have.
_ADD_PHONE_MIN = {"extension": 2, "dialplan_number": 2}


def _login_taken(center: CallCenter, login: str, extension: str = "") -> bool:
    return any(p.login == login and p.extension != extension for p in center.phones.values())


@handles("add_phone")
def add_phone(req: ApiRequest) -> str:
    center, me = req.center, req.user.user
    values = [req.get(name) for name in _ADD_PHONE_FIELDS]
    if any(
        len(v) < _ADD_PHONE_MIN.get(k, 1) for k, v in zip(_ADD_PHONE_FIELDS, values, strict=True)
    ):
        return (
            f"ERROR: add_phone YOU MUST USE ALL REQUIRED FIELDS: |{me}|" + "|".join(values) + "\n"
        )
    extension, server, login = req.get("extension"), req.get("server_ip"), req.get("phone_login")
    if server not in center.servers:
        return f"ERROR: add_phone SERVER DOES NOT EXIST: |{me}|{server}\n"
    existing = center.phones.get(extension)
    if existing is not None and existing.server_ip == server:
        return f"ERROR: add_phone PHONE ALREADY EXISTS ON THIS SERVER: |{me}|{server}|{extension}\n"
    if _login_taken(center, login):
        return f"ERROR: add_phone PHONE LOGIN ALREADY EXISTS: |{me}|{login}\n"
    if not timezone(req.get("local_gmt")):
        return f"ERROR: add_phone YOU MUST USE A VALID TIMEZONE: |{me}|{req.get('local_gmt')}\n"
    if req.get("template_id"):
        # The simulated dialer has no phone templates.
        return (
            "ERROR: add_phone TEMPLATE ID DOES NOT EXIST, THIS IS AN OPTIONAL FIELD: "
            f"|{me}|{login}|{req.get('template_id')}\n"
        )
    center.phones[extension] = Phone(
        extension=extension,
        login=login,
        server_ip=server,
        protocol=req.get("protocol"),
        dialplan_number=req.get("dialplan_number"),
        voicemail_id=req.get("voicemail_id"),
        password=req.get("phone_pass"),
        registration_password=req.get("registration_password"),
        full_name=req.get("phone_full_name"),
        local_gmt=req.get("local_gmt"),
        outbound_cid=req.get("outbound_cid"),
        webphone=req.get("is_webphone") not in ("", "N"),
    )
    center.configured("phones", extension, "added")
    shown = f"{extension}|{server}|{req.get('protocol')}|{req.get('dialplan_number')}"
    return f"SUCCESS: add_phone PHONE HAS BEEN ADDED - {me}|{shown}\n"


def _valid(what: str) -> str:
    return f"YOU MUST USE A VALID {what}"


# update_phone's optional fields, in the order the real server checks them.
_PHONE_RULES = (
    Rule("local_gmt", timezone, _valid("TIMEZONE")),
    Rule("email", length(5, 300), _valid("EMAIL")),
    Rule("phone_context", length(2, 30), _valid("PHONE CONTEXT")),
    Rule("phone_full_name", length(2, 30), _valid("PHONE NAME")),
    Rule("registration_password", length(2, 30), _valid("REGISTRATION PASSWORD")),
    Rule("protocol", one_of("IAX2", "SIP", "Zap", "EXTERNAL"), _valid("PROTOCOL")),
    Rule("phone_pass", length(2, 30), _valid("PHONE PASSWORD")),
    Rule("voicemail_id", length(2, 30), _valid("VOICEMAIL NUMBER")),
    Rule("dialplan_number", length(3, 30), _valid("DIALPLAN NUMBER")),
    optional("active", one_of("Y", "N"), "ACTIVE MUST BE Y OR N"),
    optional("outbound_cid", length(6, 18), "OUTBOUND CID MUST BE FROM 6 TO 18 DIGITS"),
    optional("admin_user_group", length(2, 20), "USER GROUP MUST BE FROM 2 TO 20 CHARACTERS"),
    optional("outbound_alt_cid", length(6, 18), "OUTBOUND ALT CID MUST BE FROM 6 TO 18 DIGITS"),
    # The real server prints the alternate caller id in this refusal.
    optional(
        "phone_ring_timeout",
        lambda v: v.isdigit() and 2 <= int(v) <= 180,
        "PHONE RING TIMEOUT MUST BE FROM 2 TO 180 SECONDS",
        shows="outbound_alt_cid",
    ),
    optional(
        "delete_vm_after_email", one_of("Y", "N"), "DELETE VOICEMAIL AFTER EMAIL MUST BE Y OR N"
    ),
)
# update_phone's fields that are columns of their own; the others go to ``settings``.
_PHONE_COLUMNS = {
    "phone_login": "login",
    "phone_pass": "password",
    "registration_password": "registration_password",
    "phone_full_name": "full_name",
    "protocol": "protocol",
    "dialplan_number": "dialplan_number",
    "voicemail_id": "voicemail_id",
    "local_gmt": "local_gmt",
    "outbound_cid": "outbound_cid",
    "email": "email",
}
_PHONE_SETTINGS = (
    "phone_context",
    "admin_user_group",
    "outbound_alt_cid",
    "phone_ring_timeout",
    "delete_vm_after_email",
    "template_id",
)


@handles("update_phone")
def update_phone(req: ApiRequest) -> str:
    center, me = req.center, req.user.user
    extension, server = req.get("extension"), req.get("server_ip")
    if len(extension) < 2 or not server:
        return f"ERROR: update_phone YOU MUST USE ALL REQUIRED FIELDS: |{me}|{extension}|{server}\n"
    if server not in center.servers:
        return f"ERROR: update_phone SERVER DOES NOT EXIST: |{me}|{server}\n"
    phone = center.phones.get(extension)
    if phone is None or phone.server_ip != server:
        return (
            f"ERROR: update_phone PHONE DOES NOT EXIST ON THIS SERVER: |{me}|{server}|{extension}\n"
        )
    if req.get("delete_phone") == "Y":
        if "delete_phones" not in req.user.permissions:
            return f"NOTICE: update_phone USER DOES NOT HAVE PERMISSION TO DELETE PHONES: |{me}|0\n"
        del center.phones[extension]
        center.configured("phones", extension, "deleted")
        return f"SUCCESS: update_phone PHONE HAS BEEN DELETED - {me}|{extension}|{server}|\n"
    refusal = refused(req, _PHONE_RULES)
    if refusal:
        return refusal
    login = req.get("phone_login")
    if login and _login_taken(center, login, extension):
        return f"ERROR: update_phone LOGIN ALREADY EXISTS: |{me}|{login}\n"
    if req.get("template_id"):
        return (
            "ERROR: update_phone TEMPLATE ID DOES NOT EXIST, THIS IS AN OPTIONAL FIELD: "
            f"|{me}|{login}|{req.get('template_id')}\n"
        )
    columns = sent(req, tuple(_PHONE_COLUMNS))
    settings = sent(req, _PHONE_SETTINGS)
    flags = {name: req.get(name) for name in ("active", "is_webphone") if name in req.params}
    if not columns and not settings and not flags:
        return f"NOTICE: update_phone NO UPDATES DEFINED: |{me}|\n"
    for name, value in columns.items():
        setattr(phone, _PHONE_COLUMNS[name], value)
    phone.active = flags.get("active", "Y" if phone.active else "N") == "Y"
    # Y or Y_API_LAUNCH: the agent screen gets a webphone (webphone_url has a link).
    phone.webphone = flags.get("is_webphone", "Y" if phone.webphone else "N") != "N"
    phone.settings |= settings
    center.configured("phones", extension, "updated")
    return f"SUCCESS: update_phone PHONE HAS BEEN UPDATED - {me}|{extension}|{server}|\n"


def _unknown_login(center: CallCenter, logins: list[str]) -> str | None:
    known = {p.login for p in center.phones.values()}
    return next((login for login in logins if login not in known), None)


@handles("add_phone_alias")
def add_phone_alias(req: ApiRequest) -> str:
    center, me = req.center, req.user.user
    alias_id, name, logins = req.get("alias_id"), req.get("alias_name"), req.get("phone_logins")
    if len(alias_id) < 2 or len(logins) < 2 or not name:
        return (
            f"ERROR: add_phone_alias YOU MUST USE ALL REQUIRED FIELDS: |{me}|{alias_id}|{name}|"
            f"{logins}\n"
        )
    if alias_id in center.phone_aliases:
        return f"ERROR: add_phone_alias PHONE ALIAS ALREADY EXISTS: |{me}|{alias_id}\n"
    wanted = logins.split(",")
    unknown = _unknown_login(center, wanted)
    if unknown is not None:
        return f"ERROR: add_phone_alias PHONE DOES NOT EXIST: |{me}|{unknown}\n"
    center.phone_aliases[alias_id] = PhoneAlias(alias_id, name, tuple(wanted))
    center.configured("phone_aliases", alias_id, "added")
    return (
        f"SUCCESS: add_phone_alias PHONE ALIAS HAS BEEN ADDED - {me}|{alias_id}|{name}|{logins}\n"
    )


@handles("update_phone_alias")
def update_phone_alias(req: ApiRequest) -> str:
    center, me = req.center, req.user.user
    alias_id, name, logins = req.get("alias_id"), req.get("alias_name"), req.get("phone_logins")
    deleting = req.get("delete_alias")
    if len(alias_id) < 2 or (len(logins) < 2 and not name and not deleting):
        return (
            f"ERROR: update_phone_alias YOU MUST USE ALL REQUIRED FIELDS: |{me}|{alias_id}|"
            f"{name}|{logins}\n"
        )
    alias = center.phone_aliases.get(alias_id)
    if alias is None:
        return f"ERROR: update_phone_alias PHONE ALIAS DOES NOT EXIST: |{me}|{alias_id}\n"
    if deleting == "Y":
        if "delete_phones" not in req.user.permissions:
            return (
                "NOTICE: update_phone_alias USER DOES NOT HAVE PERMISSION TO DELETE PHONE "
                f"ALIASES: |{me}|0\n"
            )
        del center.phone_aliases[alias_id]
        center.configured("phone_aliases", alias_id, "deleted")
        return f"SUCCESS: update_phone_alias PHONE ALIAS HAS BEEN DELETED - {me}|{alias_id}\n"
    if name and not 2 <= len(name) <= 50:
        return f"ERROR: update_phone_alias YOU MUST USE A VALID ALIAS NAME: |{me}|{name}\n"
    wanted = logins.split(",") if logins else []
    unknown = _unknown_login(center, wanted)
    if unknown is not None:
        return f"ERROR: update_phone_alias PHONE DOES NOT EXIST: |{me}|{unknown}\n"
    if not name and not wanted:
        return f"NOTICE: update_phone_alias NO UPDATES DEFINED: |{me}|\n"
    alias.name = name or alias.name
    alias.logins = tuple(wanted) or alias.logins
    center.configured("phone_aliases", alias_id, "updated")
    return f"SUCCESS: update_phone_alias PHONE ALIAS HAS BEEN UPDATED - {me}|{alias_id}|\n"


@handles("add_group_alias")
def add_group_alias(req: ApiRequest) -> str:
    center, me = req.center, req.user.user
    number = req.get("caller_id_number")
    alias_id, name = req.get("group_alias_id"), req.get("group_alias_name")
    if len(number) < 6:
        return (
            f"ERROR: add_group_alias YOU MUST USE ALL REQUIRED FIELDS: |{me}|{alias_id}|{name}|"
            f"{number}\n"
        )
    # Without an id or a name, the caller id number stands for both.
    alias_id, name = alias_id or number, name or number
    if alias_id in center.group_aliases:
        return f"ERROR: add_group_alias GROUP ALIAS ALREADY EXISTS: |{me}|{alias_id}|{number}\n"
    center.group_aliases[alias_id] = GroupAlias(
        alias_id,
        number,
        name=name,
        caller_id_name=req.get("caller_id_name"),
        active=req.get("active") != "N",
        user_group=req.get("admin_user_group") or "---ALL---",
    )
    center.configured("group_aliases", alias_id, "added")
    return (
        f"SUCCESS: add_group_alias GROUP ALIAS HAS BEEN ADDED - {me}|{alias_id}|{name}|{number}\n"
    )


@handles("server_refresh")
def server_refresh(req: ApiRequest) -> str:
    center, me = req.center, req.user.user
    if "REFRESH" not in req.get("stage"):
        # The real server prints another function's fields here, all empty.
        return f"ERROR: server_refresh YOU MUST USE ALL REQUIRED FIELDS: |{me}|||\n"
    marked = 0
    for server in center.servers.values():
        if server.active and not server.rebuild_pending:
            server.rebuild_pending = True
            marked += 1
    center.configured("servers", "", "updated", refresh=True)
    return f"SUCCESS: server_refresh SERVER REFRESH HAS BEEN TRIGGERED - {me}|{marked}\n"
