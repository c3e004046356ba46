"""The run journal over HTTP, behind the API's Bearer token.

- ``GET /api/traces?rule=&agent=&lead=&campaign=&outcome=&limit=&before=``: traces newest
  first, each with its steps; ``next_before`` pages on (pass it as ``before``);
- ``GET /api/traces/counts?rule=&since=``: every non-run counted, by rule and reason;
- ``GET /api/traces/<id>``: one trace in full, with the chain of events and runs back to the
  webhook, push, poll or schedule that began it.

Each request reads the journal in a thread of its own, beside the daemon's writer.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import tzinfo
from pathlib import Path
from typing import Annotated, Any, TypeVar

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from engine.http import Handler, error_response
from engine.storage.database import StorageError, StorageMissingError
from engine.storage.trace_store import (
    MAX_LIMIT,
    Outcome,
    Trace,
    TraceNotFoundError,
    TraceQuery,
    TraceStore,
    is_trace_id,
    parse_before,
)

T = TypeVar("T")
Key = Annotated[str, Field(min_length=1, max_length=200)]


class TracesParams(BaseModel):
    """The query of ``/api/traces``: unknown parameters are refused, not ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rule: Key | None = None
    agent: Key | None = None
    lead: Key | None = None
    campaign: Key | None = None
    outcome: Outcome | None = None
    limit: int = Field(default=20, ge=1, le=MAX_LIMIT)
    before: Key | None = None


class CountsParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    rule: Key | None = None
    since: float | None = Field(default=None, allow_inf_nan=False)  # epoch seconds


class TracesApi:
    def __init__(self, directory: Path, guarded: Callable[[Handler], Handler], tz: tzinfo) -> None:
        self._directory = directory
        self._guarded = guarded
        self._tz = tz

    def __repr__(self) -> str:
        return f"TracesApi({self._directory})"

    def routes(self, app: web.Application) -> None:
        guarded = self._guarded
        app.router.add_get("/api/traces", guarded(self.traces))
        app.router.add_get("/api/traces/counts", guarded(self.counts))
        app.router.add_get("/api/traces/{trace_id}", guarded(self.trace))

    async def traces(self, request: web.Request) -> web.Response:
        try:
            params = TracesParams.model_validate(dict(request.query))
            before = None if params.before is None else parse_before(params.before, self._tz)
            query = TraceQuery(
                params.rule,
                params.agent,
                params.lead,
                params.campaign,
                params.outcome,
                params.limit,
                before,
            )
        except (ValidationError, ValueError) as exc:
            return _bad_query(exc)
        found = await self._read(lambda store: store.traces(query))
        if isinstance(found, web.Response):
            return found
        next_before = found[-1].id if len(found) == query.limit else None
        return web.json_response(
            {"traces": [t.as_dict() for t in found], "next_before": next_before}
        )

    async def trace(self, request: web.Request) -> web.Response:
        trace_id = request.match_info["trace_id"]
        if not is_trace_id(trace_id):
            return error_response(404, "NotFound", "a trace id is 24 hex digits")
        found: Trace | web.Response = await self._read(lambda store: store.trace(trace_id))
        if isinstance(found, web.Response):
            return found
        return web.json_response(found.as_dict())

    async def counts(self, request: web.Request) -> web.Response:
        try:
            params = CountsParams.model_validate(dict(request.query))
        except ValidationError as exc:
            return _bad_query(exc)
        found = await self._read(lambda store: store.not_run_counts(params.rule, params.since))
        if isinstance(found, web.Response):
            return found
        return web.json_response({"not_run_counts": found})

    async def _read(self, read: Callable[[TraceStore], T]) -> T | web.Response:
        def run() -> T:
            with TraceStore(self._directory) as store:
                return read(store)

        try:
            return await asyncio.to_thread(run)
        except TraceNotFoundError as exc:
            return error_response(404, "NotFound", str(exc))
        except StorageMissingError as exc:
            return error_response(404, "NotFound", f"{exc}: no rule has run")
        except StorageError as exc:
            return error_response(503, "StorageError", str(exc))


def _bad_query(exc: ValidationError | ValueError) -> web.Response:
    if isinstance(exc, ValidationError):
        problems: list[dict[str, Any]] = [
            {"field": ".".join(map(str, e["loc"])), "message": e["msg"]} for e in exc.errors()
        ]
        message = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
        return error_response(422, "BadRequest", message, problems=problems)
    return error_response(422, "BadRequest", str(exc))
