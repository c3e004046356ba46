"""The daemon's lifecycle events: vicibus_started once everything runs, vicibus_reloaded after
a reload, vicibus_stopping as a stop begins, while the bus still delivers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from engine.app import App
from engine.events import VICIBUS_RELOADED, VICIBUS_STARTED, VICIBUS_STOPPING, Event

CONFIG = """\
timezone: UTC
clock: {mode: manual}
vicidial:
  simulated: {scenario: fixtures, traffic: false}
  poll: {interval: 3600}
http: {host: 127.0.0.1, port: 0}
storage: {path: STATE}
"""


async def test_started_reloaded_and_stopping_reach_listeners_in_that_order(
    tmp_path: Path,
) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(CONFIG.replace("STATE", str(tmp_path / "state")))
    app = App.load(path, environ={})
    seen: list[Event[Any]] = []
    for event_type in (VICIBUS_STARTED, VICIBUS_RELOADED, VICIBUS_STOPPING):
        app.core.bus.subscribe(event_type, seen.append)
    await app.start()
    try:
        await app.core.settle()
        assert [e.type for e in seen] == [VICIBUS_STARTED]
        await app.reload(App.load(path, environ={}))
        await app.core.settle()
    finally:
        await app.stop(deadline=2)
    assert [e.type for e in seen] == [VICIBUS_STARTED, VICIBUS_RELOADED, VICIBUS_STOPPING]
    assert {e.context.origin.value for e in seen} == {"system"}
