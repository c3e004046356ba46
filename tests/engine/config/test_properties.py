"""Property tests: whatever text a config file holds, the loader and the validator answer with
a ConfigError or a value, never another exception; and the C fast path reads what the pure
parser reads."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import MappingNode, SequenceNode

from engine.config import ConfigError, ConfigProblem, load_document, validate
from engine.config.parse import compose
from tests.engine.config.support import SECTIONS, shape, write

TOKENS = [
    "vicidial",
    "http",
    "port",
    "notify",
    "rules",
    "simulated",
    "scenario",
    "demo",
    "url",
    ":",
    ": ",
    "- ",
    "-",
    "[",
    "]",
    "{",
    "}",
    ", ",
    "!include a.yaml",
    "!include missing.yaml",
    "!include_dir_list d",
    "!include_dir_merge_list d",
    "!secret s",
    "!secret nope",
    "!env_var HOME_X",
    "!env_var NOPE_X default",
    "!foo ",
    "!!int ",
    "!!binary ",
    "&a ",
    "*a",
    "<<: ",
    "'",
    '"',
    "\n",
    "\n  ",
    "\n    ",
    "  ",
    "\t",
    "#",
    "|\n",
    ">\n",
    "%YAML 1.1\n---\n",
    "---\n",
    "...\n",
    "?",
    "~",
    "8123",
    "-1",
    "1e999",
    "0x",
    "2024-13-45",
    "é",
    "\x00",
    "\ufeff",
    "\u2028",
    "\x85",
    "\r",
    "\r\n",
]

yamlish = st.lists(st.sampled_from(TOKENS), max_size=40).map("".join) | st.text(max_size=200)


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tree")
    write(
        root,
        {
            "a.yaml": "- {name: a, platform: log}\n",
            "d/one.yaml": "- 1\n",
            "d/two.yaml": "x: !include ../a.yaml\n",
            "secrets.yaml": "s: value\n",
        },
    )
    return root


def problems_of(root: Path, text: str) -> tuple[ConfigProblem, ...]:
    """What loading and validating ``text`` finds wrong (nothing: it is a valid config)."""
    try:
        document = load_document(root / "config.yaml", text=text, environ={"HOME_X": "h"})
        validate(document, SECTIONS, environ={})
    except ConfigError as exc:
        return exc.problems
    return ()


@given(text=yamlish)
def test_random_text_gives_a_config_error_or_data(tree: Path, text: str) -> None:
    # Any other exception fails the test on its own.
    for problem in problems_of(tree, text):
        assert problem.line >= 1
        assert problem.column >= 1
        assert problem.message


@pytest.mark.filterwarnings("ignore::ruamel.yaml.error.ReusedAnchorWarning")  # the oracle's
@given(text=yamlish)
def test_the_fast_path_composes_what_the_pure_parser_composes(text: str) -> None:
    try:
        pure = YAML(typ="safe", pure=True).compose(text)
    except (YAMLError, RecursionError):
        return
    if not isinstance(pure, (MappingNode, SequenceNode)):
        # A document that is one bare scalar (`|` then text at column 0) is where libyaml and
        # YAML 1.2 part ways; a config file or an included one is a mapping or a list.
        return
    # The pure parser read it, so the fast path (or its fallback) must read it the same.
    fast = compose(text)
    assert (fast is None) == (pure is None)
    if fast is not None:
        # A node with both an anchor and a tag starts at the first of them for libyaml and at
        # the second for the pure parser: with anchors about, only the data is compared.
        places = "&" not in text
        assert shape(fast, places=places) == shape(pure, places=places)
