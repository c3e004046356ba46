"""The record reader: round trips of random tables, random bytes, and the registry's types."""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import re
import typing
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from integrations.vicidial.admin import ADMIN_FUNCTIONS
from integrations.vicidial.admin.records import (
    CUSTOM_FIELDS,
    DELIMITERS,
    Stage,
    field_names,
    layout,
    read_newline_table,
    read_table,
)
from integrations.vicidial.admin.row_reader import row_reader
from integrations.vicidial.admin.system import CheckPhoneNumberParams, TzMethod, _check_phone_number
from integrations.vicidial.client import parse_answer
from integrations.vicidial.errors import ViciError, ViciProtocolError
from integrations.vicidial.lines import read_reply


@dataclass(slots=True)
class Row:
    lead_id: int
    name: str | None
    called: datetime | None
    active: bool
    offset: float
    custom_fields: dict[str, str] = field(default_factory=dict)


COLUMNS = ("lead_id", "name", "called", "active", "offset")
TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="|,\t\n\r"),
    max_size=12,
).map(str.strip)
ROWS = st.lists(
    st.builds(
        Row,
        lead_id=st.integers(0, 10**9),
        name=TEXT.map(lambda t: t or None),
        called=st.none()
        | st.datetimes(datetime(2000, 1, 1), datetime(2099, 1, 1)).map(
            lambda d: d.replace(microsecond=0)
        ),
        active=st.booleans(),
        offset=st.sampled_from([-5.0, -6.0, 0.0, 5.5, 10.0]),
    ),
    max_size=8,
)


def render(row: Row) -> list[str]:
    called = row.called.strftime("%Y-%m-%d %H:%M:%S") if row.called else ""
    return [
        str(row.lead_id),
        row.name or "",
        called,
        "Y" if row.active else "N",
        f"{row.offset:.2f}",
    ]


@given(ROWS, st.sampled_from([Stage.PIPE, Stage.CSV, Stage.TAB]), st.booleans(), st.booleans())
def test_delimited_tables_round_trip(
    rows: list[Row], stage: Stage, header: bool, repeat: bool
) -> None:
    sep = DELIMITERS[stage]
    head = sep.join(COLUMNS)
    lines = [sep.join(render(row)) for row in rows]
    if header:
        # lead_all_info repeats its header before every lead
        lines = [x for line in lines for x in (head, line)] if repeat else [head, *lines]
        lines = lines or [head]
    table = read_table(lines, layout(Row, COLUMNS), stage, header=header)
    assert table.records == rows
    assert table.header == (COLUMNS if header else ())


@given(ROWS, st.booleans())
def test_newline_tables_round_trip(rows: list[Row], header: bool) -> None:
    text = "".join(value + "\n" for row in rows for value in render(row))
    if header:
        text = "".join(name + "\n" for name in COLUMNS) + text
    assert read_newline_table(text, layout(Row, COLUMNS), header=header).records == rows


@given(ROWS, st.dictionaries(st.from_regex(r"[a-z][a-z_]{0,8}", fullmatch=True), TEXT, max_size=3))
def test_extra_columns_are_custom_fields_by_header_name(
    rows: list[Row], custom: dict[str, str]
) -> None:
    head = "|".join((*COLUMNS, *custom))
    lines = [head, *("|".join((*render(row), *custom.values())) for row in rows)]
    table = read_table(lines, layout(Row, COLUMNS), header=True)
    assert [r.custom_fields for r in table.records] == [custom] * len(rows)


