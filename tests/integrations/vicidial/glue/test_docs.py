"""docs/entities.md names every attribute the integration writes and every field of its events,
so the page cannot fall behind the code."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from integrations.vicidial.glue.entities import (
    DailyCounts,
    campaign_update,
    ingroup_update,
    logged_out_attributes,
    usergroup_update,
)
from integrations.vicidial.glue.gaps import EventGap
from integrations.vicidial.glue.poller import ConnectivityChange
from integrations.vicidial.glue.push import PUSH_ATTRIBUTES

PAGE = (Path(__file__).parents[4] / "docs" / "entities.md").read_text(encoding="utf-8")

WRITTEN = {
    "agent": {*logged_out_attributes({}), *PUSH_ATTRIBUTES},
    "campaign": set(campaign_update("C", None, None, None, DailyCounts())[2]),
    "ingroup": set(ingroup_update("G", None, DailyCounts())[2]),
    "usergroup": set(usergroup_update("U", None)[2]),
    "vicidial_event_gap": {f.name for f in dataclasses.fields(EventGap)},
    "vicidial_connectivity": {f.name for f in dataclasses.fields(ConnectivityChange)},
}


@pytest.mark.parametrize("what", sorted(WRITTEN))
def test_every_attribute_and_event_field_is_in_the_page(what: str) -> None:
    assert f"`{what}" in PAGE
    missing = sorted(name for name in WRITTEN[what] if f"`{name}`" not in PAGE)
    assert missing == [], f"docs/entities.md does not name {missing} of {what}"
