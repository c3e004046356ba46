"""The rules' routes of the daemon's HTTP API: the kill switch, and what each rule is doing.

- ``GET /api/rules``: every loaded rule, switched on or off, its runs going now and the runs
  kept from running or cancelled by a cooldown or its mode (``rule_run_dropped`` by reason),
  and the last switch changes with who asked;
- ``GET /api/rules/<id>``: one rule, with its cooldowns, count windows and ``for:`` waits;
- ``POST /api/rules/<id>/enable|disable`` and ``POST /api/rule_groups/<group>/enable|disable``:
  the kill switch, logged with the API token's name. ``disable`` cancels the rules' running
  runs unless the body says ``{"stop_actions": false}``.

The switch holds across a config reload; a restart of the daemon starts from the config.
Every route sits behind the API's Bearer token (``HttpApi.guarded``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiohttp import web

from engine.http import Handler, caller_of, error_response
from rules import RuleEngine, UnknownRulesError

Guard = Callable[[Handler], Handler]


class RulesApi:
    def __init__(self, engine: RuleEngine) -> None:
        self._engine = engine

    def __repr__(self) -> str:
        return f"RulesApi({self._engine!r})"

    def routes(self, app: web.Application, guarded: Guard) -> None:
        app.router.add_get("/api/rules", guarded(self.list_rules))
        app.router.add_get("/api/rules/{rule_id}", guarded(self.one_rule))
        for action in ("enable", "disable"):
            app.router.add_post(f"/api/rules/{{rule_id}}/{action}", guarded(self.switch_rule))
            app.router.add_post(f"/api/rule_groups/{{group}}/{action}", guarded(self.switch_group))

    def _describe(self, rule_id: str) -> dict[str, Any]:
        engine = self._engine
        runtime = engine.runtime(rule_id)
        model = runtime.rule.model
        return {
            **engine.rule_state(rule_id).model_dump(),
            "alias": model.alias,
            "configured_enabled": model.enabled,
            "running": runtime.gates.active,
            "rule_run_dropped": dict(runtime.dropped),
        }

    async def list_rules(self, request: web.Request) -> web.Response:
        engine = self._engine
        return web.json_response(
            {
                "rules": [self._describe(rule.id) for rule in engine.rules],
                "rule_run_dropped": dict(engine.dropped()),
                "switched": [change.as_dict() for change in engine.switch.history],
            }
        )

    async def one_rule(self, request: web.Request) -> web.Response:
        rule_id = request.match_info["rule_id"]
        if rule_id not in {rule.id for rule in self._engine.rules}:
            return error_response(404, "NotFound", f"no rule {rule_id!r}")
        kept = self._engine.runtime(rule_id).to_dict()
        return web.json_response({**self._describe(rule_id), **kept})

    async def switch_rule(self, request: web.Request) -> web.Response:
        return await self._switch(request, rule_ids=(request.match_info["rule_id"],))

    async def switch_group(self, request: web.Request) -> web.Response:
        return await self._switch(request, groups=(request.match_info["group"],))

    async def _switch(
        self,
        request: web.Request,
        *,
        rule_ids: tuple[str, ...] = (),
        groups: tuple[str, ...] = (),
    ) -> web.Response:
        enabled = request.path.rsplit("/", 1)[1] == "enable"
        stop_actions = True
        if not enabled and request.can_read_body:
            try:
                body = await request.json()
            except ValueError:
                body = None
            if not isinstance(body, dict) or not isinstance(body.get("stop_actions", True), bool):
                return error_response(
                    400, "BadRequest", 'the body is empty or {"stop_actions": true|false}'
                )
            stop_actions = body.get("stop_actions", True)
        who = caller_of(request)
        try:
            states = self._engine.set_enabled(
                enabled, rule_ids=rule_ids, groups=groups, who=who, stop_actions=stop_actions
            )
        except UnknownRulesError as exc:
            return error_response(404, "NotFound", "; ".join(p.message for p in exc.problems))
        return web.json_response({"rules": [state.model_dump() for state in states], "by": who})
