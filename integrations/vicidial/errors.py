"""Typed errors for both ViciDial APIs.

ViciDial answers every failure with HTTP 200 and an ``ERROR:`` line; which class a line maps to
is decided in ``classify``. docs/errors.md says what each class means and how to handle it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from integrations.vicidial.lines import ResultLine


_MESSAGE_DETAILS = 120


class ViciError(Exception):
    """Base of every error the client raises.

    ``raw`` is the response body with the password redacted; ``outcomes`` holds the result lines
    ViciDial printed before the failing line (work that was already done); ``sent`` is False when
    the error was raised before any request left this process.
    """

    def __init__(
        self,
        reason: str,
        *,
        function: str | None = None,
        details: Sequence[str] = (),
        raw: str = "",
        outcomes: Sequence[ResultLine] = (),
        sent: bool = True,
    ) -> None:
        self.function = function
        self.reason = reason
        self.details = tuple(details)
        self.raw = raw
        self.outcomes = tuple(outcomes)
        self.sent = sent
        super().__init__(self._message())

    def _message(self) -> str:
        where = f"{self.function}: " if self.function else ""
        joined = "|".join(self.details)
        # Long data (the agent API's SQL echo) stays in .details and .raw, not in the message.
        if len(joined) > _MESSAGE_DETAILS:
            joined = joined[: _MESSAGE_DETAILS - 3] + "..."
        extra = f" [{joined}]" if joined else ""
        done = f" (after {len(self.outcomes)} earlier outcome(s))" if self.outcomes else ""
        return f"{where}{self.reason}{extra}{done}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}(function={self.function!r}, reason={self.reason!r})"

    def rewrite_texts(self, edit: Callable[[str], str]) -> None:
        """Pass every text this error carries through ``edit`` (to mask secrets in it)."""
        self.reason = edit(self.reason)
        self.details = tuple(edit(detail) for detail in self.details)
        self.raw = edit(self.raw)
        self.outcomes = tuple(
            dataclasses.replace(
                line,
                reason=edit(line.reason),
                data=tuple(edit(part) for part in line.data),
                text=edit(line.text),
            )
            for line in self.outcomes
        )
        self.args = (self._message(),)


class ViciAuthError(ViciError):
    """The API user's credentials were rejected, or the user is locked out."""


class ViciPermissionError(ViciError):
    """The API user is authenticated but may not use this function or see this data."""


class ViciNotFoundError(ViciError):
    """A named user, lead, campaign, call, ... does not exist or is not logged in."""


class ViciStateError(ViciError):
    """The agent or call is not in a state that allows this action now."""


class ViciValidationError(ViciError):
    """The request itself is wrong; client-side checks raise this with ``sent`` False."""


class ViciHttpError(ViciError):
    """The web server answered with an HTTP error status."""

    def __init__(self, reason: str, *, status_code: int, **kwargs: object) -> None:
        self.status_code = status_code
        super().__init__(reason, **kwargs)  # type: ignore[arg-type]


class ViciTimeoutError(ViciError):
    """No answer within the timeout.

    ``outcome_unknown`` is True for calls that change state: the dialer may have acted.
    """

    def __init__(
        self, reason: str, *, timeout: float, outcome_unknown: bool, **kwargs: object
    ) -> None:
        self.timeout = timeout
        self.outcome_unknown = outcome_unknown
        super().__init__(reason, **kwargs)  # type: ignore[arg-type]


class ViciConnectionError(ViciError):
    """The web server could not be reached (DNS, refused, reset, TLS)."""


class ViciProtocolError(ViciError):
    """The answer has no form the client knows (empty where an answer is due, garbage)."""
