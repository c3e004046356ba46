"""Secret values never appear in a problem's message, a repr or the check's output."""

from __future__ import annotations

from pathlib import Path

from engine.config import load_document
from tests.engine.config.support import SIMULATED, load_tree, problems, write

SECRETS = {
    "secrets.yaml": "level: verbose-Secret\nurl: https://root:pw-Secret@dialer\n"
    "port: port-Secret\nkey: key-Secret\nkey_longer: key-Secret-and-more\n"
}


def test_a_secret_in_a_wrong_value_is_scrubbed_from_the_message(here: Path) -> None:
    files = {"config.yaml": SIMULATED + "logging: {level: !secret level}\n", **SECRETS}
    assert problems(here, files) == [
        "config.yaml:2:18: logging.level: should be 'debug', 'info', 'warning' or 'error' "
        "(got '***')"
    ]


def test_secret_urls_and_numbers_are_never_quoted(here: Path) -> None:
    files = {
        "config.yaml": "vicidial:\n  url: !secret url\n  api_user: a\n  api_password: b\n"
        "http: {port: !secret port}\n",
        **SECRETS,
    }
    lines = problems(here, files)
    assert lines == [
        "config.yaml:2:8: vicidial.url: must not carry credentials (user:password@): set "
        "api_user and api_password instead",
        "config.yaml:5:14: http.port: should be a valid integer, unable to parse string as an "
        "integer",
    ]


def test_overlapping_secrets_are_scrubbed_whole(here: Path) -> None:
    files = {
        "config.yaml": SIMULATED + "rules: [{a: !secret key, b: !secret key_longer}]\n",
        **SECRETS,
    }
    write(here, files)
    document = load_document("config.yaml")
    assert document.secret_values == {"key-Secret", "key-Secret-and-more"}
    assert document.scrub("saw key-Secret-and-more, key-Secret") == "saw ***, ***"
    config = load_tree(here, files)
    assert config.secret_values == document.secret_values
    assert "Secret" not in repr(config)
