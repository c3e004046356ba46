"""YAML text to ruamel's node graph (tags, positions and anchors kept), or a located problem.

libyaml (ruamel's C parser) composes large rule files 8-18x faster than the pure parser, but
it is older and stricter: it refuses ``{url: https://x}``, which YAML 1.2 allows, and it
recurses in C, where deep nesting crashes the process instead of raising. So the C parser is
only a fast path: it gets text whose nesting is known to be shallow, and whenever it refuses
something the pure parser reads the text again and its answer (or its error) is the one that
counts. Both resolve plain scalars by the same YAML 1.2 rules.
"""

from __future__ import annotations

import re
import warnings
from itertools import accumulate
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import Node
from ruamel.yaml.reader import ReaderError

from engine.config.compact import CompactComposeError, compose_compact

_CLoader: Any
try:
    from ruamel.yaml.cyaml import CSafeLoader as _CLoader
except ImportError:  # no C parser on this interpreter: the pure one reads everything
    _CLoader = None

# Deeper than any config needs; the pure composer refuses past it, the C one is never asked.
MAX_DEPTH = 100
# Block nesting deepens by at least one column per level, so text with short lines and few
# open brackets cannot nest deeper than the two bounds added together.
_C_MAX_LINE = 2000
_C_MAX_BRACKETS = 1000
_BRACKETS = re.compile(r"[^\[\]{}]+")
# Characters libyaml reads otherwise: YAML 1.1's extra line breaks, and a byte order mark
# inside the text (libyaml drops it; YAML 1.2 keeps it in a scalar).
_LIBYAML_DIFFERS = re.compile("[\x85\u2028\u2029\ufeff]")


class YamlError(Exception):
    """Text that is not YAML, at a 0-based line and column."""

    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.message = message


def compose(text: str) -> Node | None:
    """The single document in ``text`` (None when it is empty), or a YamlError."""
    if _CLoader is not None and _shallow(text):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return compose_compact(_CLoader(text))
        except (YAMLError, CompactComposeError):
            pass  # the pure parser decides, and words the error
    return _compose_pure(text)


def _shallow(text: str) -> bool:
    if "%YAML" in text:  # a version directive changes how the pure parser resolves scalars
        return False
    if _LIBYAML_DIFFERS.search(text):
        return False
    if max(map(len, text.splitlines()), default=0) > _C_MAX_LINE:
        return False
    brackets = _BRACKETS.sub("", text)
    if not brackets:
        return True
    steps = (1 if c in "[{" else -1 for c in brackets)
    return max(accumulate(steps)) <= _C_MAX_BRACKETS


def _compose_pure(text: str) -> Node | None:
    yaml = YAML(typ="safe", pure=True)
    yaml.max_depth = MAX_DEPTH
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            node: Node | None = yaml.compose(text)
        return node
    except MarkedYAMLError as exc:
        raise _located(exc, text) from None
    except ReaderError as exc:
        line, column = _line_column(text, exc.position)
        character = chr(exc.character) if isinstance(exc.character, int) else exc.character
        raise YamlError(
            line, column, f"character {character!r} is not allowed in YAML text"
        ) from None
    except (YAMLError, RecursionError) as exc:
        raise YamlError(0, 0, f"not valid YAML ({type(exc).__name__})") from None


def _located(exc: MarkedYAMLError, text: str) -> YamlError:
    # Only ruamel's problem and context words are used: str(exc) quotes the line, which may
    # hold a secret.
    mark: Any = exc.problem_mark or exc.context_mark
    line = mark.line if mark is not None else 0
    column = mark.column if mark is not None else 0
    problem = str(exc.problem or exc.context or "not valid YAML")
    if _char_at(text, line, column) == "\t" or "'\\t'" in problem:
        return YamlError(line, column, "a tab character here: indent YAML with spaces")
    if "maximum depth" in problem:
        return YamlError(line, column, f"nested deeper than {MAX_DEPTH} levels")
    context = str(exc.context) if exc.context and exc.problem else ""
    if context and context not in problem:
        problem = f"{problem} ({context})"
    return YamlError(line, column, f"not valid YAML: {problem}")


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n", line + 1)
    if line < len(lines) and column < len(lines[line]):
        return lines[line][column]
    return ""


def _line_column(text: str, position: int) -> tuple[int, int]:
    before = text[:position]
    line = before.count("\n")
    return line, position - (before.rfind("\n") + 1)
