"""Attachments: text as given, records as CSV that reads back to the same cells."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from integrations.notify.attachments import csv_text, text_of
from integrations.notify.models import Attachment


def test_rows_as_csv_with_every_key_in_order() -> None:
    rows: list[dict[str, Any]] = [
        {"user": "1001", "calls": 3},
        {"user": "1002", "pause": None, "ok": True},
    ]
    assert csv_text(rows) == "user,calls,pause,ok\r\n1001,3,,\r\n1002,,,true\r\n"
    assert csv_text(rows, ["calls", "user"]) == "calls,user\r\n3,1001\r\n,1002\r\n"
    assert csv_text([{"x": {"b": 1, "a": [2]}}]) == 'x\r\n"{""a"": [2], ""b"": 1}"\r\n'


@pytest.mark.parametrize(
    ("attachment", "subtype"),
    [
        ({"filename": "a.csv", "content": "x,y\n"}, "csv"),
        ({"filename": "a.txt", "content": "hi"}, "plain"),
        ({"filename": "report", "content": "hi"}, "plain"),
        ({"filename": "a.html", "content": "<b>"}, "html"),
        ({"filename": "a.png", "content": "not an image"}, "plain"),
        ({"filename": "a.log", "rows": [{"a": 1}]}, "csv"),
        ({"filename": "a.txt", "content": "x", "content_type": "text/markdown"}, "markdown"),
    ],
)
def test_content_types(attachment: dict[str, Any], subtype: str) -> None:
    assert text_of(Attachment.model_validate(attachment))[1] == subtype


@pytest.mark.parametrize(
    "attachment",
    [
        {"filename": "a.txt"},
        {"filename": "a.txt", "content": "x", "rows": []},
        {"filename": "a.txt", "content": "x", "columns": ["a"]},
        {"filename": "../etc/passwd", "content": "x"},
        {"filename": 'a".txt', "content": "x"},
        {"filename": "a\r\nb.txt", "content": "x"},
        {"filename": "a.bin", "content": "x", "content_type": "application/octet-stream"},
    ],
)
def test_bad_attachments_are_refused(attachment: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        Attachment.model_validate(attachment)


cells = st.one_of(st.text(max_size=30), st.integers(), st.none())


@given(st.lists(st.dictionaries(st.text(min_size=1, max_size=10), cells, max_size=5), max_size=8))
def test_csv_reads_back(rows: list[dict[str, Any]]) -> None:
    text = csv_text(rows)
    read = list(csv.reader(io.StringIO(text, newline="")))
    header = read[0]
    assert header == list(dict.fromkeys(k for row in rows for k in row))
    assert len(read) == len(rows) + 1
    for row, line in zip(rows, read[1:], strict=True):
        expected = ["" if row.get(k) is None else str(row[k]) for k in header]
        assert line == expected or (header == [] and line == [])