SAMPLE_PARAMS: dict[str, dict[str, Any]] = {
    "agent_status": {"agent_user": "1001"},
    "logged_in_agents": {},
    "user_group_status": {"user_groups": "AGENTS"},
    "in_group_status": {"in_groups": "SALESLINE"},
    "agent_ingroup_info": {"agent_user": "1001"},
    "recording_lookup": {"agent_user": "1001", "duration": True},
    "did_log_export": {"phone_number": "3125551000", "date": "2026-11-27"},
    "agent_stats_export": {
        "datetime_start": "2026-11-27 00:00:00",
        "datetime_end": "2026-11-27 23:59:59",
        "group_by_campaign": True,
    },
    "call_status_stats": {"campaigns": "---ALL---"},
    "call_dispo_report": {"campaigns": "TESTCAMP"},
    "phone_number_log": {"phone_number": "3125551000"},
    "lead_field_info": {"lead_id": 12, "field_name": "first_name"},
    "lead_all_info": {"lead_id": 12, "header": True},
    "lead_callback_info": {"lead_id": 12, "stage": "newline"},
    "lead_search": {"phone_number": "3125551000"},
    "lead_status_search": {"status": "SALE", "date": "2026-11-27"},
    "ccc_lead_info": {"call_id": "M1127040000000000012", "stage": "newline", "header": True},
    "callid_info": {"call_id": "M1127040000000000012", "detail": True},
    "user_details": {"agent_user": "1001"},
    "agent_campaigns": {"agent_user": "1001"},
    "campaigns_list": {"stage": "csv"},
    "hopper_list": {"campaign_id": "TESTCAMP", "stage": "tab"},
    "list_info": {"list_id": 101, "leads_counts": True},
    "list_custom_fields": {"list_id": 101},
    "version": {},
    "check_phone_number": {"phone_number": "3125551212", "local_call_time": "9am-9pm"},
    "sounds_list": {},
}
SPECS = [ADMIN_FUNCTIONS.get(name) for name in sorted(SAMPLE_PARAMS)]
BODIES = st.binary(max_size=300).map(lambda b: b.decode("latin-1")) | st.lists(
    st.sampled_from(
        [
            "|",
            ",",
            "\t",
            "\n",
            "1",
            "Y",
            "-",
            ":",
            " ",
            "ERROR: x NOT FOUND",
            "NOTICE: y",
            "2026-11-27 04:44:08",
            ";---------- START OF RECORD 1 ----------",
            "a => b",
            "%",
            "(",
            "#",
        ]
    ),
    max_size=40,
).map("".join)
# Past the reader's sample of 64 rows, where repeated texts are read once.
BODIES = BODIES | BODIES.map(lambda body: (body.rstrip("\n") + "\n") * 70)


@given(st.sampled_from(SPECS), BODIES)
def test_any_body_gives_a_result_or_a_vici_error(spec: Any, body: str) -> None:
    params = spec.params.model_validate(SAMPLE_PARAMS[spec.name])
    with contextlib.suppress(ViciError):
        result = parse_answer(spec, params, body)
        for record in getattr(result, "records", ()):
            repr(record)


# Field names that say the value is an id, a count, seconds, a date-time or a flag.
TYPED_NAME = re.compile(
    r"(^|_)(id|ids|user|count|calls|time|date|sec|seconds|level|active|order|priority|rank|index|size|epoch|days)($|_)"
)
# Texts whose names look typed but are not: a description of an age, a page's URL.
PLAIN_TEXT = {("HopperEntry", "last_call_time"), ("Lead", "date_of_birth")}


def _record_classes() -> set[type]:
    found: set[type] = set()
    for spec in ADMIN_FUNCTIONS:
        records = spec.result.model_fields.get("records")
        if records is None:
            continue
        for arg in typing.get_args(records.annotation):
            for inner in (arg, *typing.get_args(arg)):
                if isinstance(inner, type) and (
                    dataclasses.is_dataclass(inner) or hasattr(inner, "model_fields")
                ):
                    found.add(inner)
    return found


def test_registry_records_have_no_catch_all_and_no_text_where_a_type_belongs() -> None:
    classes = _record_classes()
    assert len(classes) >= 20
    for cls in classes:
        for name, hint in typing.get_type_hints(cls).items():
            if name == "custom_fields":
                assert hint == dict[str, str]  # names chosen by the dialer's admin, values text
                continue
            assert typing.get_origin(hint) is not dict or typing.get_args(hint)[1] is not str, (
                cls,
                name,
            )
            assert hint is not Any, (cls, name)
            if TYPED_NAME.search(name) and (cls.__name__, name) not in PLAIN_TEXT:
                bare = [a for a in typing.get_args(hint) if a is not type(None)] or [hint]
                assert str not in bare, (cls.__name__, name)


