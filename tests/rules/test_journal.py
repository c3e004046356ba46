"""The rules' records in the run journal: real rules on the manual clock, read back from SQLite."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from engine.context import Context, Origin
from engine.events import Event
from engine.storage.trace_rows import Keys
from engine.storage.trace_store import Trace, TraceQuery, TraceStore
from engine.storage.traces import JournalSettings, TraceJournal
from rules.engine import RuleEngine
from rules.journal import JournalRecorder, event_ids, keys_of
from rules.run_state import RunState
from tests.rules.conftest import Harness

SECRET = "hunter2-secret-pass"


class Journaled(Harness):
    """The rules' harness with the run journal as the engine's recorder."""

    def __init__(self, directory: Path) -> None:
        super().__init__()
        self.directory = directory
        self.journal = TraceJournal(directory, JournalSettings(), self.core.clock)
        self.engine = RuleEngine(self.core, recorder=JournalRecorder(self.journal))

    async def traces(self, rule: str | None = None, **query: str) -> list[Trace]:
        await self.journal.flush()
        with TraceStore(self.directory) as store:
            return store.traces(TraceQuery(rule=rule, **query))  # type: ignore[arg-type]

    async def trace(self, trace_id: str) -> Trace:
        await self.journal.flush()
        with TraceStore(self.directory) as store:
            return store.trace(trace_id)


@pytest.fixture
async def h(tmp_path: Path) -> AsyncIterator[Journaled]:
    harness = Journaled(tmp_path)
    await harness.core.start()
    await harness.journal.start()
    yield harness
    await harness.engine.stop()
    await harness.journal.stop()
    await harness.core.stop()


PAUSE_MAX = f"""
- id: pause_max_break
  triggers: {{trigger: webhook, kind: pause_max}}
  conditions:
    - "{{{{ trigger.payload.campaign == 'TESTCAMP' }}}}"
  actions:
    - action: vicidial.agent.send_notification
      data:
        recipient: "{{{{ trigger.payload.user }}}}"
        recipient_type: USER
        notification_text: Paused too long
    - action: vicidial.agent.pause_code
      data: {{agent_user: "{{{{ trigger.payload.user }}}}", value: BREAK, pass: {SECRET}}}
"""


async def test_a_run_is_in_the_journal_step_by_step_with_ids_only(h: Journaled) -> None:
    await h.start(PAUSE_MAX)
    event = h.webhook(
        "pause_max", user="1001", campaign="TESTCAMP", fullname="Jane Doe", agent_email="j@x.io"
    )
    await h.settle()
    (trace,) = await h.traces("pause_max_break")
    assert trace.outcome == "finished"
    assert (trace.agent, trace.campaign, trace.lead) == ("1001", "TESTCAMP", None)
    assert trace.event["type"] == "vicidial_pause_max"
    assert trace.event["context_id"] == event.context.id
    assert trace.event["origin"] == "webhook"
    assert trace.event["ids"] == {"kind": "pause_max", "user": "1001", "campaign": "TESTCAMP"}
    assert [(c["path"], c["kind"], c["result"]) for c in trace.conditions] == [
        ("conditions/0", "template", True),
        ("conditions", "and", True),
    ]
    assert [(s.path, s.service, s.outcome) for s in trace.steps] == [
        ("actions/0", "vicidial.agent.send_notification", "ok"),
        ("actions/1", "vicidial.agent.pause_code", "ok"),
    ]
    assert trace.steps[0].result == {"notification_id": 1, "recipient": "1001"}
    assert trace.steps[1].data["pass"] == "**********"
    await h.journal.stop()
    written = b"".join(p.read_bytes() for p in h.directory.iterdir())
    for private in (SECRET, "Jane Doe", "j@x.io"):
        assert private.encode() not in written


async def test_non_runs_have_their_reason(h: Journaled) -> None:
    await h.start(PAUSE_MAX)
    h.webhook("pause_max", user="1002", campaign="OTHER")
    await h.settle()
    (trace,) = await h.traces("pause_max_break")
    assert (trace.kind, trace.reason, trace.agent, trace.campaign) == (
        "not_run",
        "conditions",
        "1002",
        "OTHER",
    )
    assert trace.conditions[0]["result"] is False
    assert trace.steps == ()


async def test_a_failed_step_and_the_console_line_after_the_commit(
    h: Journaled, caplog: pytest.LogCaptureFixture
) -> None:
    await h.start(PAUSE_MAX)
    h.calls.refuse.add("1003")
    with caplog.at_level(logging.INFO, logger="rules.runs"):
        h.webhook("pause_max", user="1003", campaign="TESTCAMP")
        await h.settle()
        (trace,) = await h.traces("pause_max_break", outcome="error")
    assert trace.steps[1].error["type"] == "ServiceRefusedError"
    assert SECRET not in trace.steps[1].error["message"]  # scrubbed by the runner
    assert trace.error["type"] == "ServiceRefusedError"
    (line,) = [r for r in caplog.records if r.name == "rules.runs"]
    assert line.levelno == logging.INFO
    assert line.getMessage() == (
        f"pause_max_break run {trace.id}: error in 0 ms (a step failed) "
        f"[ServiceRefusedError: ERROR: agent 1003 not paused **********]: "
        "vicidial.agent.send_notification ok 0 ms, "
        "vicidial.agent.pause_code error ServiceRefusedError 0 ms"
    )
    assert getattr(line, "context", None) is not None


SLOW = """
- id: slow
  triggers: {trigger: webhook, kind: pause_max}
  variables: {agent: "{{ trigger.payload.user }}"}
  actions:
    - delay: 60
    - action: notify.log
      data: {message: "{{ agent }} done"}
