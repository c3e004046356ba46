"""The non-agent API's user functions."""

from __future__ import annotations

from integrations.vicidial.simulator.wire import (
    ApiRequest,
    Handlers,
    table,
)

HANDLERS = Handlers()
handles = HANDLERS.add


@handles("user_details")
def user_details(req: ApiRequest) -> str:
    me, agent = req.user.user, req.get("agent_user")
    if not agent:
        return f"ERROR: user_details INVALID SEARCH PARAMETERS: {me}|\n"
    user = req.center.users.get(agent)
    if user is None:
        return f"ERROR: user_details USER NOT FOUND: {me}|{agent}\n"
    row = [user.user, user.full_name, user.user_group, user.user_level, "Y" if user.active else "N"]
    return table(req, ["user", "full_name", "user_group", "user_level", "active"], [row])
