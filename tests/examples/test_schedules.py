"""The example rules on the dialer's numbers and on the clock, end to end: hopper_low, the
nightly agent statistics by e-mail (to a real SMTP server) and the morning list reset, the
schedules proven by moving the clock to their time."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

import pytest

from integrations.vicidial.simulator.records import AgentLog
from tests.examples.conftest import REPORTS_TO, Example, demo_time

Start = Callable[..., Awaitable[Example]]


async def test_a_low_hopper_is_reset(example: Start) -> None:
    d = await example()
    center = d.center
    assert len(d.ends("hopper_low")) == 1  # the first poll found the demo's hopper empty
    for lead_id in range(1, 6):
        center.add_to_hopper(lead_id, "DEMO")
    await d.poll()
    assert len(d.ends("hopper_low")) == 1  # five: not low
    center.hopper = center.hopper[:2]
    await d.poll()  # two: below three
    state = await d.state()
    assert [entry for entry in state["hopper"] if entry["campaign_id"] == "DEMO"] == []
    resets = [event["data"] for event in state["events"] if event["kind"] == "hopper_changed"]
    assert resets[-1] == {"campaign_id": "DEMO", "reset": True}
    assert [end.outcome for end in d.ends("hopper_low")] == ["finished"] * 2


async def test_the_schedules_say_when_they_run_next(
    example: Start, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="vicibus"):
        await example()
    lines = [r.getMessage() for r in caplog.records if "runs next" in r.getMessage()]
    assert lines == [
        "rule nightly_agent_stats runs next at 2030-01-08 02:00:00 EST (in 17 h 00 min)",
        "rule morning_list_reset runs next at 2030-01-08 07:00:00 EST (in 22 h 00 min)",
    ]


async def test_each_night_yesterdays_agent_stats_are_mailed(example: Start) -> None:
    d = await example()
    # The dialer's agent log of the demo's day (the simulator keeps what it is given: its
    # traffic does not write agent log rows) and one row of the next day.
    d.center.agent_logs.extend(
        AgentLog("1001", "DEMO", datetime(2030, 1, 7, hour), talk_sec=60, status="SALE")
        for hour in (10, 11)
    )
    d.center.agent_logs.append(AgentLog("1002", "DEMO", datetime(2030, 1, 7, 12), status="NI"))
    d.center.agent_logs.append(AgentLog("1003", "DEMO", datetime(2030, 1, 8, 1), status="NI"))
    await d.until(demo_time(1, "01:59:00"))
    assert d.mailbox.received == []
    await d.until(demo_time(1, "02:00:30"))
    (message,) = d.mailbox.received
    assert message["To"] == REPORTS_TO
    assert message["Subject"] == "vicibus: Agent statistics for 2030-01-07"
    assert message.get_content() == (
        "Agents who worked on 2030-01-07: 2\n"
        "1001 Ann O'Neil: calls 2, talk 120 s\n"
        "1002 Bo J\u00fcrgensen: calls 1, talk 0 s\n"
    )
    # The next night's mail, and one after a day nobody worked.
    await d.until(demo_time(3, "02:00:30"))
    assert [m.get_content() for m in d.mailbox.received[1:]] == [
        "Agents who worked on 2030-01-08: 1\n1003 Cy Diaz: calls 1, talk 0 s\n",
        "Agents who worked on 2030-01-09: 0\n",
    ]


async def test_each_weekday_morning_the_demo_list_is_reset(example: Start) -> None:
    d = await example()
    center = d.center
    for lead in center.leads.values():
        lead.called_since_last_reset = True  # every lead dialed since the last reset
    await d.until(demo_time(1, "06:59:00"))
    assert center.lists[1000].resets_today == 0
    await d.until(demo_time(1, "07:00:30"))  # Tuesday
    demo = [lead for lead in center.leads.values() if lead.list_id == 1000]
    others = [lead for lead in center.leads.values() if lead.list_id != 1000]
    assert len(demo) == 6
    assert [lead.called_since_last_reset for lead in demo] == [False] * 6
    assert all(lead.called_since_last_reset for lead in others)
    assert center.lists[1000].resets_today == 1
    # Wednesday to Friday, not the weekend, and Monday again.
    await d.until(demo_time(7, "07:00:30"))
    assert [end.outcome for end in d.ends("morning_list_reset")] == ["finished"] * 5
