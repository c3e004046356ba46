"""What each non-agent function asks of the API user, and how it refuses.

The real server checks, inside each function: the source (2+ characters), the user's
allowed functions, then the user level and one permission of the function; a few list
functions check level first. The refusal names what was not allowed, in the function's own
words (some borrow another function's name, as ViciDial's source does).
"""

from __future__ import annotations

from dataclasses import dataclass

from integrations.vicidial.simulator.records import User


@dataclass(frozen=True, slots=True)
class Need:
    level: int
    # The permission the function needs (None: the user level alone).
    permission: str | None
    # The refusal's words: "USER DOES NOT HAVE PERMISSION TO <what>".
    what: str
    # The refusal's data ends with a "|" for reads, not for writes.
    tail: str = ""
    # The name the refusal prints, when not the function's own.
    name: str | None = None
    # The level check runs before the allowed-functions check (the media lists).
    level_first: bool = False
    # The function checks its source (the media lists and two reports do not).
    source: bool = True
    # The handler prints the refusal itself, after checks of its own (container_list).
    late: bool = False

    def refusal(self, user: User, function: str) -> str | None:
        if user.user_level >= self.level and (
            self.permission is None or self.permission in user.permissions
        ):
            return None
        name, data = self.name or function, f"|{user.user}|0{self.tail}"
        return f"ERROR: {name} USER DOES NOT HAVE PERMISSION TO {self.what}: {data}\n"


def _read(level: int, permission: str | None, what: str, **kw: object) -> Need:
    return Need(level, permission, what, "|", **kw)  # type: ignore[arg-type]


def _media(what: str, **kw: object) -> Need:
    return Need(7, None, what, "|", level_first=True, source=False, **kw)  # type: ignore[arg-type]


VIEW, LEADS, LISTS = "view_reports", "modify_leads", "modify_lists"
CAMPAIGNS, USERS, AST, DIDS = "modify_campaigns", "modify_users", "ast_admin", "modify_dids"

NEEDS: dict[str, Need] = {
    # monitoring and users
    "agent_status": _read(7, VIEW, "GET AGENT INFO"),
    "logged_in_agents": _read(7, VIEW, "GET AGENT INFO"),
    "user_group_status": _read(7, VIEW, "GET USER GROUP INFO"),
    "in_group_status": _read(7, VIEW, "GET IN-GROUP INFO"),
    "agent_ingroup_info": _read(7, VIEW, "GET AGENT INFO"),
    "blind_monitor": _read(7, VIEW, "BLIND MONITOR"),
    "agent_campaigns": _read(8, VIEW, "GET AGENT INFO"),
    "user_details": _read(7, VIEW, "GET USER DETAILS"),
    "add_user": Need(8, USERS, "ADD USERS"),
    "copy_user": Need(8, USERS, "COPY USERS"),
    "update_user": Need(8, USERS, "UPDATE USERS"),
    "update_remote_agent": Need(8, "modify_remote_agents", "UPDATE REMOTE AGENTS"),
    # campaigns
    "campaigns_list": _read(8, VIEW, "GET CAMPAIGN INFO"),
    "hopper_list": _read(8, VIEW, "GET CAMPAIGN INFO"),
    "hopper_bulk_insert": _read(8, CAMPAIGNS, "ADD LEADS TO THE HOPPER"),
    "update_campaign": Need(8, CAMPAIGNS, "UPDATE CAMPAIGNS"),
    "update_alt_url": Need(8, CAMPAIGNS, "UPDATE CAMPAIGNS"),
    "update_presets": Need(8, CAMPAIGNS, "UPDATE CAMPAIGNS"),
    "update_cid_group_entry": Need(8, CAMPAIGNS, "UPDATE CID GROUPS"),
    # leads
    "add_lead": _read(8, LEADS, "ADD LEADS TO THE SYSTEM"),
    "update_lead": _read(8, LEADS, "UPDATE LEADS IN THE SYSTEM"),
    "batch_update_lead": _read(8, LEADS, "UPDATE LEADS IN THE SYSTEM"),
    "lead_all_info": _read(7, LEADS, "GET LEAD INFO"),
    "lead_field_info": _read(7, LEADS, "GET LEAD INFO"),
    "lead_status_search": _read(7, LEADS, "GET LEAD INFO"),
    "lead_search": _read(7, VIEW, "SEARCH FOR LEADS"),
    "lead_callback_info": _read(7, VIEW, "GET LEAD INFO"),
    "ccc_lead_info": _read(7, VIEW, "GET LEAD INFO"),
    "callid_info": _read(7, VIEW, "GET CALL INFO"),
    "lead_dearchive": _read(8, LEADS, "MODIFY LEAD INFO"),
    "check_phone_number": _read(8, LEADS, "CHECK PHONE NUMBERS"),
    "update_log_entry": _read(8, LEADS, "UPDATE LOGS"),
    # lists, DNC and filter phone groups
    "list_info": Need(8, LISTS, "MODIFY LISTS"),
    "list_custom_fields": Need(8, LISTS, "MODIFY LISTS"),
    "add_list": Need(8, LISTS, "ADD LISTS"),
    "update_list": Need(8, LISTS, "UPDATE LISTS"),
    "add_dnc_phone": Need(8, LISTS, "ADD DNC NUMBERS"),
    "delete_dnc_phone": Need(8, "delete_from_dnc", "DELETE DNC NUMBERS"),
    "add_fpg_phone": Need(8, LISTS, "ADD FILTER PHONE GROUP NUMBERS"),
    "delete_fpg_phone": Need(8, LISTS, "DELETE FILTER PHONE GROUP NUMBERS"),
    # phones, DIDs and the servers
    "add_phone": Need(8, AST, "ADD PHONES"),
    "update_phone": Need(8, AST, "UPDATE PHONES"),
    "add_phone_alias": Need(8, AST, "ADD PHONE ALIASES"),
    "update_phone_alias": Need(8, AST, "UPDATE PHONE ALIASES"),
    "add_group_alias": Need(8, AST, "ADD GROUP ALIASES"),
    "server_refresh": Need(8, AST, "REFRESH SERVERS"),
    "add_did": Need(8, DIDS, "ADD DIDS"),
    "copy_did": Need(8, DIDS, "ADD DIDS"),
    "update_did": Need(8, DIDS, "UPDATE DIDS"),
    # reports
    "agent_stats_export": _read(7, VIEW, "GET AGENT INFO"),
    "recording_lookup": _read(7, VIEW, "GET RECORDING INFO"),
    "phone_number_log": _read(7, VIEW, "GET CALL LOG INFO"),
    "did_log_export": _read(7, VIEW, "GET DID INFO"),
    # These two check their groups (and print the source) before anything else.
    "call_status_stats": _read(8, VIEW, "VIEW STATS", source=False, late=True),
    "call_dispo_report": _read(
        7, VIEW, "VIEW STATS", name="call_status_stats", source=False, late=True
    ),
    # the dialer's media, listed as HTML
    "sounds_list": _media("VIEW SOUNDS LIST"),
    "moh_list": _media("VIEW SOUNDS LIST", name="sounds_list"),
    "vm_list": _media("VIEW VOICEMAIL BOXES LIST"),
    "ingroup_list": _media("VIEW INBOUND GROUPS LIST"),
    "callmenu_list": _media("VIEW CALL MENUS LIST"),
    "container_list": _media("VIEW CALL MENUS LIST", late=True),
}
