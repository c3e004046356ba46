"""The run journal's tables, in ``traces.db`` of the state directory.

``traces`` holds one row per rule run and per recorded non-run (``outcome = 'not_run'``, the
reason in ``reason``); ``steps`` one row per step a run went through; ``not_run_counts`` how many
non-runs each rule had per minute and reason, every one counted, the sampled-away included.
Rows are looked up by rule, agent, lead, campaign, outcome and time, each newest first.
``key`` is the concurrency or cooldown key a run counted under (or a non-run was kept from
running under). ``state`` holds a run's position and variables (``RunState.to_dict()``) while
the run is open, for a resume after a restart; it is cleared when the run ends. Times are epoch
seconds on the engine's clock.
"""

from __future__ import annotations

TRACES_FILE = "traces.db"
NOT_RUN = "not_run"  # the outcome of a non-run row
INTERRUPTED = "interrupted"  # the reason of a run the daemon stopped (or died) in the middle of

_V1 = """
CREATE TABLE traces (
    id TEXT PRIMARY KEY,
    rule_id TEXT NOT NULL,
    trigger_id TEXT NOT NULL,
    platform TEXT NOT NULL,
    event_type TEXT NOT NULL,
    event_id TEXT,
    event_parent_id TEXT,
    event_origin TEXT,
    event_user TEXT,
    event_time REAL,
    event TEXT,
    context_id TEXT,
    started REAL NOT NULL,
    ended REAL,
    outcome TEXT,
    reason TEXT NOT NULL DEFAULT '',
    key TEXT,
    sampled INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    conditions TEXT,
    response TEXT,
    state TEXT,
    agent TEXT,
    lead TEXT,
    campaign TEXT
);
CREATE INDEX traces_time ON traces (started);
CREATE INDEX traces_rule ON traces (rule_id, started);
CREATE INDEX traces_outcome ON traces (outcome, started);
CREATE INDEX traces_agent ON traces (agent, started) WHERE agent IS NOT NULL;
CREATE INDEX traces_lead ON traces (lead, started) WHERE lead IS NOT NULL;
CREATE INDEX traces_campaign ON traces (campaign, started) WHERE campaign IS NOT NULL;
CREATE INDEX traces_context ON traces (context_id) WHERE context_id IS NOT NULL;
CREATE TABLE steps (
    run_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    path TEXT NOT NULL,
    kind TEXT NOT NULL,
    alias TEXT,
    service TEXT,
    started REAL NOT NULL,
    ended REAL,
    outcome TEXT,
    data TEXT,
    result TEXT,
    error TEXT,
    PRIMARY KEY (run_id, seq)
) WITHOUT ROWID;
CREATE TABLE not_run_counts (
    rule_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    minute INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (rule_id, reason, minute)
) WITHOUT ROWID
"""

# The columns in the order rows are written and read.
TRACE_COLUMNS = (
    "id",
    "rule_id",
    "trigger_id",
    "platform",
    "event_type",
    "event_id",
    "event_parent_id",
    "event_origin",
    "event_user",
    "event_time",
    "event",
    "context_id",
    "started",
    "ended",
    "outcome",
    "reason",
    "key",
    "sampled",
    "conditions",
    "error",
    "response",
    "agent",
    "lead",
    "campaign",
    "state",
)
STEP_COLUMNS = (
    "run_id",
    "seq",
    "path",
    "kind",
    "alias",
    "service",
    "started",
    "ended",
    "outcome",
    "data",
    "result",
    "error",
)

# Each step makes the next schema version; a new version appends one, never edits one.
MIGRATIONS: tuple[str, ...] = (_V1,)
