"""Running rule test files: each test in a fresh harness, its steps in order, the first
expectation that fails ending the test with what was expected beside what happened.

Where the rules run is the caller's ``Bench`` (``rules`` may not build the integrations'
services): it reads the test file's rules and gives a fresh ``RuleHarness`` per test. Input
steps (``webhook``, ``push``, ``event``, ``state``, ``advance``) act and let the rules settle;
expectations read what the harness recorded since the last expectation of their kind:

- ``expect_actions`` / ``expect_actions_include`` / ``expect_no_actions``: the service calls
  made since the last of these (exactly these in order / these among them / none);
- ``expect_trace``: the first run or non-run since the last matched ``expect_trace``;
- ``expect_state``: the state store now.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any, Protocol

from engine.config import ConfigError
from engine.config.errors import ConfigProblem
from rules.records import NonRunRecord, RunRecord
from rules.testing.files import LoadedTestFile, load_test_file
from rules.testing.harness import CallRecord, RuleHarness, Stub
from rules.testing.matching import differences, show
from rules.testing.spec import (
    AdvanceStep,
    EventStep,
    ExpectActionsIncludeStep,
    ExpectActionsStep,
    ExpectedCall,
    ExpectedTrace,
    ExpectNoActionsStep,
    ExpectStateStep,
    ExpectTraceStep,
    PushStep,
    RuleTest,
    SetStateStep,
    StubSpec,
    WebhookStep,
    step_kind,
)

# A test's clock starts here unless ``given.time`` says (a Monday morning, in the test's zone).
DEFAULT_START = (2026, 3, 2, 9, 0, 0)


class Bench(Protocol):
    """Where a test file's rules run (built by the engine-side wiring)."""

    def prepare(self, file: LoadedTestFile) -> list[ConfigProblem]:
        """Read the file's rules; the problems that keep its tests from running."""

    async def open(
        self, file: LoadedTestFile, test: RuleTest, stubs: Mapping[str, Stub]
    ) -> RuleHarness:
        """A fresh harness for ``test``, not started."""

    async def begin(self, harness: RuleHarness) -> None:
        """What the harness does once its core runs, before the given states."""

    async def close(self, harness: RuleHarness) -> None: ...


def start_time(given: datetime | None, zone: tzinfo) -> float:
    """The epoch a test starts at: ``given`` (naive: in ``zone``), else DEFAULT_START."""
    moment = given or datetime(*DEFAULT_START)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.timestamp()


def stub_of(spec: StubSpec) -> Stub:
    return Stub(result=spec.result, error=spec.error, message=spec.message)


@dataclass(frozen=True, slots=True)
class Failure:
    where: str  # FILE:LINE:COL of the step (or of the stub)
    step: str  # "step 3 (expect_actions)"
    message: str
    details: tuple[str, ...] = ()


