"""The ``log`` platform: a notification as one line of the daemon's log.

``notify.log`` always exists, at info; a configured log target has its own level. The line is
``notify.<name>: <title>: <message> data=<JSON>``, on one line whatever the message holds (a
line break in a webhook's field must not forge another log line). ``SecretStr`` values in the
data are masked, and the daemon's log formatter masks every configured secret in every line.
"""

from __future__ import annotations

import json
import logging

from engine.jsonable import to_jsonable
from engine.services import ServiceCall
from integrations.notify.models import LogParams, LogResult

logger = logging.getLogger("vicibus.notify")

_LEVELS = {
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warning": logging.WARNING,
    "error": logging.ERROR,
}
_ONE_LINE = str.maketrans({"\n": "\\n", "\r": "\\r"})


class LogNotifier:
    platform = "log"
    params = LogParams
    result = LogResult

    def __init__(self, name: str, level: str = "info") -> None:
        self.name = name
        self.level = level

    def __repr__(self) -> str:
        return f"LogNotifier({self.name!r}, {self.level})"

    @property
    def description(self) -> str:
        return f"write a notification to the log at {self.level}"

    def line(self, params: LogParams) -> str:
        text = f"{params.title}: {params.message}" if params.title else params.message
        if params.data:
            data = json.dumps(to_jsonable(params.data), ensure_ascii=False, sort_keys=True)
            text = f"{text} data={data}"
        return f"notify.{self.name}: {text.translate(_ONE_LINE)}"

    async def send(self, params: LogParams, call: ServiceCall) -> LogResult:
        level = params.level or self.level
        logger.log(_LEVELS[level], "%s", self.line(params))
        return LogResult(target=self.name, level=level)