@pytest.mark.parametrize(
    ("body", "methods", "dialable"),
    [
        ("AREACODE: 1|-6#PHONE: 3125551212|1||||\n", {TzMethod.AREACODE: (True, -6.0)}, True),
        (
            "AREACODE: 1|-6#POSTAL: 1|-7.0#TZCODE: 0|10#PHONE: 3125551212|1|81009||GST|",
            {
                TzMethod.AREACODE: (True, -6.0),
                TzMethod.POSTAL: (True, -7.0),
                TzMethod.TZCODE: (False, 10.0),
            },
            False,
        ),
    ],
)
def test_check_phone_number_answer(
    body: str, methods: dict[TzMethod, tuple[bool, float]], dialable: bool
) -> None:
    # The success shape from ViciDial's documentation (no success was captured).
    params = CheckPhoneNumberParams(phone_number="3125551212", local_call_time="9am-9pm")
    result = _check_phone_number(read_reply("check_phone_number", body), params)
    assert {m: (c.dialable, c.gmt_offset) for m, c in result.methods.items()} == methods
    assert (result.phone_number, result.phone_code, result.dialable) == (
        "3125551212",
        "1",
        dialable,
    )


async def test_check_phone_number_refuses_the_docs_call_time() -> None:
    from integrations.vicidial.admin import ViciAdmin
    from integrations.vicidial.errors import ViciValidationError
    from tests.integrations.vicidial.admin.conftest import admin_fixture

    item = admin_fixture("check_phone_number/doc_example_call_time_param")
    # ViciDial ignores call_time and answers that no call time was given; we refuse it.
    async with ViciAdmin("http://127.0.0.1:9", "6666", "1234") as admin:
        with pytest.raises(ViciValidationError):
            await admin.system.check_phone_number("7275551111", "9am-9pm", state="FLA")
    spec = ADMIN_FUNCTIONS.get("check_phone_number")
    assert spec is not None
    params = CheckPhoneNumberParams(phone_number="7275551111", local_call_time="9am-9pm")
    with pytest.raises(ViciValidationError) as info:
        parse_answer(spec, params, item.text)
    assert info.value.reason == "check_phone_number THIS IS NOT A VALID CALL TIME"


# --- records: eager, plain, one copy ---------------------------------------------------------


@dataclasses.dataclass(slots=True)
class _Row:
    lead_id: int
    name: str | None
    score: float | None
    custom_fields: dict[str, str] = dataclasses.field(default_factory=dict)


_LAYOUT = layout(_Row, ("lead_id", "name", "score"))
LARGE = 100  # more rows than the reader samples, so repeated values are read once and shared


def test_records_are_plain_instances_of_their_dataclass() -> None:
    table = read_table(["10|Ann |1.5", "11||"], _LAYOUT)
    first, second = table.records
    assert type(first) is _Row
    assert (first.lead_id, first.name, first.score) == (10, "Ann", 1.5)
    assert (second.lead_id, second.name, second.score) == (11, None, None)
    assert first == _Row(10, "Ann", 1.5)
    assert _Row(10, "Ann", 1.5) == first
    assert first != second
    assert repr(first) == repr(_Row(10, "Ann", 1.5))
    assert dataclasses.replace(first, name="Bo") == _Row(10, "Bo", 1.5)
    assert dataclasses.asdict(second) == {
        "lead_id": 11, "name": None, "score": None, "custom_fields": {}
    }  # fmt: skip
    second.custom_fields["x"] = "y"
    assert second.custom_fields == {"x": "y"}
    assert first.custom_fields == {}
    first.name = "Bo"
    assert first.name == "Bo"
    with pytest.raises(AttributeError):
        first.no_such_field  # type: ignore[attr-defined]  # noqa: B018


@pytest.mark.parametrize("count", [1, LARGE])
def test_a_record_holds_its_values_and_nothing_else(count: int) -> None:
    # One copy of the data: no shared table of rows or columns stays behind the records.
    rows = [f"{10 + i}|Ann|1.5" for i in range(count)]
    for record in read_table(rows, _LAYOUT).records:
        assert _holds_only_its_values(record)


