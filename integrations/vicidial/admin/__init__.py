"""The non-agent (admin) API client; importing it completes the function registry."""

from integrations.vicidial.admin.client import ViciAdmin
from integrations.vicidial.admin.functions import ADMIN_FUNCTIONS

__all__ = ["ADMIN_FUNCTIONS", "ViciAdmin"]
