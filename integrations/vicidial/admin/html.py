"""Reading the non-agent API's HTML answers into typed lists and structures.

Several functions (sounds_list link/selectframe, moh_list, vm_list, ingroup_list,
callmenu_list, container_list, agent_ingroup_info info/change) answer with an HTML page made
for a browser frame. The pages are loose HTML (unclosed ``<font>``, ``<td>`` without ``</td>``
after a ``<font>``), so they are read with the standard library's tolerant ``HTMLParser`` into
rows of cells, and each page's rows are then typed. A page whose shape is not recognised raises
``HtmlShapeError`` (a ``ValueError``, which the client reports as a protocol error).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser
from typing import TypeVar

from pydantic import BaseModel, ConfigDict


class HtmlShapeError(ValueError):
    """The HTML answer does not have the shape ViciDial prints for this function."""


# --- reading any page into rows of cells -------------------------------------------------


@dataclass(slots=True)
class Cell:
    text: str = ""
    links: list[str] = field(default_factory=list)
    bgcolor: str | None = None


@dataclass(slots=True)
class _Select:
    name: str
    disabled: bool
    options: list[Option] = field(default_factory=list)


class Option(BaseModel):
    """One ``<option>`` of a form's ``<select>``."""

    model_config = ConfigDict(frozen=True)

    value: str
    label: str
    selected: bool


class _PageReader(HTMLParser):
    """Collects table rows (cells with their text, links and colour), selects and inputs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[Cell]] = []
        self.links: list[tuple[str, str]] = []
        self.selects: list[_Select] = []
        self.inputs: dict[str, str] = {}
        self.text: list[str] = []
        self._row: list[Cell] | None = None
        self._cell: Cell | None = None
        self._link: tuple[str, list[str]] | None = None
        self._select: _Select | None = None
        self._option: tuple[str, bool, list[str]] | None = None
        self._skip = 0  # inside <script>/<style>: not page text

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "tr":
            self._end_row()
            self._row = []
        elif tag in ("td", "th"):
            self._end_cell()
            if self._row is None:
                self._row = []
            self._cell = Cell(bgcolor=found.get("bgcolor"))
        elif tag == "a":
            self._link = (found.get("href", ""), [])
        elif tag == "select":
            self._select = _Select(found.get("name", ""), "disabled" in found)
            self.selects.append(self._select)
        elif tag == "option":
            self._end_option()
            self._option = (found.get("value", ""), "selected" in found, [])
        elif tag == "input" and found.get("type", "").lower() == "hidden":
            self.inputs[found.get("name", "")] = found.get("value", "")
        elif tag == "br":
            self._data("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in ("td", "th"):
            self._end_cell()
        elif tag == "tr" or tag == "table":
            self._end_row()
        elif tag == "a":
            self._end_link()
        elif tag == "option":
            self._end_option()
        elif tag == "select":
            self._end_option()
            self._select = None

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._data(data)

    def _data(self, data: str) -> None:
        if self._option is not None:
            self._option[2].append(data)
            return
        self.text.append(data)
        if self._cell is not None:
            self._cell.text += data
        if self._link is not None:
            self._link[1].append(data)

    def _end_link(self) -> None:
        if self._link is not None:
            href, words = self._link
            self.links.append((href, "".join(words)))
            if self._cell is not None:
                self._cell.links.append(href)
            self._link = None

    def _end_option(self) -> None:
        if self._option is not None and self._select is not None:
            value, selected, words = self._option
            self._select.options.append(
                Option(value=value, label=clean("".join(words)), selected=selected)
            )
        self._option = None

    def _end_cell(self) -> None:
        self._end_link()
        if self._cell is not None and self._row is not None:
            self._row.append(self._cell)
        self._cell = None

    def _end_row(self) -> None:
        self._end_cell()
        if self._row:
            self.rows.append(self._row)
        self._row = None

    def finish(self) -> _PageReader:
        self.close()
        self._end_row()
        return self


def read_page(body: str) -> _PageReader:
    reader = _PageReader()
    reader.feed(body)
    return reader.finish()


_SPACE = re.compile(r"\s+")


def clean(text: str) -> str:
    """Text as a person reads it: entities decoded, runs of white space (and &nbsp;) folded."""
    return _SPACE.sub(" ", text).strip()


# --- the selectframe lists ---------------------------------------------------------------

# The JavaScript link each list item carries: choose_file('<value>','<field to fill>').
_CHOOSE = re.compile(r"^javascript:choose_file\('(?P<value>[^']*)','(?P<field>[^']*)'\);?$")


@dataclass(frozen=True, slots=True)
class FrameRow:
    """One item row of a selectframe list: its value, label and the cells after the label."""

    value: str
    label: str
    extra: tuple[Cell, ...]


@dataclass(frozen=True, slots=True)
class Frame:
    """A selectframe page: the list's title (its header above the labels) and its item rows."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[FrameRow, ...]
    # Rows without a choose_file link (moh_list prints each class's files on such a row),
    # each paired with the index of the item row it follows.
    notes: tuple[tuple[int, tuple[Cell, ...]], ...]


