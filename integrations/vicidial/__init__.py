"""The ViciDial client: both HTTP APIs, typed, right on the wire.

Imports nothing from ``engine`` or ``rules``; usable from any asyncio program.
"""

from integrations.vicidial.admin.client import ViciAdmin
from integrations.vicidial.agent.client import ViciAgent
from integrations.vicidial.errors import (
    ViciAuthError,
    ViciConnectionError,
    ViciError,
    ViciHttpError,
    ViciNotFoundError,
    ViciPermissionError,
    ViciProtocolError,
    ViciStateError,
    ViciTimeoutError,
    ViciValidationError,
)
from integrations.vicidial.transport import Transport

__all__ = [
    "Transport",
    "ViciAdmin",
    "ViciAgent",
    "ViciAuthError",
    "ViciConnectionError",
    "ViciError",
    "ViciHttpError",
    "ViciNotFoundError",
    "ViciPermissionError",
    "ViciProtocolError",
    "ViciStateError",
    "ViciTimeoutError",
    "ViciValidationError",
]
