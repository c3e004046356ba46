"""setup: every target is a service with its platform's schemas before anything starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.config import ConfigError, load
from engine.core import Core
from integrations.notify import CONFIG_SECTIONS, setup
from tests.integrations.notify.conftest import Notify, call

SECRET_URL = "https://hooks.example.com/services/T000/B000/s3cretT0kenValue"
CONFIG = f"""\
notify:
  - {{name: ops_log, platform: log, level: warning}}
  - {{name: floor, platform: http, url: '{SECRET_URL}', format: slack,
     headers: {{X-Key: hdr-s3cret-value}}}}
  - {{name: teams, platform: http, url: 'https://example.webhook.office.com/x', format: teams}}
  - {{name: hook, platform: http, url: 'http://127.0.0.1:9/x', body: '{{{{ message }}}}'}}
  - name: nightly
    platform: smtp
    host: mail.example.com
    username: vicibus
    password: smtp-s3cret-pw
    sender: vicibus@example.com
    to: [ops@example.com]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(text)
    return path


def test_every_target_is_a_service_with_its_schemas(tmp_path: Path) -> None:
    core = Core()
    integration = setup(core, load(write(tmp_path, CONFIG), CONFIG_SECTIONS))
    expected = ["notify.log", "notify.ops_log", "notify.floor", "notify.teams", "notify.hook"]
    expected.append("notify.nightly")
    assert integration.services == expected
    assert [n for n in core.services.names() if n.startswith("notify.")] == sorted(expected)

    def schema(name: str) -> tuple[set[str], set[str], bool]:
        described = core.services.describe(name)
        params = described["params"]
        assert params["required"] == ["message"]
        return (
            set(params["properties"]),
            set(described["result"]["properties"]),
            (described["side_effects"]),
        )

    base = {"message", "title"}
    assert schema("notify.log") == (
        {*base, "data", "level"},
        {"target", "platform", "attempts", "level"},
        True,
    )
    assert schema("notify.floor")[0] == {*base, "channel", "username", "icon_url"}
    assert schema("notify.teams")[0] == base
    assert schema("notify.hook")[0] == {*base, "data"}
    params, result, _ = schema("notify.nightly")
    assert params == {*base, "data", "subject", "to", "attachments"}
    assert result == {"target", "platform", "attempts", "message_id", "recipients", "refused"}
    http = core.services.describe("notify.floor")
    assert "status" in http["result"]["properties"]
    assert http["description"] == "send a notification over HTTP (slack)"


def test_nothing_shows_a_secret(tmp_path: Path) -> None:
    core = Core()
    integration = setup(core, load(write(tmp_path, CONFIG), CONFIG_SECTIONS))
    texts = [repr(integration), *map(repr, integration.notifiers.values())]
    texts.extend(str(core.services.describe(name)) for name in integration.services)
    for text in texts:
        for secret in ("s3cretT0kenValue", "hdr-s3cret-value", "smtp-s3cret-pw", "hooks.example"):
            assert secret not in text


def test_remove_takes_the_services_out(tmp_path: Path) -> None:
    core = Core()
    integration = setup(core, load(write(tmp_path, CONFIG), CONFIG_SECTIONS))
    integration.remove()
    assert [n for n in core.services.names() if n.startswith("notify.")] == []


def test_notify_log_exists_with_no_config(tmp_path: Path) -> None:
    core = Core()
    setup(core, load(write(tmp_path, "timezone: UTC\n"), CONFIG_SECTIONS))
    assert [n for n in core.services.names() if n.startswith("notify.")] == ["notify.log"]


@pytest.mark.parametrize(
    ("entry", "where", "message"),
    [
        (
            "{name: a, platform: http, url: 'https://x.example/h', body: '{{ message '}",
            ":2:",
            "notify[0].body: template syntax error on line 1",
        ),
        (
            "{name: a, platform: smtp, host: h, sender: a@b.example, to: [c@d.example],"
            " subject: '{% if %}'}",
            ":2:",
            "notify[0].subject: template syntax error on line 1",
        ),
        (
            "{name: a, platform: smtp, host: h, sender: a@b.example, to: [c@d.example],"
            " ca_file: missing.pem}",
            ":2:",
            "notify[0].ca_file: no such file",
        ),
    ],
)
def test_template_and_file_problems_are_found_at_load(
    tmp_path: Path, entry: str, where: str, message: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        load(write(tmp_path, f"notify:\n  - {entry}\n"), CONFIG_SECTIONS)
    assert where in str(caught.value)
    assert message in str(caught.value)


async def test_start_and_stop_twice_are_harmless(core: Core, notify: Notify) -> None:
    integration = await notify(CONFIG)
    await integration.start()
    await integration.stop()
    await integration.stop()
    await integration.start()
    result = await call(core, "notify.ops_log", {"message": "back"})
    assert result.level == "warning"
