"""``vicibus simulate``: run the simulated dialer standalone, with traffic and callbacks."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys

from integrations.vicidial.secret_input import UsageError
from integrations.vicidial.simulator.clock import MAX_SPEED, ClockMode, check_speed
from integrations.vicidial.simulator.rawhttp import RawHttp, TransportError, split_url
from integrations.vicidial.simulator.retarget import Retargeted, point_callbacks_at
from integrations.vicidial.simulator.runtime import Simulation
from integrations.vicidial.simulator.scenario import (
    BUILTINS,
    Scenario,
    ScenarioError,
    build_center,
    load_builtin,
    load_named,
)
from integrations.vicidial.simulator.server import ADMIN_PATH, AGENT_PATH, Simulator
from integrations.vicidial.webhooks.cli import (
    TOKEN_RULES,
    add_token_arguments,
    read_token,
    token_given,
)
from integrations.vicidial.webhooks.errors import UrlBuildError

DEFAULT_PORT = 8089
PROG = "vicibus simulate"


def port_number(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"a TCP port is 0 to 65535, not {port}")
    return port


def clock_speed(text: str) -> float:
    try:
        speed = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    try:
        return check_speed(speed)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_simulate(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "simulate",
        help="run a simulated ViciDial dialer",
        description="Run a simulated ViciDial dialer, its traffic and its callbacks. "
        "With --callbacks-to, every callback goes to that receiver with its token (`vicibus token` "
        "makes one). " + TOKEN_RULES,
    )
    parser.add_argument(
        "--scenario",
        metavar="FILE",
        help=f"scenario YAML, or a built-in: {', '.join(BUILTINS)} (default: fixtures)",
    )
    parser.add_argument(
        "--port", type=port_number, default=DEFAULT_PORT, help="TCP port (0 = any free)"
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument(
        "--callbacks-to",
        metavar="URL",
        help="send every callback kind to this vicibus (or other) receiver, e.g. "
        "http://127.0.0.1:8080",
    )
    add_token_arguments(parser)
    parser.add_argument(
        "--speed",
        type=clock_speed,
        help=f"run the clock this many times faster than real time (at most {MAX_SPEED:g})",
    )
    parser.add_argument(
        "--no-traffic", action="store_true", help="do not play the scenario's traffic model"
    )
    parser.set_defaults(handler=run_simulate)


def run_simulate(args: argparse.Namespace) -> int:
    try:
        scenario = load_named(args.scenario) if args.scenario else load_builtin()
    except ScenarioError as exc:
        print(f"vicibus simulate: invalid scenario\n{exc}", file=sys.stderr)
        return 2
    if token_given(args) and args.callbacks_to is None:
        print(f"{PROG}: a webhook token goes with --callbacks-to", file=sys.stderr)
        return 2
    try:
        # The environment's token is only wanted when callbacks go somewhere.
        token = read_token(args, os.environ, sys.stdin, PROG) if args.callbacks_to else None
    except UsageError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 2
    try:
        simulation, retargeted = _simulation(scenario, args, token)
    except (UrlBuildError, TransportError) as exc:
        # Neither message quotes the token.
        print(f"{PROG}: cannot send callbacks there: {exc}", file=sys.stderr)
        return 2
    simulator = Simulator(simulation.center)
    try:
        asyncio.run(_serve(simulator, simulation, retargeted, args))
    except KeyboardInterrupt:
        pass
    except OSError as exc:
        print(f"vicibus simulate: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    return 0


def _simulation(
    scenario: Scenario, args: argparse.Namespace, token: str | None
) -> tuple[Simulation, Retargeted]:
    center = build_center(scenario)
    if args.speed is not None:
        center.clock.set_mode(ClockMode.ACCELERATED, args.speed)
    retargeted = Retargeted()
    if token is not None:
        split_url(args.callbacks_to)
        retargeted = point_callbacks_at(center, args.callbacks_to.rstrip("/"), token)
    traffic = None if args.no_traffic else scenario.traffic
    transport = RawHttp(resolve=retargeted.resolve)
    return Simulation(center, traffic, transport=transport), retargeted


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


def _callback_lines(
    simulation: Simulation, retargeted: Retargeted, args: argparse.Namespace
) -> str:
    clock = simulation.center.clock
    started = f"{clock.now():%Y-%m-%d %H:%M:%S}"
    lines = [f"  clock:         {clock.mode.value}, x{clock.speed:g}, from {started}"]
    traffic = simulation.traffic
    lines.append(f"  traffic:       {'seed ' + str(traffic.model.seed) if traffic else 'none'}")
    if args.callbacks_to:
        # The receiver's token is never printed.
        lines.append(f"  callbacks to:  {args.callbacks_to.rstrip('/')}/webhooks/<kind>")
    if retargeted.push_note:
        lines.append(f"  note:          {retargeted.push_note}")
    return "\n".join(lines)


async def _serve(
    simulator: Simulator, simulation: Simulation, retargeted: Retargeted, args: argparse.Namespace
) -> None:
    await simulator.start(args.host, args.port)
    await simulation.start(run=True)
    print(banner(simulator), flush=True)
    print(_callback_lines(simulation, retargeted, args), flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await simulation.stop()
        await simulator.stop()
