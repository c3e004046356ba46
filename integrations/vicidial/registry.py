"""The declarative registry: one entry per ViciDial function.

Friendly methods, the generic ``call``, the YAML service names and the reference docs all come
from these entries, so they cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

from integrations.vicidial.lines import Reply
from integrations.vicidial.models import Params, Result

Api = Literal["agent", "admin"]
P = TypeVar("P", bound=Params)
R = TypeVar("R", bound=Result)

DEFAULT_TIMEOUT = 30.0
REPORT_TIMEOUT = 180.0  # reports scan a day or more of call logs


@dataclass(frozen=True, slots=True)
class FunctionSpec(Generic[P, R]):
    name: str
    api: Api
    method: str
    summary: str
    params: type[P]
    result: type[R]
    parse: Callable[[Reply, P], R]
    reads: bool | Callable[[P], bool]
    timeout: float = DEFAULT_TIMEOUT
    needs_agent_user: bool = True
    # version answers without credentials; sending them would only spread the password.
    auth: bool = True
    # An ERROR this pattern finds means "nothing to report" for a function that lists or
    # searches: the result is empty, with ViciDial's message kept, instead of an exception.
    empty_when: re.Pattern[str] | None = None
    # lead_field_info prints a field's bare value, so an empty field is an empty body: for
    # such a function an empty body is an answer, not a protocol error.
    empty_answer: bool = False
    # Whether ViciDial answers with an HTML page (the non-agent selectframe lists, the agent
    # API's LAUNCH page). For any other function a page is someone else's: a login page or
    # a proxy's error page in front of the dialer, never an answer to read.
    html: bool | Callable[[P], bool] = False

    def is_read(self, params: P) -> bool:
        return self.reads if isinstance(self.reads, bool) else self.reads(params)

    def answers_html(self, params: P) -> bool:
        return self.html if isinstance(self.html, bool) else self.html(params)


class Registry:
    """The functions of one API, by official name.

    ``reads`` and ``needs_agent_user`` are this API's defaults: agent functions act on an
    agent's session, most non-agent functions read.
    """

    def __init__(self, api: Api, *, reads: bool, needs_agent_user: bool) -> None:
        self.api = api
        self._reads = reads
        self._needs_agent_user = needs_agent_user
        self._specs: dict[str, FunctionSpec[Params, Result]] = {}

    def define(
        self,
        name: str,
        method: str,
        summary: str,
        params: type[P],
        result: type[R],
        parse: Callable[[Reply, P], R],
        *,
        reads: bool | Callable[[P], bool] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        needs_agent_user: bool | None = None,
        auth: bool = True,
        empty_when: re.Pattern[str] | None = None,
        empty_answer: bool = False,
        html: bool | Callable[[P], bool] = False,
    ) -> FunctionSpec[P, R]:
        """Register one function; ``method`` is the friendly method's path on the client."""
        return self.add(
            FunctionSpec(
                name=name,
                api=self.api,
                method=method,
                summary=summary,
                params=params,
                result=result,
                parse=parse,
                reads=self._reads if reads is None else reads,
                timeout=timeout,
                needs_agent_user=(
                    self._needs_agent_user if needs_agent_user is None else needs_agent_user
                ),
                auth=auth,
                empty_when=empty_when,
                empty_answer=empty_answer,
                html=html,
            )
        )

    def add(self, spec: FunctionSpec[P, R]) -> FunctionSpec[P, R]:
        if spec.api != self.api:
            raise ValueError(f"{spec.name} belongs to the {spec.api} API, not {self.api}")
        if spec.name in self._specs:
            raise ValueError(f"{spec.name} registered twice")
        self._specs[spec.name] = spec  # type: ignore[assignment]
        return spec

    def get(self, name: str) -> FunctionSpec[Params, Result] | None:
        return self._specs.get(name)

    def names(self) -> list[str]:
        return sorted(self._specs)

    def __iter__(self) -> Iterator[FunctionSpec[Params, Result]]:
        return iter(self._specs.values())

    def __len__(self) -> int:
        return len(self._specs)
