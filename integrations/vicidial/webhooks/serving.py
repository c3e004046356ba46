"""Serving the receiver as ViciDial's senders and the open network need it served.

``start_receiver`` is the one entry point; the daemon and the tests serve through it. Each
connection is a ``connections.GuardedRequestHandler``: aiohttp's C parser for well-formed
requests, the lenient parser of ``request_parser`` for the request lines ViciDial's senders
write raw, the timeouts and connection limit of the mounted receiver's ``ReceiverConfig``,
and log lines without secrets, without control characters and within a budget.

It relies on aiohttp internals (``Server._kwargs``, ``RequestHandler._parser`` and its
keep-alive timer, the parsers' constructors), written against aiohttp 3.14; the tests fail if
an aiohttp upgrade breaks them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from aiohttp import web
from pydantic import SecretStr

from .config import ReceiverConfig
from .connections import ConnectionGuard, GuardedRequestHandler
from .log_limit import LogLimiter
from .receiver import RECEIVER_CONFIG
from .redaction import RedactingAccessLogger, RedactingFilter, Redactor

SERVER_LOGGER = "aiohttp.server.webhooks"
ACCESS_LOGGER = "aiohttp.access.webhooks"

ProtocolFactory = Callable[..., web.RequestHandler]


class _ProtocolServer(web.Server):
    def __init__(self, protocol: ProtocolFactory, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._protocol = protocol

    def __call__(self) -> web.RequestHandler:
        return self._protocol(self, loop=self._loop, **self._kwargs)


class ProtocolRunner(web.AppRunner):
    """An ``AppRunner`` whose connections are handled by ``protocol``.

    ``protocol`` is called as aiohttp calls ``RequestHandler``: with the server, the loop and
    the runner's keyword arguments.
    """

    def __init__(self, app: web.Application, *, protocol: ProtocolFactory, **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self._protocol = protocol

    async def _make_server(self) -> web.Server:
        plain = await super()._make_server()
        # AppRunner builds a plain Server from the app; the same one, with our protocol.
        return _ProtocolServer(
            self._protocol,
            plain.request_handler,
            request_factory=plain.request_factory,
            handler_cancellation=plain.handler_cancellation,
            loop=plain._loop,
            **plain._kwargs,
        )


def mounted_configs(app: web.Application) -> list[ReceiverConfig]:
    """The configs of the receivers ``app`` is or mounts (``create_receiver`` records them)."""
    apps = [app]
    for resource in app.router.resources():
        sub = resource.get_info().get("app")
        if isinstance(sub, web.Application):
            apps.append(sub)
    return [each[RECEIVER_CONFIG] for each in apps if RECEIVER_CONFIG in each]


class ReceiverRunner(ProtocolRunner):
    """A ``ProtocolRunner`` of guarded connections, logging with every secret masked.

    The limits are those of the first receiver the app mounts; the secrets masked are every
    mounted receiver's tokens, secret parameter names, and ``secrets``. aiohttp's server and
    access records go to child loggers of ``aiohttp.server`` and ``aiohttp.access`` (so their
    configuration still applies), each with a ``RedactingFilter``.
    """

    def __init__(
        self, app: web.Application, *, secrets: Iterable[str | SecretStr] = (), **kwargs: Any
    ) -> None:
        configs = mounted_configs(app)
        if not configs:
            raise ValueError("start_receiver serves an app that mounts create_receiver(...)")
        if "keepalive_timeout" in kwargs:
            raise TypeError("keepalive_timeout is a ReceiverConfig setting")
        plain = [s.get_secret_value() if isinstance(s, SecretStr) else s for s in secrets]
        plain += [t.get_secret_value() for config in configs for t in config.tokens]
        names = {name for config in configs for name in config.secret_names}
        redactor = Redactor(plain, names)
        self._loggers = (logging.getLogger(SERVER_LOGGER), logging.getLogger(ACCESS_LOGGER))
        self.guard = ConnectionGuard(
            configs[0], redactor, LogLimiter(configs[0].log_lines_per_minute), self._loggers[0]
        )
        self._redacting = RedactingFilter(redactor)
        kwargs.setdefault("access_log_class", RedactingAccessLogger)
        kwargs.setdefault("access_log", self._loggers[1])  # None turns the access log off
        # The guard reaches each connection with the server's other handler arguments.
        super().__init__(
            app,
            protocol=GuardedRequestHandler,
            guard=self.guard,
            logger=self._loggers[0],
            **kwargs,
        )

    async def setup(self) -> None:
        for logger in self._loggers:
            logger.addFilter(self._redacting)
        await super().setup()

    async def cleanup(self) -> None:
        try:
            await super().cleanup()
        finally:
            for logger in self._loggers:
                logger.removeFilter(self._redacting)


async def start_receiver(
    app: web.Application,
    host: str,
    port: int,
    *,
    secrets: Iterable[str | SecretStr] = (),
    backlog: int = 128,
    **runner_settings: Any,
) -> ReceiverRunner:
    """Serve ``app`` (the receiver mounted at /webhooks) on ``host``:``port``.

    The receiver's config gives the limits and the secrets to mask; ``secrets`` adds others
    (the daemon's own). ``runner_settings`` go to ``aiohttp.web.AppRunner`` (for example
    ``access_log=None``; ``max_line_size`` defaults to ``MAX_REQUEST_LINE``). Port 0 picks a
    free port: read it from ``runner.addresses``. Stop with ``await runner.cleanup()``.
    """
    runner = ReceiverRunner(app, secrets=secrets, **runner_settings)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port, backlog=backlog).start()
    except BaseException:
        await runner.cleanup()
        raise
    return runner
