"""The HTML answers: captured pages read into typed items, and random pages never crash."""

from __future__ import annotations

import contextlib
import html as html_escape
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from integrations.vicidial.admin import html as h
from tests.integrations.vicidial.replay import fixture


def body(key: str) -> str:
    return fixture(key).text


def test_callmenu_list() -> None:
    title, items = h.parse_callmenu_list(body("callmenu_list/selectframe"))
    assert title == "Call Menus"
    assert [(i.value, i.label, i.name) for i in items] == [
        ("2FA_say_auth_code", "2FA_say_auth_code", "2FA_say_auth_code"),
        (
            "default---agent",
            "default---agent",
            "agent phones restricted to only internal extensions",
        ),
        ("defaultlog", "defaultlog", "logging of all outbound calls from agent phones"),
    ]


def test_ingroup_list_keeps_each_groups_colour() -> None:
    title, items = h.parse_ingroup_list(body("ingroup_list/selectframe"))
    assert title == "Inbound Groups"
    assert [(i.value, i.name, i.color) for i in items] == [
        ("AGENTDIRECT", "Single Agent Direct Queue", "white"),
        ("AGENTDIRECT_CHAT", "Agent Direct Queue for Chats", "#FFFFFF"),
        ("SALESLINE", "Sales Line", "#99FF99"),
        ("SUPPORT", "Support Line", "#9999FF"),
    ]


def test_vm_list_holds_boxes_then_phones() -> None:
    title, items = h.parse_vm_list(body("vm_list/selectframe"))
    assert title == "Voicemail Boxes"
    # The page numbers boxes and phones separately (1, then 1..7); the items keep page order.
    assert [i.value for i in items] == [
        "8500",
        "1001",
        "1002",
        "1003",
        "1004",
        "1005",
        "102",
        "8300",
    ]
    assert items[0].name == "Sales voicemail box"
    assert items[0].email == "sales@example.com"
    assert items[6].name == "gs102 - Test Admin Phone"
    assert all(i.email is None for i in items[1:])


def test_container_list_keeps_ids_exact() -> None:
    title, items = h.parse_container_list(body("container_list/type_other"))
    assert title == "Settings Containers: OTHER type"
    assert len(items) == 9
    # The stock AGENT_CALLBACK_EMAIL container's id ends in a space; the label is trimmed.
    assert items[0].value == "AGENT_CALLBACK_EMAIL "
    assert items[0].label == "AGENT_CALLBACK_EMAIL"
    assert items[0].notes == "Scheduled callback email alert settings"
    assert items[-1].value == "VICIDIAL_TIMEOFF_SETTINGS"
    assert items[-1].notes == "Settings for time-off admin utility"


def test_moh_list_attaches_the_files_row_to_its_class() -> None:
    title, items = h.parse_moh_list(body("moh_list/selectframe"))
    assert title == "Music On Hold Class"
    assert items == [
        h.MohClass(
            value="default",
            label="default",
            name="Default Music On Hold",
            random=False,
            files=("conf",),
        )
    ]


def test_sounds_selectframe_gives_name_date_size_and_url() -> None:
    items = h.parse_sounds_selectframe(body("sounds_list/selectframe_by_date"))
    assert [(i.value, i.label, i.size) for i in items] == [
        ("ss-noservice", "ss-noservice.wav", 16044),
        ("appointment_reminder2", "appointment_reminder2.wav", 48044),
        ("EXship01", "EXship01.wav", 32044),
    ]
    # ViciDial prints "2026-11-27 04:35:09." with a stray dot.
    assert {i.date for i in items} == {datetime(2026, 11, 27, 4, 35, 9)}
    assert items[0].url == "http://127.0.0.1:8089/audiostore/ss-noservice.wav"


def test_sounds_links() -> None:
    items = h.parse_sounds_links(body("sounds_list/link_by_size"))
    assert [(i.value, i.label, i.url) for i in items] == [
        (
            "appointment_reminder2",
            "appointment_reminder2.wav",
            "http://127.0.0.1:8089/audiostore/appointment_reminder2.wav",
        ),
        ("EXship01", "EXship01.wav", "http://127.0.0.1:8089/audiostore/EXship01.wav"),
        ("ss-noservice", "ss-noservice.wav", "http://127.0.0.1:8089/audiostore/ss-noservice.wav"),
    ]
    assert all(i.date is None and i.size is None for i in items)