def read_frame(body: str) -> Frame:
    """A selectframe page as rows; raises HtmlShapeError if it is not one."""
    page = read_page(body)
    header: list[Cell] | None = None
    rows: list[FrameRow] = []
    notes: list[tuple[int, tuple[Cell, ...]]] = []
    for row in page.rows:
        at = _choice_cell(row)
        if at is None:
            if header is None and not rows and clean(row[0].text) == "#":
                header = row
            elif rows:
                notes.append((len(rows) - 1, tuple(row)))
            continue
        match = _CHOOSE.match(next(link for link in row[at].links if _CHOOSE.match(link)))
        assert match is not None
        rows.append(FrameRow(match["value"], clean(row[at].text), tuple(row[at + 1 :])))
    if header is None:
        raise HtmlShapeError("selectframe list without its header row")
    titles = [cell.text for cell in header[1:]]
    return Frame(
        title=clean(titles[0]) if titles else "",
        columns=tuple(clean(text) for text in titles),
        rows=tuple(rows),
        notes=tuple(notes),
    )


def _choice_cell(row: Sequence[Cell]) -> int | None:
    for index, cell in enumerate(row):
        if any(_CHOOSE.match(link) for link in cell.links):
            return index
    return None


# --- typed list items ---------------------------------------------------------------------


class ListItem(BaseModel):
    """An item of an HTML list: ``value`` is what the page would fill into the form field,
    ``label`` is the text shown for it."""

    model_config = ConfigDict(frozen=True)

    value: str
    label: str


class SoundFile(ListItem):
    """An audio store file. ``value`` is the name without extension (what prompts use);
    ``label`` the file name. Date and size are shown only on the selectframe page."""

    url: str | None = None
    date: datetime | None = None
    size: int | None = None


class MohClass(ListItem):
    name: str
    random: bool
    files: tuple[str, ...]


class VoicemailBox(ListItem):
    """A voicemail box; phones' boxes are named ``<extension> - <full name>``."""

    name: str
    email: str | None


class InGroupItem(ListItem):
    name: str
    # The colour ViciDial shows the group in, as the page gives it (#99FF99, white).
    color: str | None


class CallMenuItem(ListItem):
    name: str


class ContainerItem(ListItem):
    """A settings container. ``value`` is kept exactly as printed: stock containers such as
    ``AGENT_CALLBACK_EMAIL `` carry a trailing space in their id, and only the exact id
    matches it again."""

    notes: str


ItemT = TypeVar("ItemT", bound=ListItem)


def _cells(row: FrameRow, count: int) -> list[str]:
    texts = [clean(cell.text) for cell in row.extra]
    if len(texts) < count:
        raise HtmlShapeError(f"list row {row.value!r} has {len(texts)} columns, {count} expected")
    return texts


def _typed(body: str, build: Callable[[FrameRow], ItemT]) -> tuple[str, list[ItemT]]:
    frame = read_frame(body)
    return frame.title, [build(row) for row in frame.rows]


def parse_callmenu_list(body: str) -> tuple[str, list[CallMenuItem]]:
    def build(row: FrameRow) -> CallMenuItem:
        name = _cells(row, 1)[0]
        return CallMenuItem(value=row.value, label=row.label, name=name)

    return _typed(body, build)


