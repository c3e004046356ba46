"""The non-agent API's reporting functions: parameters, records, parsers and the sub-client."""

from __future__ import annotations

from integrations.vicidial.admin.functions import Domain


class Reporting(Domain):
    """``admin.reporting``."""
