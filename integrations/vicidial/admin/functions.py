"""The non-agent API registry, and what every domain module uses to fill it.

Each domain module (monitoring, reporting, leads, ...) registers its functions here with
``add`` and offers them through a ``Domain`` sub-client; the registry is complete once
``integrations.vicidial.admin`` is imported.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from integrations.vicidial.errors import ViciError
from integrations.vicidial.lines import LineKind, Reply, ResultLine
from integrations.vicidial.models import Params, Result
from integrations.vicidial.registry import DEFAULT_TIMEOUT, FunctionSpec, Registry

if TYPE_CHECKING:
    from integrations.vicidial.client import BaseClient

ADMIN_FUNCTIONS = Registry("admin")

P = TypeVar("P", bound=Params)
R = TypeVar("R", bound=Result)

# The messages with which listing, searching and reporting functions say "nothing matched".
NOTHING_FOUND = re.compile(
    r"NO (RECORDS|RECORDINGS|MATCHES|RESULTS) FOUND|NO LOGGED IN AGENTS|NO LEADS IN THE HOPPER",
    re.I,
)


def add(
    name: str,
    method: str,
    summary: str,
    params: type[P],
    result: type[R],
    parse: Callable[[Reply, P], R],
    *,
    reads: bool | Callable[[P], bool] = True,
    timeout: float = DEFAULT_TIMEOUT,
    auth: bool = True,
    empty_when: re.Pattern[str] | None = None,
) -> FunctionSpec[P, R]:
    """Register one function; ``method`` is ``domain.friendly_name``."""
    return ADMIN_FUNCTIONS.add(
        FunctionSpec(
            name=name,
            api="admin",
            method=method,
            summary=summary,
            params=params,
            result=result,
            parse=parse,
            reads=reads,
            timeout=timeout,
            needs_agent_user=False,
            auth=auth,
            empty_when=empty_when,
        )
    )


def nothing_found(spec: FunctionSpec[Any, Any], exc: ViciError) -> Reply:
    """The empty reply an ERROR stands for when it means "nothing to report"; else ``exc``.

    The ERROR line becomes the reply's only outcome, so the result keeps ViciDial's message.
    """
    if spec.empty_when is None or exc.outcomes or not spec.empty_when.search(exc.reason):
        raise exc
    line = ResultLine(LineKind.ERROR, exc.reason, exc.details, exc.reason)
    return Reply(function=spec.name, raw=exc.raw, outcomes=[line])


class Domain:
    """A group of related functions (``admin.leads``, ``admin.users``, ...) of one client."""

    def __init__(self, client: BaseClient) -> None:
        self._client = client

    async def _run(self, spec: FunctionSpec[P, R], **params: Any) -> R:
        """Call ``spec`` with friendly-method arguments; None means "not sent"."""
        return await self._client.run(spec, self._client.make(spec, **params))
