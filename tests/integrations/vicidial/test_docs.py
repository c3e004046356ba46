"""The reference pages are generated from the registries and must match what is committed."""

from __future__ import annotations

from pathlib import Path

import pytest

from integrations.vicidial import docs


@pytest.mark.parametrize("api", sorted(docs.PAGES))
def test_committed_page_is_up_to_date(api: str) -> None:
    committed = (docs.DOCS / docs.PAGES[api]).read_text(encoding="utf-8")
    assert committed == docs.page(api), f"docs/{docs.PAGES[api]} is stale: run `make docs`"


@pytest.mark.parametrize("api", sorted(docs.PAGES))
def test_every_function_has_a_section_with_its_method(api: str) -> None:
    text = docs.page(api)
    for spec in docs.registry(api):
        assert f"\n## {spec.name}\n" in text
        first = spec.method.split("/")[0].strip()
        assert f"`{docs.TITLES[api][2]}.{first}`" in text


def test_parameters_show_types_constraints_and_official_names() -> None:
    text = docs.page("agent")
    section = text.split("\n## send_notification\n")[1].split("\n## ")[0]
    # Official (wire) names, including aliases, with their limits.
    assert "| `maxParticleCount` | integer |  | >= 1; <= 9999 |" in section
    assert "| `recipient` | text | yes | at most 20 character(s) |" in section
    assert "| `notification_date` | date-time (`YYYY-MM-DD HH:MM:SS`, dialer time) |" in section
    assert "| `recipient_type` | one of `USER`, `USER_GROUP`, `CAMPAIGN` |" in section


def test_result_tables_list_result_fields_and_nested_rows() -> None:
    lines = docs.result_tables(docs.registry("agent").get("external_pause").result)  # type: ignore[union-attr]
    assert "| `action` | one of `PAUSE`, `RESUME` |  |" in lines
    assert "| `epoch` | integer |  |" in lines
    assert not any("`message`" in line for line in lines)  # common fields are described once


def test_write_creates_both_pages(tmp_path: Path) -> None:
    written = docs.write(tmp_path)
    assert sorted(p.name for p in written) == sorted(docs.PAGES.values())
    assert (tmp_path / "agent-api.md").read_text(encoding="utf-8") == docs.page("agent")
