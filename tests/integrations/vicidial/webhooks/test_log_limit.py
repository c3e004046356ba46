"""The log budget for lines that outside requests cause."""

from __future__ import annotations

import logging
from collections import Counter

import pytest

from integrations.vicidial.webhooks.log_limit import LogLimiter

from .conftest import ServeReceiver
from .senders import exchange, request, responses

logger = logging.getLogger("tests.log_limit")


class ManualClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == logger.name]


def test_a_burst_then_one_line_per_refill_with_the_count_left_out(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    clock = ManualClock()
    limiter = LogLimiter(per_minute=3, clock=clock)
    for n in range(10):
        limiter.log(logger, logging.INFO, "refused %d", n)
    assert _lines(caplog) == ["refused 0", "refused 1", "refused 2"]
    clock.now += 19.9  # not yet a whole line's worth (one every 20 s)
    limiter.log(logger, logging.INFO, "refused %d", 10)
    clock.now += 0.1
    limiter.log(logger, logging.INFO, "refused %d", 11)
    assert _lines(caplog)[3:] == ["refused 11 (8 earlier lines left out by the log rate limit)"]
    clock.now += 3600  # the budget refills to its burst, no further
    for n in range(5):
        limiter.log(logger, logging.INFO, "later %d", n)
    assert _lines(caplog)[4:] == ["later 0", "later 1", "later 2"]


def test_a_disabled_level_costs_no_budget(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    limiter = LogLimiter(per_minute=1, clock=ManualClock())
    for _ in range(5):
        limiter.log(logger, logging.DEBUG, "not shown")
    limiter.log(logger, logging.INFO, "shown")
    assert _lines(caplog) == ["shown"]


async def test_a_flood_of_bad_requests_is_logged_within_the_budget(
    serve_receiver: ServeReceiver, caplog: pytest.LogCaptureFixture
) -> None:
    r = await serve_receiver(log_lines_per_minute=5)
    # refused by the receiver (wrong token) and by the parser (garbage), on one connection each
    bad = [request("GET", b"/webhooks/dispo_callback?token=wrong")] * 40
    garbage = [b"\x16\x03\x01 garbage\r\n\r\n"] * 40
    for raw in bad + garbage:
        [(status, _)] = responses(await exchange(r, [raw]))
        assert status in (400, 403)
    # 120 lines without a budget; the receiver and the server have five each
    by_logger = Counter(record.name for record in caplog.records)
    assert by_logger["integrations.vicidial.webhooks.receiver"] == 5, by_logger
    assert by_logger["aiohttp.server.webhooks"] + by_logger["aiohttp.access.webhooks"] == 5
