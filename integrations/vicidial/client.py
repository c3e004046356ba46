"""What the agent and admin clients share: credentials, the call pipeline, ``call``."""

from __future__ import annotations

import logging
import re
import ssl as ssl_module
import time
from types import TracebackType
from typing import Any, ClassVar, Self, TypeVar

import aiohttp
from pydantic import SecretStr, ValidationError

from integrations.vicidial.errors import (
    ViciError,
    ViciHttpError,
    ViciProtocolError,
    ViciValidationError,
)
from integrations.vicidial.lines import LineKind, Reply, ResultLine, read_reply
from integrations.vicidial.models import Params, Result
from integrations.vicidial.redact import redact_body, redact_fields, scrub_error
from integrations.vicidial.registry import FunctionSpec, Registry
from integrations.vicidial.transport import (
    DEFAULT_MAX_ANSWER_BYTES,
    Method,
    Transport,
    check_source,
    check_timeout,
)

log = logging.getLogger("integrations.vicidial")

P = TypeVar("P", bound=Params)
R = TypeVar("R", bound=Result)


def validation_error(function: str, exc: ValidationError) -> ViciValidationError:
    """A pydantic error as one line per bad parameter, naming it; values are not echoed."""
    problems = []
    for err in exc.errors():
        name = ".".join(str(part) for part in err["loc"]) or "parameters"
        if err["type"] == "extra_forbidden":
            problems.append(f"unknown parameter {name!r}")
        else:
            problems.append(f"{name}: {err['msg']}")
    return ViciValidationError("; ".join(problems), function=function, sent=False)


def secret_values(params: Params) -> list[str]:
    """The values of a request's secret parameters (declared as SecretStr)."""
    values = (getattr(params, name) for name in type(params).model_fields)
    return [value.get_secret_value() for value in values if isinstance(value, SecretStr)]


class BaseClient:
    """One API of one dialer, reached through a (possibly shared) Transport."""

    registry: ClassVar[Registry]
    path: ClassVar[str]

    def __init__(
        self,
        base_url: str,
        user: str,
        password: str,
        *,
        source: str = "vicibus",
        timeout: float | None = None,
        method: Method = "POST",
        session: aiohttp.ClientSession | None = None,
        transport: Transport | None = None,
        ssl: ssl_module.SSLContext | bool = True,
        max_in_flight: int = 10,
        retries: int = 2,
        max_answer_bytes: int = DEFAULT_MAX_ANSWER_BYTES,
    ) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise ViciValidationError("base_url must start with http:// or https://", sent=False)
        if not user:
            raise ViciValidationError("user must not be empty", sent=False)
        if method not in ("GET", "POST"):
            raise ViciValidationError("method must be GET or POST", sent=False)
        self.base_url = base_url.rstrip("/")
        self.user = user
        self._password = SecretStr(password)
        self.source = check_source(source)
        # The whole call's limit, retries included; None leaves each function's own.
        self.timeout = None if timeout is None else check_timeout(timeout)
        self.method: Method = method
        self._transport = transport or Transport(
            session=session,
            ssl=ssl,
            max_in_flight=max_in_flight,
            retries=retries,
            max_answer_bytes=max_answer_bytes,
        )
        self._transport.acquire()
        self._closed = False

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.base_url!r}, user={self.user!r})"

    @property
    def url(self) -> str:
        return self.base_url + self.path

    async def close(self) -> None:
        if not self._closed:
            self._closed = True
            await self._transport.release()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    def _defaults(self, spec: FunctionSpec[Any, Any], params: dict[str, Any]) -> dict[str, Any]:
        return params

    def build(self, function: str, params: dict[str, Any]) -> tuple[FunctionSpec[Any, Any], Params]:
        """The spec and validated parameters for an official function name, nothing sent."""
        spec = self.registry.get(function)
        if spec is None:
            raise ViciValidationError(
                f"unknown {self.registry.api} API function {function!r}",
                function=function,
                sent=False,
            )
        try:
            model = spec.params.model_validate(self._defaults(spec, params))
        except ValidationError as exc:
            raise validation_error(function, exc) from None
        return spec, model

    async def call(
        self, function: str, /, *, timeout: float | None = None, **params: Any
    ) -> Result:
        """Call a function by its official name with official parameter names.

        Values may be strings (as YAML templates render them); they are converted and checked.
        The result is the same typed result the friendly method returns.
        """
        spec, model = self.build(function, params)
        return await self.run(spec, model, timeout=timeout)

    def make(self, spec: FunctionSpec[P, R], **params: Any) -> P:
        """Validated parameters for a friendly method; None means "not sent"."""
        given = {key: value for key, value in params.items() if value is not None}
        try:
            return spec.params.model_validate(self._defaults(spec, given))
        except ValidationError as exc:
            raise validation_error(spec.name, exc) from None

    async def run(self, spec: FunctionSpec[P, R], params: P, *, timeout: float | None = None) -> R:
        try:
            return await self._exchange(spec, params, timeout)
        except ViciError as exc:
            # Defence in depth: an error is text for people and logs, so each secret of the
            # call goes from it in every spelling, wherever the dialer put it.
            scrub_error(exc, [self._password.get_secret_value(), *secret_values(params)])
            raise

    async def _exchange(self, spec: FunctionSpec[P, R], params: P, timeout: float | None) -> R:
        wire = params.to_wire()
        wire["function"] = spec.name
        if spec.auth:
            wire.update(
                user=self.user, source=self.source, **{"pass": self._password.get_secret_value()}
            )
        if timeout is not None:
            limit = check_timeout(timeout, function=spec.name)
        else:
            limit = spec.timeout if self.timeout is None else self.timeout
        started = time.monotonic()
        answer = await self._transport.send(
            self.url,
            wire,
            function=spec.name,
            method=self.method,
            timeout=limit,
            reads=spec.is_read(params),
        )
        # Only the function and status are logged: parameters may hold personal data.
        log.debug(
            "%s %s: HTTP %s in %.3fs",
            self.registry.api,
            spec.name,
            answer.status,
            time.monotonic() - started,
        )
        raw = redact_body(answer.body, self._password.get_secret_value())
        raw = redact_fields(raw, secret_values(params))
        if answer.status >= 300:
            # Redirects are not followed: they would resend the credentials elsewhere, and a
            # dialer redirecting its API usually means a wrong base_url (http for https).
            moved = " (a redirect: check base_url)" if answer.status < 400 else ""
            raise ViciHttpError(
                f"HTTP {answer.status} from the dialer{moved}",
                status_code=answer.status,
                function=spec.name,
                raw=raw,
            )
        return parse_answer(spec, params, raw)


