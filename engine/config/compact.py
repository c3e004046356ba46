"""The C parser's events composed into compact nodes: the fast path of ``parse.compose``.

libyaml's own composer gives every node two mark objects (start and end, six fields each) and
a tag object of its own. The loader reads only a node's tag, value, anchor identity and start
line and column, and a node graph lives until the whole file is built: for 10,000 rules that
graph was 88 MiB, most of the daemon's memory after loading them. These nodes are ruamel's
node classes (the loader and the pure parser's nodes stay interchangeable) with the start's
line and column in two slots, ``start_mark`` and ``end_mark`` reading them, and one tag object
per distinct tag: about a third less memory, composed as fast.

Anything the composer does not expect (an alias to an unknown anchor, a second document) is a
``CompactComposeError``: ``parse.compose`` then hands the text to the pure parser, whose
answer, or error message, is the one that counts.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml.events import (
    AliasEvent,
    MappingEndEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.tag import Tag


class CompactComposeError(Exception):
    """Text the compact composer leaves to the pure parser."""


class _Placed:
    """A node whose start is its own ``line`` and ``column``: it is its own mark."""

    __slots__ = ()
    line: int
    column: int

    @property
    def start_mark(self) -> _Placed:
        return self

    @property
    def end_mark(self) -> _Placed:
        return self


class _Scalar(_Placed, ScalarNode):
    __slots__ = ("column", "line")


class _Sequence(_Placed, SequenceNode):
    __slots__ = ("column", "line")


class _Mapping(_Placed, MappingNode):
    __slots__ = ("column", "line")


class _Composer:
    def __init__(self, loader: Any) -> None:
        self._get = loader.get_event
        self._peek = loader.peek_event
        self._resolve = loader.resolve
        self._anchors: dict[str, Node] = {}
        self._tags: dict[str, Tag] = {}

    def _node(self, cls: type[Any], event: Any, tag: str | Tag, value: Any) -> Any:
        node = object.__new__(cls)
        if isinstance(tag, str):  # an explicit tag; the resolver's are Tag objects already
            shared = self._tags.get(tag)
            if shared is None:
                shared = self._tags[tag] = Tag(suffix=tag)
            tag = shared
        node.ctag = tag
        node.value = value
        mark = event.start_mark
        node.line = mark.line
        node.column = mark.column
        node.comment = None
        node.anchor = event.anchor
        if event.anchor is not None:
            self._anchors[event.anchor] = node
        return node

    def document(self) -> Node | None:
        get = self._get
        get()  # the stream's start
        if isinstance(self._peek(), StreamEndEvent):
            return None
        get()  # the document's start
        root = self.compose()
        get()  # the document's end
        if not isinstance(self._peek(), StreamEndEvent):
            raise CompactComposeError("more than one document")
        return root

    def compose(self) -> Node:
        event = self._get()
        if isinstance(event, AliasEvent):
            node = self._anchors.get(event.anchor)
            if node is None:
                raise CompactComposeError("an alias to an unknown anchor")
            return node
        tag = event.tag
        if isinstance(event, ScalarEvent):
            if tag is None or tag == "!":
                tag = self._resolve(ScalarNode, event.value, event.implicit)
            scalar = self._node(_Scalar, event, tag, event.value)
            scalar.style = event.style
            return scalar  # type: ignore[no-any-return]
        if isinstance(event, SequenceStartEvent):
            if tag is None or tag == "!":
                tag = self._resolve(SequenceNode, None, event.implicit)
            sequence = self._node(_Sequence, event, tag, [])
            sequence.flow_style = event.flow_style
            items = sequence.value
            while not isinstance(self._peek(), SequenceEndEvent):
                items.append(self.compose())
            self._get()
            return sequence  # type: ignore[no-any-return]
        if tag is None or tag == "!":
            tag = self._resolve(MappingNode, None, event.implicit)
        mapping = self._node(_Mapping, event, tag, [])
        mapping.flow_style = event.flow_style
        mapping.merge = None
        pairs = mapping.value
        while not isinstance(self._peek(), MappingEndEvent):
            key = self.compose()
            pairs.append((key, self.compose()))
        self._get()
        return mapping  # type: ignore[no-any-return]


def compose_compact(loader: Any) -> Node | None:
    """The single document of ``loader`` (ruamel's ``CSafeLoader`` over the text), as compact
    nodes; None for an empty stream."""
    return _Composer(loader).document()