def parse_ingroup_list(body: str) -> tuple[str, list[InGroupItem]]:
    def build(row: FrameRow) -> InGroupItem:
        name = _cells(row, 2)[0]
        return InGroupItem(value=row.value, label=row.label, name=name, color=row.extra[1].bgcolor)

    return _typed(body, build)


def parse_vm_list(body: str) -> tuple[str, list[VoicemailBox]]:
    def build(row: FrameRow) -> VoicemailBox:
        name, email = _cells(row, 2)[:2]
        return VoicemailBox(value=row.value, label=row.label, name=name, email=email or None)

    return _typed(body, build)


def parse_container_list(body: str) -> tuple[str, list[ContainerItem]]:
    def build(row: FrameRow) -> ContainerItem:
        notes = _cells(row, 1)[0]
        return ContainerItem(value=row.value, label=row.label, notes=notes)

    return _typed(body, build)


_FILES = re.compile(r"^Files:\s*(?P<files>.*)$", re.S)


def parse_moh_list(body: str) -> tuple[str, list[MohClass]]:
    frame = read_frame(body)
    files: dict[int, list[str]] = {}
    for index, cells in frame.notes:
        text = clean(" ".join(cell.text for cell in cells))
        match = _FILES.match(text)
        if match:
            files.setdefault(index, []).extend(match["files"].split())
    items = []
    for index, row in enumerate(frame.rows):
        name, random = _cells(row, 2)[:2]
        if random not in ("Y", "N"):
            raise HtmlShapeError(f"music on hold class {row.value!r}: random is {random!r}")
        items.append(
            MohClass(
                value=row.value,
                label=row.label,
                name=name,
                random=random == "Y",
                files=tuple(files.get(index, ())),
            )
        )
    return frame.title, items


# The sounds page prints file dates with a stray trailing dot ("2026-11-27 04:35:09.").
_SOUND_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})\.?$")


def sound_date(text: str) -> datetime:
    match = _SOUND_DATE.match(text.strip())
    if match is None:
        raise HtmlShapeError(f"sound file date not understood: {text[:40]!r}")
    return datetime.strptime(match.group(1), "%Y-%m-%d %H:%M:%S")


def _strip_extension(name: str) -> str:
    stem, dot, _ext = name.rpartition(".")
    return stem if dot and stem else name


def parse_sounds_selectframe(body: str) -> list[SoundFile]:
    frame = read_frame(body)
    items = []
    for row in frame.rows:
        date, size = _cells(row, 2)[:2]
        play = [link for cell in row.extra[2:] for link in cell.links]
        if not size.isdigit():
            raise HtmlShapeError(f"sound file {row.label!r}: size is {size!r}")
        items.append(
            SoundFile(
                value=row.value,
                label=row.label,
                url=play[0] if play else None,
                date=sound_date(date),
                size=int(size),
            )
        )
    return items


def parse_sounds_links(body: str) -> list[SoundFile]:
    """The ``format=link`` answer: one ``<a href=URL>file.wav</a><br>`` per file."""
    page = read_page(body)
    if clean("".join(page.text)) and not page.links:
        raise HtmlShapeError("no sound file links in the answer")
    return [
        SoundFile(value=_strip_extension(clean(label)), label=clean(label), url=href)
        for href, label in page.links
        if clean(label)
    ]


# --- agent_ingroup_info info and change pages ---------------------------------------------


class AgentInGroup(BaseModel):
    """An in-group the agent's campaign allows, and whether the agent has it selected."""

    model_config = ConfigDict(frozen=True)

    group_id: str
    name: str
    selected: bool


class AgentInGroupPage(BaseModel):
    """agent_ingroup_info's HTML page, typed.

    ``editable`` tells the change form (the API user may change the agent's in-groups) from the
    read-only info page; ViciDial falls back to the info page for ``stage=change`` when the API
    user lacks that permission. ``blended`` is the agent's outbound autodial setting;
    ``blended_editable`` and ``default_editable`` are False when the form disables them (a
    campaign that cannot autodial, an API user that may not modify users). ``selected`` is
    the agent's selection in ViciDial's order, also for groups the campaign no longer allows.
    """

    model_config = ConfigDict(frozen=True)

    agent_user: str
    full_name: str
    campaign_id: str
    editable: bool
    ingroups: tuple[AgentInGroup, ...]
    selected: tuple[str, ...]
    blended: bool | None
    blended_editable: bool | None = None
    default_editable: bool | None = None
    manager_override: str | None = None
    manager: str | None = None


