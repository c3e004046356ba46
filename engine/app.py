"""The daemon's one object graph, built from a config file, started and stopped as a whole.

``App.load`` makes everything without touching the network (``vicibus check`` does the same):
it validates the config with the integrations' sections, builds the core on its clock, the
tokens, each integration's setup and the HTTP app, then checks and compiles the rules against
the services and vocabulary the integrations registered. ``start`` listens, reaches the
dialer, starts the rules and fires ``vicibus_started``; ``reload`` applies a new config that a
fresh ``App.load`` found valid, without closing the listening socket; ``stop`` drains within a
deadline. Nothing here is global: a test can run two Apps in one process.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from aiohttp import web
from pydantic import BaseModel, SecretStr

from engine.api_rules import RulesApi
from engine.api_traces import TracesApi
from engine.clock import Clock, ClockMode
from engine.config import ConfigSection, CoreConfig, Document, LoadedConfig, load_document
from engine.config.validate import validate
from engine.core import Core
from engine.events import VICIBUS_RELOADED, VICIBUS_STARTED, VICIBUS_STOPPING
from engine.health import HealthMonitor
from engine.http import ApiToken, HttpApi
from engine.logs import Redactor
from engine.memory import release_freed_memory
from engine.sdnotify import Notifier
from engine.storage.record_config import RECORD
from engine.storage.recording import Recording
from engine.storage.traces import TraceJournal
from engine.tokens import Tokens, load_tokens
from integrations.notify import CONFIG_SECTIONS as NOTIFY_SECTIONS
from integrations.notify.setup import NotifyIntegration
from integrations.notify.setup import setup as notify_setup
from integrations.vicidial.glue import CONFIG_SECTIONS as VICIDIAL_SECTIONS
from integrations.vicidial.glue.config import WEBHOOKS
from integrations.vicidial.glue.console import ConsoleLog
from integrations.vicidial.glue.setup import VicidialIntegration
from integrations.vicidial.glue.setup import setup as vicidial_setup
from integrations.vicidial.webhooks.kinds import Kind
from integrations.vicidial.webhooks.serving import ReceiverRunner, start_receiver
from integrations.vicidial.webhooks.urls import build_url
from rules import CompiledRule, RuleEngine, RulesSection, rules_section
from rules.journal import JournalRecorder
from rules.journal_config import TRACES
from rules.masking import mask
from rules.records import RunRecorder
from rules.replay.recorder import CallRecorder, Recorders

logger = logging.getLogger("vicibus")

# Every section the daemon reads, for the loader (and `vicibus check`).
SECTIONS: tuple[ConfigSection[Any], ...] = (*VICIDIAL_SECTIONS, *NOTIFY_SECTIONS, TRACES, RECORD)
DEFAULT_DRAIN = 10.0  # seconds a stop lets accepted events and running work finish


def make_clock(core: CoreConfig) -> Clock:
    clock = core.clock
    if clock.follow is not None and clock.mode is ClockMode.REAL:
        # The simulated dialer sets pace and time once it runs; until then, real time.
        return Clock(ClockMode.REAL, tz=core.timezone)
    return Clock(clock.mode, speed=clock.speed or 1.0, tz=core.timezone)


def secrets_of(values: Iterable[Any]) -> set[str]:
    """Every SecretStr inside validated config models (a password typed in plain text is a
    secret too, not only what came through !secret)."""
    found: set[str] = set()
    stack = list(values)
    while stack:
        value = stack.pop()
        if isinstance(value, SecretStr):
            found.add(value.get_secret_value())
        elif isinstance(value, BaseModel):
            stack.extend(getattr(value, name) for name in type(value).model_fields)
        elif isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list | tuple):
            stack.extend(value)
    return found


@dataclass(frozen=True, slots=True)
class Listening:
    host: str
    port: int

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"


class App:
    def __init__(
        self,
        config: LoadedConfig,
        *,
        environ: dict[str, str] | None = None,
        redactor: Redactor | None = None,
        keep_tokens: bool = True,
    ) -> None:
        self.config = config
        self.environ = dict(os.environ if environ is None else environ)
        core_config = config.core
        self.storage = Path(core_config.storage.path)
        self.core = Core(make_clock(core_config))
        webhooks = config.section(WEBHOOKS)
        self.tokens: Tokens = load_tokens(
            self.storage,
            api=_plain(core_config.http.api_token),
            webhooks=tuple(t.get_secret_value() for t in webhooks.tokens),
            keep=keep_tokens,
        )
        # The log's redactor (the daemon set logging up with it before building us).
        self.redactor = redactor or Redactor()
        self.redactor.update(self._secrets())
        self.vicidial: VicidialIntegration = vicidial_setup(
            self.core, config, list(self.tokens.webhooks)
        )
        self.notify: NotifyIntegration = notify_setup(self.core, config)
        self.rules_section: RulesSection = rules_section(self.core)
        # The run journal: opened by start, so a load (vicibus check) writes nothing.
        self.journal = TraceJournal(
            self.storage, config.section(TRACES).settings(), self.core.clock
        )
        self.recording = self._recording(webhooks.secret_names)
        recorder: RunRecorder = JournalRecorder(self.journal)
        if self.recording is not None:
            recorder = Recorders(recorder, CallRecorder(self.recording))
        self.rules = RuleEngine(self.core, recorder=recorder)
        self.vicidial.did.decider = self.rules.did_decider(self.vicidial.did.fallback)
        self.console = ConsoleLog()
        self.core.bus.subscribe(None, self.console, name="console")
        self.health = HealthMonitor(self.core.bus)
        self.api = HttpApi(
            self.core,
            self.health,
            tokens=self._api_tokens,
            readiness=self.readiness,
            advance=self.rules.advance,
        )
        self.web = web.Application()
        self.web.add_subapp("/webhooks", self.vicidial.receiver)
        self.api.routes(self.web)
        RulesApi(self.rules).routes(self.web, self.api.guarded)
        TracesApi(self.storage, self.api.guarded, self.core.clock.tz).routes(self.web)
        self.notifier = Notifier(self.environ)
        self.listening: Listening | None = None
        self._runner: ReceiverRunner | None = None
        self.draining = False
        self.started = False

    def __repr__(self) -> str:
        return f"App({self.config.file}, {self.vicidial!r})"

    @classmethod
    def load(
        cls,
        path: str | os.PathLike[str],
        *,
        environ: dict[str, str] | None = None,
        redactor: Redactor | None = None,
        keep_tokens: bool = True,
    ) -> App:
        """The object graph for the config at ``path``, nothing started: no socket, no
        request, and with ``keep_tokens`` false no file written. ConfigError lists every
        problem, the rules' included."""
        env = dict(os.environ if environ is None else environ)
        document = load_document(path, environ=env)
        config = validate(document, SECTIONS, environ=env)
        app = cls(config, environ=env, redactor=redactor, keep_tokens=keep_tokens)
        app.compile_rules(document)
        del document
        gc.collect()
        release_freed_memory()  # the load's peak (its YAML graph) is not the daemon's size
        return app

    def compile_rules(self, document: Document) -> tuple[CompiledRule, ...]:
        """Validate the config again with the rules checked against this app's core (its
        services and vocabulary); the rules compiled, ready for the engine."""
        section = self.rules_section.section
        self.config = validate(document, [*SECTIONS, section], environ=self.environ)
        compiled = self.rules_section.compiled(self.config.section(section))
        self.compiled = compiled
        return compiled

    def _recording(self, secret_names: frozenset[str]) -> Recording | None:
        """``storage.record``: every event the bus delivers and the rules' calls; opened by
        start. An event's line is taken while the bus delivers it, before any run it started
        has done a thing, so it precedes what it causes."""
        settings = self.config.section(RECORD)
        if settings is None:
            return None
        recording = Recording(
            settings.settings(self.storage),
            mask=partial(mask, secret=secret_names),
            redact=self.redactor,
        )
        self.core.bus.subscribe(None, recording, name="recording")
        return recording

    def _secrets(self) -> set[str]:
        return {
            *self.config.secret_values,
            *secrets_of(self.config.sections.values()),
            *secrets_of([self.config.core]),
            self.tokens.api,
            *self.tokens.webhooks,
        }

    def _api_tokens(self) -> list[ApiToken]:
        return [ApiToken("api", self.tokens.api)]

    def readiness(self) -> dict[str, bool]:
        return {
            "config": True,
            "first_poll": self.vicidial.ready,
            "not_draining": not self.draining,
        }

    # -- lifecycle -----------------------------------------------------------------------------

    async def start(self) -> None:
        http = self.config.core.http
        await self.core.start()
        await self.journal.start()
        if self.recording is not None:
            await self.recording.start()
        self._runner = await start_receiver(
            self.web, http.host, http.port, secrets=sorted(self._secrets()), access_log=None
        )
        port = self._runner.addresses[0][1] if self._runner.addresses else http.port
        self.listening = Listening(http.host, port)
        await self.notify.start()
        await self.vicidial.start(self.listening.base_url)
        await self.rules.reload(self.compiled)
        await self.rules.start()
        self._announce_schedules()
        # What start-up made (modules, rules, the scenario) lives as long as the process: out
        # of the collector's sight, a full collection no longer walks it on every cycle.
        gc.collect()
        gc.freeze()
        self.health.start(self.notifier)
        self.started = True
        self.core.fire(VICIBUS_STARTED)

    async def reload(self, fresh: App) -> list[str]:
        """Apply the config of ``fresh`` (an ``App.load`` of the new file: valid, rules
        included) while serving on; what could not be applied without a restart."""
        config = fresh.config
        later = []
        old = self.config
        if (config.core.http.host, config.core.http.port) != (
            old.core.http.host,
            old.core.http.port,
        ):
            later.append("http.host/http.port (the listening socket stays as it is)")
        if config.section(WEBHOOKS) != old.section(WEBHOOKS):
            later.append("http.webhooks")
        if config.core.clock != old.core.clock or config.core.timezone != old.core.timezone:
            later.append("clock and timezone")
        if config.section(RECORD) != old.section(RECORD):
            later.append("storage.record")
        self.config = config
        self.tokens = load_tokens(
            self.storage,
            api=_plain(config.core.http.api_token),
            webhooks=self.tokens.webhooks,
        )
        self.redactor.update(self._secrets())
        await self.vicidial.reconfigure(config)
        await self._renotify(config)
        self.journal.configure(config.section(TRACES).settings())
        # Compiled again against this core, whose services now match the new config's.
        self.compiled = self.rules_section.compiled(config.section(self.rules_section.section))
        await self.rules.reload(self.compiled)
        self.core.fire(VICIBUS_RELOADED)
        return later

    async def _renotify(self, config: LoadedConfig) -> None:
        """Notify targets as the new config names them: the old services out, the new in."""
        await self.notify.stop()
        self.notify.remove()
        self.notify = notify_setup(self.core, config)
        await self.notify.start()

    async def stop(self, deadline: float = DEFAULT_DRAIN) -> None:
        """Refuse new webhooks (503), let what was accepted reach its listeners and running
        work finish within ``deadline`` seconds, then close everything."""
        await self.vicidial.quiesce()  # the embedded dialer's callbacks would meet a 503
        if self.vicidial.poller is not None:
            # No poll once stopping: the drain waits for no answer of the dialer's.
            await self.vicidial.poller.stop()
        self.draining = True
        loop = asyncio.get_running_loop()
        until = loop.time() + deadline
        self.core.fire(VICIBUS_STOPPING)
        self.core.bus.close()
        if not await self.core.bus.drain(deadline):
            logger.warning("stopping with events still unhandled after %ss", deadline)
        running = [run.done for run in self.rules.runs]
        if running:
            _, pending = await asyncio.wait(running, timeout=max(0.0, until - loop.time()))
            if pending:
                logger.warning("%d rule runs cancelled at the stop deadline", len(pending))
        await self.rules.stop()
        await self.journal.stop()  # after the rules: their cancelled runs are recorded too
        if self.recording is not None:
            await self.recording.stop()
        self.api.close_streams()
        await self.health.stop()
        await self.vicidial.stop()
        await self.notify.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        await self.core.stop(timeout=1)
        self.notifier.close()
        self.started = False

    def _announce_schedules(self) -> None:
        """A line per rule on the clock: when it runs next, and on an accelerated clock how
        soon that is in real time, so the demo says when its nightly rules will fire."""
        clock = self.core.clock
        for rule in self.rules.rules:
            schedules = self.rules.runtime(rule.id).schedules
            fires = [s.next_fire for s in schedules if s.next_fire is not None]
            if not fires:
                continue
            fire = min(fires)
            wait = fire.timestamp() - clock.time()
            real = ""
            if clock.mode is ClockMode.ACCELERATED:
                real = f", {_span(wait / clock.speed)} of real time at {clock.speed:g}x"
            logger.info(
                "rule %s runs next at %s (in %s%s)",
                rule.id,
                f"{fire:%Y-%m-%d %H:%M:%S %Z}",
                _span(wait),
                real,
            )

    # -- what the banner says ------------------------------------------------------------------

    def banner(self, version: str) -> list[str]:
        listening = self.listening
        base = listening.base_url if listening else "(not listening)"
        generated = self.tokens.generated
        # A token is shown once, when it was just made; afterwards it is in tokens.json.
        token = self.tokens.webhooks[0] if "webhook" in generated else "YOUR-WEBHOOK-TOKEN"
        hook = build_url(Kind.DISPO_CALLBACK, base, token) if listening else ""
        lines = [
            f"vicibus {version}",
            f"  config:    {self.config.file}",
            f"  dialer:    {self.vicidial.dialer().description}",
            f"  listening: {base}",
            f"  webhooks:  {hook}",
            "             (`vicibus urls --base <public URL>` prints every kind's URL)",
            f"  state:     {self.storage}",
            f"  clock:     {self.core.clock!r}",
        ]
        if "api" in generated:
            lines.append(f"  API token: {self.tokens.api}  (new; kept in tokens.json)")
        if "webhook" in generated:
            lines.append("  the webhook token above is new; it is kept in tokens.json")
        return lines


def _span(seconds: float) -> str:
    if seconds < 60:
        return f"{max(0.0, seconds):.0f} s"
    hours, minutes = divmod(round(seconds / 60), 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"


def _plain(value: SecretStr | None) -> str | None:
    return value.get_secret_value() if value is not None else None
