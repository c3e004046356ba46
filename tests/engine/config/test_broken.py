"""Broken configs, each refused with the exact file:line:column and message."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.engine.config.support import SIMULATED, problems


@dataclass(frozen=True)
class Case:
    id: str
    files: dict[str, str]
    expected: list[str]
    environ: dict[str, str] = field(default_factory=dict)


def sim(rest: str) -> dict[str, str]:
    return {"config.yaml": SIMULATED + rest}


CASES = [
    # -- YAML itself ------------------------------------------------------------------------------
    Case(
        "bad YAML",
        sim("http: {host: [1, 2}\n"),
        [
            "config.yaml:2:19: not valid YAML: expected ',' or ']', but got '}' "
            "(while parsing a flow sequence)"
        ],
    ),
    Case(
        "tab indentation",
        sim("http:\n\tport: 1\n"),
        ["config.yaml:3:1: a tab character here: indent YAML with spaces"],
    ),
    Case(
        "duplicate key",
        sim("http:\n  port: 1\n  host: a\n  port: 2\n"),
        ["config.yaml:5:3: duplicate key 'port' (first at line 3)"],
    ),
    Case(
        "unknown tag",
        sim("notify: !includ x.yaml\n"),
        ["config.yaml:2:9: unknown tag !includ; did you mean !include?"],
    ),
    Case(
        "not a mapping",
        {"config.yaml": "- a\n- b\n"},
        ["config.yaml:1:1: a config file is a mapping of sections (vicidial:, http:, ...)"],
    ),
    # -- unknown keys at each level ---------------------------------------------------------------
    Case(
        "unknown top-level key",
        sim("notfy: []\n"),
        ["config.yaml:2:1: unknown key 'notfy'; did you mean 'notify'?"],
    ),
    Case(
        "unknown clock key",
        sim("clock: {mode: real, sped: 2}\n"),
        ["config.yaml:2:21: unknown key 'sped' in clock; did you mean 'speed'?"],
    ),
    Case(
        "unknown http key names the nested webhooks section",
        sim("http:\n  webhoks: {}\n"),
        ["config.yaml:3:3: unknown key 'webhoks' in http; did you mean 'webhooks'?"],
    ),
    Case(
        "unknown key without a near one lists the expected keys",
        sim("logging: {colour: true}\n"),
        ["config.yaml:2:11: unknown key 'colour' in logging; expected one of: level, format"],
    ),
    Case(
        "unknown vicidial key",
        {"config.yaml": "vicidial:\n  simulated: {scenario: demo}\n  pol: {interval: 5}\n"},
        ["config.yaml:3:3: unknown key 'pol' in vicidial; did you mean 'poll'?"],
    ),
    Case(
        "unknown poll key",
        {"config.yaml": "vicidial:\n  simulated: {scenario: demo}\n  poll: {intervall: 5}\n"},
        ["config.yaml:3:10: unknown key 'intervall' in vicidial.poll; did you mean 'interval'?"],
    ),
    Case(
        "unknown simulated key",
        {"config.yaml": "vicidial:\n  simulated: {scenario: demo, sped: 5}\n"},
        ["config.yaml:2:31: unknown key 'sped' in vicidial.simulated; did you mean 'speed'?"],
    ),
    Case(
        "unknown webhooks key",
        sim("http:\n  webhooks:\n    body_limt: 5\n"),
        ["config.yaml:4:5: unknown key 'body_limt' in http.webhooks; did you mean 'body_limit'?"],
    ),
    Case(
        "unknown key inside one platform of notify",
        sim("notify:\n  - {name: boss, platform: http, uri: 'https://x'}\n"),
        [
            "config.yaml:3:5: notify[0]: missing required key 'url'",
            "config.yaml:3:34: unknown key 'uri' in notify[0]; did you mean 'url'?",
        ],
    ),
    # -- types and ranges -------------------------------------------------------------------------
    Case(
        "wrong type",
        sim("http: {port: eighty}\n"),
        [
            "config.yaml:2:14: http.port: should be a valid integer, unable to parse string as "
            "an integer"
        ],
    ),
    Case(
        "a mapping where a list goes",
        sim("notify: {name: boss}\n"),
        ["config.yaml:2:9: notify: should be a list (got a mapping)"],
    ),
    Case(
        "an empty section is placed at its key",
        {"config.yaml": "vicidial:\n"},
        ["config.yaml:1:1: vicidial: should be a mapping (got nothing (null))"],
    ),
    Case(
        "a list where a mapping goes",
        sim("storage: [1]\n"),
        ["config.yaml:2:10: storage: should be a mapping (got a list)"],
    ),
    Case(
        "out-of-range port",
        sim("http: {port: 65536}\n"),
        ["config.yaml:2:14: http.port: should be less than or equal to 65535 (got 65536)"],
    ),
    Case(
        "bad time zone",
        sim("timezone: Europe/Pari\n"),
        [
            "config.yaml:2:11: timezone: unknown time zone 'Europe/Pari'; did you mean "
            "'Europe/Paris'?"
        ],
    ),
    Case(
        "bad clock mode",
        sim("clock: {mode: acelerated}\n"),
        [
            "config.yaml:2:15: clock.mode: should be 'real', 'accelerated' or 'manual' "
            "(got 'acelerated'); did you mean 'accelerated'?"
        ],
    ),
    Case(
        "accelerated clock without a speed",
        sim("clock: {mode: accelerated}\n"),
        [
            "config.yaml:2:15: clock.mode: an accelerated clock needs speed: N (times real time) "
            "or follow: simulator"
        ],
    ),
    Case(
        "a manual clock follows nothing",
        sim("clock: {mode: manual, follow: simulator}\n"),
        [
            "config.yaml:2:31: clock.follow: a manual clock follows nothing: it moves only "
            "when advanced"
        ],
    ),
    Case(
        "bad network in the receiver's settings",
        sim("http:\n  webhooks: {allowed_networks: [10.0.0.0/33]}\n"),
        [
            "config.yaml:3:33: http.webhooks.allowed_networks[0]: is not a valid IPv4 network "
            "or is not a valid IPv6 network"
        ],
    ),
    # -- secrets, includes, environment -----------------------------------------------------------
    Case(
        "missing secret",
        {
            "config.yaml": SIMULATED + "http: {api_token: !secret api_tokn}\n",
            "secrets.yaml": "api_token: s3cr3t-value\n",
        },
        ["config.yaml:2:19: secret 'api_tokn' is not in secrets.yaml; did you mean 'api_token'?"],
    ),
    Case(
        "missing secrets.yaml",
        sim("http: {api_token: !secret api_token}\n"),
        ["config.yaml:2:19: !secret api_token: there is no secrets.yaml"],
    ),
    Case(
        "missing include",
        sim("notify: !include notify.yaml\n"),
        ["config.yaml:2:9: cannot include notify.yaml: No such file or directory"],
    ),
    Case(
        "include loop",
        {
            "config.yaml": SIMULATED + "notify: !include a.yaml\n",
            "a.yaml": "!include b.yaml\n",
            "b.yaml": "- !include a.yaml\n",
        },
        ["b.yaml:1:3: include loop: a.yaml -> b.yaml -> a.yaml"],
    ),
    Case(
        "include of a directory that does not exist",
        sim("rules: !include_dir_merge_list rules.d\n"),
        ["config.yaml:2:8: !include_dir_merge_list: no such directory rules.d"],
    ),
    Case(
        "unset environment variable without a default",
        sim("http: {port: !env_var VICIBUS_TEST_PORT}\n"),
        [
            "config.yaml:2:14: environment variable VICIBUS_TEST_PORT is not set, "
            "and no default is given"
        ],
    ),
    Case(
        "a value from the environment is validated where it is used",
        sim("http: {port: !env_var VICIBUS_TEST_PORT}\n"),
        # Not quoted: a string from the environment may be a secret.
        ["config.yaml:2:14: http.port: should be less than or equal to 65535"],
        environ={"VICIBUS_TEST_PORT": "99999"},
    ),
    Case(
        "errors inside an included file",
        {
            "config.yaml": "vicidial: !include dialer.yaml\n",
            "dialer.yaml": "simulated:\n  scenario: demo\npoll:\n  interval: fast\n",
        },
        [
            "dialer.yaml:4:13: vicidial.poll.interval: should be a valid number, unable to parse "
            "string as a number"
        ],
    ),
    Case(
        "errors inside !include_dir_merge_list files",
        {
            "config.yaml": SIMULATED + "notify: !include_dir_merge_list notify.d\n",
            "notify.d/a.yaml": "- {name: a, platform: log}\n",
            "notify.d/b.yaml": "- {name: b, platform: log}\n- {name: c, platform: smtp, host: h}\n",
        },
        [
            "notify.d/b.yaml:2:3: notify[2]: missing required key 'sender'",
            "notify.d/b.yaml:2:3: notify[2]: missing required key 'to'",
        ],
    ),
    Case(
        "a merged directory file that holds no list",
        {
            "config.yaml": SIMULATED + "notify: !include_dir_merge_list notify.d\n",
            "notify.d/a.yaml": "name: a\nplatform: log\n",
        },
        ["notify.d/a.yaml:1:1: !include_dir_merge_list merges lists: this file must hold a list"],
    ),
    # -- the vicidial section ---------------------------------------------------------------------
    Case(
        "no vicidial section",
        {"config.yaml": "http: {port: 80}\n"},
        ["config.yaml:1:1: missing required section 'vicidial'"],
    ),
    Case(
        "poll interval below the floor says why",
        {"config.yaml": "vicidial:\n  simulated: {scenario: demo}\n  poll: {interval: 0.5}\n"},
        [
            "config.yaml:3:20: vicidial.poll.interval: a poll interval is at least 1 second: "
            "ViciDial's live tables are MEMORY tables under one lock, and polling them faster "
            "can stall the dialer"
        ],
    ),
    Case(
        "url with credentials in it",
        {
            "config.yaml": "vicidial:\n  url: https://admin:pw123@dialer.example.com\n"
            "  api_user: a\n  api_password: b\n"
        },
        [
            "config.yaml:2:8: vicidial.url: must not carry credentials (user:password@): "
            "set api_user and api_password instead"
        ],
    ),
    Case(
        "both url and simulated",
        {
            "config.yaml": "vicidial:\n  url: https://dialer.example.com\n  api_user: a\n"
            "  api_password: b\n  simulated: {scenario: demo}\n"
        },
        [
            "config.yaml:5:3: vicidial.simulated: set url (a real dialer) or simulated "
            "(the embedded one), not both"
        ],
    ),
    Case(
        "neither url nor simulated",
        {"config.yaml": "vicidial: {timeout: 5}\n"},
        [
            "config.yaml:1:11: vicidial: set url (a real dialer, with api_user and api_password) "
            "or simulated (the embedded simulated dialer, e.g. simulated: {scenario: demo})"
        ],
    ),
    Case(
        "a real dialer without its API user",
        {"config.yaml": "vicidial:\n  url: https://dialer.example.com\n  api_password: b\n"},
        [
            "config.yaml:2:3: vicidial: missing required key 'api_user': a real dialer (url) "
            "needs it"
        ],
    ),
    Case(
        "unknown rate-limit function name",
        {
            "config.yaml": "vicidial:\n  simulated: {scenario: demo}\n  rate_limits:\n"
            "    functions:\n      external_dail: {rate: 1}\n"
        },
        [
            "config.yaml:5:7: vicidial.rate_limits.functions.external_dail: no ViciDial API "
            "function is called 'external_dail'; did you mean 'external_dial'?"
        ],
    ),
    Case(
        "source longer than ViciDial keeps",
        {
            "config.yaml": "vicidial:\n  url: https://d.example.com\n  api_user: a\n"
            "  api_password: b\n  source: abcdefghijklmnopqrstuvwxyz\n"
        },
        ["config.yaml:5:11: vicidial.source: string should have at most 20 characters"],
    ),
    Case(
        "clock following a simulator that is not there",
        {
            "config.yaml": "clock: {mode: real, follow: simulator}\nvicidial:\n"
            "  url: http://dialer\n  api_user: a\n  api_password: b\n"
        },
        [
            "config.yaml:1:29: follow: simulator needs a simulated dialer: vicidial.simulated, "
            "or vicidial.simulator_control for an external vicibus simulate"
        ],
    ),
    Case(
        "scenario file with a problem of its own",
        {
            "config.yaml": "vicidial: {simulated: {scenario: center.yaml}}\n",
            "center.yaml": "users:\n  - {user: '1001', pasword: x}\n",
        },
        [
            "center.yaml:2:1: scenario: unknown key 'users.0.pasword'",
            "center.yaml:2:1: scenario: users.0.password: required",
            "center.yaml:2:1: scenario: users.0.user_group: required",
        ],
    ),
    # -- notify ------------------------------------------------------------------------------------
    Case(
        "duplicate notify name, at the second one",
        sim(
            "notify:\n  - {name: boss, platform: log}\n  - {name: team, platform: log}\n"
            "  - {name: boss, platform: log}\n"
        ),
        ["config.yaml:5:12: notify[2].name: a second target named 'boss' (the first is notify[0])"],
    ),
    Case(
        "bad notify platform",
        sim("notify:\n  - {name: boss, platform: htp, url: 'https://x'}\n"),
        [
            "config.yaml:3:28: notify[0].platform: unknown platform 'htp'; expected 'log', "
            "'http' or 'smtp'; did you mean 'http'?"
        ],
    ),
    Case(
        "notify without a platform",
        sim("notify:\n  - {name: boss}\n"),
        ["config.yaml:3:5: notify[0]: missing required key 'platform'"],
    ),
    Case(
        "notify names that cannot be services",
        sim("notify:\n  - {name: Big Boss, platform: log}\n  - {name: log, platform: log}\n"),
        [
            "config.yaml:3:12: notify[0].name: a target's name makes the service notify.<name>: "
            "lower-case letters, digits and _, starting with a letter",
            "config.yaml:4:12: notify[1].name: notify.log is built in: give this target another "
            "name",
        ],
    ),
    Case(
        "http notify URL that is no URL, never quoted",
        sim("notify:\n  - {name: boss, platform: http, url: 'hooks.example.com/T0K3N'}\n"),
        ["config.yaml:3:39: notify[0].url: should be an http:// or https:// URL"],
    ),
    Case(
        "smtp user without a password",
        sim(
            "notify:\n  - {name: mail, platform: smtp, host: h, username: u, sender: a@b, "
            "to: [c@d]}\n"
        ),
        ["config.yaml:3:43: notify[0].username: username needs password beside it"],
    ),
    Case(
        "every problem of a file at once",
        sim("timezone: Nowhere/City\nhttp: {port: -1}\nlogging: {level: loud}\n"),
        [
            "config.yaml:2:11: timezone: unknown time zone 'Nowhere/City' (an IANA name such as "
            "Europe/Paris)",
            "config.yaml:3:14: http.port: should be greater than or equal to 0 (got -1)",
            "config.yaml:4:18: logging.level: should be 'debug', 'info', 'warning' or 'error' "
            "(got 'loud')",
        ],
    ),
]


def test_there_are_at_least_25_broken_configs() -> None:
    assert len(CASES) >= 25
    assert len({case.id for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_broken_config_is_refused_where_it_is_wrong(here: Path, case: Case) -> None:
    assert problems(here, case.files, environ=case.environ) == case.expected