@dataclass(slots=True)
class TestResult:
    name: str
    where: str
    failures: list[Failure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # calls no stub answered (without --strict)
    calls: int = 0

    @property
    def passed(self) -> bool:
        return not self.failures


@dataclass(slots=True)
class FileResult:
    path: str
    problems: list[ConfigProblem] = field(default_factory=list)  # the file could not run
    tests: list[TestResult] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.problems and all(t.passed for t in self.tests)


class StepFailedError(Exception):
    def __init__(self, message: str, details: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.details = tuple(details)


async def run_path(path: str, bench: Bench, *, strict: bool = False) -> FileResult:
    """Read and run one test file; a file that cannot be read is a result with problems."""
    try:
        file = load_test_file(path)
    except ConfigError as exc:
        return FileResult(path, list(exc.problems))
    return await run_file(file, bench, strict=strict)


async def run_file(file: LoadedTestFile, bench: Bench, *, strict: bool = False) -> FileResult:
    result = FileResult(str(file.path))
    problems = bench.prepare(file)
    if any(p.is_error for p in problems):
        result.problems = problems
        return result
    for index, test in enumerate(file.spec.tests):
        result.tests.append(await _run_test(file, index, test, bench, strict))
    return result


async def _run_test(
    file: LoadedTestFile, index: int, test: RuleTest, bench: Bench, strict: bool
) -> TestResult:
    base: tuple[Hashable, ...] = ("tests", index)
    outcome = TestResult(test.name, file.where((*base, "name")))
    stubs = {name: stub_of(spec) for name, spec in test.given.respond.items()}
    harness = await bench.open(file, test, stubs)
    try:
        for name, stub in stubs.items():
            for problem in harness.caller.problems(name, stub):
                where = file.where((*base, "given", "respond", name))
                outcome.failures.append(Failure(where, "given.respond", problem))
        if outcome.failures:
            return outcome
        states = {e: (s.state, s.attributes) for e, s in test.given.states.items()}
        await harness.start(states, before=lambda: bench.begin(harness))
        walker = _Walker(file, harness)
        for number, step in enumerate(test.steps):
            path = (*base, "steps", number)
            label = f"step {number + 1} ({step_kind(step)})"
            harness.step = f"{label} at {file.where(path)}"
            try:
                await walker.do(step)
            except StepFailedError as failed:
                outcome.failures.append(
                    Failure(file.where(path), label, failed.message, failed.details)
                )
                break
        outcome.calls = len(harness.calls)
        for call in harness.unstubbed:
            text = f"{call.service} had no stub and answered its empty success ({_made_by(call)})"
            if strict:
                where = file.where((*base, "given"))
                outcome.failures.append(Failure(where, "--strict", text))
            else:
                outcome.notes.append(text)
    finally:
        await bench.close(harness)
    return outcome


class _Walker:
    """One test's steps on one harness, with the cursors of its expectations."""

    def __init__(self, file: LoadedTestFile, harness: RuleHarness) -> None:
        self.file = file
        self.harness = harness
        self.calls_seen = 0
        self.trace_seen = 0

    async def do(self, step: Any) -> None:
        harness = self.harness
        try:
            if isinstance(step, WebhookStep):
                await harness.webhook(step.webhook.kind, step.webhook.fields)
            elif isinstance(step, PushStep):
                await harness.push(step.push)
            elif isinstance(step, EventStep):
                await harness.fire(step.event.type, step.event.data)
            elif isinstance(step, SetStateStep):
                spec = step.state
                await harness.set_state(spec.entity_id, spec.state, spec.attributes)
            elif isinstance(step, AdvanceStep):
                await harness.advance(step.advance)
        except StepFailedError:
            raise
        except Exception as exc:
            # Bad input of the test (an unknown webhook kind, a misspelt field): its words.
            raise StepFailedError(f"{type(exc).__name__}: {exc}") from None
        if isinstance(step, ExpectActionsStep):
            self._exactly(step.expect_actions)
        elif isinstance(step, ExpectActionsIncludeStep):
            self._include(step.expect_actions_include)
        elif isinstance(step, ExpectNoActionsStep):
            self._exactly([])
        elif isinstance(step, ExpectStateStep):
            self._states(step)
        elif isinstance(step, ExpectTraceStep):
            self._trace(step.expect_trace)

    def _new_calls(self) -> list[CallRecord]:
        calls = self.harness.calls[self.calls_seen :]
        self.calls_seen = len(self.harness.calls)
        return calls

    def _exactly(self, expected: list[ExpectedCall]) -> None:
        actual = self._new_calls()
        problems = []
        for number in range(max(len(expected), len(actual))):
            want = expected[number] if number < len(expected) else None
            got = actual[number] if number < len(actual) else None
            if want is None or got is None or _call_differences(want, got):
                problems.append(number)
        if not problems:
            return
        if not expected:
            message = f"expected no service calls, got {len(actual)}"
        elif len(expected) != len(actual):
            message = f"expected {len(expected)} service call(s), got {len(actual)}"
        else:
            message = "the service calls differ"
        raise StepFailedError(message, _side_by_side(expected, actual, problems))

    def _include(self, expected: list[ExpectedCall]) -> None:
        actual = self._new_calls()
        unused = list(range(len(actual)))
        missing = []
        for want in expected:
            found = next((i for i in unused if not _call_differences(want, actual[i])), None)
            if found is None:
                missing.append(want)
            else:
                unused.remove(found)
        if missing:
            lines = ["missing:"]
            lines += [f"  {_expected_call(want)}" for want in missing]
            lines += ["made:"] + ([f"  {_actual_call(c)}" for c in actual] or ["  (no calls)"])
            raise StepFailedError(f"{len(missing)} expected service call(s) not made", lines)

    def _states(self, step: ExpectStateStep) -> None:
        lines = []
        for entity_id, want in step.expect_state.items():
            current = self.harness.core.states.get(entity_id)
            if current is None:
                lines.append(f"{entity_id}: no such entity")
                continue
            if want.state is not None and want.state != current.state:
                lines.append(
                    f"{entity_id}: expected state {show(want.state)}, got {show(current.state)}"
                )
            for problem in differences(want.attributes, dict(current.attributes)):
                lines.append(f"{entity_id}: attributes.{problem}")
        if lines:
            raise StepFailedError("the states differ", lines)

    def _trace(self, want: ExpectedTrace) -> None:
        timeline = self.harness.timeline
        for index in range(self.trace_seen, len(timeline)):
            if not _trace_differences(want, timeline[index]):
                self.trace_seen = index + 1
                return
        since = timeline[self.trace_seen :]
        of_rule = [r for r in since if r.rule_id == want.rule]
        lines = [f"expected: {_expected_trace(want)}"]
        if of_rule:
            lines.append(f"records of {want.rule} since the last matched expect_trace:")
            lines += [f"  {_record(self.harness, r)}" for r in of_rule]
        else:
            others = sorted({r.rule_id for r in since})
            lines.append(
                f"no run or non-run of {want.rule} since the last matched expect_trace"
                + (f" (records of: {', '.join(others)})" if others else "")
            )
        raise StepFailedError(f"no matching trace of rule {want.rule}", lines)


def _call_differences(want: ExpectedCall, got: CallRecord) -> list[str]:
    if want.action != got.service:
        return [f"action: expected {want.action}, got {got.service}"]
    return differences(want.data, got.data, "data")


def _expected_call(want: ExpectedCall) -> str:
    return f"{want.action} {show(want.data)}" if want.data else want.action


def _actual_call(call: CallRecord) -> str:
    answered = f", answered: {call.error}" if call.error else ""
    return f"{call.service} {show(call.data)}  ({_made_by(call)}{answered})"


def _made_by(call: CallRecord) -> str:
    made = f"rule {call.rule_id}"
    if call.run_id:
        made += f", run {call.run_id}"
    if call.step:
        made += f", during {call.step}"
    return made


def _side_by_side(
    expected: list[ExpectedCall], actual: list[CallRecord], wrong: list[int]
) -> list[str]:
    lines = []
    for number in range(max(len(expected), len(actual))):
        mark = "✗" if number in wrong else "✓"
        want = expected[number] if number < len(expected) else None
        got = actual[number] if number < len(actual) else None
        lines.append(
            f"{mark} {number + 1}. expected: {_expected_call(want) if want else '(nothing)'}"
        )
        lines.append(f"     actual:   {_actual_call(got) if got else '(nothing)'}")
        if want is not None and got is not None:
            lines += [f"     differs:  {d}" for d in _call_differences(want, got)]
    return lines


def _trace_differences(want: ExpectedTrace, record: RunRecord | NonRunRecord) -> list[str]:
    if record.rule_id != want.rule:
        return ["rule"]
    if isinstance(record, NonRunRecord):
        if want.outcome not in ("not_run",):
            return ["a non-run"]
        if want.reason is not None and record.reason.value != want.reason:
            return ["reason"]
        return []
    if want.outcome == "not_run":
        return ["a run"]
    found = []
    if want.outcome != "ran" and (record.outcome is None or record.outcome.value != want.outcome):
        found.append("outcome")
    if want.reason is not None and record.reason != want.reason:
        found.append("reason")
    if want.error is not None and (record.error is None or record.error.type != want.error):
        found.append("error")
    if want.response is not None:
        found += differences(want.response, record.response, "response")
    return found


def _expected_trace(want: ExpectedTrace) -> str:
    parts = [f"rule {want.rule}", want.outcome]
    if want.reason is not None:
        parts.append(f"reason {want.reason}")
    if want.error is not None:
        parts.append(f"error {want.error}")
    if want.response is not None:
        parts.append(f"response {show(want.response)}")
    return ", ".join(parts)


def _record(harness: RuleHarness, record: RunRecord | NonRunRecord) -> str:
    during = harness.step_of(record)
    tail = f"  (during {during})" if during else ""
    if isinstance(record, NonRunRecord):
        return f"not run, reason {record.reason.value}{tail}"
    outcome = record.outcome.value if record.outcome is not None else "still running"
    parts = [f"run {record.run_id}: {outcome}"]
    if record.reason:
        parts.append(f"reason {record.reason}")
    if record.error is not None:
        parts.append(f"error {record.error}")
    if record.response is not None:
        parts.append(f"response {show(record.response)}")
    return ", ".join(parts) + tail
