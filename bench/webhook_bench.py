"""Requests per second of the webhook receiver against a bare aiohttp "OK" handler, with wrk.

Both servers run on loopback in this process, one after the other, and wrk (Debian's package:
``make bench-deps``) loads each with one thread and 32 connections, in two modes:
- keep-alive connections;
- one request per connection (``Connection: close``), which is how ViciDial's senders call.
The servers:
- bare: an aiohttp handler answering ``OK`` on a plain ``AppRunner`` (aiohttp's C parser);
- receiver: the receiver (token check, parse, no-op hand-off) served by
  ``serving.start_receiver``, as the daemon serves it, with a well-formed dispo URL;
- receiver, repaired: the same receiver with a raw UTF-8 name in the URL (as curl sends it),
  which only the lenient serving path accepts (wrk refuses to send a raw space).
Each pair is measured ``rounds`` times alternately and the best of each is compared, so a
neighbour's load on a shared machine hurts both sides alike. The access log is off for all:
the figures are the serving path, not log I/O.
Run: make bench, or .venv/bin/python bench/webhook_bench.py [seconds] [rounds]
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Awaitable, Callable

from aiohttp import web
from pydantic import SecretStr

from integrations.vicidial.webhooks.config import ReceiverConfig
from integrations.vicidial.webhooks.handoff import discard
from integrations.vicidial.webhooks.receiver import create_receiver
from integrations.vicidial.webhooks.serving import start_receiver

TOKEN = "bench-token-0123456789"
PATH = "/webhooks/dispo_callback"
QUERY = (
    f"token={TOKEN}&lead_id=10&list_id=101&user=1001&campaign=TESTCAMP&phone_number=3125551000"
    "&dispo=SALE&talk_time=95&term_reason=AGENT&uniqueid=1700000000.1234"
    "&call_id=V1251200000000000010&epoch=1700000100"
)
# wrk sends only what its own parser accepts, and checks a script's request by calling it
# once: that first call gets a well-formed request, every later one the raw bytes.
_RAW_LUA = """
local calls = 0
request = function()
  calls = calls + 1
  if calls == 1 then return wrk.format() end
  return "{request}"
end
"""
CONNECTIONS = 32
_RATE = re.compile(r"Requests/sec:\s+([0-9.]+)")
_REFUSED = re.compile(r"Non-2xx or 3xx responses")

Serve = Callable[[], Awaitable[web.AppRunner]]


async def _ok(request: web.Request) -> web.Response:
    return web.Response(text="OK")


async def _serve_bare() -> web.AppRunner:
    app = web.Application()
    app.router.add_get(PATH, _ok)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    return runner


async def _serve_receiver() -> web.AppRunner:
    config = ReceiverConfig(tokens=(SecretStr(TOKEN),))
    app = web.Application()
    app.add_subapp("/webhooks", create_receiver(config, discard))
    return await start_receiver(app, "127.0.0.1", 0, access_log=None)


def _raw_script(target: str, close: bool) -> str:
    """A wrk script sending ``target`` byte for byte; its path."""
    head = f"GET {target} HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\n"
    head += "Connection: close\\r\\n" if close else ""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False, encoding="utf-8") as lua:
        lua.write(_RAW_LUA.format(request=head + "\\r\\n"))
    return lua.name


async def _wrk(port: int, seconds: int, close: bool, target: str) -> float:
    args = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s"]
    if close:
        args += ["-H", "Connection: close"]
    script = None
    if not target.isascii():
        script = _raw_script(target, close)
        args += ["-s", script]
        target = PATH
    process = await asyncio.create_subprocess_exec(
        *args, f"http://127.0.0.1:{port}{target}", stdout=asyncio.subprocess.PIPE
    )
    out = (await process.communicate())[0].decode()
    if script is not None:
        os.unlink(script)
    rate = _RATE.search(out)
    if process.returncode != 0 or rate is None or _REFUSED.search(out):
        raise RuntimeError(f"wrk failed or got refusals:\n{out}")
    return float(rate.group(1))


async def _measure(serve: Serve, seconds: int, close: bool, target: str) -> float:
    runner = await serve()
    try:
        return await _wrk(runner.addresses[0][1], seconds, close, target)
    finally:
        await runner.cleanup()


async def main(seconds: int, rounds: int) -> None:
    well_formed = f"{PATH}?{QUERY}"
    repaired = well_formed.replace("user=1001", "user=Jürgen")
    await _measure(_serve_bare, 1, False, well_formed)  # warm-up
    print(f"wrk -t1 -c{CONNECTIONS} -d{seconds}s, best of {rounds} rounds, loopback")
    for close in (False, True):
        best = {"bare": 0.0, "receiver": 0.0, "repaired": 0.0}
        for _ in range(rounds):
            best["bare"] = max(
                best["bare"], await _measure(_serve_bare, seconds, close, well_formed)
            )
            for name, target in (("receiver", well_formed), ("repaired", repaired)):
                rate = await _measure(_serve_receiver, seconds, close, target)
                best[name] = max(best[name], rate)
        mode = "Connection: close (one request per connection)" if close else "keep-alive"
        print(f"{mode}:")
        print(f"  bare aiohttp OK handler:            {best['bare']:8.0f} requests/s")
        print(f"  receiver, start_receiver:           {best['receiver']:8.0f} requests/s")
        print(f"  receiver, a line that needs repair: {best['repaired']:8.0f} requests/s")
        print(f"  ratio receiver/bare:                {best['receiver'] / best['bare']:8.2f}")
        print(f"  ratio repaired/bare:                {best['repaired'] / best['bare']:8.2f}")


if __name__ == "__main__":
    if shutil.which("wrk") is None:
        sys.exit("webhook_bench: wrk is not installed; run `make bench-deps`")
    args = sys.argv[1:3]
    asyncio.run(main(int(args[0]) if args else 5, int(args[1]) if len(args) > 1 else 2))
