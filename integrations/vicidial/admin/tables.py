"""Parameters, results and parsers shared by every function that answers with a table."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any, ClassVar, TypedDict, TypeVar

from pydantic import BeforeValidator, Field, PlainSerializer, StringConstraints, model_validator

from integrations.vicidial.admin.records import (
    Layout,
    Stage,
    Table,
    layout,
    read_newline_table,
    read_table,
)
from integrations.vicidial.errors import ViciNotFoundError
from integrations.vicidial.lines import Reply
from integrations.vicidial.models import Params, Result, YesNo, build_result, split_text

T = TypeVar("T")
P = TypeVar("P", bound="TableParams")
R = TypeVar("R", bound="TableResult")


# "Every campaign" is spelled with dashes, so it must not be split on the dash separator.
_EVERYTHING = ("---ALL---", "ALLCAMPAIGNS")


def wire_list(separator: str) -> Any:
    """A list parameter sent as ViciDial's ``separator``-joined text; text is accepted too."""
    split = split_text(separator)
    return Annotated[
        list[Annotated[str, StringConstraints(min_length=1)]],
        BeforeValidator(lambda value: [value] if value in _EVERYTHING else split(value)),
        PlainSerializer(separator.join, return_type=str),
        Field(min_length=1),
    ]


# ViciDial's 0/1 switches (call_dispo_report); Python gives a bool.
Bit = Annotated[bool, PlainSerializer(lambda v: "1" if v else "0", return_type=str)]
PipeList = wire_list("|")
DashList = wire_list("-")
CommaList = wire_list(",")
Text20 = Annotated[str, StringConstraints(min_length=1, max_length=20)]


class TableOptions(TypedDict, total=False):
    """The output options every tabular friendly method takes."""

    stage: Stage | str
    header: bool


class TableParams(Params):
    """``stage`` picks the delimiter (pipe by default), ``header`` adds a header line."""

    newline_stage: ClassVar[bool] = False

    stage: Stage | None = None
    header: YesNo | None = None

    @model_validator(mode="after")
    def _known_stage(self) -> TableParams:
        if self.stage is Stage.NEWLINE and not self.newline_stage:
            raise ValueError("stage newline is not offered by this function")
        return self


class TableResult(Result):
    """Base of tabular results: subclasses add ``records``; ``header`` is ViciDial's header
    line as identifiers, empty when none was printed."""

    header: tuple[str, ...] = ()


def read_rows(reply: Reply, lay: Layout[T], params: TableParams) -> Table[T]:
    stage = params.stage or Stage.PIPE
    header = bool(params.header)
    if stage is Stage.NEWLINE:
        # Empty lines are values here, so the body is read again rather than reply.rows.
        text = reply.raw if reply.rows and not reply.outcomes else ""
        return read_newline_table(text, lay, header=header)
    return read_table(reply.rows, lay, stage, header=header)


def table_result(model: type[R], reply: Reply, table: Table[Any], **values: Any) -> R:
    """A tabular result; its message is the last outcome line's (a "nothing found" one)."""
    line = reply.outcomes[-1] if reply.outcomes else None
    return build_result(
        model,
        reply,
        line,
        records=tuple(table.records),
        header=table.header,
        unparsed=(*table.unparsed, *reply.html),
        **values,
    )


Columns = Sequence[str] | Callable[[Any], Sequence[str]]


def table_parser(
    model: type[R], record: type[T], columns: Columns, *, single: bool = False
) -> Callable[[Reply, Any], R]:
    """The parser of a function whose rows are ``record``s in ``columns`` order.

    ``columns`` may depend on the parameters (options that add or move columns). A function
    about one named thing (``single``) raises ViciNotFoundError when no row came back.
    """

    def parse(reply: Reply, params: Any) -> R:
        names = columns(params) if callable(columns) else columns
        table = read_rows(reply, layout(record, tuple(names)), params)
        if single and not table.records:
            raise ViciNotFoundError(
                "no record in the answer", function=reply.function, raw=reply.raw
            )
        return table_result(model, reply, table)

    return parse
