"""Writing config trees into a directory and reading back what the loader says of them."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ruamel.yaml.nodes import MappingNode, Node, SequenceNode

from engine.config import ConfigError, ConfigSection, LoadedConfig, load
from integrations.notify import CONFIG_SECTIONS as NOTIFY_SECTIONS
from integrations.vicidial.glue import CONFIG_SECTIONS as VICIDIAL_SECTIONS

SECTIONS: tuple[ConfigSection[Any], ...] = (*VICIDIAL_SECTIONS, *NOTIFY_SECTIONS)
# The smallest valid config: the embedded simulated dialer, defaults for the rest.
SIMULATED = "vicidial: {simulated: {scenario: demo}}\n"
FIXTURES = Path(__file__).parents[2] / "fixtures" / "config"


def write(root: Path, files: Mapping[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def load_tree(
    root: Path,
    files: Mapping[str, str],
    *,
    environ: Mapping[str, str] | None = None,
    sections: tuple[ConfigSection[Any], ...] = SECTIONS,
) -> LoadedConfig:
    """Write ``files`` under ``root`` (the working directory) and load its config.yaml."""
    write(root, files)
    return load("config.yaml", sections, environ=environ or {})


def problems(
    root: Path,
    files: Mapping[str, str],
    *,
    environ: Mapping[str, str] | None = None,
    sections: tuple[ConfigSection[Any], ...] = SECTIONS,
) -> list[str]:
    """The lines a refused config gives, as ``vicibus check`` prints them."""
    try:
        load_tree(root, files, environ=environ, sections=sections)
    except ConfigError as exc:
        return str(exc).splitlines()
    raise AssertionError("the config was accepted")


def shape(node: Node, *, places: bool = True) -> object:
    """A node graph as comparable data: tags, values and (with ``places``) where each is."""
    where = (node.start_mark.line, node.start_mark.column) if places else None
    if node.value == "":
        # An empty scalar has no text to stand at: the parsers place it differently (and the
        # loader puts an empty value at its key).
        where = None
    if isinstance(node, MappingNode):
        pairs = [(shape(k, places=places), shape(v, places=places)) for k, v in node.value]
        return (node.tag, where, pairs)
    if isinstance(node, SequenceNode):
        return (node.tag, where, [shape(v, places=places) for v in node.value])
    return (node.tag, where, node.value)
