"""The one seam through which rule runs call services.

The engine's service registry is the default: it validates the data against the service's
parameter model, then calls the integration. Replay and ``vicibus test`` pass their own caller
(recorded answers, stubs); the caller sees the run's Context and ``rule:<id>`` as who asked.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from engine.context import Context
from engine.errors import ServiceNotFoundError
from engine.services import Service, ServiceRegistry


class ServiceCaller(Protocol):
    async def __call__(
        self, service: str, data: Mapping[str, Any], /, *, context: Context, caller: str
    ) -> Any: ...


class RegistryCaller:
    """Calls through the registry: validation first, then the service's handler."""

    def __init__(self, registry: ServiceRegistry) -> None:
        self._registry = registry

    def __repr__(self) -> str:
        return f"RegistryCaller({self._registry!r})"

    async def __call__(
        self, service: str, data: Mapping[str, Any], /, *, context: Context, caller: str
    ) -> Any:
        return await self._registry.call(service, data, context=context, caller=caller)


def find_service(registry: ServiceRegistry, name: str) -> Service[Any] | None:
    try:
        return registry.get(name)
    except ServiceNotFoundError:
        return None
