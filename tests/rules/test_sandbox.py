"""The template sandbox: known escape payloads refused, every render bounded, native values."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from engine.clock import Clock, ClockMode
from engine.context import Context, Origin
from engine.core import Core
from rules.errors import TemplateCompileError, TemplateRenderError
from rules.render_budget import TemplateLimits
from rules.template_functions import Scope
from rules.template_views import DataView, Lens
from rules.templates import Templates
from tests.rules.conftest import START, TZ, payload


@pytest.fixture
def core() -> Core:
    core = Core(Clock(ClockMode.MANUAL, tz=TZ, start=START))
    context = Context(Origin.POLL)
    core.states.set("agent.1001", "PAUSED", {"campaign": "TESTCAMP", "calls": 3}, context=context)
    return core


def render(core: Core, source: str, limits: TemplateLimits | None = None, **variables: Any) -> Any:
    scope = Scope(core.states.snapshot(), core.clock.time(), core.clock)
    return Templates(limits).compile(source).render(variables, scope)


def refused(core: Core, source: str, **variables: Any) -> TemplateRenderError:
    with pytest.raises(TemplateRenderError) as caught:
        render(core, source, **variables)
    return caught.value


ESCAPES = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ ().__class__.__base__.__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os }}",
    "{{ joiner.__init__.__globals__ }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ lipsum.__globals__['os'] }}",
    "{{ self.__init__.__globals__ }}",
    "{{ states.__globals__ }}",
    "{{ now.__globals__ }}",
    "{{ (range(3)|map('string')).gi_frame.f_globals }}",
    "{{ '{0.__class__.__mro__}'.format('') }}",
    "{{ '{0.__init__.__globals__}'.format(cycler) }}",
    "{{ '{x.__class__}'.format_map({'x': 1}) }}",
    "{{ ''.mro }}",
    "{{ dict.mro() }}",
    "{{ [].append(1) }}",
    "{{ {}.update(a=1) }}",
    "{{ {}.setdefault('a', 1) }}",
    "{{ trigger.payload.__class__ }}",
    "{{ trigger.payload.model_copy }}",
    "{{ trigger.payload._data }}",
    "{{ trigger.to_state._state }}",
]


@pytest.mark.parametrize("source", ESCAPES)
def test_escape_payloads_are_refused(core: Core, source: str) -> None:
    lens = Lens(TZ, START)
    state = core.states.get("agent.1001")
    assert state is not None
    from rules.template_views import StateView

    trigger = {
        "payload": DataView(payload("pause_max", user="1001"), "the pause_max payload", lens),
        "to_state": StateView(state, lens),
    }
    error = refused(core, source, trigger=trigger)
    assert error.kind in {"security", "undefined"}, error


LIMITS = [
    "{{ range(10**9) }}",
    "{{ range(100000)|list }}",
    "{{ 'a' * 10**9 }}",
    "{{ [1] * 10**8 }}",
    "{{ 9 ** 999999 }}",
    "{% for i in range(10000) %}{% for j in range(10) %}{% endfor %}{% endfor %}",
    "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
    "{% set ns = namespace(x='ab') %}{% for i in range(40) %}{% set ns.x = ns.x ~ ns.x %}"
    "{% endfor %}{{ ns.x|length }}",
    "{% set ns = namespace(a=['x' * 1000]) %}{% for i in range(12) %}"
    "{% set ns.a = ns.a + ns.a %}{% endfor %}{{ ns.a|string }}",
    "{% set a = ['xxxxxxxxxx'] * 100 %}{% set b = [a, a, a, a, a, a, a, a, a, a] %}"
    "{% set c = [b, b, b, b, b, b, b, b, b, b] %}{% set d = [c, c, c, c, c, c, c, c, c, c] %}"
    "{{ d|string|length }}",
    "{{ '{:>999999999}'.format(1) }}",
    "{{ '%999999999d' % 1 }}",
    "{{ '%*d' % (999999999, 1) }}",
    "{{ 'x'|center(999999999) }}",
    "{{ 'x'|indent(999999999, true) }}",
    "{{ '%999999999s'|format(1) }}",
    "{{ 'ab'.ljust(10**9) }}",
    "{{ 'ab'.replace('', 'x' * 100000) ~ 'ab'.replace('', 'x' * 100000) * 3 }}",
    "{{ 'a\tb'.expandtabs(10**8) }}",
    "{{ 'ab'.translate({97: 'x' * 100000}) }}",
    "{{ [[1] * 1000] * 1000 | sum(start=[]) }}",
    "{{ ('x' * 1000)|wordwrap(1, wrapstring='y' * 1000) }}",
]


@pytest.mark.parametrize("source", LIMITS)
def test_each_render_is_bounded(core: Core, source: str) -> None:
    assert refused(core, source).kind == "limit"


def test_the_limits_are_counted_per_render_and_configurable(core: Core) -> None:
    small = TemplateLimits(max_calls=3, max_iterations=5, max_created=20)
    assert render(core, "{{ states('agent.1001') }}{{ is_state('agent.1001', 'PAUSED') }}", small)
    with pytest.raises(TemplateRenderError, match="more than 3 calls"):
        render(core, "{{ now().year > 0 and now() and now() and now() }}", small)
    with pytest.raises(TemplateRenderError, match="more than 5 loop iterations"):
        render(core, "{% for i in [1, 2, 3, 4, 5, 6] %}{% endfor %}", small)
    with pytest.raises(TemplateRenderError, match="more than 20 characters"):
        render(core, "{% for i in [1, 2, 3] %}{{ 'abcdefgh' }}{% endfor %}", small)
    # Passing a big value through creates nothing.
    assert render(core, "{{ big }}", small, big="x" * 10_000) == "x" * 10_000


def test_recursive_loops_are_refused_at_compile() -> None:
    with pytest.raises(TemplateCompileError, match="recursive loops are not allowed"):
        Templates().compile("{% for x in [1] recursive %}{{ loop(x) }}{% endfor %}")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ 5 }}", 5),
        ("{{ 60 * 5 }}", 300),
        ("{{ '1001' }}", "1001"),
        ("{{ user }}", "1001"),
        ("{{ none }}", None),
        ("{{ [1, 2] }}", [1, 2]),
        ("{{ {'a': 1} }}", {"a": 1}),
        ("calls: {{ 3 }}", "calls: 3"),
        ("{% set x = 2 %}{{ x * 2 }}", 4),
        ("plain text", "plain text"),
    ],
)
def test_one_expression_keeps_its_type(core: Core, source: str, expected: Any) -> None:
    assert render(core, source, user="1001") == expected


def test_undefined_is_an_error_never_empty_or_false(core: Core) -> None:
    assert "'missing' is undefined" in str(refused(core, "{{ missing }}"))
    assert "'missing' is undefined" in str(refused(core, "{{ 'a' if missing else 'b' }}"))
    assert render(core, "{{ missing is defined }}") is False
    assert render(core, "{{ missing | default('d') }}") == "d"
    view = DataView(payload("pause_max", user="1"), "the pause_max payload", Lens(TZ, START))
    error = refused(core, "{{ p.lead_id }}", p=view)
    assert str(error) == "the pause_max payload has no field 'lead_id'"


def test_functions_read_the_scope_and_the_clock(core: Core) -> None:
    assert render(core, "{{ states('agent.1001') }}") == "PAUSED"
    assert render(core, "{{ states('agent.9999') }}") == "unknown"
    assert render(core, "{{ is_state('agent.1001', ['READY', 'PAUSED']) }}") is True
    assert render(core, "{{ state_attr('agent.1001', 'campaign') }}") == "TESTCAMP"
    assert render(core, "{{ state_attr('agent.1001', 'seconds_in_state') }}") == 0
    assert render(core, "{{ is_state_attr('agent.1001', 'calls', 3) }}") is True
    now = render(core, "{{ now() }}")
    assert now == datetime(2026, 3, 2, 9, 0, tzinfo=TZ)
    assert render(core, "{{ utcnow().hour }}") == 8
    assert render(core, "{{ as_timestamp(now()) }}") == START
    assert render(core, "{{ as_timestamp('2026-03-02T09:00:00+01:00') }}") == START
    assert render(core, "{{ as_datetime(0).year }}") == 1970
    assert render(core, "{{ (now() + timedelta(minutes=5)).minute }}") == 5
    assert render(core, "{{ as_datetime('nope', none) }}") is None
    assert render(core, "{{ '3.5'|float + 1 }}") == 4.5
    assert render(core, "{{ int('12') }}") == 12
    assert render(core, "{{ 'on'|bool }}") is True
    assert "float got 'abc'" in str(refused(core, "{{ 'abc'|float }}"))
    assert render(core, "{{ 'abc'|float(0) }}") == 0


def test_a_moderate_condition_as_the_anchor_writes_it(core: Core) -> None:
    """Home Assistant's bench template (scenario e), true as it is there."""
    context = Context(Origin.POLL)
    core.states.set("sensor.bench_temp", "21.5", {"humidity": 45}, context=context)
    core.states.set("input_boolean.bench_flag", "on", context=context)
    from engine.events import Event
    from rules.template_views import EventView

    source = (
        "{% set t = states('sensor.bench_temp') | float(0) %}"
        "{% set h = state_attr('sensor.bench_temp', 'humidity') | int(0) %}"
        "{{ is_state('input_boolean.bench_flag', 'on')"
        " and t > 18.5 and t < 35"
        " and h in range(20, 90)"
        " and (trigger.event.data.value | int(0)) % 7 != 8"
        " and trigger.event.data.room in ['kitchen', 'living', 'hall']"
        " and now().year >= 2020 }}"
    )
    event = Event("bench_tpl", {"value": 3, "room": "hall"}, START, context)
    trigger = {"platform": "event", "event": EventView(event, Lens(TZ, START))}
    assert render(core, source, trigger=trigger) is True
