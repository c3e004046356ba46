"""docs/simulator.md's function tables name every function of both APIs, each in its API's
table, so the page cannot fall behind the registries."""

from __future__ import annotations

import re
from pathlib import Path

from integrations.vicidial.admin.functions import ADMIN_FUNCTIONS
from integrations.vicidial.agent.functions import AGENT_FUNCTIONS

DOC = (Path(__file__).resolve().parents[4] / "docs" / "simulator.md").read_text()
AGENT_TABLE = DOC[DOC.index("Agent API (`agc/api.php`)") : DOC.index("Non-agent API (`vicidial")]
ADMIN_TABLE = DOC[DOC.index("Non-agent API (`vicidial") : DOC.index("## Control API")]


def _unnamed(names: list[str], table: str) -> list[str]:
    return [name for name in names if not re.search(rf"\b{re.escape(name)}\b", table)]


def test_both_tables_name_every_function() -> None:
    assert _unnamed(sorted(AGENT_FUNCTIONS.names()), AGENT_TABLE) == []
    assert _unnamed(sorted(ADMIN_FUNCTIONS.names()), ADMIN_TABLE) == []
    assert "not supported" not in DOC
