from __future__ import annotations

import io
import json
import logging
import threading
from typing import Any

from pydantic import BaseModel

from engine.events import Event
from engine.logs import Redactor, setup_logging
from engine.services import Service, ServiceCall
from tests.rules.conftest import Harness

SECRET = "Sup3r-Secret-Passw0rd"


class Say(BaseModel):
    text: str


def _json_lines(out: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.getvalue().splitlines()]


async def test_json_lines_carry_the_context_of_the_event_or_run_they_came_from() -> None:
    out = io.StringIO()
    handler = setup_logging("info", "json", Redactor([SECRET]), stream=out)
    harness = Harness()
    log = logging.getLogger("vicibus.test")

    def inline(event: Event[Any]) -> None:
        log.info("inline heard")
        # A line another thread writes meanwhile (the journal's writer) is not the event's.
        thread = threading.Thread(target=log.info, args=("from a thread",))
        thread.start()
        thread.join()

    harness.core.bus.subscribe("inline_evt", inline)

    async def heard(event: Event[Any]) -> None:
        log.info("async heard")

    harness.core.bus.subscribe_async("async_evt", heard)

    async def say(params: Say, call: ServiceCall) -> None:
        log.info("said %s", params.text)

    harness.core.services.register(Service("test.say", Say, say, side_effects=False))
    try:
        await harness.core.start()
        await harness.start(
            """
- id: logs
  triggers: {trigger: event, event_type: run_evt}
  actions: [{action: test.say, data: {text: hi}}]
"""
        )
        heard_inline = harness.core.fire("inline_evt")
        asynchronous = harness.core.fire("async_evt")
        harness.core.fire("run_evt")
        await harness.settle()
        logging.getLogger("vicibus").info("outside any event")
        (run,) = harness.recorder.runs("logs")
        by_message = {entry["message"]: entry for entry in _json_lines(out)}
        assert set(by_message["inline heard"]) == {"time", "level", "logger", "message", "context"}
        assert by_message["inline heard"]["context"] == heard_inline.context.id
        assert by_message["async heard"]["context"] == asynchronous.context.id
        assert by_message["from a thread"]["context"] is None
        assert by_message["outside any event"]["context"] is None
        # A line the run causes (its service's) carries the run's context, not the event's.
        assert by_message["said hi"]["context"] == run.context.id  # as its console line
    finally:
        await harness.engine.stop()
        await harness.core.stop(timeout=1)
        logging.getLogger().removeHandler(handler)


def test_secrets_are_masked_in_messages_arguments_and_tracebacks() -> None:
    for fmt in ("text", "json"):
        out = io.StringIO()
        redact = Redactor([SECRET, "abc"])  # too short to mask blindly
        handler = setup_logging("debug", fmt, redact, stream=out)
        try:
            log = logging.getLogger("vicibus.test")
            log.info("password is %s", SECRET)
            log.warning(f"inline {SECRET} and abc")
            try:
                raise ValueError(f"failed with {SECRET}")
            except ValueError:
                log.exception("boom")
            text = out.getvalue()
            assert SECRET not in text
            assert text.count("**********") == 3  # message, argument, exception text
            assert "abc" in text
            assert "Traceback" in text or "traceback" in text.lower()
        finally:
            logging.getLogger().removeHandler(handler)
    redact.update(["Rotated-Token-0001"])
    assert redact(f"{SECRET} Rotated-Token-0001") == f"{SECRET} **********"
