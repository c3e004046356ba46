"""The simulator's aiohttp application: both ViciDial endpoints plus the control API."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from http import HTTPStatus

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError, LineTooLong
from aiohttp.web_protocol import RequestHandler

from integrations.vicidial.simulator import admin_api, agent_api
from integrations.vicidial.simulator.chat import add_chat_routes
from integrations.vicidial.simulator.control import CONTROL_PREFIX, add_control_routes
from integrations.vicidial.simulator.state import CallCenter
from integrations.vicidial.simulator.wire import Answer
from integrations.vicidial.webhooks.serving import ProtocolRunner

AGENT_PATH = "/agc/api.php"
ADMIN_PATH = "/vicidial/non_agent_api.php"
CONTENT_TYPE = "text/html"

Responder = Callable[[CallCenter, Mapping[str, str]], Answer]


class ApacheRefusals(RequestHandler):
    """Refuses what the request parser refuses as Apache does: without echoing the request
    (its URL holds the password) and without logging it.

    aiohttp answers 400 with the offending line quoted and logs a traceback holding it.
    Apache answers an over-long request line with 414; aiohttp does not say which line was too
    long, and the clients a simulator serves send short headers, so every over-long line is
    taken for the request line.
    """

    def handle_error(
        self,
        request: web.BaseRequest,
        status: int = 500,
        exc: BaseException | None = None,
        message: str | None = None,
    ) -> web.StreamResponse:
        if not isinstance(exc, HttpProcessingError):
            return super().handle_error(request, status, exc, message)
        refused = (
            HTTPStatus.REQUEST_URI_TOO_LONG
            if isinstance(exc, LineTooLong)
            else HTTPStatus.BAD_REQUEST
        )
        title = f"<title>{refused.value} {refused.phrase}</title>"
        page = f"<html><head>{title}</head><body><h1>{refused.phrase}</h1></body></html>\n"
        response = web.Response(status=refused.value, text=page, content_type=CONTENT_TYPE)
        response.force_close()
        return response


async def request_params(request: web.Request) -> dict[str, str]:
    """Query and form parameters merged; like PHP's GET-before-POST, the query wins."""
    params: dict[str, str] = {}
    if request.method == "POST":
        form = await request.post()
        params.update({k: v for k, v in form.items() if isinstance(v, str)})
    params.update(request.query)
    return params


class Simulator:
    """One simulated dialer: its call center, its HTTP app, and (when started) its server."""

    def __init__(self, center: CallCenter, *, control_token: str | None = None) -> None:
        self.center = center
        self._control_token = control_token or secrets.token_urlsafe(24)
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    def __repr__(self) -> str:
        return f"Simulator({self.base_url or 'not started'!r})"

    @property
    def control_token(self) -> str:
        return self._control_token

    def _endpoint(self, responder: Responder) -> Callable[[web.Request], object]:
        async def handle(request: web.Request) -> web.Response:
            answer = responder(self.center, await request_params(request))
            return web.Response(
                status=answer.status, text=answer.body, content_type=CONTENT_TYPE, charset="utf-8"
            )

        return handle

    def app(self) -> web.Application:
        app = web.Application()
        for path, responder in ((AGENT_PATH, agent_api.answer), (ADMIN_PATH, admin_api.answer)):
            handler = self._endpoint(responder)
            app.router.add_get(path, handler)  # type: ignore[arg-type]
            app.router.add_post(path, handler)  # type: ignore[arg-type]
        add_control_routes(app, self.center, self._control_token)
        add_chat_routes(app, self.center)
        return app

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve on ``host:port`` (0 picks a free port); the base URL for clients."""
        self._runner = ProtocolRunner(self.app(), protocol=ApacheRefusals, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        # With port 0 the OS picks the port; only the runner's bound addresses know it.
        addresses = self._runner.addresses
        bound = addresses[0][1] if addresses else port
        self.base_url = f"http://{host}:{bound}"
        return self.base_url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def control_url(self) -> str:
        return self.base_url + CONTROL_PREFIX