"""


async def test_an_open_run_keeps_a_state_it_can_resume_from(h: Journaled) -> None:
    await h.start(SLOW)
    h.webhook("pause_max", user="1004")
    await h.settle()
    await h.journal.flush()  # the run is young: its state goes with the next batch
    (trace,) = await h.traces("slow", outcome="running")
    live = h.engine.runs[0].state
    stored = (await h.trace(trace.id)).state
    assert stored == live.to_dict()
    assert stored["waiting"] == {"step": "actions/0", "until": trace.started + 60, "for": "delay"}
    assert RunState.from_dict(stored).to_dict() == stored
    assert stored["variables"]["trigger"]["payload"]["user"] == "1004"
    await h.advance(60)
    (trace,) = await h.traces("slow")
    assert trace.outcome == "finished"
    assert (await h.trace(trace.id)).state is None
    assert [(s.kind, s.service) for s in trace.steps] == [("delay", None), ("action", "notify.log")]


async def test_runs_cancelled_by_a_reload_and_by_the_shutdown(h: Journaled) -> None:
    await h.start(SLOW)
    h.webhook("pause_max", user="1")
    await h.settle()
    await h.reload(SLOW.replace("delay: 60", "delay: 30"))
    h.webhook("pause_max", user="2")
    await h.settle()
    await h.engine.stop()
    second, first = await h.traces("slow")
    assert (first.outcome, first.reason) == ("cancelled", "rule_changed")
    assert (second.outcome, second.reason) == ("cancelled", "shutdown")
    assert [(s.kind, s.outcome) for s in first.steps] == [("delay", "cancelled")]


async def test_a_rule_fired_event_chains_back_to_the_webhook(h: Journaled) -> None:
    await h.start(
        """
        - id: flag
          triggers: {trigger: webhook, kind: pause_max}
          actions:
            - event: agent_flagged
              event_data: {user: "{{ trigger.payload.user }}"}
        - id: tell
          triggers: {trigger: event, event_type: agent_flagged}
          actions:
            - action: notify.log
              data: {message: flagged}
        """
    )
    webhook = h.webhook("pause_max", user="1005")
    await h.settle()
    (flag,) = await h.traces("flag")
    (tell,) = await h.traces("tell")
    assert tell.agent == "1005"  # from the fired event's data
    chain = (await h.trace(tell.id)).chain
    assert [(link["type"], link["origin"]) for link in chain] == [
        ("agent_flagged", "rule"),
        ("vicidial_pause_max", "webhook"),
    ]
    assert chain[0]["run_id"] == flag.id
    assert chain[1]["context_id"] == webhook.context.id


async def test_state_changes_and_variables_give_the_keys(h: Journaled) -> None:
    await h.start(
        """
        - id: on_pause
          triggers: {trigger: state, entity_id: agent.1006, to: PAUSED}
          actions:
            - action: notify.log
              data: {message: paused}
        - id: by_variable
          triggers: {trigger: event, event_type: lead_seen}
          variables: {lead_id: "{{ trigger.event.data.which }}"}
          actions:
            - action: notify.log
              data: {message: seen}
        """
    )
    await h.change("agent.1006", "READY", campaign="TESTCAMP", lead_id=0)
    await h.change("agent.1006", "PAUSED", campaign="TESTCAMP", lead_id=88)
    h.core.fire("lead_seen", {"which": 99}, context=Context(Origin.SYSTEM))
    await h.settle()
    (paused,) = await h.traces("on_pause")
    assert (paused.agent, paused.lead, paused.campaign) == ("1006", "88", "TESTCAMP")
    assert paused.event["ids"] == {
        "entity_id": "agent.1006",
        "from": "READY",
        "to": "PAUSED",
        "campaign": "TESTCAMP",
        "lead_id": 88,
    }
    (seen,) = await h.traces("by_variable")
    assert seen.lead == "99"
    assert await h.traces(lead="99") == [seen]


def test_event_ids_keep_ids_and_codes_only() -> None:
    assert event_ids(None) == {}
    data = {"user": "1001", "phone_number": "5551234", "comments": "x", "lead_id": 5, "x": [1]}
    event = Event("custom", data, 0.0, Context(Origin.SYSTEM))
    assert event_ids(event) == {"user": "1001", "lead_id": 5}
    # A lead id of 0 is ViciDial's "none"; a yes/no is no key.
    keys = keys_of({"user": "1001", "lead_id": 0}, {"lead": "7", "campaign": True})
    assert keys == Keys("1001", "7", None)


async def test_a_stopped_runs_line_says_what_it_answered(
    h: Journaled, caplog: pytest.LogCaptureFixture
) -> None:
    # A DID filter's run: its line is the one console line saying match or no match.
    await h.start(
        """
