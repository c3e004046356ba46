"""A reader of one row's cells into a record, generated once per record class and columns.

A large report is 100,000 rows of 17 or 32 fields. Reading each field through map() and then
calling the dataclass's ``__init__`` costs two Python frames and an argument tuple per row, and
converting column by column walks every value again after the rows are split, long after it
left the processor's cache. The function generated here unpacks a row's cells, reads each and
fills a bare instance in one frame, the way dataclasses generates ``__init__`` itself.

A row of another width, or a cell its reader refuses, raises ValueError, KeyError or
TypeError; the caller decides what that means (a general path, or an error naming the field).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import Any

Convert = Callable[[str], Any]
RowReader = Callable[[Sequence[str]], Any]
_Factory = Callable[[Sequence[Convert]], RowReader]


def row_reader(
    record: type[Any],
    names: tuple[str, ...],
    readers: Sequence[Convert],
    inline: Mapping[Convert, str],
) -> RowReader:
    """A function of one row's cells (in ``names`` order) giving a ``record``.

    ``inline`` maps a reader to an expression template (``{}`` is the cell) written into the
    generated code instead of a call, for readers cheaper as an expression than as a call.
    Fields of ``record`` that are not in ``names`` get their defaults.
    """
    templates = tuple(inline.get(read) for read in readers)
    key: Any = record  # a class is hashable; typeshed's type[Any] does not say so
    return _factory(key, names, templates)(readers)


@lru_cache(maxsize=256)  # a handful per record class: one per column set and inlined readers
def _factory(
    record: type[Any], names: tuple[str, ...], templates: tuple[str | None, ...]
) -> _Factory:
    params = getattr(record, "__dataclass_params__", None)
    if params is None or params.frozen or hasattr(record, "__post_init__"):
        # Filling a bare instance skips __init__: only right for a plain, mutable dataclass.
        raise TypeError(f"{record.__name__} must be a mutable dataclass without __post_init__")
    cells = [f"c{i}" for i in range(len(names))]
    namespace: dict[str, Any] = {"cls": record, "new": object.__new__}
    lines = [f"    {', '.join(cells)}, = cells", "    obj = new(cls)"]
    for index, (name, template) in enumerate(zip(names, templates, strict=True)):
        value = template.format(cells[index]) if template else f"r{index}({cells[index]})"
        lines.append(f"    obj.{name} = {value}")
    for field in dataclasses.fields(record):
        if field.name in names:
            continue
        # Each record gets its own default object, as __init__ would give it.
        if field.default_factory is not dataclasses.MISSING:
            namespace[f"make_{field.name}"] = field.default_factory
            lines.append(f"    obj.{field.name} = make_{field.name}()")
        elif field.default is not dataclasses.MISSING:
            namespace[f"default_{field.name}"] = field.default
            lines.append(f"    obj.{field.name} = default_{field.name}")
        else:
            raise TypeError(f"{record.__name__}.{field.name} is not a column and has no default")
    bound = ", ".join(f"r{index}" for index in range(len(names)))
    source = "\n".join(
        [
            "def make(readers):",
            f"  {bound}, = readers",
            "  def read(cells):",
            *("  " + line for line in lines),
            "      return obj",
            "  return read",
        ]
    )
    exec(source, namespace)
    factory: _Factory = namespace["make"]
    return factory
