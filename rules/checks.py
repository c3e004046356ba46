"""What is checked once rules have validated: against the engine's vocabulary and services.

- a webhook kind, filter field, push event name, event type or event_data field that nothing
  provides;
- an entity id pattern that no entity domain can match;
- an action naming no registered service, a ``data`` key the service does not take, and
  literal values its parameter model refuses (templated values are checked when they run);
- a template reading a name that is never set, or a ``trigger.*`` field that no trigger of
  the rule provides (``trigger.payload.lead_id`` when the only trigger is ``pause_max``):
  warnings, errors with ``strict``;
- an event step firing an event type a rule may not fire;
- a ``trigger`` condition naming an id no trigger of the rule has;
- a ``did_filter`` step in a rule that no DID filter request triggers: a warning.

Steps inside other steps (branches, loops, parallel), the conditions of branches and loops,
the triggers a ``wait_for_trigger`` waits for and those a ``count`` trigger counts are checked
as the rule's own are.

The vocabulary comes from the catalog the integrations filled; a part of it that no
integration declared (no webhook kinds at all, say) is not checked.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from engine.catalog import Catalog
from engine.config.errors import Severity
from engine.errors import ServiceValidationError
from engine.events import is_valid_event_type
from engine.services import ServiceRegistry, suggest
from rules.errors import TemplateCompileError
from rules.problems import Path, Problem
from rules.schema_actions import (
    ChooseStep,
    DidFilterStep,
    EventStep,
    IfStep,
    ParallelStep,
    RepeatStep,
    SequenceStep,
    ServiceStep,
    StopStep,
    VariablesStep,
    WaitForTriggerStep,
    WaitTemplateStep,
)
from rules.schema_common import is_templated
from rules.schema_conditions import (
    AndCondition,
    ConditionBase,
    NotCondition,
    NumericStateCondition,
    OrCondition,
    StateCondition,
    TriggerCondition,
)
from rules.schema_rule import Rule
from rules.schema_triggers import (
    AgentEventTrigger,
    CountTrigger,
    EventTrigger,
    NumericStateTrigger,
    StateTrigger,
    TriggerBase,
    WebhookTrigger,
)
from rules.steps import is_reserved_event_type
from rules.template_reads import reads, template_sites
from rules.templates import Templates
from rules.trigger_kinds import provides
from rules.triggers_event import AGENT_EVENT_KIND

# Names every template may read besides the environment's functions.
_ALWAYS = frozenset({"trigger", "this"})
# Names templates of particular places get.
_PLACE_NAMES = {"value_template": frozenset({"state"})}


def _one(hint: list[str], known: Sequence[str]) -> str:
    if hint:
        return f"; did you mean {hint[0]!r}?"
    shown = ", ".join(list(known)[:12])
    return f"; known: {shown}{', ...' if len(known) > 12 else ''}"


def walk_steps(actions: Sequence[Any], path: Path) -> Iterator[tuple[Path, Any]]:
    """Every step, those inside other steps too, with its path."""
    for index, step in enumerate(actions):
        where = (*path, index)
        yield where, step
        for block_path, block in _blocks(step, where):
            yield from walk_steps(block, block_path)


def _blocks(step: Any, where: Path) -> Iterator[tuple[Path, Sequence[Any]]]:
    """The blocks of steps inside a step."""
    if isinstance(step, SequenceStep):
        yield (*where, "sequence"), step.sequence
    elif isinstance(step, ChooseStep):
        for index, option in enumerate(step.choose):
            yield (*where, "choose", index, "sequence"), option.sequence
        yield (*where, "default"), step.default
    elif isinstance(step, IfStep):
        yield (*where, "then"), step.then
        yield (*where, "else_"), step.else_
    elif isinstance(step, RepeatStep):
        yield (*where, "repeat", "sequence"), step.repeat.sequence
    elif isinstance(step, ParallelStep):
        yield (*where, "parallel"), step.parallel


def _step_conditions(step: Any, where: Path) -> Iterator[tuple[Path, Sequence[Any]]]:
    """The conditions of a step that branches or loops on them."""
    if isinstance(step, ChooseStep):
        for index, option in enumerate(step.choose):
            yield (*where, "choose", index, "conditions"), option.conditions
    elif isinstance(step, IfStep):
        yield (*where, "if_"), step.if_
    elif isinstance(step, RepeatStep):
        for name in ("while_", "until"):
            conditions = getattr(step.repeat, name)
            if conditions is not None:
                yield (*where, "repeat", name), conditions


def _counted(trigger: TriggerBase) -> TriggerBase:
    """The trigger that fires for the rule's templates: a count trigger's counted one."""
    return trigger.events if isinstance(trigger, CountTrigger) else trigger


def walk_conditions(conditions: Sequence[Any], path: Path) -> Iterator[tuple[Path, Any]]:
    for index, condition in enumerate(conditions):
        where = (*path, index)
        yield where, condition
        if isinstance(condition, AndCondition | OrCondition | NotCondition):
            yield from walk_conditions(condition.conditions, (*where, "conditions"))


class RuleChecker:
    def __init__(
        self,
        catalog: Catalog,
        services: ServiceRegistry,
        templates: Templates,
        fired_types: frozenset[str] = frozenset(),
    ) -> None:
        self._catalog = catalog
        self._services = services
        self._templates = templates
        self._globals = frozenset(templates.env.globals)
        # Event types some rule fires: an event trigger on one of them is not unknown.
        self._fired = fired_types

    def check(
        self, model: Rule, base: Path, sites: Sequence[tuple[Path, str]] | None = None
    ) -> list[Problem]:
        """The rule's problems; ``sites``: its templates, when the caller has them."""
        problems: list[Problem] = []
        for index, trigger in enumerate(model.triggers):
            problems.extend(self._trigger(trigger, (*base, "triggers", index)))
        conditions = list(walk_conditions(model.conditions, (*base, "conditions")))
        answers_did = any(
            isinstance(t, WebhookTrigger) and t.kind == "did_filter" for t in model.triggers
        )
        for path, step in walk_steps(model.actions, (*base, "actions")):
            if isinstance(step, ConditionBase):
                conditions.append((path, step))
                if isinstance(step, AndCondition | OrCondition | NotCondition):
                    conditions.extend(walk_conditions(step.conditions, (*path, "conditions")))
            elif isinstance(step, ServiceStep):
                problems.extend(self._service(step, path))
            elif isinstance(step, EventStep):
                problems.extend(_event_step(step, path))
            elif isinstance(step, WaitForTriggerStep):
                for index, trigger in enumerate(step.wait_for_trigger):
                    where = (*path, "wait_for_trigger", index)
                    problems.extend(self._trigger(trigger, where))
            elif isinstance(step, DidFilterStep) and not answers_did:
                problems.append(
                    Problem(
                        (*path, "did_filter"),
                        "no trigger of this rule is a DID filter request "
                        "(trigger: webhook, kind: did_filter): its answer reaches no one",
                        "warning",
                        key=True,
                    )
                )
            for where, block in _step_conditions(step, path):
                conditions.extend(walk_conditions(block, where))
        trigger_ids = [t.id if t.id is not None else str(i) for i, t in enumerate(model.triggers)]
        for path, condition in conditions:
            if isinstance(condition, StateCondition | NumericStateCondition):
                problems.extend(self._entities(condition.entity_id, (*path, "entity_id")))
            elif isinstance(condition, TriggerCondition):
                problems.extend(_trigger_ids(condition, path, trigger_ids))
        found = list(template_sites(model)) if sites is None else sites
        problems.extend(self._template_reads(model, base, found))
        return problems

    # -- triggers -------------------------------------------------------------------------------

    def _trigger(self, trigger: Any, path: Path) -> list[Problem]:
        catalog = self._catalog
        if isinstance(trigger, CountTrigger):
            return self._trigger(trigger.events, (*path, "events"))
        if isinstance(trigger, WebhookTrigger):
            return self._webhook(trigger, path)
        if isinstance(trigger, AgentEventTrigger):
            known = catalog.push_events()
            return [
                Problem(
                    (*path, "event", i),
                    f"unknown push event {name!r}{_one(suggest(name, list(known)), sorted(known))}",
                )
                for i, name in enumerate(trigger.event)
                if known and name not in known
            ]
        if isinstance(trigger, EventTrigger):
            return self._event_types(trigger, path)
        if isinstance(trigger, StateTrigger | NumericStateTrigger):
            return self._entities(trigger.entity_id, (*path, "entity_id"))
        return []

    def _webhook(self, trigger: WebhookTrigger, path: Path) -> list[Problem]:
        catalog = self._catalog
        kinds = catalog.webhook_kinds()
        if not kinds:
            return []
        if trigger.kind == AGENT_EVENT_KIND:
            return [
                Problem((*path, "kind"), "agent push has its own trigger: trigger: agent_event")
            ]
        spec = catalog.webhook_kind(trigger.kind)
        if spec is None:
            hint = suggest(trigger.kind, kinds)
            return [
                Problem(
                    (*path, "kind"), f"unknown webhook kind {trigger.kind!r}{_one(hint, kinds)}"
                )
            ]
        problems = []
        for field in trigger.filter:
            if spec.fields and field not in spec.fields:
                known = sorted(spec.fields)
                more = _one(suggest(field, known), known)
                problems.append(
                    Problem(
                        (*path, "filter", field),
                        f"{trigger.kind} carries no field {field!r}{more}",
                        key=True,
                    )
                )
        return problems

    def _event_types(self, trigger: EventTrigger, path: Path) -> list[Problem]:
        problems = []
        known = sorted({*self._catalog.event_types(), *self._fired})
        for index, event_type in enumerate(trigger.event_type):
            where = (*path, "event_type", index)
            if not is_valid_event_type(event_type):
                problems.append(
                    Problem(where, f"{event_type!r} is no event type: lowercase, digits and _")
                )
            elif self._catalog.event(event_type) is None and event_type not in self._fired:
                hint = suggest(event_type, known)
                problems.append(
                    Problem(
                        where,
                        f"no integration or rule fires {event_type!r}{_one(hint, known)}",
                        "warning",
                    )
                )
        return problems + self._event_data(trigger, path)

    def _event_data(self, trigger: EventTrigger, path: Path) -> list[Problem]:
        """An event_data field that no event of the trigger's types carries (judged only when
        every type has a fixed shape)."""
        specs = [self._catalog.event(event_type) for event_type in trigger.event_type]
        shapes = [spec.fields for spec in specs if spec is not None]
        if not trigger.event_data or len(shapes) < len(specs) or None in shapes:
            return []
        fields = sorted(frozenset().union(*(f for f in shapes if f is not None)))
        names = " or ".join(sorted({spec.type for spec in specs if spec is not None}))
        return [
            Problem(
                (*path, "event_data", field),
                f"{names} carries no field {field!r}{_one(suggest(field, fields), fields)}",
                key=True,
            )
            for field in trigger.event_data
            if field not in fields
        ]

    def _entities(self, patterns: Sequence[str], path: Path) -> list[Problem]:
        domains = self._catalog.domains()
        if not domains:
            return []
        problems = []
        for index, pattern in enumerate(patterns):
            if not self._catalog.domains_matching(pattern):
                domain = pattern.partition(".")[0]
                hint = suggest(domain, domains)
                problems.append(
                    Problem(
                        (*path, index),
                        f"no entity kind matches {pattern!r}{_one(hint, domains)}",
                    )
                )
        return problems

    # -- services -------------------------------------------------------------------------------

    def _service(self, step: ServiceStep, path: Path) -> list[Problem]:
        registry = self._services
        if step.action not in registry:
            hint = suggest(step.action, registry.names())
            more = f"; did you mean {hint[0]!r}?" if hint else ""
            return [Problem((*path, "action"), f"no service {step.action!r}{more}")]
        service = registry.get(step.action)
        templated = {key for key, value in step.data.items() if is_templated(value)}
        literal = {key: value for key, value in step.data.items() if key not in templated}
        problems = []
        for key in step.data:
            if key not in service.known_fields:
                hint = suggest(str(key), service.known_fields - set(step.data))
                more = f"; did you mean {hint[0]!r}?" if hint else ""
                problems.append(
                    Problem(
                        (*path, "data", key),
                        f"{step.action} takes no parameter {key!r}{more}",
                        key=True,
                    )
                )
                templated.add(key)  # its value cannot be judged either
                literal.pop(key, None)
        try:
            registry.validate(step.action, literal)
        except ServiceValidationError as exc:
            problems.extend(
                Problem(_at(path, problem.field), f"{step.action}: {problem}")
                for problem in exc.problems
                if not _about(problem.field, templated)
            )
        return problems

    # -- templates ------------------------------------------------------------------------------

    def _template_reads(
        self, model: Rule, base: Path, sites: Sequence[tuple[Path, str]]
    ) -> list[Problem]:
        known = self._globals | _ALWAYS | _set_names(model)
        enabled = [t for t in model.triggers if t.enabled]
        provided: frozenset[str] = frozenset().union(*(provides(t) for t in enabled))
        triggers = [_counted(t) for t in enabled]
        problems: list[Problem] = []
        seen: set[tuple[Path, str]] = set()
        for path, source in sites:
            where = (*base, *path)
            try:
                found = reads(self._templates.compile(source).tree)
            except TemplateCompileError:
                continue  # reported as such
            place = frozenset().union(*(_PLACE_NAMES.get(str(p), frozenset()) for p in path))
            for name in sorted(found.names - known - place):
                problems.append(
                    Problem(where, f"template reads {name!r}, which is never set", "warning")
                )
            for chain in sorted(c for c in found.chains if c[0] == "trigger"):
                message = self._trigger_read(triggers, chain, provided)
                if message is not None and (where, message) not in seen:
                    seen.add((where, message))
                    problems.append(Problem(where, message, "warning"))
        return problems

    def _trigger_read(
        self, triggers: list[Any], chain: tuple[str, ...], provided: frozenset[str]
    ) -> str | None:
        name = chain[1]
        if name not in provided:
            return f"trigger.{name}: no trigger of this rule sets it"
        if name == "payload" and len(chain) > 2:
            return self._payload_read(triggers, chain[2], "trigger.payload")
        if name == "event" and len(chain) > 3 and chain[2] == "data":
            field = chain[3]
            if all(isinstance(t, WebhookTrigger | AgentEventTrigger) for t in triggers):
                return self._payload_read(triggers, field, "trigger.event.data")
            if not all(isinstance(t, EventTrigger) for t in triggers):
                return None  # startup, state and the others: no fixed data to check here
            events = [self._catalog.event(e) for t in triggers for e in t.event_type]
            if events and all(
                e is not None and e.fields is not None and field not in e.fields for e in events
            ):
                names = " or ".join(sorted({e.type for e in events if e is not None}))
                return f"trigger.event.data.{field}: {names} carries no {field}"
        return None

    def _payload_read(self, triggers: list[Any], field: str, read: str) -> str | None:
        """A payload field (``read``: how the template reaches it) that no webhook kind or
        push of the rule's triggers carries."""
        kinds = [
            t.kind if isinstance(t, WebhookTrigger) else AGENT_EVENT_KIND
            for t in triggers
            if isinstance(t, WebhookTrigger | AgentEventTrigger)
        ]
        specs = [self._catalog.webhook_kind(k) for k in kinds]
        if specs and all(s is not None and s.fields and field not in s.fields for s in specs):
            names = " or ".join(sorted({s.kind for s in specs if s is not None}))
            return f"{read}.{field}: {names} carries no {field}"
        return None


