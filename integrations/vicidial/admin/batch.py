"""Helpers that keep ViciDial's per-call limits honest for many leads.

batch_update_lead updates at most ``records`` leads (100 when not sent) whatever the number of
ids, and hopper_bulk_insert takes at most 1000 ids. The helpers send each chunk as its own
call, in order, and report every call's outcome. When a call fails, the calls already made
stay in the report (the dialer did that work) and the ids not yet sent are listed; by default
the helpers then stop and raise ``ViciBatchError`` carrying that report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from integrations.vicidial.admin.campaigns import HOPPER_BULK_LIMIT, HopperBulkInsertResult
from integrations.vicidial.admin.leads import BatchUpdateLeadResult
from integrations.vicidial.errors import ViciError

if TYPE_CHECKING:
    from integrations.vicidial.admin.client import ViciAdmin

R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class BatchCall(Generic[R]):
    """One call of a batch: the ids it carried and its result, or the error it raised (with
    the outcome lines ViciDial printed before the error in ``error.outcomes``)."""

    ids: tuple[int, ...]
    result: R | None = None
    error: ViciError | None = None


@dataclass(frozen=True, slots=True)
class BatchReport(Generic[R]):
    calls: tuple[BatchCall[R], ...]
    not_sent: tuple[int, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.not_sent and all(call.error is None for call in self.calls)

    @property
    def failed(self) -> tuple[BatchCall[R], ...]:
        return tuple(call for call in self.calls if call.error is not None)


class ViciBatchError(ViciError):
    """A call of a batch failed. ``report`` holds every call made (their work is done) and the
    ids never sent; ``outcomes`` the failing call's lines printed before its ERROR."""

    def __init__(self, report: BatchReport[Any], error: ViciError) -> None:
        self.report = report
        self.error = error
        done = sum(1 for call in report.calls if call.error is None)
        super().__init__(
            f"call {len(report.calls)} of the batch failed ({type(error).__name__}: "
            f"{error.reason}); {done} earlier call(s) succeeded, "
            f"{len(report.not_sent)} id(s) not sent",
            function=error.function,
            details=error.details,
            raw=error.raw,
            outcomes=error.outcomes,
        )


def chunks(ids: Sequence[int], size: int) -> list[tuple[int, ...]]:
    if size < 1:
        raise ValueError("chunk size must be at least 1")
    return [tuple(ids[start : start + size]) for start in range(0, len(ids), size)]


async def _run_chunks(
    parts: list[tuple[int, ...]], send: Any, *, stop_on_error: bool
) -> BatchReport[Any]:
    calls: list[BatchCall[Any]] = []
    for index, part in enumerate(parts):
        try:
            calls.append(BatchCall(part, result=await send(part)))
        except ViciError as exc:
            calls.append(BatchCall(part, error=exc))
            if stop_on_error:
                rest = tuple(i for later in parts[index + 1 :] for i in later)
                report: BatchReport[Any] = BatchReport(tuple(calls), rest)
                raise ViciBatchError(report, exc) from exc
    report = BatchReport(tuple(calls))
    if report.failed:
        first = report.failed[0].error
        assert first is not None
        raise ViciBatchError(report, first) from first
    return report


async def batch_update_leads(
    admin: ViciAdmin,
    lead_ids: Sequence[int],
    *,
    chunk_size: int = 1000,
    stop_on_error: bool = True,
    **fields: Any,
) -> BatchReport[BatchUpdateLeadResult]:
    """Set the same lead fields on every id, ``chunk_size`` ids per batch_update_lead call,
    each with ``records`` equal to its number of ids so the dialer skips none."""

    async def send(part: tuple[int, ...]) -> BatchUpdateLeadResult:
        return await admin.leads.batch_update(list(part), **fields)

    return await _run_chunks(chunks(lead_ids, chunk_size), send, stop_on_error=stop_on_error)


async def hopper_bulk_insert(
    admin: ViciAdmin,
    lead_ids: Sequence[int],
    *,
    stop_on_error: bool = True,
    hopper_priority: int | None = None,
    hopper_local_call_time_check: bool | None = None,
) -> BatchReport[HopperBulkInsertResult]:
    """Insert any number of leads into their hoppers, 1000 ids per call (ViciDial's limit).

    A chunk whose leads were all already in the hopper answers ERROR "NO LEADS HAVE BEEN
    INSERTED"; with ``stop_on_error=False`` the remaining chunks are still sent and every
    failure is in the report (the error raised at the end carries it)."""

    async def send(part: tuple[int, ...]) -> HopperBulkInsertResult:
        return await admin.campaigns.hopper_bulk_insert(
            list(part),
            hopper_priority=hopper_priority,
            hopper_local_call_time_check=hopper_local_call_time_check,
        )

    parts = chunks(lead_ids, HOPPER_BULK_LIMIT)
    return await _run_chunks(parts, send, stop_on_error=stop_on_error)
