"""Reading rule test files: YAML through the config loader (so every problem has its
FILE:LINE:COL, and ``!include`` and ``!secret`` work as in a config), then the models of
``rules.testing.spec``, their errors explained by the config's own explainer."""

from __future__ import annotations

import os
from collections.abc import Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from engine.config import ConfigError, Document, load_document
from engine.config.errors import ConfigProblem
from engine.config.explain import explain
from rules.testing.spec import TestFile

SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class LoadedTestFile:
    path: Path
    document: Document
    spec: TestFile

    @property
    def rules_path(self) -> Path:
        """The rules (or config) file the tests run, relative to the test file."""
        return (self.path.parent / self.spec.rules).resolve()

    def where(self, path: Sequence[Hashable]) -> str:
        """``FILE:LINE:COL`` of the value at ``path`` (``("tests", 0, "steps", 2)``)."""
        return str(self.document.locate(path))

    def problem(self, path: Sequence[Hashable], message: str) -> ConfigProblem:
        return self.document.problem(path, message)


def load_test_file(path: str | os.PathLike[str], *, text: str | None = None) -> LoadedTestFile:
    """The test file at ``path`` (``text``: its content, not read from disk); ConfigError
    lists every problem at its FILE:LINE:COL."""
    document = load_document(path, text=text, environ={})
    try:
        spec = TestFile.model_validate(document.data)
    except ValidationError as exc:
        raise ConfigError(explain(exc, document, prefix=(), annotation=TestFile)) from None
    return LoadedTestFile(Path(path), document, spec)


def is_test_file(path: Path) -> bool:
    """A YAML file whose top level is a mapping with ``tests`` (a rules or config file beside
    the tests is not one). A file that does not parse counts: its error is worth showing."""
    try:
        document = load_document(path, environ={})
    except ConfigError:
        return True
    return isinstance(document.data, dict) and "tests" in document.data


def find_test_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """Each file named, and every test file below each directory named, in name order."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for found in sorted(path.rglob("*")):
                if found.suffix in SUFFIXES and found.is_file() and is_test_file(found):
                    yield found
        else:
            yield path
