"""agc/api.php: the agent API, answered from the call center's state in a 2.14 server's texts.

Each handler checks its parameters in the order the real server does (validity, then the
agent's session, then the state the action needs) and prints the same lines, errors included.
"""

from __future__ import annotations

from collections.abc import Mapping

from integrations.vicidial.agent.functions import AGENT_FUNCTIONS
from integrations.vicidial.simulator import (
    agent_audio,
    agent_call,
    agent_dial,
    agent_lookup,
    agent_pause,
    agent_screen,
)
from integrations.vicidial.simulator.auth import agent_api_allowed, agent_api_login
from integrations.vicidial.simulator.records import User
from integrations.vicidial.simulator.state import CallCenter
from integrations.vicidial.simulator.wire import (
    Answer,
    ApiRequest,
    Handlers,
    respond,
    stamp,
)

HANDLERS = Handlers()
for module in (agent_pause, agent_dial, agent_call, agent_audio, agent_screen, agent_lookup):
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
    denied = refusal(login, function, params)
    if denied and function == "webserver":
        return Answer(denied)
    handler = HANDLERS[function]
    # The other functions check their parameters first and print the refusal after.
    return respond(handler(ApiRequest(function, params, login, center, denied)))


def refusal(login: User, function: str, params: Mapping[str, str]) -> str:
    """The refusal for a function the API user may not call, or ``""``. The real server
    prints the request's value (the lead id, for two functions) before the user, except in
    webserver's refusal."""
    denied = agent_api_allowed(login, function) or ""
    if denied and function != "webserver":
        lead = params.get("lead_id" if function in ("switch_lead", "vm_message") else "value", "")
        denied = denied.replace(" - ", f" - {lead}|", 1)
    return denied
