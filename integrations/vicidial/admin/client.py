"""ViciAdmin: the non-agent API (vicidial/non_agent_api.php), one sub-client per domain."""

from __future__ import annotations

from typing import Any, ClassVar

from integrations.vicidial.admin.campaigns import Campaigns
from integrations.vicidial.admin.dids import Dids
from integrations.vicidial.admin.dnc import Dnc
from integrations.vicidial.admin.functions import ADMIN_FUNCTIONS
from integrations.vicidial.admin.leads import Leads
from integrations.vicidial.admin.lists import Lists
from integrations.vicidial.admin.monitoring import Monitoring
from integrations.vicidial.admin.phones import Phones
from integrations.vicidial.admin.reporting import Reporting
from integrations.vicidial.admin.system import System
from integrations.vicidial.admin.users import Users
from integrations.vicidial.client import BaseClient
from integrations.vicidial.registry import Registry


class ViciAdmin(BaseClient):
    """The non-agent API of one dialer.

    Friendly methods live on the domain sub-clients (``admin.leads.all_info(12)``); the
    generic ``await admin.call("lead_all_info", lead_id=12)`` takes ViciDial's own names and
    returns the same typed result.
    """

    registry: ClassVar[Registry] = ADMIN_FUNCTIONS
    path: ClassVar[str] = "/vicidial/non_agent_api.php"

    def __init__(self, base_url: str, user: str, password: str, **kwargs: Any) -> None:
        super().__init__(base_url, user, password, **kwargs)
        self.monitoring = Monitoring(self)
        self.reporting = Reporting(self)
        self.leads = Leads(self)
        self.users = Users(self)
        self.campaigns = Campaigns(self)
        self.lists = Lists(self)
        self.system = System(self)
        self.phones = Phones(self)
        self.dids = Dids(self)
        self.dnc = Dnc(self)
