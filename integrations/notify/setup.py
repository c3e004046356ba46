"""The notify integration's one setup function, and the object that owns its parts.

``setup`` registers ``notify.log`` and ``notify.<name>`` for every configured target, each
with its platform's parameter model and result, without touching the network (so ``vicibus
check`` sees them all). ``start`` opens what sending needs: one aiohttp session for the http
targets, one small thread pool for the smtp ones; ``stop`` closes them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol

import aiohttp
from pydantic import BaseModel

from engine.clock import Clock
from engine.config import LoadedConfig
from engine.core import Core
from engine.services import Service, ServiceCall
from integrations.notify.config import NOTIFY, HttpTarget, LogTarget, SmtpTarget, Target
from integrations.notify.http import HttpNotifier
from integrations.notify.log import LogNotifier
from integrations.notify.models import NotifyResult
from integrations.notify.smtp import SmtpNotifier

# Mail is rare and each send holds its thread for a network round trip or a timeout: a few
# threads, and a burst waits its turn instead of taking the daemon's shared pool.
SMTP_THREADS = 4
USER_AGENT = "vicibus"


class Notifier(Protocol):
    """One target: its platform's parameters and result, and how it sends."""

    name: str
    platform: str

    @property
    def params(self) -> type[BaseModel]: ...

    @property
    def result(self) -> type[NotifyResult]: ...

    @property
    def description(self) -> str: ...

    async def send(self, params: Any, call: ServiceCall) -> NotifyResult: ...


def service_name(target: str) -> str:
    return f"notify.{target}"


class NotifyIntegration:
    def __init__(self, core: Core, targets: Iterable[Target]) -> None:
        self.core = core
        self._session: aiohttp.ClientSession | None = None
        self._executor: ThreadPoolExecutor | None = None
        notifiers: list[Notifier] = [LogNotifier("log")]
        notifiers.extend(self._notifier(target, core.clock) for target in targets)
        self.notifiers: Mapping[str, Notifier] = {n.name: n for n in notifiers}
        self._undo = [
            core.services.register(
                Service(
                    service_name(n.name),
                    n.params,
                    n.send,
                    description=n.description,
                    result=n.result,
                )
            )
            for n in notifiers
        ]

    def __repr__(self) -> str:
        return f"NotifyIntegration({', '.join(self.services)})"

    def _notifier(self, target: Target, clock: Clock) -> Notifier:
        if isinstance(target, LogTarget):
            return LogNotifier(target.name, target.level)
        if isinstance(target, HttpTarget):
            return HttpNotifier(target, clock, lambda: self._session)
        if isinstance(target, SmtpTarget):
            return SmtpNotifier(target, clock, lambda: self._executor)
        raise TypeError(f"no platform for {type(target).__name__}")  # pragma: no cover

    @property
    def services(self) -> list[str]:
        return [service_name(name) for name in self.notifiers]

    async def start(self) -> None:
        http = [n for n in self.notifiers.values() if isinstance(n, HttpNotifier)]
        if http and self._session is None:
            self._session = aiohttp.ClientSession(headers={"User-Agent": USER_AGENT})
        await asyncio.gather(*(n.start() for n in http))
        if self._executor is None and any(
            isinstance(n, SmtpNotifier) for n in self.notifiers.values()
        ):
            self._executor = ThreadPoolExecutor(SMTP_THREADS, thread_name_prefix="vicibus-smtp")

    async def stop(self) -> None:
        session, self._session = self._session, None
        if session is not None:
            await session.close()
        executor, self._executor = self._executor, None
        if executor is not None:
            # Never wait on the loop for a slow server: queued mail is dropped, a send under
            # way ends in its thread within the target's timeout.
            executor.shutdown(wait=False, cancel_futures=True)

    def remove(self) -> None:
        """Take the services out of the core (a reload that drops the integration)."""
        for undo in self._undo:
            undo()


def setup(core: Core, config: LoadedConfig) -> NotifyIntegration:
    """Register ``notify.log`` and every configured target with ``core``; nothing is started."""
    targets: tuple[Target, ...] = config.section(NOTIFY)
    return NotifyIntegration(core, targets)
