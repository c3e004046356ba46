"""agc/api.php: the agent API, answered from the call center's state in a 2.14 server's texts.

Each handler checks its parameters in the order the real server does (validity, then the
agent's session, then the state the action needs) and prints the same lines, errors included.
"""

from __future__ import annotations

from collections.abc import Mapping

from integrations.vicidial.agent.functions import AGENT_FUNCTIONS
from integrations.vicidial.simulator import agent_call, agent_dial, agent_pause, agent_screen
from integrations.vicidial.simulator.auth import agent_api_allowed, agent_api_login
from integrations.vicidial.simulator.state import CallCenter
from integrations.vicidial.simulator.wire import (
    Answer,
    ApiRequest,
    Handlers,
    respond,
    stamp,
    unsupported,
)

HANDLERS = Handlers()
for module in (agent_pause, agent_dial, agent_call, agent_screen):
    HANDLERS.update(module.HANDLERS)

# Every function the real agent API knows: the others answer an empty body, as ViciDial does.
KNOWN_FUNCTIONS = frozenset(AGENT_FUNCTIONS.names())


def version_text(center: CallCenter) -> str:
    s = center.system
    return (
        f"VERSION: {s.agent_api_version}|BUILD: {s.agent_api_build}|"
        f"DATE: {stamp(center.now())}|EPOCH: {center.clock.epoch()}\n"
    )


def answer(center: CallCenter, params: Mapping[str, str]) -> Answer:
    function = params.get("function", "")
    if function == "version":
        return Answer(version_text(center))
    if not params.get("source"):
        return Answer("ERROR: Invalid Source - \n")
    login = agent_api_login(center, params)
    if isinstance(login, str):
        return Answer(login)
    if function not in KNOWN_FUNCTIONS:
        return Answer("")
    denied = agent_api_allowed(login, function)
    if denied:
        return Answer(denied)
    handler = HANDLERS.get(function)
    if handler is None:
        return Answer(unsupported(function))
    return respond(handler(ApiRequest(function, params, login, center)))
