"""The loader: tags, includes, places of keys and values, and the problems it finds itself."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from engine.config import ConfigError, Document, Location, load_document
from engine.config import parse as parse_module
from engine.config.parse import MAX_DEPTH, compose
from tests.engine.config.support import shape, write


def document(here: Path, files: dict[str, str], environ: dict[str, str] | None = None) -> Document:
    write(here, files)
    return load_document("config.yaml", environ=environ or {})


def refused(here: Path, files: dict[str, str], environ: dict[str, str] | None = None) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        document(here, files, environ)
    return str(caught.value).splitlines()


def test_places_of_keys_and_values(here: Path) -> None:
    doc = document(
        here,
        {"config.yaml": "http:\n  port: 8123\n  hosts: [a, b]\nrules:\n  - {id: x}\n"},
    )
    assert doc.locate(("http", "port")) == Location("config.yaml", 2, 9)
    assert doc.locate(("http", "port"), key=True) == Location("config.yaml", 2, 3)
    assert doc.locate(("http", "hosts", 1)) == Location("config.yaml", 3, 14)
    assert doc.locate(("rules", 0, "id")) == Location("config.yaml", 5, 10)
    # A path that leaves the data ends at the mapping that lacks the key.
    assert doc.locate(("http", "api_token")) == Location("config.yaml", 2, 3)
    assert doc.locate(("nothing", "here"), key=True) == Location("config.yaml", 1, 1)
    found = doc.find(("http", "tag-of-a-union", "port"), skip_unknown=True)
    assert found.path == ("http", "port")
    assert not found.complete


def test_places_in_a_mapping_with_many_keys(here: Path) -> None:
    keys = "".join(f"  k{i}: {i}\n" for i in range(200))
    doc = document(here, {"config.yaml": "big:\n" + keys})
    assert doc.locate(("big", "k150")) == Location("config.yaml", 152, 9)
    assert doc.locate(("big", "k199"), key=True) == Location("config.yaml", 201, 3)
    assert doc.locate(("big", "k200")) == Location("config.yaml", 2, 3)


def test_included_data_is_placed_in_its_own_file(here: Path) -> None:
    doc = document(
        here,
        {
            "config.yaml": "vicidial: !include conf/dialer.yaml\nport: !include conf/port.yaml\n",
            "conf/dialer.yaml": "poll: !include poll.yaml\n",  # relative to conf/
            "conf/poll.yaml": "\n\ninterval: 5\n",
            "conf/port.yaml": "8123\n",
        },
    )
    assert doc.data == {"vicidial": {"poll": {"interval": 5}}, "port": 8123}
    assert doc.locate(("vicidial", "poll", "interval")) == Location(
        os.path.join("conf", "poll.yaml"), 3, 11
    )
    # A scalar from a file is placed at the tag that brought it.
    assert doc.locate(("port",)) == Location("config.yaml", 2, 7)
    assert doc.files == (
        "config.yaml",
        "conf/dialer.yaml",
        "conf/poll.yaml",
        "conf/port.yaml",
    )


def test_directory_lists_are_sorted_recursive_and_placed_per_item(here: Path) -> None:
    doc = document(
        here,
        {
            "config.yaml": "merged: !include_dir_merge_list d\nlisted: !include_dir_list d\n",
            "d/b.yaml": "- 2\n- 3\n",
            "d/a/z.yml": "- 1\n",
            "d/c.yaml": "",
            "d/secrets.yaml": "- never\n",
            "d/.git/x.yaml": "- never\n",
        },
    )
    assert doc.data == {"merged": [1, 2, 3], "listed": [[1], [2, 3]]}
    assert doc.locate(("merged", 2)) == Location("d/b.yaml", 2, 3)
    assert doc.locate(("listed", 0)) == Location("d/a/z.yml", 1, 1)


def test_secrets_are_read_once_and_remembered_for_redaction(here: Path) -> None:
    doc = document(
        here,
        {
            "config.yaml": "a: !secret one\nb: !secret one\nc: !include more.yaml\nd: !secret n\n",
            "more.yaml": "!secret two\n",
            "secrets.yaml": "one: first-secret\ntwo: second-secret\nn: 42\nunused: x\n",
        },
    )
    assert doc.data == {"a": "first-secret", "b": "first-secret", "c": "second-secret", "d": 42}
    assert doc.secret_values == {"first-secret", "second-secret"}
    assert doc.scrub("it was first-secret, then second-secret") == "it was ***, then ***"
    assert "secrets.yaml" in doc.files


def test_env_var_with_and_without_default(here: Path) -> None:
    doc = document(
        here,
        {"config.yaml": "a: !env_var HOME_X\nb: !env_var UNSET_X fall back\nc: !env_var EMPTY_X\n"},
        {"HOME_X": "/home/x", "EMPTY_X": ""},
    )
    assert doc.data == {"a": "/home/x", "b": "fall back", "c": ""}


def test_an_empty_file_is_an_empty_mapping(here: Path) -> None:
    doc = document(here, {"config.yaml": "# nothing yet\n"})
    assert doc.data == {}
    assert doc.locate(("vicidial",)) == Location("config.yaml", 1, 1)


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {"config.yaml": "a: !include d\n", "d/x.yaml": "1\n"},
            "config.yaml:1:4: d is a directory: include it with !include_dir_list or "
            "!include_dir_merge_list",
        ),
        (
            {"config.yaml": "a: !include_dir_list f.yaml\n", "f.yaml": "1\n"},
            "config.yaml:1:4: !include_dir_list: f.yaml is a file, not a directory; use !include",
        ),
        ({"config.yaml": "a: !include\n"}, "config.yaml:1:4: !include needs a file name"),
        (
            {"config.yaml": "a: !env_var 1BAD\n"},
            "config.yaml:1:4: !env_var: '1BAD' is not an environment variable name",
        ),
        (
            {"config.yaml": "a: !include [x.yaml]\n"},
            "config.yaml:1:4: the tag !include cannot be used on a list here",
        ),
        (
            {"config.yaml": "a: !!set {x}\n"},
            "config.yaml:1:4: the tag tag:yaml.org,2002:set cannot be used on a mapping here",
        ),
        (
            {"config.yaml": "a: !!int abc\n"},
            "config.yaml:1:4: cannot read this as int: ValueError",
        ),
        (
            {"config.yaml": "a: 2024-13-45\n"},
            "config.yaml:1:4: cannot read this as timestamp: ValueError",
        ),
        (
            {"config.yaml": "? [a]\n: 1\n"},
            "config.yaml:1:3: a key must be a plain name or value, not a mapping, list or tag",
        ),
        (
            {"config.yaml": "a: &x [1, *x]\n"},
            "config.yaml:1:4: this alias refers to a mapping or sequence that holds it",
        ),
        (
            {"config.yaml": "a: !secret x\n", "secrets.yaml": "x: [1]\n"},
            "secrets.yaml:1:1: secret 'x' must be one value",
        ),
        (
            {"config.yaml": "a: 1\n---\nb: 2\n"},
            "config.yaml:2:1: not valid YAML: but found another document (expected a single "
            "document in the stream)",
        ),
        (
            {"config.yaml": "a: *nowhere\n"},
            "config.yaml:1:4: not valid YAML: found undefined alias 'nowhere'",
        ),
    ],
)
def test_loader_problems(here: Path, files: dict[str, str], expected: str) -> None:
    assert expected in refused(here, files)


def test_tags_are_refused_in_secrets_yaml(here: Path) -> None:
    lines = refused(here, {"config.yaml": "a: !secret x\n", "secrets.yaml": "x: !env_var HOME\n"})
    assert lines == ["secrets.yaml:1:4: tags such as !env_var are not allowed in this file"]


def test_a_broken_secrets_yaml_is_reported_once(here: Path) -> None:
    lines = refused(
        here,
        {"config.yaml": "a: !secret x\nb: !secret y\n", "secrets.yaml": "x: 1\n\ty: 2\n"},
    )
    assert lines == ["secrets.yaml:2:1: a tab character here: indent YAML with spaces"]


def test_every_problem_of_a_file_is_reported_together(here: Path) -> None:
    lines = refused(
        here,
        {"config.yaml": "a: !include nope.yaml\nb: !secret s\nc: !env_var NOPE_X\nd: !bogus 1\n"},
    )
    assert [line.split(":")[1] for line in lines] == ["1", "2", "3", "4"]


def test_a_file_that_is_not_utf8(here: Path) -> None:
    (here / "config.yaml").write_bytes(b"a: 1\nb: caf\xe9\n")
    with pytest.raises(ConfigError) as caught:
        load_document("config.yaml")
    assert str(caught.value) == "config.yaml:2:7: not UTF-8 text"


def test_a_missing_config_file(here: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_document("nope.yaml")
    assert str(caught.value) == "nope.yaml:1:1: cannot read this file: No such file or directory"


def test_deep_nesting_is_refused_not_a_crash(here: Path) -> None:
    for depth in (MAX_DEPTH + 5, 20_000):
        text = "a: " + "[" * depth + "]" * depth + "\n"
        (here / "config.yaml").write_text(text)
        with pytest.raises(ConfigError) as caught:
            load_document("config.yaml")
        assert f"nested deeper than {MAX_DEPTH} levels" in str(caught.value)


def test_billion_laughs_is_built_once_per_anchor(here: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    doc = document(here, {"config.yaml": "\n".join(lines) + "\n"})
    assert doc.data["a8"][0] is doc.data["a7"]  # shared, not copied 10**8 times


@pytest.mark.parametrize(
    "text",
    [
        "a: {url: https://x.example/, at: 08:00}\n",  # libyaml refuses ':' in flow scalars
        "a: [1, 2, {b: [3, {c: d}]}]\nb: !include x\n",
        "%YAML 1.2\n---\na: 1\n",
        "a:\n  - b: 1\n    c: &x [1]\n  - *x\n",
        "a: 'it''s'\nb: \"\\t\"\nc: |\n  block\n  text\n",
    ],
)
def test_the_c_fast_path_agrees_with_the_pure_parser(text: str) -> None:
    pure = YAML(typ="safe", pure=True).compose(text)
    fast = compose(text)

    assert fast is not None
    assert pure is not None
    assert shape(fast) == shape(pure)


def test_without_the_c_parser_the_pure_one_reads_everything(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {"config.yaml": "a: {b: [1, 2]}\nc: !env_var HOME_X\n"}
    with_c = document(here, files, {"HOME_X": "h"})
    monkeypatch.setattr(parse_module, "_CLoader", None)
    without = document(here, files, {"HOME_X": "h"})
    assert with_c.data == without.data
    assert with_c.locate(("a", "b", 1)) == without.locate(("a", "b", 1))
