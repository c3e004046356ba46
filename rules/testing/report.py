"""The words ``vicibus test`` prints: a line per test, each failure with where it happened
and what was expected beside what happened, then a summary line."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rules.testing.runner import FileResult


def file_lines(result: FileResult, *, verbose: bool = False) -> Iterator[str]:
    if result.problems:
        yield f"ERROR {result.path}: the tests cannot run"
        for problem in result.problems:
            yield f"  {problem}"
        return
    for test in result.tests:
        if test.passed:
            yield f"PASS  {result.path}: {test.name}"
        else:
            yield f"FAIL  {result.path}: {test.name}"
        for failure in test.failures:
            yield f"  {failure.where}: {failure.step}: {failure.message}"
            for detail in failure.details:
                yield f"      {detail}"
        if verbose or not test.passed:
            for note in test.notes:
                yield f"  note: {note}"


def summary(results: Iterable[FileResult]) -> str:
    results = list(results)
    tests = [t for r in results for t in r.tests]
    failed = sum(not t.passed for t in tests)
    broken = sum(bool(r.problems) for r in results)
    unstubbed = sum(len(t.notes) for t in tests)
    parts = [f"{len(tests)} test{'s' if len(tests) != 1 else ''}", f"{len(tests) - failed} passed"]
    if failed:
        parts.append(f"{failed} failed")
    if broken:
        parts.append(f"{broken} file{'s' if broken != 1 else ''} could not run")
    if unstubbed:
        parts.append(f"{unstubbed} call(s) without a stub (--strict fails them)")
    return ", ".join(parts)
