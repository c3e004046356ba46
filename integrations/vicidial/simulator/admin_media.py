"""The non-agent API's lists of the dialer's media and routing, as the admin pages' file
chooser shows them: the audio store, music-on-hold classes, voicemail boxes, in-groups, call
menus and settings containers.

All but the audio store answer only ``format=selectframe`` (an HTML page of clickable rows);
sounds_list also lists files as tab-separated rows or bare links.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from integrations.vicidial.simulator.clock import to_epoch
from integrations.vicidial.simulator.configuration import AudioFile
from integrations.vicidial.simulator.wire import ApiRequest, Handlers, stamp

HANDLERS = Handlers()
handles = HANDLERS.add

_FONT1 = '<font size=1 face="Arial,Helvetica">'
_FONT2 = '<font size=2 face="Arial,Helvetica">'
# The page every selectframe answer shares: a script that writes the choice into the
# calling page's field, then the table.
_PAGE_HEAD = (
    "\n<HTML><head><title>NON-AGENT API</title>\n"
    '<script language="Javascript">\n'
    "function choose_file(filename,fieldname)\n"
    "\t{\n"
    "\tif (filename.length > 0)\n"
    "\t\t{\n"
    "\t\tparent.document.getElementById(fieldname).value = filename;\n"
    "\t\tdocument.getElementById(\"selectframe\").innerHTML = '';\n"
    "\t\tdocument.getElementById(\"selectframe\").style.visibility = 'hidden';\n"
    "\t\tparent.close_chooser();\n"
    "\t\t}\n"
    "\t}\n"
    "function close_file()\n"
    "\t{\n"
    "\tdocument.getElementById(\"selectframe\").innerHTML = '';\n"
    "\tdocument.getElementById(\"selectframe\").style.visibility = 'hidden';\n"
    "\tparent.close_chooser();\n"
    "\t}\n"
    "</script>\n"
    "</head>\n\n<body>\n"
    f'<a href="javascript:close_file();">{_FONT1}close frame</font></a>\n'
    "<div id='selectframe' style=\"height:400px;width:710px;overflow:scroll;\">\n"
    "<table border=0 cellpadding=1 cellspacing=2 width=690 bgcolor=white><tr>\n"
)
_PAGE_TAIL = "</table></div></body></HTML>\n"


def _page(columns: Sequence[str], rows: Iterable[str]) -> str:
    """A selectframe page: the title cell, the other column names, then the rows."""
    title, *others = columns
    head = f"<td width=30>#</td>\n<td colspan=2>{title}</td>\n"
    head += "".join(f"<td>{name}</td>\n" for name in others)
    return _PAGE_HEAD + head + "</tr>\n" + "".join(rows) + _PAGE_TAIL


def _shade(number: int) -> str:
    return "#E6E6E6" if number % 2 else "#F6F6F6"


def _choice_row(number: int, value: str, field: str, *cells: str, shade: str = "") -> str:
    """One chooser row: its number, the value to choose, then its other cells."""
    row = (
        f'<tr bgcolor="{shade or _shade(number)}"><td width=30>{_FONT1}{number}</td>\n'
        f"<td colspan=2><a href=\"javascript:choose_file('{value}','{field}');\">"
        f"{_FONT2}{value}</a></td>\n"
    )
    row += "\n".join(cells)
    return row + "</tr>\n"


def _cell(text: str) -> str:
    return f"<td>{_FONT2}{text}</td>"


def _selectframe_only(req: ApiRequest) -> bool:
    return req.get("format") == "selectframe"


def _central_control(req: ApiRequest, name: str) -> str | None:
    if req.center.system.sounds_central_control:
        return None
    return f"ERROR: {name} CENTRAL SOUND CONTROL IS NOT ACTIVE: |{req.user.user}|0|\n"


# -- sounds_list ---------------------------------------------------------------------------


def _sorted_files(files: list[AudioFile], stage: str) -> list[AudioFile]:
    """The audio store in the order ``stage`` asks: largest first, newest first, or by name."""
    if stage == "size":
        return sorted(files, key=lambda f: f.size, reverse=True)
    if stage == "date":
        return sorted(files, key=lambda f: (f.modified, f.name), reverse=True)
    return sorted(files, key=lambda f: f.name)


def _stem(name: str) -> str:
    """A file's name without its extension: what the chooser fills in."""
    return name.rpartition(".")[0] or name


def _shown_date(file: AudioFile) -> str:
    # The real server prints a stray dot after each file's time.
    return stamp(file.modified) + "."


@handles("sounds_list")
def sounds_list(req: ApiRequest) -> str:
    refused = _central_control(req, "sounds_list")
    if refused:
        return refused
    center = req.center
    files = _sorted_files(center.audio_store, req.get("stage"))
    base = center.system.audio_store_url
    form = req.get("format")
    if form == "link":
        return "".join(f'<a href="{base}/{f.name}">{f.name}</a><br>\n' for f in files)
    if form == "selectframe":
        return _sounds_page(req, files, base)
    return "".join(
        f"{n}\t{f.name}\t{_shown_date(f)}\t{f.size}\t{_epoch(f)}\n" for n, f in enumerate(files)
    )


