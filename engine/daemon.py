"""``vicibus run CONFIG``: the daemon process, its signals and its word to systemd.

- SIGHUP reloads: the new config is validated first; an invalid one is refused with its
  FILE:LINE:COL problems in the log and the old one runs on unchanged; a valid one is applied
  while the listening socket stays open (RELOADING=1, then READY=1).
- SIGTERM or SIGINT stops: webhooks are refused with 503 from then on, events already accepted
  reach their listeners and running work finishes within the stop timeout, exit 0
  (STOPPING=1). A second SIGINT exits at once with one line.
- Nothing the daemon meets becomes a traceback on the console: one line says what happened.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import math
import os
import signal
import sys
from importlib.metadata import PackageNotFoundError, version
from typing import TextIO

from engine.app import DEFAULT_DRAIN, App
from engine.config import ConfigError
from engine.logs import Redactor, setup_logging

logger = logging.getLogger("vicibus")

EXIT_FAILED = 1
EXIT_INTERRUPTED = 130
STATUS_EVERY = 10.0  # seconds between STATUS= lines to systemd
# A stop's deadline after a failed start: long enough for the stop's own event to be delivered
# (with none, the stop warns of events left unhandled), short as nothing else runs yet.
CLOSE_AFTER_FAILED_START = 1.0


def package_version() -> str:
    try:
        return version("vicibus")
    except PackageNotFoundError:
        return "0+unknown"


def add_run(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "run",
        help="run the vicibus daemon",
        description="Run the daemon: the webhook receiver, the poller, the rules and the HTTP "
        "API. SIGHUP reloads the config, SIGTERM or Ctrl-C stops it cleanly.",
    )
    parser.add_argument("config", metavar="CONFIG", help="the config file (YAML)")
    parser.add_argument(
        "--stop-timeout",
        type=_seconds,
        default=DEFAULT_DRAIN,
        metavar="SECONDS",
        help=f"how long a stop lets running work finish (default {DEFAULT_DRAIN:g})",
    )
    parser.set_defaults(handler=run_daemon)


def _seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds < 0:
        raise argparse.ArgumentTypeError(f"takes seconds, a number from 0 up, not {text!r}")
    return seconds


def run_daemon(args: argparse.Namespace) -> int:
    daemon = Daemon(args.config, stop_timeout=args.stop_timeout)
    try:
        return asyncio.run(daemon.run())
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED


def _not_valid(name: str, exc: ConfigError) -> int:
    for problem in exc.problems:
        print(problem, file=sys.stderr)
    print(f"vicibus run: {name} is not valid; nothing was started", file=sys.stderr)
    return EXIT_FAILED


class Daemon:
    def __init__(
        self, path: str, *, stop_timeout: float = DEFAULT_DRAIN, out: TextIO | None = None
    ) -> None:
        self.path = path
        self.stop_timeout = stop_timeout
        self._out = out or sys.stdout
        self._stop = asyncio.Event()
        self._interrupts = 0
        self._reloading: asyncio.Task[None] | None = None
        self._rate = 0.0  # events per second over the last status period
        self.app: App | None = None

    async def run(self) -> int:
        redactor = Redactor()
        try:
            app = self.app = App.load(self.path, redactor=redactor)
        except ConfigError as exc:
            return _not_valid(self.path, exc)
        except Exception as exc:
            return self._failed("cannot build the daemon", exc)
        logging_config = app.config.core.logging
        setup_logging(logging_config.level, logging_config.format, redactor)
        loop = asyncio.get_running_loop()
        self._install_signals(loop)
        try:
            await app.start()
        except OSError as exc:
            await self._close(app)
            return self._failed(f"cannot listen on {self._address()}", exc)
        except Exception as exc:
            await self._close(app)
            return self._failed("cannot start", exc)
        status = loop.create_task(self._report_status(app), name="sd-status")
        try:
            print("\n".join(app.banner(package_version())), file=self._out, flush=True)
            app.notifier.ready(self._status())
            await self._stop.wait()
        except Exception as exc:
            code = self._failed("stopped by an internal error", exc)
        else:
            code = 0
        finally:
            status.cancel()
            if self._reloading is not None:
                with contextlib.suppress(asyncio.CancelledError):
                    await self._reloading
            app.notifier.stopping()
            logger.info("stopping: webhooks are refused from now on")
            await app.stop(self.stop_timeout)
            logger.info("stopped")
        return code

    def _address(self) -> str:
        http = self.app.config.core.http if self.app else None
        if http is None:
            return "?"
        return f"{http.host}:{http.port}"

    def _failed(self, what: str, exc: Exception) -> int:
        # The traceback is for a developer with debug logging, never the console's first word.
        logger.debug("%s", what, exc_info=exc)
        print(f"vicibus run: {what}: {exc}", file=sys.stderr)
        return EXIT_FAILED

    async def _close(self, app: App) -> None:
        with contextlib.suppress(Exception):
            await app.stop(CLOSE_AFTER_FAILED_START)

    # -- signals -------------------------------------------------------------------------------

    def _install_signals(self, loop: asyncio.AbstractEventLoop) -> None:
        loop.add_signal_handler(signal.SIGTERM, self._stop.set)
        loop.add_signal_handler(signal.SIGINT, self._interrupt)
        loop.add_signal_handler(signal.SIGHUP, self._hangup)

    def _interrupt(self) -> None:
        self._interrupts += 1
        if self._interrupts == 1:
            print("vicibus: stopping (Ctrl-C again to quit at once)", file=sys.stderr, flush=True)
            self._stop.set()
            return
        print("vicibus: quit at once; running work was not finished", file=sys.stderr, flush=True)
        os._exit(EXIT_INTERRUPTED)

    def _hangup(self) -> None:
        if self._stop.is_set():
            return
        if self._reloading is not None and not self._reloading.done():
            logger.warning("a reload is under way; this SIGHUP is ignored")
            return
        self._reloading = asyncio.get_running_loop().create_task(self.reload(), name="reload")

    async def reload(self) -> None:
        app = self.app
        if app is None:
            return
        app.notifier.reloading()
        logger.info("reloading %s", self.path)
        try:
            fresh = App.load(self.path, redactor=Redactor())
        except ConfigError as exc:
            for problem in exc.problems:
                logger.error("reload refused: %s", problem)
            logger.error("the config is not valid; the old one runs on unchanged")
            app.notifier.ready(self._status())
            return
        new = fresh.config
        try:
            later = await app.reload(fresh)
        except Exception as exc:
            logger.error("reload failed: %s: %s", type(exc).__name__, exc)
            logger.debug("reload failed", exc_info=exc)
            app.notifier.ready(self._status())
            return
        logs = new.core.logging
        setup_logging(logs.level, logs.format, app.redactor)
        for what in later:
            logger.warning("reloaded, but %s changes apply at the next restart", what)
        logger.info("reloaded")
        app.notifier.ready(self._status())

    # -- STATUS= lines -------------------------------------------------------------------------

    def _status(self) -> str:
        app = self.app
        if app is None:
            return "starting"
        agents = len(app.core.states.glob("agent.*"))
        connection = app.core.states.get("vicidial.connection")
        dialer = connection.state if connection else "connecting"
        return f"{self._rate:.0f} events/s, {agents} agents tracked, dialer {dialer}"

    async def _report_status(self, app: App) -> None:
        fired = app.core.bus.stats().fired
        while True:
            await asyncio.sleep(STATUS_EVERY)
            now = app.core.bus.stats().fired
            self._rate = (now - fired) / STATUS_EVERY
            fired = now
            app.notifier.status(self._status())