def test_agent_ingroup_change_form() -> None:
    page = h.parse_agent_ingroup_page(body("agent_ingroup_info/stage_change"))
    assert page == h.AgentInGroupPage(
        agent_user="1001",
        full_name="Alice Agent",
        campaign_id="TESTCAMP",
        editable=True,
        ingroups=(
            h.AgentInGroup(group_id="SALESLINE", name="Sales Line", selected=True),
            h.AgentInGroup(group_id="SUPPORT", name="Support Line", selected=True),
        ),
        selected=("SALESLINE", "SUPPORT"),
        blended=True,
        blended_editable=True,
        default_editable=True,
    )


# No info-stage page was captured; this one follows the shape ViciDial's source prints (a table
# of the campaign's in-groups, "*" after the selected ones, then four labelled lines), with a
# manager override set and a campaign that cannot autodial.
INFO_PAGE = (
    '<TABLE WIDTH=680 CELLPADDING=0 CELLSPACING=5 BGCOLOR="#D9E6FE"><TR><TD ALIGN=LEFT>\n'
    "Agent: 1002 - Bob Agent </TD><TD>\n &nbsp; Campaign: TESTCAMP</TD><TD>\n"
    '<a href="#" onclick="hide_ingroup_info();">Close</a></TD></TR>'
    '<TR><TD COLSPAN=3 BGCOLOR="#CCCCFF">\n'
    "<TABLE CELLPADDING=0 CELLSPACING=3 BORDER=0>\n"
    "<TR><TD>SALESLINE *</TD><TD>Sales Line</TD></TR>\n"
    "<TR><TD>SUPPORT</TD><TD>Support Line</TD></TR>\n"
    "</TABLE><BR>\n"
    "SELECTED INGROUPS:  SALESLINE -<BR>\n"
    "OUTBOUND AUTODIAL: N<BR>\n"
    "MANAGER OVERRIDE: SET<BR>\n"
    "MANAGER: 6666<BR>\n\n"
    "</TD></TR></TABLE>\n"
)


def test_agent_ingroup_info_page() -> None:
    page = h.parse_agent_ingroup_page(INFO_PAGE)
    assert page == h.AgentInGroupPage(
        agent_user="1002",
        full_name="Bob Agent",
        campaign_id="TESTCAMP",
        editable=False,
        ingroups=(
            h.AgentInGroup(group_id="SALESLINE", name="Sales Line", selected=True),
            h.AgentInGroup(group_id="SUPPORT", name="Support Line", selected=False),
        ),
        selected=("SALESLINE",),
        blended=False,
        manager_override="SET",
        manager="6666",
    )


def test_change_form_reads_disabled_selects_and_manager_row() -> None:
    page_text = body("agent_ingroup_info/stage_change")
    page_text = page_text.replace("NAME=blended ID=blended>", "NAME=blended ID=blended DISABLED>")
    page_text = page_text.replace(
        '<option value="YES" SELECTED>Yes</option>\n<option value="NO">No</option>',
        '<option value="YES">Yes</option>\n<option value="NO" SELECTED>No</option>',
    )
    page_text = page_text.replace(
        "<TR><TD ALIGN=CENTER COLSPAN=2>",
        "<TR><TD ALIGN=RIGHT>Manager In-Group Override:\n</TD><TD ALIGN=LEFT>\n"
        "SET - 6666 - Admin User\n</TD></TR>\n<TR><TD ALIGN=CENTER COLSPAN=2>",
    )
    page = h.parse_agent_ingroup_page(page_text)
    assert page.blended is False
    assert page.blended_editable is False
    assert page.default_editable is True
    assert (page.manager_override, page.manager) == ("SET", "6666")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "SUCCESS: nothing\n",
        "<html><body>no table</body></html>",
        "<table><tr><td>1</td><td>x</td></tr></table>",
    ],
)
def test_pages_of_another_shape_are_refused(text: str) -> None:
    for parse in PARSERS:
        with pytest.raises(h.HtmlShapeError):
            parse(text)


def test_sounds_links_refuses_text_without_links() -> None:
    with pytest.raises(h.HtmlShapeError):
        h.parse_sounds_links("ERROR-ish text without any link")


