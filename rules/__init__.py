"""The automation language: rules written in YAML, checked at load, run by the engine.

What the daemon uses::

    section = rules_section(core)          # for the config loader and vicibus check
    config = load(path, [*sections, section.section])
    engine = RuleEngine(core, section.compiled(config.section(section.section)))
    await engine.start()                   # then fire vicibus_started
    await engine.reload(rules)             # then fire vicibus_reloaded
    await engine.stop()
    did.decider = engine.did_decider(fallback)     # DID filter requests answered by rules
    engine.set_enabled(False, rule_ids=[...], who="api:ops")   # the kill switch

``load_rules(data, core, reporter)`` loads rules outside the config loader (tests, replay).
"""

from rules.compiler import CompiledRule
from rules.engine import RuleEngine, UnknownRulesError
from rules.loading import RuleLoad, load_rules
from rules.records import MemoryRecorder, NonRunRecord, Outcome, RunRecord, RunRecorder
from rules.render_budget import TemplateLimits
from rules.runner import Run
from rules.section import RULES, RuleList, RulesSection, rules_section
from rules.service_calls import ServiceCaller

__all__ = [
    "RULES",
    "CompiledRule",
    "MemoryRecorder",
    "NonRunRecord",
    "Outcome",
    "RuleEngine",
    "RuleList",
    "RuleLoad",
    "RulesSection",
    "Run",
    "RunRecord",
    "RunRecorder",
    "ServiceCaller",
    "TemplateLimits",
    "UnknownRulesError",
    "load_rules",
    "rules_section",
]
