"""The non-agent API's campaigns functions: parameters, records, parsers and the sub-client."""

from __future__ import annotations

from integrations.vicidial.admin.functions import Domain


class Campaigns(Domain):
    """``admin.campaigns``."""
