"""An e-mail's attachments from what a call passes: text as it is, or records as CSV.

A rule hands a service's result on through ``response_variable``; a report's ``records`` are
plain mappings by then, so ``rows: "{{ stats.records }}"`` attaches the report. The CSV's
header is the records' keys in the order they first appear, or the ``columns`` chosen.
"""

from __future__ import annotations

import csv
import io
import json
import mimetypes
from collections.abc import Iterable, Mapping
from typing import Any

from engine.jsonable import to_jsonable
from integrations.notify.models import Attachment


def csv_text(rows: Iterable[Mapping[str, Any]], columns: Iterable[str] | None = None) -> str:
    rows = list(rows)
    if columns is None:
        # dict keeps the order keys first appear in, across every row.
        columns = dict.fromkeys(key for row in rows for key in row)
    header = list(columns)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(row.get(name)) for name in header])
    return out.getvalue()


def _cell(value: Any) -> str:
    plain = to_jsonable(value)
    if plain is None:
        return ""
    if isinstance(plain, bool):
        return "true" if plain else "false"
    if isinstance(plain, dict | list):
        return json.dumps(plain, ensure_ascii=False, sort_keys=True)
    return str(plain)


def text_of(attachment: Attachment) -> tuple[str, str]:
    """The attachment's text and its MIME subtype (``csv`` in ``text/csv``)."""
    if attachment.rows is not None:
        text = csv_text(attachment.rows, attachment.columns)
        default = "text/csv"
    else:
        text = attachment.content or ""
        guessed, _ = mimetypes.guess_type(attachment.filename, strict=False)
        default = guessed if guessed and guessed.startswith("text/") else "text/plain"
    return text, (attachment.content_type or default).partition("/")[2]
