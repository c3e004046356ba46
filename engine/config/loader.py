"""Read a config file and everything it includes into a Document.

Tags, as in Home Assistant:

- ``!include FILE``: the data of another file, its path relative to the including file;
- ``!include_dir_list DIR``: one item per ``*.yaml`` file under DIR (recursively, sorted by
  path, hidden files and ``secrets.yaml`` left out, empty files skipped);
- ``!include_dir_merge_list DIR``: the same files, each holding a list, concatenated;
- ``!secret NAME``: a value from ``secrets.yaml`` beside the main config file (only there, so
  one file holds every secret);
- ``!env_var NAME [DEFAULT]``: an environment variable, or the default (a string).

Every problem found is collected, each at its file:line:column, and raised together as one
ConfigError: a bad include does not hide a missing secret three lines further down.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Hashable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from engine.config.document import COLUMN_MASK, LINE_SHIFT, Document, Positions, pack, unpack
from engine.config.errors import ConfigError, ConfigProblem
from engine.config.parse import MAX_DEPTH, YamlError, compose
from engine.config.scalars import ScalarError, convert, is_standard
from engine.services import suggest

SECRETS_FILE = "secrets.yaml"
YAML_SUFFIXES = (".yaml", ".yml")
_MERGE = "tag:yaml.org,2002:merge"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_NULL = "tag:yaml.org,2002:null"
_STR = "tag:yaml.org,2002:str"
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_BUILDING = object()  # a mapping or sequence whose items are being built (for alias loops)
_NO_KEY = object()  # a key that could not be read (and was reported)
_BROKEN_SECRETS: dict[Any, Any] = {}  # a secrets.yaml with problems of its own


@dataclass(frozen=True, slots=True)
class _File:
    index: int
    display: str  # as the user reads it: the main path as given, includes joined to it
    real: Path  # absolute, for reading and for finding include loops

    def beside(self, name: str) -> tuple[str, Path]:
        """The display name and real path of ``name`` written in this file."""
        if os.path.isabs(name):
            return name, Path(name)
        display = os.path.normpath(os.path.join(os.path.dirname(self.display), name))
        return display, self.real.parent / name


def load_document(
    path: str | os.PathLike[str],
    *,
    text: str | None = None,
    environ: Mapping[str, str] | None = None,
    tags: Mapping[str, Callable[[str], Any]] | None = None,
) -> Document:
    """The Document of the config file at ``path`` (``text``: its content, not read from disk).

    ``tags`` adds scalar tags of a file kind's own (a blueprint's ``!input``): each maps the
    tagged text to the value it stands for.

    Raises ConfigError with every problem found, each at its file:line:column.
    """
    loader = _Loader(os.fspath(path), os.environ if environ is None else environ)
    for tag, make in (tags or {}).items():
        loader.add_tag(tag, make)
    return loader.run(text)


class _Loader:
    def __init__(self, main: str, environ: Mapping[str, str]) -> None:
        self._main = main
        self._main_real = Path(main).absolute()
        self._environ = environ
        self._files: dict[str, _File] = {}
        self._positions = Positions()
        self._problems: list[ConfigProblem] = []
        self._chain: list[tuple[Path, str]] = []  # files being loaded, outermost first
        self._secrets: dict[Any, Any] | None = None
        self._secrets_read = False
        self._secret_values: set[str] = set()
        self._tags: dict[str, Callable[[ScalarNode, _File, int], Any]] = {
            "!include": self._include,
            "!include_dir_list": self._include_dir_list,
            "!include_dir_merge_list": self._include_dir_merge_list,
            "!secret": self._secret,
            "!env_var": self._env_var,
        }

    def add_tag(self, tag: str, make: Callable[[str], Any]) -> None:
        self._tags[tag] = lambda node, file, depth: make(str(node.value))

    def run(self, text: str | None) -> Document:
        data, index = self._load(self._main, self._main_real, text, None, depth=0)
        if data is None:  # an empty file: no sections at all
            data = {}
            self._positions.add(data, [pack(index, 0, 0)])
        if self._problems:
            raise ConfigError(self._problems)
        return Document(
            data,
            list(self._files),
            self._positions,
            frozenset(self._secret_values),
            str(self._main_real.parent),
        )

    # -- files ---------------------------------------------------------------------------------

    def _file(self, display: str, real: Path) -> _File:
        known = self._files.get(display)
        if known is None:
            known = self._files[display] = _File(len(self._files), display, real)
        return known

    def _report(self, file: _File, line: int, column: int, message: str) -> None:
        self._problems.append(ConfigProblem(file.display, line + 1, column + 1, message))

    def _at(self, file: _File, node: Node, message: str) -> None:
        self._report(file, node.start_mark.line, node.start_mark.column, message)

    def _load(
        self,
        display: str,
        real: Path,
        text: str | None,
        tag: tuple[_File, ScalarNode] | None,
        *,
        depth: int,
        tags: bool = True,
    ) -> tuple[Any, int]:
        """The data of one file and its index; None (and a problem) when it cannot be read."""
        file = self._file(display, real)
        resolved = _resolved(real)
        loaded = [p for p, _ in self._chain]
        if resolved in loaded:
            assert tag is not None  # the main file starts the chain
            loop = [d for _, d in self._chain[loaded.index(resolved) :]]
            self._at(*tag, "include loop: " + " -> ".join([*loop, display]))
            return None, file.index
        if text is None:
            text = self._read(file, tag)
            if text is None:
                return None, file.index
        try:
            node = compose(text)
        except YamlError as exc:
            self._report(file, exc.line, exc.column, exc.message)
            return None, file.index
        if node is None:
            return None, file.index
        self._chain.append((resolved, display))
        try:
            return _Builder(self, file, tags).build(node, depth), file.index
        finally:
            self._chain.pop()

    def _read(self, file: _File, tag: tuple[_File, ScalarNode] | None) -> str | None:
        try:
            raw = file.real.read_bytes()
        except (OSError, ValueError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else str(exc)
            if tag is None:
                self._report(file, 0, 0, f"cannot read this file: {reason}")
            else:
                self._at(*tag, f"cannot include {file.display}: {reason}")
            return None
        try:
            return raw.decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError as exc:
            before = raw[: exc.start]
            line = before.count(b"\n")
            column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace"))
            self._report(file, line, column, "not UTF-8 text")
            return None

    # -- tags ------------------------------------------------------------------------------------

    def tag(self, tag: str, node: ScalarNode, file: _File, depth: int) -> Any:
        handler = self._tags.get(tag)
        if handler is None:
            hint = suggest(tag, list(self._tags))
            known = f"did you mean {hint[0]}?" if hint else "known: " + ", ".join(self._tags)
            self._at(file, node, f"unknown tag {tag}; {known}")
            return None
        return handler(node, file, depth)

    def _argument(self, node: ScalarNode, file: _File, what: str) -> str | None:
        value = str(node.value).strip()
        if not value:
            self._at(file, node, f"{node.tag} needs {what}")
            return None
        return value

    def _include(self, node: ScalarNode, file: _File, depth: int) -> Any:
        name = self._argument(node, file, "a file name")
        if name is None:
            return None
        display, real = file.beside(name)
        if _is(real, Path.is_dir):
            self._at(
                file,
                node,
                f"{display} is a directory: include it with !include_dir_list "
                "or !include_dir_merge_list",
            )
            return None
        return self._load(display, real, None, (file, node), depth=depth)[0]

    def _directory(self, node: ScalarNode, file: _File) -> Iterator[tuple[str, Path]]:
        name = self._argument(node, file, "a directory name")
        if name is None:
            return
        display, real = file.beside(name)
        if not _is(real, Path.exists):
            self._at(file, node, f"{node.tag}: no such directory {display}")
            return
        if not _is(real, Path.is_dir):
            self._at(file, node, f"{node.tag}: {display} is a file, not a directory; use !include")
            return
        found: list[str] = []
        for root, dirs, names in os.walk(real):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for entry in names:
                if entry.startswith(".") or entry == SECRETS_FILE:
                    continue
                if entry.endswith(YAML_SUFFIXES):
                    found.append(os.path.relpath(os.path.join(root, entry), real))
        for relative in sorted(found, key=lambda p: Path(p).parts):
            yield os.path.normpath(os.path.join(display, relative)), real / relative

    def _include_dir_list(self, node: ScalarNode, file: _File, depth: int) -> list[Any]:
        items: list[Any] = []
        spots = [pack(file.index, node.start_mark.line, node.start_mark.column)]
        for display, real in self._directory(node, file):
            value, index = self._load(display, real, None, (file, node), depth=depth + 1)
            if value is None:
                continue  # an empty file (or one already reported)
            own = self._positions.own(value)
            items.append(value)
            spots.append(pack(index, 0, 0) if own is None else own)
        self._positions.add(items, spots)
        return items

    def _include_dir_merge_list(self, node: ScalarNode, file: _File, depth: int) -> list[Any]:
        items: list[Any] = []
        spots = [pack(file.index, node.start_mark.line, node.start_mark.column)]
        for display, real in self._directory(node, file):
            value, index = self._load(display, real, None, (file, node), depth=depth)
            if value is None:
                continue
            if not isinstance(value, list):
                _, line, column = unpack(self._positions.own(value) or pack(index, 0, 0))
                message = f"{node.tag} merges lists: this file must hold a list"
                self._report(self._files[display], line, column, message)
                continue
            items.extend(value)
            spots.extend(self._positions.item(value, i) or 0 for i in range(len(value)))
            self._positions.forget(value)
        self._positions.add(items, spots)
        return items

    def _secret(self, node: ScalarNode, file: _File, depth: int) -> Any:
        name = self._argument(node, file, "a secret's name")
        if name is None:
            return None
        secrets = self._read_secrets()
        secrets_display = os.path.join(os.path.dirname(self._main), SECRETS_FILE)
        if secrets is _BROKEN_SECRETS:
            return None  # its own problems are reported: every name would be missing too
        if secrets is None:
            self._at(file, node, f"!secret {name}: there is no {secrets_display}")
            return None
        if name not in secrets:
            hint = suggest(name, [str(k) for k in secrets])
            more = f"; did you mean {hint[0]!r}?" if hint else ""
            self._at(file, node, f"secret {name!r} is not in {secrets_display}{more}")
            return None
        value = secrets[name]
        if isinstance(value, str) and value:
            self._secret_values.add(value)
        return value

    def _read_secrets(self) -> dict[Any, Any] | None:
        if self._secrets_read:
            return self._secrets
        self._secrets_read = True
        display = os.path.join(os.path.dirname(self._main), SECRETS_FILE)
        real = self._main_real.parent / SECRETS_FILE
        if not _is(real, Path.is_file):
            return None
        reported = len(self._problems)
        data, index = self._load(display, real, None, None, depth=0, tags=False)
        file = self._file(display, real)
        if len(self._problems) > reported:
            self._secrets = _BROKEN_SECRETS
            return self._secrets
        if data is None:
            data = {}
        if not isinstance(data, dict):
            self._report(file, 0, 0, "secrets.yaml must be a mapping of names to values")
            data = {}
        for name, value in data.items():
            if isinstance(value, (dict, list)):
                spots = self._positions.key(data, name)
                _, line, column = unpack(spots[0] if spots else pack(index, 0, 0))
                self._report(file, line, column, f"secret {name!r} must be one value")
        self._secrets = data
        return data

    def _env_var(self, node: ScalarNode, file: _File, depth: int) -> str | None:
        argument = self._argument(node, file, "a variable name")
        if argument is None:
            return None
        name, *rest = argument.split(None, 1)
        if not _ENV_NAME.fullmatch(name):
            self._at(file, node, f"!env_var: {name!r} is not an environment variable name")
            return None
        value = self._environ.get(name)
        if value is not None:
            return value
        if rest:
            return rest[0]
        self._at(file, node, f"environment variable {name} is not set, and no default is given")
        return None


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop: the file cannot be read either
        return path


def _is(path: Path, test: Callable[[Path], bool]) -> bool:
    try:
        return test(path)
    except (OSError, ValueError):  # a name too long, a NUL byte: no such file
        return False


class _Builder:
    """One file's nodes to plain data, recording where each mapping and sequence is."""

    def __init__(self, loader: _Loader, file: _File, tags: bool) -> None:
        self._loader = loader
        self._file = file
        self._tags = tags
        self._positions = loader._positions
        self._built: dict[int, Any] = {}  # id(node) -> its data: aliases share it
        self._file_bits = pack(file.index, 0, 0)

    def _spot(self, node: Node) -> int:
        line: int = node.start_mark.line
        column: int = node.start_mark.column
        if column <= COLUMN_MASK:  # pack() without its clamps, on the hot path
            return self._file_bits | (line << LINE_SHIFT) | column
        return pack(self._file.index, line, column)

    def _problem(self, node: Node, message: str) -> None:
        self._loader._at(self._file, node, message)

    def build(self, node: Node, depth: int) -> Any:
        tag = node.tag or ""
        if isinstance(node, ScalarNode):
            if tag == _STR:
                return node.value
            if is_standard(tag):
                try:
                    return convert(tag, node.value)
                except ScalarError as exc:
                    self._problem(node, str(exc))
                    return None
            if not self._tags:
                self._problem(node, f"tags such as {tag} are not allowed in this file")
                return None
            return self._loader.tag(tag, node, self._file, depth)
        if depth >= MAX_DEPTH:
            self._problem(node, f"nested deeper than {MAX_DEPTH} levels")
            return None
        done = self._built.get(id(node), None)
        if done is _BUILDING:
            self._problem(node, "this alias refers to a mapping or sequence that holds it")
            return None
        if done is not None:
            return done
        if tag not in (_MAP, _SEQ):
            kind = "a mapping" if isinstance(node, MappingNode) else "a list"
            self._problem(node, f"the tag {tag} cannot be used on {kind} here")
            return None
        self._built[id(node)] = _BUILDING
        value: dict[Any, Any] | list[Any] = (
            self._mapping(node, depth)
            if isinstance(node, MappingNode)
            else self._sequence(node, depth)  # type: ignore[arg-type]
        )
        self._built[id(node)] = value
        return value

    def _sequence(self, node: SequenceNode, depth: int) -> list[Any]:
        items = [self.build(item, depth + 1) for item in node.value]
        self._positions.add(items, [self._spot(node), *map(self._spot, node.value)])
        return items

    def _mapping(self, node: MappingNode, depth: int) -> dict[Any, Any]:
        mapping: dict[Any, Any] = {}
        spots = [self._spot(node)]
        merges: list[Node] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merges.append(value_node)
                continue
            key = self._key(key_node)
            if key is _NO_KEY:
                continue
            if key in mapping:
                first = list(mapping).index(key)
                line = unpack(spots[1 + 2 * first])[1] + 1
                self._problem(key_node, f"duplicate key {key!r} (first at line {line})")
                continue
            mapping[key] = self.build(value_node, depth + 1)
            key_spot = self._spot(key_node)
            # An empty value has no place of its own (and the two parsers disagree on where
            # it would be): it is where its key is.
            empty = (
                isinstance(value_node, ScalarNode)
                and value_node.value == ""
                and (value_node.tag == _NULL)
            )
            spots += (key_spot, key_spot if empty else self._spot(value_node))
        for merge in merges:
            self._merge(mapping, spots, merge, depth)
        self._positions.add(mapping, spots)
        return mapping

    def _key(self, node: Node) -> Hashable:
        tag = node.tag or ""
        if tag == _STR and isinstance(node, ScalarNode):
            value: str = node.value
            return value
        if not isinstance(node, ScalarNode) or not is_standard(tag):
            self._problem(node, "a key must be a plain name or value, not a mapping, list or tag")
            return _NO_KEY
        try:
            key: Hashable = convert(tag, node.value)
        except ScalarError as exc:
            self._problem(node, str(exc))
            return _NO_KEY
        return key

    def _merge(self, mapping: dict[Any, Any], spots: list[int], node: Node, depth: int) -> None:
        # "<<: *defaults" (or a list of them): keys written in the mapping itself win, then the
        # first source that has a key.
        sources = node.value if isinstance(node, SequenceNode) else [node]
        for source_node in sources:
            source = self.build(source_node, depth + 1)
            if not isinstance(source, dict):
                if source is not None:
                    self._problem(source_node, "<< merges mappings: this is not one")
                continue
            for key, value in source.items():
                if key not in mapping:
                    mapping[key] = value
                    spots.extend(self._positions.key(source, key) or (0, 0))
