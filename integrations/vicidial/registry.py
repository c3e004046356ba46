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

    def is_read(self, params: P) -> bool:
        return self.reads if isinstance(self.reads, bool) else self.reads(params)


class Registry:
    """The functions of one API, by official name."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self._specs: dict[str, FunctionSpec[Params, Result]] = {}

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
