"""The engine side of offline rule runs: a Core on a manual clock with the services, events
and entity kinds the daemon's integrations register, built without the network, and the
harness's event and error factories from the ViciDial integration.

``rules.testing`` may not import the integrations; ``vicibus test`` (and replay) build here
what it needs::

    setup = RulesSetup.from_file("rules.yaml")         # a rules file or a config file
    built = setup.build(start=epoch)                   # a fresh Core, manual clock
    harnessed = setup.harness(built, stubs={...})      # the engine made, then the rules
    harnessed.problems                                 # at FILE:LINE:COL
    harnessed.harness                                  # a RuleHarness, not started

Load the rules after the harness exists (``setup.harness`` does): its engine registers
``rules.enable`` / ``rules.disable``, which rules may call, as the daemon's engine does before
its rules are checked. ``OfflineBench`` is ``vicibus test``'s Bench.

A config file gives its own ``vicidial`` and ``notify`` sections (so ``notify.supervisors``
exists when the config names it); a rules file gets the ViciDial services and ``notify.log``.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from engine.app import SECTIONS as DAEMON_SECTIONS
from engine.clock import Clock, ClockMode
from engine.config import ConfigError, ConfigProblem, Document, LoadedConfig, load_document
from engine.config.validate import validate
from engine.core import Core
from engine.services import suggest
from integrations.notify import errors as notify_errors
from integrations.notify.config import NOTIFY
from integrations.notify.setup import NotifyIntegration
from integrations.vicidial import errors as vici_errors
from integrations.vicidial.glue.config import VICIDIAL, WEBHOOKS, VicidialConfig
from integrations.vicidial.glue.poller import Poller
from integrations.vicidial.glue.setup import VicidialIntegration
from integrations.vicidial.webhooks.kinds import kind_from_name
from integrations.vicidial.webhooks.parser import build_payload
from integrations.vicidial.webhooks.payloads import WebhookPayload
from integrations.vicidial.webhooks.variables import VARIABLES
from rules.loading import Prefixed, RuleLoad, load_rules
from rules.section import RULES
from rules.testing.files import LoadedTestFile
from rules.testing.harness import ErrorFactory, RuleHarness, Stub
from rules.testing.runner import start_time
from rules.testing.spec import RuleTest

# The daemon's sections, and the rules validated (their checks come with the core).
SECTIONS = (*DAEMON_SECTIONS, RULES)
# The receiver the integration builds needs a token; nothing is ever served with it.
OFFLINE_TOKEN = "offline-rule-tests-token-00000000"
# Where a rules file's rules run when nothing says otherwise.
DEFAULT_DIALER: Mapping[str, Any] = {"simulated": {"scenario": "demo", "traffic": False}}
UTC = ZoneInfo("UTC")
NOWHERE = "http://127.0.0.1:9"  # the discard port: a callback sent there is refused


class BadFieldError(ValueError):
    """A webhook field that looks like a misspelt ViciDial variable."""


class WebhookFactory:
    """Payloads built by the integration's own parser from a test's fields (values as text,
    as the dialer sends them)."""

    def webhook(self, kind: str, fields: Mapping[str, Any], /) -> WebhookPayload:
        kind_from_name(kind)  # UnknownKindError (a ValueError's cousin) names the kind
        for name in fields:
            if name not in VARIABLES:
                hint = suggest(name, list(VARIABLES))
                if hint:
                    raise BadFieldError(
                        f"{name!r} is not a variable ViciDial sends; did you mean {hint[0]!r}?"
                    )
        return build_payload(kind, [(str(k), _text(v)) for k, v in fields.items()])


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "Y" if value else "N"
    return "" if value is None else str(value)


WEBHOOK_PAYLOADS = WebhookFactory()


def _factories() -> dict[str, ErrorFactory]:
    """Every typed error a ViciDial or notify service raises, by class name."""
    made: dict[str, ErrorFactory] = {}
    for cls in _classes(vici_errors, vici_errors.ViciError):
        made[cls.__name__] = _vici(cls)
    for cls in _classes(notify_errors, notify_errors.NotifyError):
        made[cls.__name__] = _notify(cls)
    return made


def _classes(module: Any, base: type[Exception]) -> list[type[Exception]]:
    return [
        cls
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, base) and cls.__module__ == module.__name__
    ]


def _vici(cls: type[Exception]) -> ErrorFactory:
    def make(message: str) -> Exception:
        if cls is vici_errors.ViciHttpError:
            return vici_errors.ViciHttpError(message, status_code=500)
        if cls is vici_errors.ViciTimeoutError:
            return vici_errors.ViciTimeoutError(message, timeout=0.0, outcome_unknown=True)
        return cls(message)

    return make


def _notify(cls: type[Exception]) -> ErrorFactory:
    def make(message: str) -> Exception:
        if cls is notify_errors.NotifyTimeoutError:
            return notify_errors.NotifyTimeoutError("stub", 0.0)
        if cls is notify_errors.NotifyTemplateError:
            return notify_errors.NotifyTemplateError("stub", "body", message)
        return cls("stub", message)

    return make


ERRORS: Mapping[str, ErrorFactory] = _factories()


@dataclass(frozen=True)
class RulesSetup:
    """Where rules come from, and the sections the daemon would build their services from."""

    document: Document
    prefix: tuple[str, ...]  # ("rules",) for a config file, () for a rules file
    config: LoadedConfig | None

    @classmethod
    def from_file(
        cls, path: str | os.PathLike[str], *, environ: Mapping[str, str] | None = None
    ) -> RulesSetup:
        """A rules file (a YAML list) or a config file with a ``rules`` section; ConfigError
        with FILE:LINE:COL problems for a file that cannot be read or validated."""
        env = dict(os.environ if environ is None else environ)
        document = load_document(Path(path), environ=env)
        if isinstance(document.data, list):
            return cls(document, (), None)
        if not isinstance(document.data, dict) or "rules" not in document.data:
            raise ConfigError(
                [document.problem((), "neither a list of rules nor a config with a rules section")]
            )
        config = validate(document, SECTIONS, environ=env)
        return cls(document, ("rules",), config)

    @property
    def timezone(self) -> tzinfo:
        return self.config.core.timezone if self.config is not None else UTC

    @property
    def rules_data(self) -> Any:
        data = self.document.data
        return data["rules"] if self.prefix else data

    @property
    def vicidial(self) -> VicidialConfig:
        if self.config is not None:
            return self.config.section(VICIDIAL)
        return VicidialConfig.model_validate(DEFAULT_DIALER)

    def build(
        self,
        *,
        start: float,
        timezone: tzinfo | None = None,
        vicidial: VicidialConfig | None = None,
    ) -> Built:
        """A fresh Core on a manual clock at ``start`` with the integrations registered as the
        daemon registers them (every service, event type and entity kind); nothing is
        started. ``vicidial``: another dialer section than the file's."""
        core = Core(Clock(ClockMode.MANUAL, tz=timezone or self.timezone, start=start))
        webhooks = (
            self.config.section(WEBHOOKS)
            if self.config is not None
            else WEBHOOKS.model.model_validate({})
        )
        dialer = VicidialIntegration(core, vicidial or self.vicidial, webhooks, [OFFLINE_TOKEN])
        targets = self.config.section(NOTIFY) if self.config is not None else []
        return Built(core, dialer, NotifyIntegration(core, targets))

    def harness(
        self,
        built: Built,
        *,
        stubs: Mapping[str, Stub] | None = None,
        live: Callable[[str], bool] | None = None,
    ) -> Harnessed:
        """A harness on ``built`` with the rules loaded: its engine made first, so the rules
        see its own ``rules.*`` services, as the daemon's rules do. The harness holds the
        rules that loaded; the problems say why any did not."""
        harness = RuleHarness(
            built.core, (), events=WEBHOOK_PAYLOADS, stubs=stubs, errors=ERRORS, live=live
        )
        loaded = self.load_rules(built.core)
        harness.load(loaded.rules)
        return Harnessed(harness, loaded.problems)

    def load_rules(self, core: Core, *, strict: bool = False) -> RuleLoad:
        """The rules checked against ``core``'s services and vocabulary."""
        return load_rules(
            self.rules_data,
            core,
            Prefixed(self.document, self.prefix),
            strict=strict,
            base_dir=Path(self.document.base_dir),  # a ./blueprint beside the rules file
        )


