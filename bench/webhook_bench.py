"""Requests per second of the webhook receiver against a bare aiohttp "OK" handler.

Both servers run on loopback in this process and are loaded by the same aiohttp client, one
after the other, each bounded by a request count and a time limit. Run: make bench, or
.venv/bin/python bench/webhook_bench.py [requests] [concurrency]
"""

from __future__ import annotations

import asyncio
import sys
import time

from aiohttp import ClientSession, TCPConnector, web
from pydantic import SecretStr

from integrations.vicidial.webhooks.config import ReceiverConfig
from integrations.vicidial.webhooks.handoff import discard
from integrations.vicidial.webhooks.receiver import create_receiver

TOKEN = "bench-token-0123456789"
QUERY = (
    f"token={TOKEN}&lead_id=10&list_id=101&user=1001&campaign=TESTCAMP&phone_number=3125551000"
    "&dispo=SALE&talk_time=95&term_reason=AGENT&uniqueid=1700000000.1234"
    "&call_id=V1251200000000000010&epoch=1700000100"
)
TIME_LIMIT = 20.0


async def _ok(request: web.Request) -> web.Response:
    return web.Response(text="OK")


def _bare_app() -> web.Application:
    app = web.Application()
    app.router.add_get("/webhooks/dispo_callback", _ok)
    return app


def _receiver_app() -> web.Application:
    app = web.Application()
    config = ReceiverConfig(tokens=(SecretStr(TOKEN),))
    app.add_subapp("/webhooks", create_receiver(config, discard))
    return app


async def _load(app: web.Application, requests: int, concurrency: int) -> float:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    url = f"http://127.0.0.1:{port}/webhooks/dispo_callback?{QUERY}"
    done = 0
    deadline = time.perf_counter() + TIME_LIMIT
    async with ClientSession(connector=TCPConnector(limit=concurrency)) as session:

        async def worker() -> None:
            nonlocal done
            while done < requests and time.perf_counter() < deadline:
                done += 1
                async with session.get(url) as resp:
                    if resp.status != 200:
                        raise RuntimeError(f"unexpected status {resp.status}")
                    await resp.read()

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    await runner.cleanup()
    return done / elapsed


async def main(requests: int, concurrency: int) -> None:
    await _load(_bare_app(), min(requests, 500), concurrency)  # warm-up
    bare = await _load(_bare_app(), requests, concurrency)
    receiver = await _load(_receiver_app(), requests, concurrency)
    print(f"requests={requests} concurrency={concurrency} (loopback, one process, aiohttp client)")
    print(f"bare aiohttp OK handler: {bare:8.0f} requests/s")
    print(f"webhook receiver:        {receiver:8.0f} requests/s")
    print(f"ratio receiver/bare:     {receiver / bare:8.2f}")


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    asyncio.run(main(*(args + [20_000, 32][len(args) :])))
