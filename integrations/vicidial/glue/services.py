"""Every function of both ViciDial APIs as an engine service.

``vicidial.agent.<official name>`` and ``vicidial.admin.<official name>``, made from the
client's registries (no second list): the parameter model, the typed result and the summary
are the client's own. Each call passes the function's rate limit and the dialer's circuit
breaker first; a call either refuses is a typed error and is never sent.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from engine.services import Service, ServiceCall, ServiceRegistry
from integrations.vicidial.admin.functions import ADMIN_FUNCTIONS
from integrations.vicidial.agent.functions import AGENT_FUNCTIONS
from integrations.vicidial.client import BaseClient
from integrations.vicidial.errors import (
    ViciConnectionError,
    ViciError,
    ViciHttpError,
    ViciTimeoutError,
)
from integrations.vicidial.glue.limits import CircuitBreaker, RateLimiter
from integrations.vicidial.models import Params, Result
from integrations.vicidial.registry import FunctionSpec

logger = logging.getLogger(__name__)


def service_name(api: str, function: str) -> str:
    return f"vicidial.{api}.{function}"


class Gate:
    """The rate limits and the breaker every service call passes."""

    def __init__(self, limiter: RateLimiter, breaker: CircuitBreaker) -> None:
        self.limiter = limiter
        self.breaker = breaker

    async def run(
        self, client: BaseClient, spec: FunctionSpec[Params, Result], params: Params
    ) -> Result:
        self.limiter.check(spec.name)
        self.breaker.before(spec.name)
        try:
            result = await client.run(spec, params)
        except (ViciConnectionError, ViciTimeoutError):
            self.breaker.failed()
            raise
        except ViciHttpError as exc:
            if exc.status_code >= 500:
                self.breaker.failed()
            else:
                self.breaker.succeeded()
            raise
        except ViciError:
            # The dialer answered (with an error of its own): it is up.
            self.breaker.succeeded()
            raise
        except BaseException:
            # Cancelled (a rule's timeout, a stop) or a defect: the dialer said nothing either
            # way, but a half-open trial must not stay taken, or no call would ever try again.
            self.breaker.abandoned()
            raise
        self.breaker.succeeded()
        return result


Clients = Callable[[str], BaseClient]  # "agent" or "admin" -> the client, once started


def _handler(
    gate: Gate, clients: Clients, api: str, spec: FunctionSpec[Params, Result]
) -> Callable[[Params, ServiceCall], Any]:
    async def handle(params: Params, call: ServiceCall) -> Result:
        logger.debug("%s called by %s", call.service, call.caller or "?")
        return await gate.run(clients(api), spec, params)

    return handle


REGISTRIES = {"agent": AGENT_FUNCTIONS, "admin": ADMIN_FUNCTIONS}


def register_services(
    registry: ServiceRegistry, clients: Clients, gate: Gate
) -> list[Callable[[], None]]:
    """Register every function of both APIs; the clients are looked up at call time, so the
    services exist before the dialer is reached (``vicibus check``). The unregister
    callables."""
    undo = []
    for api, functions in REGISTRIES.items():
        for spec in functions:
            undo.append(
                registry.register(
                    Service(
                        service_name(api, spec.name),
                        spec.params,
                        _handler(gate, clients, api, spec),
                        description=spec.summary,
                        result=spec.result,
                        side_effects=spec.reads is not True,
                    )
                )
            )
    return undo
