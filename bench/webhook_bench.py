"""Requests per second of the webhook receiver against a bare aiohttp "OK" handler.

All servers run on loopback in this process and are loaded by the same aiohttp client, one
after the other, each bounded by a request count and a time limit:
- the bare handler on a plain aiohttp AppRunner (aiohttp's C parser);
- the receiver on a plain AppRunner, for reference (that server refuses raw spaces and raw
  non-ASCII bytes in the request line);
- the receiver served by ``serving.start_receiver``, as the daemon serves it (request lines
  repaired, aiohttp's pure-Python parser, redacting loggers).
Each is loaded twice: over keep-alive connections, and with a new connection per request,
which is how ViciDial's three senders connect.
Run: make bench, or .venv/bin/python bench/webhook_bench.py [requests] [concurrency]
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Awaitable, Callable

from aiohttp import ClientSession, TCPConnector, web
from pydantic import SecretStr

from integrations.vicidial.webhooks.config import ReceiverConfig
from integrations.vicidial.webhooks.handoff import discard
from integrations.vicidial.webhooks.receiver import create_receiver
from integrations.vicidial.webhooks.serving import start_receiver

TOKEN = "bench-token-0123456789"
QUERY = (
    f"token={TOKEN}&lead_id=10&list_id=101&user=1001&campaign=TESTCAMP&phone_number=3125551000"
    "&dispo=SALE&talk_time=95&term_reason=AGENT&uniqueid=1700000000.1234"
    "&call_id=V1251200000000000010&epoch=1700000100"
)
TIME_LIMIT = 20.0

Serve = Callable[[], Awaitable[web.AppRunner]]


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


async def _plain(app: web.Application) -> web.AppRunner:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    return runner


async def _serve_bare() -> web.AppRunner:
    return await _plain(_bare_app())


async def _serve_receiver_plain() -> web.AppRunner:
    return await _plain(_receiver_app())


async def _serve_receiver() -> web.AppRunner:
    # access_log=None as for the others: the figure is the serving path, not log I/O.
    return await start_receiver(_receiver_app(), "127.0.0.1", 0, secrets=[TOKEN], access_log=None)


async def _load(serve: Serve, requests: int, concurrency: int, keep_alive: bool) -> float:
    runner = await serve()
    port = runner.addresses[0][1]
    url = f"http://127.0.0.1:{port}/webhooks/dispo_callback?{QUERY}"
    done = 0
    deadline = time.perf_counter() + TIME_LIMIT
    connector = TCPConnector(limit=concurrency, force_close=not keep_alive)
    async with ClientSession(connector=connector) as session:

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
    await _load(_serve_bare, min(requests, 500), concurrency, True)  # warm-up
    print(f"requests={requests} concurrency={concurrency} (loopback, one process, aiohttp client)")
    for keep_alive in (True, False):
        bare = await _load(_serve_bare, requests, concurrency, keep_alive)
        plain = await _load(_serve_receiver_plain, requests, concurrency, keep_alive)
        served = await _load(_serve_receiver, requests, concurrency, keep_alive)
        print("keep-alive connections:" if keep_alive else "a new connection per request:")
        print(f"  bare aiohttp OK handler:               {bare:8.0f} requests/s")
        print(f"  receiver, plain aiohttp server:        {plain:8.0f} requests/s")
        print(f"  receiver, serving.start_receiver:      {served:8.0f} requests/s")
        print(f"  ratio start_receiver/bare:             {served / bare:8.2f}")
        print(f"  ratio start_receiver/plain receiver:   {served / plain:8.2f}")


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    asyncio.run(main(*(args + [20_000, 32][len(args) :])))
