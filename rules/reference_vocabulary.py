"""What the reference page says about the names templates read and the modes a rule has: the
words for each, kept beside the code's own lists (the page generator checks that the two agree
name for name, so a variable or mode added without words fails ``make docs`` and its test).

The names themselves come from the code: ``trigger.*`` from each trigger's ``provides``,
``this`` from the ``This`` class, ``repeat`` from ``repeat_variable``, the modes from the
``Mode`` type, the functions and filters from the template function registry.
"""

from __future__ import annotations

# ``trigger.<name>``: what each variable a trigger sets holds.
TRIGGER_VARIABLES: dict[str, str] = {
    "id": 'the trigger\'s `id` (by default its position: `"0"`, `"1"`, ...)',
    "idx": "the trigger's position in the rule, as text",
    "platform": "the trigger's type (`webhook`, `state`, ...)",
    "alias": "the trigger's `alias`, or none",
    "kind": "the callback kind (`pause_max`)",
    "payload": "the typed payload: `trigger.payload.user`, `trigger.payload['lead_id']`; "
    "`trigger.payload.values` holds every variable as text",
    "event": "the event that fired the trigger: `event_type`, `data`, `time_fired`, `context`",
    "push_event": "the push event's name (`call_dead`)",
    "entity_id": "the entity that changed",
    "from_state": "its state before: `state`, `attributes`, `last_changed`, `last_updated` "
    "(none for a new entity)",
    "to_state": "its state after, as `from_state` (none for a removed entity)",
    "attribute": "the watched attribute, or none",
    "for": "the seconds the state had to hold (`for`), or none",
    "above": "the trigger's `above`",
    "below": "the trigger's `below`",
    "now": "when it was due, in the call center's time zone",
    "at": 'which `at` time fired (`"08:00:00"`)',
    "cron": "the cron expression",
    "every": "the interval, in seconds",
    "count": "the count in the window when it fired",
    "threshold": "the trigger's `threshold`",
    "within": "the window, in seconds",
    "key": "the key the count was kept under (none without `key`)",
}

# ``this``: the rule the template belongs to.
THIS_VARIABLES: dict[str, str] = {
    "id": "the rule's id",
    "alias": "its alias, or none",
    "description": "its description, or none",
    "group": "its group, or none",
    "mode": "its mode (`concurrency`'s mode, with a concurrency)",
    "current": "how many runs of the rule are going now (over every key)",
    "last_triggered": "when its previous run started (none before the first)",
    "last_run": "how its last finished run ended: `run_id`, `outcome`, `reason`, `started`, "
    "`ended` (none before the first)",
}

# ``repeat``, inside a ``repeat`` step's sequence.
REPEAT_VARIABLES: dict[str, str] = {
    "index": "which time this is, from 1",
    "first": "true the first time",
    "last": "true the last time (with `count` and `for_each`, where the number is known)",
    "item": "the item of `for_each` this time is for",
}

# ``wait``, after a ``wait_template`` or ``wait_for_trigger`` step.
WAIT_VARIABLES: dict[str, str] = {
    "completed": "`wait_template`: true when the template became true, false on a timeout",
    "trigger": "`wait_for_trigger`: the variables of the trigger that fired (as `trigger` "
    "in a rule: `wait.trigger.payload.user`), none on a timeout",
    "timed_out": "true when the timeout ran out first",
    "remaining": "the seconds of the timeout left (none without a timeout)",
}

MODES: dict[str, str] = {
    "single": "the new run is dropped while one is going (the default)",
    "restart": "the running one is cancelled and the new one starts",
    "queued": "the new run waits its turn; at most `max` running and waiting",
    "parallel": "the new run starts beside the others; at most `max` at once",
}

# Functions of the template registry that are not ours, so have no docstring to read.
FOREIGN_FUNCTIONS: dict[str, tuple[str, str]] = {
    "timedelta": (
        "timedelta(days=0, seconds=0, minutes=0, hours=0, weeks=0)",
        "A length of time, to add to or take from a time (Python's timedelta).",
    ),
}

# Each function's examples: template expressions, rendered for the page against DEMO_STATES.
FUNCTION_EXAMPLES: dict[str, tuple[str, ...]] = {
    "states": ("states('agent.1001')", "states('agent.9999')"),
    "is_state": ("is_state('agent.1001', 'PAUSED')", "is_state('agent.1001', ['READY', 'INCALL'])"),
    "state_attr": (
        "state_attr('agent.1001', 'pause_code')",
        "state_attr('agent.1001', 'seconds_in_state')",
    ),
    "is_state_attr": ("is_state_attr('campaign.TESTCAMP', 'dial_method', 'RATIO')",),
    "now": ("now()", "now().hour"),
    "utcnow": ("utcnow()",),
    "as_datetime": ("as_datetime('2026-03-02 08:55:00')", "'1772459700' | as_datetime"),
    "as_timestamp": ("as_timestamp('2026-03-02T08:55:00-05:00')", "now() | as_timestamp"),
    "timedelta": ("now() - timedelta(minutes=5)",),
    "float": ("float('2.5') * 2", "'n/a' | float(0)"),
    "int": ("state_attr('campaign.TESTCAMP', 'hopper_count') | int + 1", "int('ff', base=16)"),
    "bool": ("bool('yes')", "'maybe' | bool(false)"),
}

# The states the function examples read: (entity id, state, attributes).
DEMO_STATES: tuple[tuple[str, str, dict[str, object]], ...] = (
    ("agent.1001", "PAUSED", {"pause_code": "LOGIN", "campaign": "TESTCAMP"}),
    ("campaign.TESTCAMP", "ACTIVE", {"hopper_count": "42", "dial_method": "RATIO"}),
)
# Monday 2 March 2026, 09:00 in New York; the demo states were set five minutes before.
DEMO_TIME = 1772460000.0
DEMO_ZONE = "America/New_York"
DEMO_AGE = 300.0