_AGENT = re.compile(r"Agent:\s*(?P<user>\S+)\s+-\s*(?P<name>.*)$", re.S)
_CAMPAIGN = re.compile(r"Campaign:\s*(?P<campaign>\S*)")
_INFO_LINE = re.compile(
    r"^(?P<key>SELECTED INGROUPS|OUTBOUND AUTODIAL|MANAGER OVERRIDE|MANAGER):[ \t]*(?P<value>.*)$",
    re.M,
)
_MANAGER_ROW = re.compile(r"^(?P<set>\S+) - (?P<user>\S*) - ")
_NO_GROUPS = "No In-Groups Allowed"


def parse_agent_ingroup_page(body: str) -> AgentInGroupPage:
    page = read_page(body)
    head = [clean(cell.text) for row in page.rows[:1] for cell in row]
    agent = next((m for text in head if (m := _AGENT.search(text))), None)
    campaign = next((m for text in head if (m := _CAMPAIGN.search(text))), None)
    if agent is None or campaign is None:
        raise HtmlShapeError("agent in-group page without its Agent/Campaign header")
    selects = {select.name: select for select in page.selects}
    if "ingroup_new_selections" in selects:
        return _change_form(page, selects, agent, campaign)
    return _info_page(page, agent, campaign)


def _change_form(
    page: _PageReader,
    selects: dict[str, _Select],
    agent: re.Match[str],
    campaign: re.Match[str],
) -> AgentInGroupPage:
    choices = [o for o in selects["ingroup_new_selections"].options if o.value]
    groups = tuple(
        AgentInGroup(group_id=o.value, name=_after_id(o.label, o.value), selected=o.selected)
        for o in choices
    )
    blended = selects.get("blended")
    default = selects.get("set_as_default")
    chosen = [o.value for o in blended.options if o.selected] if blended else []
    manager_override = manager = None
    for row in page.rows:
        if row and clean(row[0].text).startswith("Manager In-Group Override") and len(row) > 1:
            match = _MANAGER_ROW.match(clean(row[1].text) + " ")
            if match:
                manager_override, manager = match["set"], match["user"] or None
    return AgentInGroupPage(
        agent_user=page.inputs.get("agent_user") or agent["user"],
        full_name=clean(agent["name"]),
        campaign_id=campaign["campaign"],
        editable=True,
        ingroups=groups,
        selected=tuple(g.group_id for g in groups if g.selected),
        blended=(chosen[0] == "YES") if chosen else None,
        blended_editable=None if blended is None else not blended.disabled,
        default_editable=None if default is None else not default.disabled,
        manager_override=manager_override,
        manager=manager,
    )


def _info_page(
    page: _PageReader, agent: re.Match[str], campaign: re.Match[str]
) -> AgentInGroupPage:
    groups = []
    for row in page.rows[1:]:
        first = clean(row[0].text) if row else ""
        if not first or first == _NO_GROUPS or len(row) < 2:
            continue
        group_id, _, star = first.partition(" ")
        groups.append(
            AgentInGroup(group_id=group_id, name=clean(row[1].text), selected=star == "*")
        )
    text = "".join(page.text)
    info = {m["key"]: m["value"].strip() for m in _INFO_LINE.finditer(text)}
    if "SELECTED INGROUPS" not in info:
        raise HtmlShapeError("agent in-group info page without its SELECTED INGROUPS line")
    autodial = info.get("OUTBOUND AUTODIAL", "")
    return AgentInGroupPage(
        agent_user=agent["user"],
        full_name=clean(agent["name"]),
        campaign_id=campaign["campaign"],
        editable=False,
        ingroups=tuple(groups),
        selected=tuple(g for g in info["SELECTED INGROUPS"].split() if g != "-"),
        blended=(autodial == "Y") if autodial in ("Y", "N") else None,
        manager_override=info.get("MANAGER OVERRIDE") or None,
        manager=info.get("MANAGER") or None,
    )


def _after_id(label: str, group_id: str) -> str:
    """``SALESLINE - Sales Line`` without its leading id."""
    prefix = f"{group_id} - "
    return label[len(prefix) :] if label.startswith(prefix) else label
