"""notify.log and log targets: one line at the target's level, on one line, secrets masked."""

from __future__ import annotations

import logging

import pytest
from pydantic import SecretStr

from engine.context import Context, Origin
from engine.core import Core
from engine.services import ServiceCall
from integrations.notify.log import LogNotifier
from integrations.notify.models import LogParams, LogResult
from tests.integrations.notify.conftest import Notify, call

CONFIG = "notify:\n  - {name: supervisors, platform: log, level: warning}\n"


def records(caplog: pytest.LogCaptureFixture) -> list[tuple[str, int, str]]:
    return [
        (r.name, r.levelno, r.getMessage()) for r in caplog.records if r.name == "vicibus.notify"
    ]


async def test_notify_log_at_info(
    core: Core, notify: Notify, caplog: pytest.LogCaptureFixture
) -> None:
    await notify(CONFIG)
    with caplog.at_level(logging.DEBUG):
        result = await call(
            core, "notify.log", {"message": "12 calls waiting", "title": "SALES", "data": {"n": 12}}
        )
    assert result == LogResult(target="log", level="info")
    assert records(caplog) == [
        ("vicibus.notify", logging.INFO, 'notify.log: SALES: 12 calls waiting data={"n": 12}')
    ]


async def test_a_target_logs_at_its_level_or_the_calls(
    core: Core, notify: Notify, caplog: pytest.LogCaptureFixture
) -> None:
    await notify(CONFIG)
    with caplog.at_level(logging.DEBUG):
        await call(core, "notify.supervisors", {"message": "over max pause"})
        await call(core, "notify.supervisors", {"message": "dialer down", "level": "error"})
    assert records(caplog) == [
        ("vicibus.notify", logging.WARNING, "notify.supervisors: over max pause"),
        ("vicibus.notify", logging.ERROR, "notify.supervisors: dialer down"),
    ]


async def test_a_number_is_a_message(core: Core, notify: Notify) -> None:
    # A rule's "{{ count }}" renders to a number.
    await notify(CONFIG)
    result = await call(core, "notify.log", {"message": 42})
    assert result.target == "log"


def test_one_line_whatever_the_message_holds() -> None:
    line = LogNotifier("log").line(
        LogParams(message="first\nWARNING forged line\r\n", title="a\nb", data={"k": "x\ny"})
    )
    assert line == 'notify.log: a\\nb: first\\nWARNING forged line\\r\\n data={"k": "x\\ny"}'


async def test_secret_values_in_data_are_masked(caplog: pytest.LogCaptureFixture) -> None:
    notifier = LogNotifier("log")
    params = LogParams(message="m", data={"password": SecretStr("hunter2-secret")})
    with caplog.at_level(logging.DEBUG):
        await notifier.send(params, ServiceCall("notify.log", Context(Origin.SYSTEM)))
    assert "hunter2-secret" not in caplog.text
    assert '"password": "**********"' in caplog.text