def _holds_only_its_values(record: Any) -> bool:
    values = [getattr(record, f.name) for f in dataclasses.fields(record)]
    return sorted(map(id, gc.get_referents(record))) == sorted(map(id, [*values, type(record)]))


def test_a_one_row_fixture_answer_gives_a_plain_record() -> None:
    from tests.integrations.vicidial.admin.conftest import admin_fixture

    item = admin_fixture("agent_status/incall_csv_header_ip")
    spec = ADMIN_FUNCTIONS.get("agent_status")
    assert spec is not None
    params = {
        k: v for k, v in item.params.items() if k not in ("user", "pass", "source", "function")
    }
    result: Any = parse_answer(spec, spec.params.model_validate(params), item.text)
    (record,) = result.records
    assert type(record) in _record_classes()
    assert _holds_only_its_values(record)


def test_a_bad_cell_names_its_field() -> None:
    with pytest.raises(ViciProtocolError) as raised:
        read_table(["10|Ann|1.5", "x|Bo|2"], _LAYOUT)
    assert "_Row.lead_id" in str(raised.value)
    assert "'x'" in str(raised.value)


@pytest.mark.parametrize(
    ("column", "bad", "field"),
    [(8, "many", "count"), (0, "first", "hopper_order"), (9, "east", "gmt_offset")],
)
def test_a_bad_cell_past_the_sample_names_its_field_and_function(
    column: int, bad: str, field: str
) -> None:
    # count and gmt_offset repeat (read once per text), hopper_order does not.
    row = "{i}|0|{i}|101|3125551000|1|NY|NEW|3|-5.00|0|NONE|S|VLC1|LIST|6|NEVER"
    rows = [row.format(i=i) for i in range(LARGE)]
    cells = rows[90].split("|")
    cells[column] = bad
    rows[90] = "|".join(cells)
    spec = ADMIN_FUNCTIONS.get("hopper_list")
    assert spec is not None
    params = spec.params.model_validate({"campaign_id": "TESTCAMP"})
    with pytest.raises(ViciProtocolError) as raised:
        parse_answer(spec, params, "\n".join(rows) + "\n")
    assert raised.value.function == "hopper_list"
    assert f"HopperEntry.{field} not understood: {bad!r}" in str(raised.value)


def test_large_tables_share_only_values_that_never_change() -> None:
    from integrations.vicidial.admin.reporting import CallStatusStats
    from tests.integrations.vicidial.admin.conftest import admin_fixture

    row = admin_fixture("call_status_stats/all").text.splitlines()[0]
    lay = layout(CallStatusStats, field_names(CallStatusStats))
    records = read_table([row] * LARGE, lay).records
    assert len({id(r.campaign_id) for r in records}) == 1  # read once
    assert len({id(r.hourly_breakdown) for r in records}) == LARGE  # a dict each
    records[0].hourly_breakdown[99] = 1
    assert 99 not in records[1].hourly_breakdown
    assert records[1] == read_table([row], lay).records[0]


@given(
    ROWS.filter(bool),
    st.integers(65, LARGE),
    st.sampled_from([Stage.PIPE, Stage.CSV, Stage.TAB]),
    st.data(),
)
def test_large_tables_round_trip(rows: list[Row], count: int, stage: Stage, data: Any) -> None:
    # Few distinct rows repeated past the sample: columns read once per text.
    sep = DELIMITERS[stage]
    expected = [rows[i % len(rows)] for i in range(count)]
    lines = [sep.join(render(row)) for row in expected]
    # One row past the sample carries an extra column: the general path reads it.
    longer = data.draw(st.none() | st.integers(64, count - 1))
    if longer is not None:
        lines[longer] += sep + "extra"
        expected[longer] = dataclasses.replace(
            expected[longer], custom_fields={"column_1": "extra"}
        )
    assert read_table(lines, layout(Row, COLUMNS), stage).records == expected


def test_every_registry_record_can_be_read_by_a_generated_reader() -> None:
    for cls in _record_classes():
        if not dataclasses.is_dataclass(cls):
            continue
        names = field_names(cls, without=(CUSTOM_FIELDS,))
        lay = layout(cls, names)
        row_reader(cls, names, lay.readers, {})  # refuses frozen or __post_init__ classes
