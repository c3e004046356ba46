"""The non-agent API's lists functions: parameters, records, parsers and the sub-client."""

from __future__ import annotations

from integrations.vicidial.admin.functions import Domain


class Lists(Domain):
    """``admin.lists``."""