def _set_names(model: Rule) -> frozenset[str]:
    """Names the rule sets: its variables, its triggers', variables and response steps', and
    ``repeat`` and ``wait`` when it has a loop or a wait."""
    names = set(model.variables)
    for trigger in model.triggers:
        names.update(trigger.variables)
    for _, step in walk_steps(model.actions, ()):
        if isinstance(step, VariablesStep):
            names.update(step.variables)
        elif isinstance(step, ServiceStep | StopStep) and step.response_variable:
            names.add(step.response_variable)
        elif isinstance(step, RepeatStep):
            names.add("repeat")
        elif isinstance(step, WaitTemplateStep | WaitForTriggerStep):
            names.add("wait")
    return frozenset(names)


def _trigger_ids(condition: TriggerCondition, path: Path, ids: list[str]) -> list[Problem]:
    """Ids no trigger of the rule has: an error when the condition can never hold, a warning
    beside ids that can."""
    severity: Severity = "warning" if any(name in ids for name in condition.id) else "error"
    return [
        Problem(
            (*path, "id", index),
            f"no trigger of this rule has id {name!r}{_one(suggest(name, ids), ids)}",
            severity,
        )
        for index, name in enumerate(condition.id)
        if name not in ids
    ]


def _event_step(step: EventStep, path: Path) -> list[Problem]:
    if not is_valid_event_type(step.event):
        return [
            Problem((*path, "event"), f"{step.event!r} is no event type: lowercase, digits and _")
        ]
    if is_reserved_event_type(step.event):
        return [
            Problem((*path, "event"), f"a rule may not fire {step.event!r}: the engine fires it")
        ]
    return []


def _at(path: Path, field: str) -> Path:
    if not field:
        return (*path, "data")
    return (*path, "data", *(int(p) if p.isdigit() else p for p in field.split(".")))


def _about(field: str, templated: set[str]) -> bool:
    """Whether a parameter problem concerns a templated value (or, for a problem of the data
    as a whole, whether any value is templated): those are checked when the rule runs."""
    head = field.split(".")[0]
    return head in templated if field else bool(templated)


def fired_event_types(rules: Sequence[Rule]) -> frozenset[str]:
    return frozenset(
        step.event
        for rule in rules
        for _, step in walk_steps(rule.actions, ())
        if isinstance(step, EventStep)
    )