PARSERS: list[Callable[[str], Any]] = [
    h.parse_callmenu_list,
    h.parse_ingroup_list,
    h.parse_vm_list,
    h.parse_container_list,
    h.parse_moh_list,
    h.parse_sounds_selectframe,
    h.parse_agent_ingroup_page,
]

_HTMLISH = st.text(
    alphabet=st.sampled_from(list("<>/=\"' abc#tdrTDR&;:-*\n")) | st.characters(), max_size=300
)
_FRAGMENTS = st.lists(
    st.sampled_from(
        [
            "<tr>",
            "</tr>",
            "<td>",
            "</td>",
            "<td>#</td>",
            "<a href=\"javascript:choose_file('x','f');\">",
            "</a>",
            "<table>",
            "</table>",
            "<SELECT NAME=ingroup_new_selections>",
            "<option value='A' SELECTED>",
            "</SELECT>",
            "Agent: 1 - x",
            "Campaign: C",
            "SELECTED INGROUPS: A -",
            "Files: a b",
            "<br>",
            "&nbsp;",
            "<script>",
            "N",
            "12",
        ]
    )
    | _HTMLISH,
    max_size=40,
).map("".join)


@settings(max_examples=200)
@given(text=_FRAGMENTS, which=st.sampled_from(range(len(PARSERS) + 1)))
def test_random_pages_give_items_or_a_shape_error(text: str, which: int) -> None:
    parse = PARSERS[which] if which < len(PARSERS) else h.parse_sounds_links
    # Anything but HtmlShapeError (a ValueError the client turns into ViciProtocolError) fails.
    with contextlib.suppress(h.HtmlShapeError):
        parse(text)


# --- round trip: items written as ViciDial writes its selectframe page come back unchanged ---

_WORD = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="'\\<>&\"", exclude_categories=["C"]),
    min_size=1,
    max_size=20,
).filter(lambda s: h.clean(s) == s)  # page text is read with white space folded


def frame_page(title: str, columns: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<td>{html_escape.escape(c)}</td>\n" for c in columns)
    lines = [
        "\n<HTML><head><script>function choose_file(a,b) {}</script></head><body>",
        "<table border=0><tr>\n<td width=30>#</td>\n"
        f"<td colspan=2>{html_escape.escape(title)}</td>\n{head}</tr>",
    ]
    for number, (value, *extra) in enumerate(rows, 1):
        cells = "".join(
            f'<td><font size=2 face="Arial,Helvetica">{html_escape.escape(x)}</td>\n' for x in extra
        )
        lines.append(
            f'<tr bgcolor="#E6E6E6"><td width=30><font size=1>{number}</td>\n'
            f"<td colspan=2><a href=\"javascript:choose_file('{value}','fieldname');\">"
            f"<font size=2>{html_escape.escape(value)}</a></td>\n{cells}</tr>"
        )
    lines.append("</table></div></body></HTML>\n")
    return "\n".join(lines)


@settings(max_examples=200)
@given(
    title=_WORD,
    rows=st.lists(st.tuples(_WORD, _WORD, st.one_of(st.just(""), _WORD)), max_size=8),
)
def test_vm_list_round_trip(title: str, rows: list[tuple[str, str, str]]) -> None:
    page = frame_page(title, ["Name", "Email"], [list(row) for row in rows])
    got_title, items = h.parse_vm_list(page)
    assert got_title == title
    assert [(i.value, i.label, i.name, i.email) for i in items] == [
        (value, value, name, email or None) for value, name, email in rows
    ]


@settings(max_examples=200)
@given(
    rows=st.lists(
        st.tuples(_WORD, st.datetimes(min_value=datetime(2000, 1, 1)), st.integers(0, 10**9)),
        max_size=8,
    )
)
def test_sounds_selectframe_round_trip(rows: list[tuple[str, datetime, int]]) -> None:
    table = [[value, f"{when:%Y-%m-%d %H:%M:%S}.", str(size)] for value, when, size in rows]
    items = h.parse_sounds_selectframe(frame_page("FILENAME", ["DATE", "SIZE"], table))
    assert [(i.value, i.date, i.size) for i in items] == [
        (value, when.replace(microsecond=0), size) for value, when, size in rows
    ]
