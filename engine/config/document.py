"""A loaded config: plain data, and where each piece of it was written.

The data is plain ``dict``/``list``/scalars, so pydantic and the rules read it as any other
data. The places live beside it in one packed array (a mapping costs one dict entry and eight
bytes per key and per value), found by the identity of each mapping and sequence: the YAML
node tree is gone once the data is built, and the whole Document can be dropped once the
config is validated.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from engine.config.errors import ConfigProblem, Severity

Path = tuple[Hashable, ...]

# A spot packs (file index, line, column) into one unsigned 64-bit integer, all 0-based.
FILE_SHIFT = 48
LINE_SHIFT = 20
COLUMN_MASK = (1 << LINE_SHIFT) - 1
_LINE_MASK = (1 << (FILE_SHIFT - LINE_SHIFT)) - 1
# Past this size a mapping gets an index of its keys, so that looking one up stays O(1).
_SCAN_LIMIT = 32


def pack(file: int, line: int, column: int) -> int:
    return (file << FILE_SHIFT) | (min(line, _LINE_MASK) << LINE_SHIFT) | min(column, COLUMN_MASK)


def unpack(spot: int) -> tuple[int, int, int]:
    """(file index, line, column) of a spot, all 0-based."""
    return spot >> FILE_SHIFT, (spot >> LINE_SHIFT) & _LINE_MASK, spot & COLUMN_MASK


@dataclass(frozen=True, slots=True)
class Location:
    file: str
    line: int  # 1-based
    column: int  # 1-based

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class Positions:
    """Where each mapping and sequence of a document, and each of their entries, begins.

    For a mapping: its own spot, then a key spot and a value spot per key, in the dict's order.
    For a sequence: its own spot, then one spot per item (items of a directory include come
    from several files, so each spot names its file).

    While the document is built, containers are found by id in a dict; ``freeze`` turns that
    into two sorted arrays (16 bytes a container instead of about a hundred), searched by
    bisection, for as long as the Document is kept.
    """

    __slots__ = ("_ids", "_keys", "_offsets", "_spots", "_starts")

    def __init__(self) -> None:
        self._spots = array("Q")
        self._offsets: dict[int, int] | None = {}
        self._ids = array("Q")
        self._starts = array("Q")
        self._keys: dict[int, dict[Any, int]] = {}

    def add(self, container: dict[Any, Any] | list[Any], spots: Iterable[int]) -> None:
        """Record ``container``'s spots: its own, then its entries' (see the class)."""
        assert self._offsets is not None, "a frozen Positions takes no more containers"
        self._offsets[id(container)] = len(self._spots)
        self._spots.extend(spots)

    def forget(self, container: object) -> None:
        """Drop a container merged into another (its id may soon be another object's)."""
        if self._offsets is not None:
            self._offsets.pop(id(container), None)

    def freeze(self) -> None:
        if self._offsets is None:
            return
        ordered = sorted(self._offsets.items())
        self._ids = array("Q", (i for i, _ in ordered))
        self._starts = array("Q", (o for _, o in ordered))
        self._offsets = None

    def _offset(self, container: object) -> int | None:
        if self._offsets is not None:
            return self._offsets.get(id(container))
        ident = id(container)
        at = bisect_left(self._ids, ident)
        if at < len(self._ids) and self._ids[at] == ident:
            return self._starts[at]
        return None

    def own(self, container: object) -> int | None:
        offset = self._offset(container)
        return None if offset is None else self._spots[offset]

    def key(self, mapping: dict[Any, Any], key: Any) -> tuple[int, int] | None:
        """The key spot and value spot of ``key`` in ``mapping``."""
        offset = self._offset(mapping)
        if offset is None:
            return None
        index = self._index(mapping, key)
        if index is None:
            return None
        at = offset + 1 + 2 * index
        return self._spots[at], self._spots[at + 1]

    def item(self, sequence: list[Any], index: int) -> int | None:
        offset = self._offset(sequence)
        return None if offset is None else self._spots[offset + 1 + index]

    def _index(self, mapping: dict[Any, Any], key: Any) -> int | None:
        if len(mapping) <= _SCAN_LIMIT:
            for index, candidate in enumerate(mapping):
                if candidate == key:
                    return index
            return None
        keys = self._keys.get(id(mapping))
        if keys is None:
            keys = self._keys[id(mapping)] = {k: i for i, k in enumerate(mapping)}
        return keys.get(key)


@dataclass(frozen=True, slots=True)
class Found:
    """Where a path leads in the data: as far as it goes, and the places met on the way."""

    path: Path  # the parts of the asked path that exist in the data, in order
    value: Location  # the value at ``path`` (a mapping or sequence: where it begins)
    key: Location  # the key of the last part (for a sequence item: the item itself)
    complete: bool  # every asked part was found
    names: tuple[str, ...] = ()  # ``path`` as the user reads it: "poll", "[0]", ...

    @property
    def shown(self) -> str:
        """``vicidial.poll.interval``, ``notify[1].url``: the path as a user reads it."""
        return _join(self.names)

    @property
    def parent_shown(self) -> str:
        return _join(self.names[:-1])


def _join(names: Sequence[str]) -> str:
    text = ""
    for name in names:
        text += name if not text or name.startswith("[") else "." + name
    return text


class Document:
    """The data of a config file and its includes, with the place of every key and value."""

    __slots__ = ("_positions", "_scrub", "base_dir", "data", "files", "secret_values")

    def __init__(
        self,
        data: Any,
        files: Sequence[str],
        positions: Positions,
        secret_values: frozenset[str],
        base_dir: str,
    ) -> None:
        self.data = data
        positions.freeze()
        # Display names, the main file first: paths as given, includes joined to them.
        self.files = tuple(files)
        self._positions = positions
        # Every value a !secret tag loaded, so that logs and messages can be redacted.
        self.secret_values = secret_values
        self.base_dir = base_dir  # the main file's directory: relative paths start there
        longest_first = sorted(secret_values, key=len, reverse=True)
        self._scrub = re.compile("|".join(map(re.escape, longest_first))) if longest_first else None

    def __repr__(self) -> str:
        return f"Document({self.files[0]!r}, {len(self.files)} files)"

    @property
    def file(self) -> str:
        return self.files[0]

    def _location(self, spot: int) -> Location:
        file, line, column = unpack(spot)
        return Location(self.files[file], line + 1, column + 1)

    def find(self, path: Sequence[Hashable], *, skip_unknown: bool = False) -> Found:
        """Follow ``path`` (keys and indices) into the data as far as it goes.

        With ``skip_unknown`` a part that is not in the data is passed over and the walk goes
        on (pydantic puts union members' names and tags in its error locations); without it
        the walk stops at the first part that is not there.
        """
        positions = self._positions
        node = self.data
        root = positions.own(node)
        value_spot = key_spot = root if root is not None else 0
        found: list[Hashable] = []
        names: list[str] = []
        complete = True
        for part in path:
            spots: tuple[int, int] | None = None
            if isinstance(node, dict):
                spots = positions.key(node, part)
                name = str(part)
            elif isinstance(node, list) and type(part) is int and 0 <= part < len(node):
                item = positions.item(node, part)
                spots = None if item is None else (item, item)
                name = f"[{part}]"
            if spots is None:
                complete = False
                if skip_unknown:
                    continue
                break
            key_spot, value_spot = spots
            node = node[part]
            own = positions.own(node)
            if own is not None:
                value_spot = own
            found.append(part)
            names.append(name)
        return Found(
            tuple(found),
            self._location(value_spot),
            self._location(key_spot),
            complete,
            tuple(names),
        )

    def locate(self, path: Sequence[Hashable], *, key: bool = False) -> Location:
        """Where the value at ``path`` is written (``key=True``: its key). A path that leaves
        the data ends at the deepest mapping or sequence that holds it, so a missing key is
        reported at the mapping that lacks it."""
        found = self.find(path)
        return found.key if key and found.complete and found.path else found.value

    def scrub(self, message: str) -> str:
        """``message`` with every loaded secret value replaced by ``***``."""
        return message if self._scrub is None else self._scrub.sub("***", message)

    def problem(
        self,
        path: Sequence[Hashable],
        message: str,
        *,
        key: bool = False,
        severity: Severity = "error",
    ) -> ConfigProblem:
        where = self.locate(path, key=key)
        return ConfigProblem(where.file, where.line, where.column, self.scrub(message), severity)