@dataclass(frozen=True, slots=True)
class Harnessed:
    harness: RuleHarness
    problems: tuple[ConfigProblem, ...]


@dataclass(frozen=True, slots=True)
class Built:
    core: Core
    vicidial: VicidialIntegration
    notify: NotifyIntegration


def vicidial_live(service: str) -> bool:
    """The services a simulated dialer answers (``--simulator``)."""
    return service.startswith("vicidial.")


def simulated(config: VicidialConfig) -> VicidialConfig:
    """The dialer section ``--simulator`` runs: the file's simulated dialer (its scenario and
    poll plan) or the demo one, on a free loopback port, without its traffic model (the test
    makes what happens)."""
    if config.simulated is None:
        return VicidialConfig.model_validate(DEFAULT_DIALER)
    sim = config.simulated.model_copy(update={"port": 0, "traffic": False, "speed": None})
    return config.model_copy(update={"simulated": sim})


class OfflineBench:
    """Where ``vicibus test`` runs a file's tests: a fresh Core per test, its services
    answered by stubs, or with ``simulator`` its ViciDial services by a fresh embedded
    simulated dialer (started per test, polled once before the given states)."""

    def __init__(self, *, simulator: bool = False, environ: Mapping[str, str] | None = None):
        self.simulator = simulator
        self._environ = dict(environ or {})
        self._setups: dict[Path, RulesSetup] = {}
        self._built: dict[int, Built] = {}

    def __repr__(self) -> str:
        return f"OfflineBench(simulator={self.simulator})"

    def prepare(self, file: LoadedTestFile) -> list[ConfigProblem]:
        try:
            setup = RulesSetup.from_file(file.rules_path, environ=self._environ)
        except ConfigError as exc:
            return list(exc.problems)
        built = setup.build(start=0.0)
        problems = list(setup.harness(built).problems)
        if not problems:
            self._setups[file.path] = setup
        return problems

    async def open(
        self, file: LoadedTestFile, test: RuleTest, stubs: Mapping[str, Stub]
    ) -> RuleHarness:
        setup = self._setups[file.path]
        zone = file.spec.timezone or setup.timezone
        built = setup.build(
            start=start_time(test.given.time, zone),
            timezone=zone,
            vicidial=simulated(setup.vicidial) if self.simulator else None,
        )
        harness = setup.harness(
            built, stubs=stubs, live=vicidial_live if self.simulator else None
        ).harness
        self._built[id(harness)] = built
        return harness

    async def begin(self, harness: RuleHarness) -> None:
        if not self.simulator:
            return
        dialer = self._built[id(harness)].vicidial
        # Its callbacks go nowhere: the test's steps are the only webhooks.
        await dialer.connect(NOWHERE, traffic=False)
        assert dialer.admin is not None
        poller = Poller(
            harness.core, dialer.admin, dialer.plan, push=dialer.push, daily=dialer.daily
        )
        await poller.poll_once()

    async def close(self, harness: RuleHarness) -> None:
        built = self._built.pop(id(harness))
        try:
            await harness.stop()
        finally:
            await built.vicidial.stop()
