"""Batch helpers against a loopback dialer that enforces ViciDial's per-call limits."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from aiohttp import web

from integrations.vicidial.admin import ViciAdmin
from integrations.vicidial.admin.batch import (
    ViciBatchError,
    batch_update_leads,
    chunks,
    hopper_bulk_insert,
)
from integrations.vicidial.admin.campaigns import HopperLeadDone
from integrations.vicidial.errors import ViciError, ViciPermissionError, ViciStateError
from tests.integrations.vicidial.admin_writes.harness import Err, check_fixture
from tests.integrations.vicidial.replay import PASSWORD, ServerFactory


@dataclass
class Dialer:
    """Answers batch_update_lead and hopper_bulk_insert the way ViciDial does, limits included:
    at most ``records`` (default 100) leads updated, at most 1000 ids per hopper insert."""

    hopper: set[int] = field(default_factory=set)
    updated: list[int] = field(default_factory=list)
    calls: list[dict[str, str]] = field(default_factory=list)
    # Calls (1-based) that answer as if the API user lost its permission.
    refuse: set[int] = field(default_factory=set)

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/vicidial/non_agent_api.php", self.handle)
        return app

    async def handle(self, request: web.Request) -> web.Response:
        form = {k: str(v) for k, v in (await request.post()).items()}
        self.calls.append(form)
        function = form["function"]
        if len(self.calls) in self.refuse:
            return web.Response(
                text=f"ERROR: {function} USER DOES NOT HAVE PERMISSION TO DO THIS - 6666|0\n"
            )
        ids = [int(i) for i in form["lead_ids"].split(",")]
        if function == "batch_update_lead":
            done = ids[: int(form.get("records", "100"))]
            self.updated.extend(done)
            text = ",".join(map(str, reversed(done)))
            return web.Response(
                text=f"SUCCESS: {function} LEADS HAVE BEEN UPDATED - 6666|{len(done)}|"
                f"{len(done)}|{text}\n"
            )
        if len(ids) > 1000:
            # ViciDial's limit: it refuses the whole call.
            return web.Response(text=f"ERROR: {function} TOO MANY LEAD IDS - 6666|{len(ids)}\n")
        lines = []
        for lead in ids:
            if lead in self.hopper:
                why = "NOT ADDED TO HOPPER, LEAD IS ALREADY IN THE HOPPER"
                lines.append(f"NOTICE: {function} {why} - {lead}")
            else:
                self.hopper.add(lead)
                lines.append(
                    f"NOTICE: {function} LEAD ADDED TO HOPPER - 555{lead}|{lead}|{lead + 7}|6666"
                )
        added = sum("LEAD ADDED" in line for line in lines)
        if added:
            lines.append(
                f"SUCCESS: {function} LEADS HAVE BEEN INSERTED INTO THE HOPPER - {added}|0|1|6666"
            )
        else:
            lines.append(
                f"ERROR: {function} NO LEADS HAVE BEEN INSERTED INTO THE HOPPER - 0|0|6666"
            )
        return web.Response(text="\n".join(lines) + "\n")


async def admin_for(aiohttp_server: ServerFactory, dialer: Dialer) -> ViciAdmin:
    server = await aiohttp_server(dialer.app())
    return ViciAdmin(str(server.make_url("")).rstrip("/"), "6666", PASSWORD, retries=0)


def test_chunks() -> None:
    assert chunks([1, 2, 3, 4, 5], 2) == [(1, 2), (3, 4), (5,)]
    assert chunks([], 3) == []
    with pytest.raises(ValueError, match="at least 1"):
        chunks([1], 0)


async def test_batch_update_sends_records_so_no_lead_is_skipped(
    aiohttp_server: ServerFactory,
) -> None:
    dialer = Dialer()
    ids = list(range(1, 251))  # more than ViciDial's default of 100
    async with await admin_for(aiohttp_server, dialer) as admin:
        report = await batch_update_leads(admin, ids, status="NEW")
    assert report.ok
    assert sorted(dialer.updated) == ids
    assert dialer.calls[0]["records"] == "250"
    assert report.calls[0].result is not None
    assert report.calls[0].result.updated == 250


async def test_without_records_the_dialer_would_stop_at_100(
    aiohttp_server: ServerFactory,
) -> None:
    # The limit the helper guards against, shown on the same server with a raw call.
    dialer = Dialer()
    async with await admin_for(aiohttp_server, dialer) as admin:
        result = await admin.call("batch_update_lead", lead_ids=list(range(1, 151)), status="NEW")
    assert result.updated == 100  # type: ignore[attr-defined]


async def test_hopper_insert_splits_into_calls_of_1000(aiohttp_server: ServerFactory) -> None:
    dialer = Dialer()
    ids = list(range(1, 2501))
    async with await admin_for(aiohttp_server, dialer) as admin:
        report = await hopper_bulk_insert(admin, ids, hopper_priority=50)
    assert [len(call.ids) for call in report.calls] == [1000, 1000, 500]
    assert [len(c["lead_ids"].split(",")) for c in dialer.calls] == [1000, 1000, 500]
    assert all(c["hopper_priority"] == "50" for c in dialer.calls)
    assert dialer.hopper == set(ids)
    results = [call.result for call in report.calls]
    assert [r.inserted for r in results if r is not None] == [1000, 1000, 500]
    first = results[0]
    assert first is not None
    assert first.added[:2] == (1, 2)


async def test_failure_in_a_middle_chunk_keeps_the_work_already_done(
    aiohttp_server: ServerFactory,
) -> None:
    dialer = Dialer(refuse={2})
    ids = list(range(1, 2501))
    async with await admin_for(aiohttp_server, dialer) as admin:
        with pytest.raises(ViciBatchError) as raised:
            await hopper_bulk_insert(admin, ids)
    report = raised.value.report
    assert isinstance(raised.value.error, ViciPermissionError)
    assert len(report.calls) == 2
    assert report.calls[0].error is None
    assert report.calls[0].result is not None
    assert report.calls[0].result.inserted == 1000  # committed, and reported as such
    assert report.calls[1].ids == tuple(range(1001, 2001))
    assert report.not_sent == tuple(range(2001, 2501))
    assert len(dialer.calls) == 2  # nothing sent after the failure
    assert "1 earlier call(s) succeeded, 500 id(s) not sent" in str(raised.value)


async def test_continue_past_a_chunk_that_inserted_nothing(aiohttp_server: ServerFactory) -> None:
    dialer = Dialer(hopper=set(range(1001, 2001)))  # the middle chunk is all in the hopper
    async with await admin_for(aiohttp_server, dialer) as admin:
        with pytest.raises(ViciBatchError) as raised:
            await hopper_bulk_insert(admin, list(range(1, 2501)), stop_on_error=False)
    report = raised.value.report
    assert len(report.calls) == 3
    assert report.not_sent == ()
    middle = report.calls[1].error
    assert isinstance(middle, ViciError)
    # The per-lead NOTICEs printed before the ERROR stay attached to it.
    assert len(middle.outcomes) == 1000
    assert middle.outcomes[0].reason.endswith("LEAD IS ALREADY IN THE HOPPER")
    assert report.calls[2].result is not None
    assert report.calls[2].result.inserted == 500


async def test_hopper_bulk_insert_fixture(aiohttp_server: ServerFactory) -> None:
    # Every lead refused: NOTICE per lead, then the ERROR, which carries the notices.
    error = await check_fixture(
        aiohttp_server,
        "hopper_bulk_insert/already_in_hopper",
        Err(
            ViciStateError,
            "hopper_bulk_insert NO LEADS HAVE BEEN INSERTED INTO THE HOPPER",
            ("1", "1", "6666"),
            done=(
                "hopper_bulk_insert NOT ADDED TO HOPPER, LEAD IS ALREADY IN THE HOPPER",
                "hopper_bulk_insert NOT ADDED TO HOPPER, LEAD NOT FOUND",
            ),
        ),
    )
    assert [o.data for o in error.outcomes] == [("15",), ("999999",)]


async def test_more_than_1000_ids_refused_by_the_single_call() -> None:
    async with ViciAdmin("http://127.0.0.1:9", "6666", PASSWORD) as admin:
        with pytest.raises(ViciError) as refused:
            await admin.campaigns.hopper_bulk_insert(list(range(1, 1002)))
    assert refused.value.sent is False


def test_hopper_lead_outcome_model() -> None:
    done = HopperLeadDone(kind="NOTICE", reason="x", details=(), text="x", lead_id=5)
    assert done.hopper_id is None
