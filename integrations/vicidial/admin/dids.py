"""The non-agent API's dids functions: parameters, records, parsers and the sub-client."""

from __future__ import annotations

from integrations.vicidial.admin.functions import Domain


class Dids(Domain):
    """``admin.dids``."""