def _epoch(file: AudioFile) -> int:
    return int(to_epoch(file.modified))


def _sounds_page(req: ApiRequest, files: list[AudioFile], base: str) -> str:
    field = req.get("comments")
    # The column headings re-sort the list: links back to this function, credentials and all,
    # as the real server writes them.
    query = (
        f"/vicidial/non_agent_api.php?source=admin&function=sounds_list&user={req.get('user')}"
        f"&pass={req.get('pass')}&format=selectframe&comments={field}&stage="
    )
    head = "<td>#</td>\n" + "".join(
        f'<td><a href="{query}{stage}"><font color=black>{label}</td>\n'
        for label, stage in (("FILENAME", "name"), ("DATE", "date"), ("SIZE", "size"))
    )
    rows = "".join(
        f"<tr><td>{_FONT1}{n}</td>\n"
        f"<td><a href=\"javascript:choose_file('{_stem(f.name)}','{field}');\">"
        f"{_FONT1}{f.name}</a></td>\n"
        f"<td>{_FONT1}{_shown_date(f)}</td>\n"
        f"<td>{_FONT1}{f.size}</td>\n"
        f'<td><a href="{base}/{f.name}" target="_blank">{_FONT1}PLAY</a></td></tr>\n'
        for n, f in enumerate(files, start=1)
    )
    return _PAGE_HEAD + head + "<td>PLAY</td>\n</tr>\n" + rows + _PAGE_TAIL


# -- the other lists -----------------------------------------------------------------------


@handles("moh_list")
def moh_list(req: ApiRequest) -> str:
    refused = _central_control(req, "sounds_list")
    if refused or not _selectframe_only(req):
        return refused or ""
    field, rows = req.get("comments"), []
    for n, moh in enumerate(req.center.moh_classes, start=1):
        shade = _shade(n)
        files = "".join(f"{name} &nbsp; " for name in moh.files)
        rows.append(
            _choice_row(n, moh.moh_id, field, _cell(moh.name), _cell("Y" if moh.random else "N"))
            + f'<tr bgcolor="{shade}"><td colspan=2 width=100>{_FONT1}&nbsp;</td>\n'
            f"<td colspan=3 width=590>{_FONT2}Files: </font>{_FONT1}{files}</td></tr>\n"
        )
    return _page(("Music On Hold Class", "Name", "Random"), rows)


@handles("vm_list")
def vm_list(req: ApiRequest) -> str:
    refused = _central_control(req, "vm_list")
    if refused or not _selectframe_only(req):
        return refused or ""
    center, field = req.center, req.get("comments")
    # The voicemail boxes, then the phones' own boxes, each numbered from 1.
    rows = [
        _choice_row(n, box.voicemail_id, field, _cell(box.name), _cell(box.email))
        for n, box in enumerate(center.voicemail_boxes, start=1)
    ]
    phones = sorted(
        (p for p in center.phones.values() if p.voicemail_id), key=lambda p: p.voicemail_id
    )
    rows += [
        _choice_row(
            n, p.voicemail_id, field, _cell(f"{p.extension} - {p.full_name}"), _cell(p.email)
        )
        for n, p in enumerate(phones, start=1)
    ]
    return _page(("Voicemail Boxes", "Name", "Email"), rows)


@handles("ingroup_list")
def ingroup_list(req: ApiRequest) -> str:
    if not _selectframe_only(req):
        return ""
    field = req.get("comments")
    blank = " &nbsp; &nbsp; &nbsp; &nbsp; "
    rows = [
        _choice_row(
            n,
            group.group_id,
            field,
            _cell(group.name),
            f'<td bgcolor="{group.color}">{_FONT2}{blank}</td>',
        )
        for n, group in enumerate(sorted(req.center.ingroups.values(), key=lambda g: g.group_id), 1)
    ]
    return _page(("Inbound Groups", "Name", "Color"), rows)


@handles("callmenu_list")
def callmenu_list(req: ApiRequest) -> str:
    if not _selectframe_only(req):
        return ""
    field = req.get("comments")
    menus = sorted(req.center.call_menus, key=lambda m: m.menu_id)
    rows = [
        _choice_row(n, menu.menu_id, field, _cell(menu.name)) for n, menu in enumerate(menus, 1)
    ]
    return _page(("Call Menus", "Name"), rows)


@handles("container_list")
def container_list(req: ApiRequest) -> str:
    kind = req.get("type")
    if not kind:
        return f"ERROR: container_list NO CONTAINER TYPE DEFINED: |{req.user.user}|{kind}|\n"
    if req.denied:
        return req.denied
    if not _selectframe_only(req):
        return ""
    field = req.get("comments")
    chosen = sorted(
        (c for c in req.center.containers if kind in ("ALL", c.kind)), key=lambda c: c.container_id
    )
    rows = [_choice_row(n, c.container_id, field, _cell(c.notes)) for n, c in enumerate(chosen, 1)]
    return _page((f"Settings Containers: <br>{kind} type", "Container Notes"), rows)