def read_answer(function: str, raw: str) -> Reply:
    """Read a redacted body into lines; an empty one is a protocol error, not a success."""
    if raw.strip() == "":
        raise ViciProtocolError(
            "empty answer (ViciDial answers an unknown or missing function this way)",
            function=function,
            raw=raw,
        )
    return read_reply(function, raw)


def nothing_found(spec: FunctionSpec[Any, Any], exc: ViciError) -> Reply:
    """The empty reply an ERROR stands for when it means "nothing to report"; else ``exc``.

    Only for functions that list, search or report (``spec.empty_when``): "no records" is an
    answer there. The ERROR line becomes the reply's only outcome, so the result keeps
    ViciDial's message.
    """
    if spec.empty_when is None or exc.outcomes or not spec.empty_when.search(exc.reason):
        raise exc
    line = ResultLine(LineKind.ERROR, exc.reason, exc.details, exc.reason)
    return Reply(function=spec.name, raw=exc.raw, outcomes=[line])


# Tags that open an HTML document or form: a page, where ViciDial prints plain lines.
_PAGE = re.compile(r"<(?:!doctype|html|head|body|title|form|frameset|script|meta)\b", re.I)


def parse_answer(spec: FunctionSpec[P, R], params: P, raw: str) -> R:
    """Read a redacted body into the function's typed result, or raise its typed error."""
    if "<" in raw and not spec.answers_html(params) and _PAGE.search(raw):
        # Read as lines, a login page or a proxy's error page would be an empty result.
        raise ViciProtocolError(
            "an HTML page, not a ViciDial answer (a login or error page in front of the "
            "dialer? check base_url)",
            function=spec.name,
            raw=raw,
        )
    if spec.empty_answer and not raw.strip():
        reply = Reply(function=spec.name, raw=raw)
    else:
        try:
            reply = read_answer(spec.name, raw)
        except ViciError as exc:
            reply = nothing_found(spec, exc)
    try:
        return spec.parse(reply, params)
    except ViciProtocolError as exc:
        if exc.function is not None:
            raise
        # A record's reader knows the field, not the function or the body: add them.
        raise ViciProtocolError(exc.reason, function=spec.name, raw=raw) from None
    except ViciError:
        raise
    except (ValueError, IndexError, KeyError, TypeError) as exc:
        # pydantic's ValidationError is a ValueError: a field had an unexpected form.
        raise ViciProtocolError(
            f"answer not understood: {type(exc).__name__}", function=spec.name, raw=raw
        ) from None
