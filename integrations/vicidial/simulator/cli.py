"""``vicibus simulate``: run the simulated dialer standalone."""

from __future__ import annotations

import argparse
import asyncio
import sys

from integrations.vicidial.simulator.scenario import (
    ScenarioError,
    build_center,
    load,
    load_builtin,
)
from integrations.vicidial.simulator.server import ADMIN_PATH, AGENT_PATH, Simulator

DEFAULT_PORT = 8089


def add_simulate(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("simulate", help="run a simulated ViciDial dialer")
    parser.add_argument("--scenario", metavar="FILE", help="scenario YAML (default: built-in)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="TCP port (0 = any free)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.set_defaults(handler=run_simulate)


def run_simulate(args: argparse.Namespace) -> int:
    try:
        scenario = load(args.scenario) if args.scenario else load_builtin()
    except ScenarioError as exc:
        print(f"vicibus simulate: invalid scenario\n{exc}", file=sys.stderr)
        return 2
    simulator = Simulator(build_center(scenario))
    try:
        asyncio.run(_serve(simulator, args.host, args.port))
    except KeyboardInterrupt:
        pass
    except OSError as exc:
        print(f"vicibus simulate: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    return 0


def banner(simulator: Simulator) -> str:
    center = simulator.center
    api_users = [u for u in center.users.values() if u.api_access and not u.locked]
    # A demo sandbox prints its own credentials on purpose: they are the scenario's, not real.
    users = ", ".join(f"{u.user}/{u.password} (level {u.user_level})" for u in api_users)
    return "\n".join(
        [
            f"vicibus simulated dialer at {simulator.base_url}",
            f"  agent API:     {simulator.base_url}{AGENT_PATH}",
            f"  non-agent API: {simulator.base_url}{ADMIN_PATH}",
            f"  API users:     {users or 'none'}",
            f"  control API:   {simulator.control_url}  (Authorization: Bearer <token below>)",
            f"  control token: {simulator.control_token}",
            "Press Ctrl+C to stop.",
        ]
    )


async def _serve(simulator: Simulator, host: str, port: int) -> None:
    await simulator.start(host, port)
    print(banner(simulator), flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await simulator.stop()