- id: known
  triggers: {trigger: webhook, kind: did_filter}
  actions:
    - stop: answered
      response: {match: "{{ trigger.payload.phone_number == '3125550101' }}"}
"""
    )
    with caplog.at_level(logging.INFO, logger="rules"):
        h.webhook("did_filter", phone_number="3125550101")
        await h.settle()
        (trace,) = await h.traces("known")
    info = [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO]
    assert info == [
        f'known run {trace.id}: stopped in 0 ms (answered {{"match": true}}): stop stopped 0 ms'
    ]


async def test_a_rule_that_fails_before_its_first_step_has_its_line(
    h: Journaled, caplog: pytest.LogCaptureFixture
) -> None:
    await h.start(
        """
        - id: broken
          triggers: {trigger: webhook, kind: pause_max}
          variables: {who: "{{ trigger.payload.nothing_here }}"}
          actions:
            - action: notify.log
              data: {message: "{{ who }}"}
        """
    )
    with caplog.at_level(logging.INFO, logger="rules.runs"):
        h.webhook("pause_max", user="1007")
        await h.settle()
        (trace,) = await h.traces("broken")
    assert (trace.outcome, trace.reason, trace.steps) == (
        "error",
        "conditions could not be checked",
        (),
    )
    (line,) = [r.getMessage() for r in caplog.records if r.name == "rules.runs"]
    assert line.startswith(f"broken run {trace.id}: error in 0 ms (conditions could not be")
    assert line.endswith(": no steps")


async def test_a_cooldown_non_run_has_its_key(h: Journaled) -> None:
    await h.start(
        """
        - id: once_per_agent
          cooldown: {key: "{{ trigger.payload.user }}", for: 600}
          triggers: {trigger: webhook, kind: pause_max}
          actions:
            - action: notify.log
              data: {message: paused}
        """
    )
    h.webhook("pause_max", user="1008")
    await h.settle()
    h.webhook("pause_max", user="1008")
    await h.settle()
    kept, ran = await h.traces("once_per_agent")
    assert (ran.outcome, kept.outcome, kept.reason, kept.key) == (
        "finished",
        "not_run",
        "cooldown",
        "1008",
    )
