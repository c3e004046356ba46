"""Request parameters and the text shapes both APIs answer in."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from integrations.vicidial.simulator.records import User
from integrations.vicidial.simulator.state import CallCenter

WIRE_TIME = "%Y-%m-%d %H:%M:%S"


@dataclass(frozen=True, slots=True)
class Answer:
    body: str
    status: int = 200


@dataclass(slots=True)
class ApiRequest:
    """One authenticated call: the function, its parameters and the API user making it."""

    function: str
    params: Mapping[str, str]
    user: User
    center: CallCenter
    # The refusal to print once the parameters are found valid, when the API user may not
    # call this function (the agent API checks parameters first).
    denied: str = ""

    def get(self, name: str) -> str:
        return self.params.get(name, "")

    def flag(self, name: str) -> bool:
        return self.get(name).upper() in ("Y", "YES")


def stamp(moment: datetime | None) -> str:
    return moment.strftime(WIRE_TIME) if moment is not None else ""


def delimiter(stage: str) -> str:
    return {"csv": ",", "tab": "\t", "newline": "\n"}.get(stage.lower(), "|")


def table(
    req: ApiRequest, header: Sequence[str], rows: Iterable[Sequence[object]], *, trail: str = ""
) -> str:
    """A report: optional header line (``header=YES``), one delimited line per row."""
    sep = delimiter(req.get("stage"))
    lines = [sep.join(header)] if req.get("header").upper() == "YES" else []
    lines.extend(sep.join(str(value) for value in row) + (sep if trail else "") for row in rows)
    return "".join(line + "\n" for line in lines)


def lines(*texts: str) -> str:
    """Lines of an answer, each with its newline."""
    return "".join(text + "\n" for text in texts)


Handler = Callable[[ApiRequest], "str | Answer"]
H = TypeVar("H", bound=Handler)


class Handlers(dict[str, Handler]):
    """Functions of one API by official name; ``@handlers.add("name")`` registers one."""

    def add(self, name: str) -> Callable[[H], H]:
        def register(handler: H) -> H:
            self[name] = handler
            return handler

        return register


def respond(result: str | Answer) -> Answer:
    return result if isinstance(result, Answer) else Answer(result)


def names(text: str) -> list[str]:
    """A pipe-delimited list parameter such as ``user_groups=ADMIN|AGENTS``."""
    return [part for part in text.split("|") if part]


def optional_error(function: str, what: str, me: str, value: str, sep: str = ": |") -> str:
    """A refused optional field of a non-agent write: ``<fn> <WHAT>, THIS IS AN OPTIONAL
    FIELD: |user|value``."""
    return f"ERROR: {function} {what}, THIS IS AN OPTIONAL FIELD{sep}{me}|{value}\n"
