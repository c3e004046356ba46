from __future__ import annotations

import io
import json
import logging

from engine.logs import CURRENT_CONTEXT, Redactor, setup_logging

SECRET = "Sup3r-Secret-Passw0rd"


def test_json_lines_carry_time_level_logger_message_and_context() -> None:
    out = io.StringIO()
    handler = setup_logging("info", "json", Redactor([SECRET]), stream=out)
    try:
        token = CURRENT_CONTEXT.set("01a230f0a4920000006873dc")
        logging.getLogger("rules").info("run finished in %d ms", 12)
        CURRENT_CONTEXT.reset(token)
        logging.getLogger("vicibus").debug("not shown at info")
        [line] = out.getvalue().splitlines()
        entry = json.loads(line)
        assert set(entry) == {"time", "level", "logger", "message", "context"}
        assert (entry["level"], entry["logger"], entry["message"], entry["context"]) == (
            "info",
            "rules",
            "run finished in 12 ms",
            "01a230f0a4920000006873dc",
        )
    finally:
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
