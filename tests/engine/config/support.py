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


def shape(node: Node) -> object:
    """A node graph as comparable data: tags, places and values."""
    where = (node.start_mark.line, node.start_mark.column)
    if node.value == "" and node.tag == "tag:yaml.org,2002:null":
        where = (-1, -1)  # an empty value has no place of its own (the loader uses its key's)
    if isinstance(node, MappingNode):
        return (node.tag, where, [(shape(k), shape(v)) for k, v in node.value])
    if isinstance(node, SequenceNode):
        return (node.tag, where, [shape(v) for v in node.value])
    return (node.tag, where, node.value)
