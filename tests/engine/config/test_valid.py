"""Valid configs are accepted, with the values and defaults they mean."""

from __future__ import annotations

from ipaddress import IPv4Network
from pathlib import Path
from zoneinfo import ZoneInfo

from engine.clock import ClockMode
from engine.config import RULES, load
from engine.config.fields import system_zone
from integrations.notify import NOTIFY
from integrations.notify.config import HttpTarget, LogTarget, SmtpTarget
from integrations.vicidial.glue import VICIDIAL, WEBHOOKS
from integrations.vicidial.glue.config import DEFAULT_POLL_INTERVAL, WebhooksConfig
from integrations.vicidial.simulator.scenario import builtin_text
from integrations.vicidial.webhooks.config import ReceiverConfig
from tests.engine.config.support import FIXTURES, SECTIONS, SIMULATED, load_tree, write

FULL = FIXTURES / "full" / "config.yaml"


def test_the_issue_example_with_includes_secrets_and_env_is_accepted() -> None:
    config = load(FULL, SECTIONS, environ={"VICIBUS_PORT": "8200"})
    core = config.core
    assert core.timezone == ZoneInfo("America/New_York")
    assert core.clock.mode is ClockMode.REAL
    assert (core.http.host, core.http.port) == ("127.0.0.1", 8200)
    assert core.http.api_token is not None
    assert core.http.api_token.get_secret_value() == "api-Token-3"
    assert core.storage.path == Path("/var/lib/vicibus")
    assert (core.logging.level, core.logging.format) == ("info", "text")

    dialer = config.section(VICIDIAL)
    assert dialer.url == "https://dialer.example.com"
    assert dialer.api_password is not None
    assert dialer.api_password.get_secret_value() == "vici-Secret-1"
    assert dialer.poll.ingroups == ("SALESLINE", "SUPPORT")  # from poll.yaml
    assert dialer.poll.discover is False
    assert dialer.rate_limits.default.rate == 5
    # A burst left out is the rate rounded up.
    assert dialer.rate_limits.functions["external_dial"].burst == 1
    assert dialer.rate_limits.functions["add_lead"].burst == 40
    assert (dialer.breaker.failures, dialer.breaker.reset_after) == (3, 60)

    webhooks = config.section(WEBHOOKS)
    assert [t.get_secret_value() for t in webhooks.tokens] == ["hook-Token-4"]
    assert webhooks.allowed_networks == (IPv4Network("10.0.0.0/8"),)
    assert webhooks.allows("10.1.2.3")
    assert not webhooks.allows("192.168.0.1")

    targets = config.section(NOTIFY)
    assert [type(t) for t in targets] == [HttpTarget, SmtpTarget, LogTarget]
    smtp = targets[1]
    assert isinstance(smtp, SmtpTarget)
    assert smtp.port == 587  # starttls's port by default

    # Sorted by path, subdirectories included.
    assert [r["id"] for r in config.section(RULES)] == ["ready_too_long", "pause_max_break"]
    assert config.warnings == ()
    assert config.secret_values == {
        "vici-Secret-1",
        "agent-Secret-2",
        "api-Token-3",
        "hook-Token-4",
        "smtp-Secret-5",
    }
    assert len(config.files) == 5  # config, secrets, poll, two rule files


def test_the_default_port_comes_from_the_env_var_default() -> None:
    assert load(FULL, SECTIONS, environ={}).core.http.port == 8123


def test_secrets_stay_out_of_reprs() -> None:
    config = load(FULL, SECTIONS, environ={})
    shown = repr(config) + repr(config.core) + repr(config.sections)
    for secret in config.secret_values:
        assert secret not in shown
    assert "hooks.example.com" not in repr(config.section(NOTIFY))  # a webhook URL is a secret


def test_only_a_simulated_dialer_is_valid_with_defaults_for_the_rest(here: Path) -> None:
    config = load_tree(here, {"config.yaml": SIMULATED})
    core = config.core
    assert core.timezone == system_zone()
    assert core.clock.mode is ClockMode.REAL
    assert (core.http.host, core.http.port, core.http.api_token) == ("127.0.0.1", 8123, None)
    assert core.storage.path == here / ".vicibus"  # beside the config file
    assert (core.logging.level, core.logging.format) == ("info", "text")
    dialer = config.section(VICIDIAL)
    assert dialer.simulated is not None
    assert dialer.simulated.scenario == "demo"
    assert dialer.poll.interval == DEFAULT_POLL_INTERVAL
    assert config.section(WEBHOOKS).tokens == ()  # the daemon makes one
    assert config.section(NOTIFY) == ()
    assert config.section(RULES) == []


def test_the_shipped_demo_fixture_is_valid() -> None:
    config = load(FIXTURES / "demo" / "config.yaml", SECTIONS, environ={})
    assert config.core.storage.path == (FIXTURES / "demo" / ".vicibus").absolute()


