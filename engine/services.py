"""Named services (``vicidial.agent.pause_code``, ``notify.log``, ``rules.disable``): what rule
actions and the HTTP API call.

Each service has a pydantic parameter model and a typed result. A call validates its data first:
an unknown parameter, or a wrong type or value, is a ``ServiceValidationError`` naming the
service and the field (with "did you mean"), before the integration sees anything. The registry
lists every service with its JSON schema; the rule checker and the editor schema read the same
list.
"""

from __future__ import annotations

import difflib
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from engine.context import Context
from engine.errors import FieldProblem, ServiceNotFoundError, ServiceValidationError

P = TypeVar("P", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class ServiceCall:
    service: str
    context: Context
    caller: str | None = None  # "rule:<id>" or "api:<token name>": who asked, for the log


Handler = Callable[[P, ServiceCall], Awaitable[Any]]


@dataclass(frozen=True, slots=True)
class Service(Generic[P]):
    name: str  # "<domain>.<name>", the name may hold dots: vicidial.agent.pause_code
    params: type[P]
    handler: Handler[P]
    description: str = ""
    result: type[Any] | None = None
    # A service that changes the outside world; a dry-run rule records it instead of calling.
    side_effects: bool = True
    # Parameter names a caller may use: field names and their aliases.
    known_fields: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        names = set()
        for name, info in self.params.model_fields.items():
            names.add(name)
            if info.alias:
                names.add(info.alias)
            if isinstance(info.validation_alias, str):
                names.add(info.validation_alias)
        object.__setattr__(self, "known_fields", frozenset(names))

    @property
    def domain(self) -> str:
        return self.name.partition(".")[0]


def suggest(word: str, candidates: Iterator[str] | list[str] | frozenset[str]) -> list[str]:
    return difflib.get_close_matches(word, list(candidates), n=2, cutoff=0.6)


class ServiceRegistry:
    def __init__(self) -> None:
        self._services: dict[str, Service[Any]] = {}
        self._schemas: dict[str, dict[str, Any]] = {}

    def __repr__(self) -> str:
        return f"ServiceRegistry({len(self._services)} services)"

    def __contains__(self, name: object) -> bool:
        return name in self._services

    def __len__(self) -> int:
        return len(self._services)

    def names(self) -> list[str]:
        return sorted(self._services)

    def services(self) -> list[Service[Any]]:
        return [self._services[name] for name in self.names()]

    def register(self, service: Service[Any]) -> Callable[[], None]:
        domain, dot, rest = service.name.partition(".")
        if not (domain and dot and rest):
            raise ValueError(f"service name {service.name!r} must be <domain>.<name>")
        if service.name in self._services:
            raise ValueError(f"service {service.name} is registered already")
        self._services[service.name] = service

        def unregister() -> None:
            if self._services.get(service.name) is service:
                del self._services[service.name]
                self._schemas.pop(service.name, None)

        return unregister

    def get(self, name: str) -> Service[Any]:
        service = self._services.get(name)
        if service is None:
            raise ServiceNotFoundError(name, suggest(name, self.names()))
        return service

    def validate(self, name: str, data: Mapping[str, Any]) -> BaseModel:
        """The service's parameters from ``data``, or a ServiceValidationError naming each
        bad field; values are not echoed (they may be personal data or secrets)."""
        service = self.get(name)
        known = service.known_fields
        unknown = [key for key in data if key not in known]
        if unknown:
            problems = []
            # A name the caller already gave is no helpful suggestion for another.
            unused = known - set(data)
            for key in unknown:
                hint = suggest(str(key), unused)
                more = f"; did you mean {' or '.join(repr(h) for h in hint)}?" if hint else ""
                problems.append(FieldProblem(str(key), f"unknown parameter{more}"))
            raise ServiceValidationError(name, problems)
        try:
            params: BaseModel = service.params.model_validate(dict(data))
        except ValidationError as exc:
            raise ServiceValidationError(name, problems_of(exc)) from None
        return params

    async def call(
        self,
        name: str,
        data: Mapping[str, Any] | None = None,
        *,
        context: Context,
        caller: str | None = None,
    ) -> Any:
        params = self.validate(name, data or {})
        return await self.get(name).handler(params, ServiceCall(name, context, caller))

    def describe(self, name: str) -> dict[str, Any]:
        """One service as JSON-ready data: name, description, parameter and result schemas."""
        cached = self._schemas.get(name)
        if cached is None:
            service = self.get(name)
            result = service.result
            cached = {
                "service": service.name,
                "domain": service.domain,
                "description": service.description,
                "side_effects": service.side_effects,
                "params": service.params.model_json_schema(),
                "result": (
                    result.model_json_schema()
                    if isinstance(result, type) and issubclass(result, BaseModel)
                    else None
                ),
            }
            self._schemas[name] = cached
        return cached


def problems_of(exc: ValidationError) -> list[FieldProblem]:
    problems = []
    for err in exc.errors(include_input=False, include_url=False):
        where = ".".join(str(part) for part in err["loc"])
        problems.append(FieldProblem(where, err["msg"]))
    return problems
