"""The dialer's configuration tables: what the admin pages (and the non-agent API's writes)
set up, as opposed to what calls and agents change.

Servers, phones and phone aliases, DIDs, group aliases, CID groups, filter phone groups,
remote agents, and the lists of the dialer's media (audio store, music on hold, voicemail
boxes, call menus, settings containers). Plain dataclasses, like ``records``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(slots=True)
class Server:
    server_ip: str
    name: str = ""
    active: bool = True
    # Asked to rebuild its configuration files (server_refresh). Only a PBX attached to the
    # dialer clears it, and there is none: a server starts out marked, as on such a dialer.
    rebuild_pending: bool = True


@dataclass(slots=True)
class Phone:
    extension: str
    login: str
    server_ip: str = "127.0.0.1"
    protocol: str = "SIP"
    webphone: bool = False
    nva_call_url: str = ""
    dialplan_number: str = ""
    voicemail_id: str = ""
    password: str = field(default="", repr=False)
    registration_password: str = field(default="", repr=False)
    full_name: str = ""
    local_gmt: str = "-5.00"
    outbound_cid: str = ""
    active: bool = True
    email: str = ""
    # Other columns add_phone and update_phone set but nothing reads, by their API names.
    settings: dict[str, str] = field(default_factory=dict, repr=False)


@dataclass(slots=True)
class PhoneAlias:
    """One login name standing for several phones (phones_alias)."""

    alias_id: str
    name: str
    logins: tuple[str, ...]


@dataclass(slots=True)
class Did:
    pattern: str
    description: str = ""
    ingroup: str = ""
    did_id: int = 0
    # The list new leads of calls through this DID go to.
    list_id: int = 999
    # Filter Inbound Number set to URL: ask this URL; on a match the call goes to
    # ``filter_ingroup``, or is hung up when that is empty.
    filter_url: str = ""
    filter_ingroup: str = ""
    active: bool = True
    # EXTEN, VOICEMAIL, AGENT, PHONE, IN_GROUP, CALLMENU or VMAIL_NO_INST.
    route: str = "IN_GROUP"
    record_call: str = "N"
    # Other columns add_did and update_did set but nothing reads (extension, exten_context,
    # voicemail_ext, menu_id, ...), by their API names.
    settings: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class GroupAlias:
    """A caller id agents may present when they dial (groups_alias)."""

    alias_id: str
    caller_id_number: str
    name: str = ""
    caller_id_name: str = ""
    active: bool = True
    user_group: str = "---ALL---"


@dataclass(slots=True)
class CidEntry:
    """One area code's caller id in a CID group (vicidial_campaign_cid_areacodes)."""

    areacode: str
    outbound_cid: str
    active: bool = True
    description: str = ""
    calls: int = 0


@dataclass(slots=True)
class CidGroup:
    group_id: str
    entries: list[CidEntry] = field(default_factory=list)


@dataclass(slots=True)
class RemoteAgent:
    """Lines of an off-site agent the dialer sends calls to (vicidial_remote_agents)."""

    user_start: str
    campaign_id: str
    number_of_lines: int = 1
    server_ip: str = "127.0.0.1"
    conf_exten: str = ""
    # ACTIVE or INACTIVE.
    status: str = "INACTIVE"
    closer_campaigns: tuple[str, ...] = ()


@dataclass(slots=True)
class AudioFile:
    """A file in the audio store (sounds_list)."""

    name: str
    size: int
    modified: datetime


@dataclass(slots=True)
class MohClass:
    """A music-on-hold class and its files (moh_list)."""

    moh_id: str
    name: str
    random: bool = False
    files: tuple[str, ...] = ()


@dataclass(slots=True)
class VoicemailBox:
    voicemail_id: str
    name: str
    email: str = ""


@dataclass(slots=True)
class CallMenu:
    menu_id: str
    name: str


@dataclass(slots=True)
class Container:
    """A settings container (container_list), of a type such as OTHER."""

    container_id: str
    notes: str
    kind: str = "OTHER"