def test_storage_defaults_to_the_systemd_state_directory(here: Path) -> None:
    environ = {"STATE_DIRECTORY": "/var/lib/vicibus:/var/lib/other"}
    config = load_tree(here, {"config.yaml": SIMULATED}, environ=environ)
    assert config.core.storage.path == Path("/var/lib/vicibus")


def test_a_relative_storage_path_starts_at_the_config_file(here: Path) -> None:
    write(here, {"conf/config.yaml": SIMULATED + "storage: {path: state}\n"})
    config = load(here / "conf" / "config.yaml", SECTIONS, environ={})
    assert config.core.storage.path == here / "conf" / "state"


def test_a_relative_scenario_path_starts_at_the_config_file(here: Path) -> None:
    files = {
        "conf/config.yaml": "vicidial: {simulated: {scenario: sims/center.yaml, seed: 7}}\n",
        "conf/sims/center.yaml": builtin_text("demo.yaml"),
    }
    write(here, files)
    config = load(here / "conf" / "config.yaml", SECTIONS, environ={})
    simulated = config.section(VICIDIAL).simulated
    assert simulated is not None
    assert simulated.scenario == str(here / "conf" / "sims" / "center.yaml")
    assert simulated.seed == 7


def test_accelerated_clock_and_an_external_simulator(here: Path) -> None:
    files = {
        "config.yaml": "clock: {mode: accelerated, follow: simulator}\n"
        "vicidial:\n  url: http://127.0.0.1:8089\n  api_user: 6666\n  api_password: x\n"
        "  simulator_control: {token: abc}\n"
    }
    config = load_tree(here, files)
    assert config.core.clock.follow == "simulator"
    dialer = config.section(VICIDIAL)
    assert dialer.api_user == "6666"  # pydantic reads the number as the user's name
    assert dialer.simulator_control is not None


def test_speed_on_a_real_clock_is_a_warning_not_an_error(here: Path) -> None:
    config = load_tree(here, {"config.yaml": SIMULATED + "clock: {mode: real, speed: 60}\n"})
    assert [str(w) for w in config.warnings] == [
        "config.yaml:2:28: warning: speed applies only to an accelerated clock; a real clock "
        "ignores it"
    ]


def test_include_dir_list_makes_one_item_per_file(here: Path) -> None:
    files = {
        "config.yaml": SIMULATED + "notify: !include_dir_list notify.d\n",
        "notify.d/b.yaml": "{name: b, platform: log}\n",
        "notify.d/a.yaml": "name: a\nplatform: log\n",
        "notify.d/.hidden.yaml": "{name: hidden, platform: log}\n",
        "notify.d/empty.yaml": "",
        "notify.d/notes.txt": "not YAML at all: [",
    }
    config = load_tree(here, files)
    assert [t.name for t in config.section(NOTIFY)] == ["a", "b"]


def test_anchors_and_merge_keys(here: Path) -> None:
    files = {
        "config.yaml": SIMULATED + "notify:\n  - &base {name: a, platform: log, level: error}\n"
        "  - {<<: *base, name: b}\n"
    }
    targets = load_tree(here, files).section(NOTIFY)
    assert [(t.name, getattr(t, "level", None)) for t in targets] == [
        ("a", "error"),
        ("b", "error"),
    ]


def test_yaml_1_2_scalars(here: Path) -> None:
    # `yes` and `08:00` stay strings (YAML 1.1 made a boolean and a number of them).
    files = {"config.yaml": SIMULATED + "rules:\n  - {a: yes, b: 08:00, c: 0x1F, d: 1_000}\n"}
    rules = load_tree(here, files).section(RULES)
    assert rules == [{"a": "yes", "b": "08:00", "c": 31, "d": 1000}]


def test_flow_mapping_with_an_unquoted_url(here: Path) -> None:
    # libyaml refuses this; YAML 1.2 (the pure parser) allows it, and its answer counts.
    files = {
        "config.yaml": "vicidial: {url: https://dialer.example.com/, api_user: a,\n"
        "  api_password: b}\n"
    }
    assert load_tree(here, files).section(VICIDIAL).url == "https://dialer.example.com"


def test_the_webhooks_section_takes_every_receiver_setting(here: Path) -> None:
    # Derived from the receiver's own model: a setting added there is a config key at once.
    assert set(WebhooksConfig.model_fields) == set(ReceiverConfig.model_fields)
    files = {
        "config.yaml": SIMULATED + "http:\n  webhooks: {max_connections: 10, head_timeout: 1.5}\n"
    }
    webhooks = load_tree(here, files).section(WEBHOOKS)
    assert isinstance(webhooks, ReceiverConfig)
    assert (webhooks.max_connections, webhooks.head_timeout) == (10, 1.5)
