"""The non-agent API registry, and what every domain module uses to fill it.

Each domain module (monitoring, reporting, leads, ...) registers its functions here with
``add`` and offers them through a ``Domain`` sub-client; the registry is complete once
``integrations.vicidial.admin`` is imported.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, TypeVar

from integrations.vicidial.models import Params, Result
from integrations.vicidial.registry import FunctionSpec, Registry

if TYPE_CHECKING:
    from integrations.vicidial.client import BaseClient

ADMIN_FUNCTIONS = Registry("admin", reads=True, needs_agent_user=False)
# Each domain module registers its functions with ``add``.
add = ADMIN_FUNCTIONS.define

P = TypeVar("P", bound=Params)
R = TypeVar("R", bound=Result)

# The messages with which listing, searching and reporting functions say "nothing matched".
NOTHING_FOUND = re.compile(
    r"NO (RECORDS|RECORDINGS|MATCHES|RESULTS) FOUND|NO LOGGED IN AGENTS|NO LEADS IN THE HOPPER",
    re.I,
)


class Domain:
    """A group of related functions (``admin.leads``, ``admin.users``, ...) of one client."""

    def __init__(self, client: BaseClient) -> None:
        self._client = client

    async def _run(self, spec: FunctionSpec[P, R], **params: Any) -> R:
        """Call ``spec`` with friendly-method arguments; None means "not sent"."""
        return await self._client.run(spec, self._client.make(spec, **params))
