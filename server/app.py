"""The Starlette application: /healthz, the websocket at /ws, REST under /v1 (described by
/v1/openapi.json), /metrics, the console at /console, media, the play page."""
from __future__ import annotations

import contextlib
import importlib
import logging
import random
import secrets
from typing import Any, AsyncIterator, Callable

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.websockets import WebSocket

from server.auth import Auth
from server.clips import ClipTokens
from server.clock import Clock, RealClock
from server.config import Settings
from server.console import page_routes as console_pages
from server.direct import RAW_SEND
from server.handlers import load_all
from server.logs import RequestIds, RoomLog
from server.media import media_routes
from server.metrics import Metrics, metrics_endpoint
from server.nodes import nodes_for
from server.observe import Fanout
from server.openapi import describe, document
from server.play.origin import origin_allowed
from server.play.routes import play_routes
from server.runtime import Rooms
from server.services import Services
from server.session import Session
from server.store import Store, open_store
from server.transcode import available
from server.version import version
from server.webhooks import Dispatcher, webhook_store

log = logging.getLogger("campfire")

# Modules exposing routes() -> list[Route], mounted under /v1.
REST_MODULES = ["server.rest_core", "server.rest_stats", "server.webhooks.rest", "server.console.api"]


async def healthz(request: Request) -> JSONResponse:
    svc: Services = request.app.state.services
    return JSONResponse({"ok": True, "node": svc.rooms.node_id, "rooms": len(svc.rooms.rooms),
                         "connections": len(svc.sessions)})


async def websocket_endpoint(websocket: WebSocket) -> None:
    svc: Services = websocket.app.state.services
    if len(svc.sessions) >= svc.settings.max_connections:
        await websocket.close(code=1013, reason="server is at its connection limit")
        return
    if not origin_allowed(svc.settings, websocket.headers):
        # A browser on another site (docs/play.md, Security): refused before the handshake (403).
        await websocket.close(code=1008)
        return
    await Session(websocket, svc).run()


def _rest_routes() -> list[Route]:
    return [route for name in REST_MODULES for route in importlib.import_module(name).routes()]


def _seed_sequence(seed: int) -> Callable[[], int]:
    """Game seeds drawn from a fixed sequence: the same games on every run (tests, demos)."""
    rng = random.Random(seed)
    return lambda: rng.getrandbits(62)


async def http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own 404 and 405 (no route, wrong method): JSON with a stable code under /v1,
    like every other REST error; plain text elsewhere."""
    assert isinstance(exc, HTTPException)
    if not request.url.path.startswith("/v1/"):
        return PlainTextResponse(exc.detail, status_code=exc.status_code, headers=exc.headers)
    code = "not_found" if exc.status_code == 404 else "bad_frame"
    message = "no such REST endpoint" if exc.status_code == 404 else f"{request.method} is not allowed here"
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=exc.status_code,
                        headers=exc.headers)


@describe("This document: the REST contract as OpenAPI 3.1", auth="none")
async def openapi_json(request: Request) -> JSONResponse:
    """GET /v1/openapi.json: built from the mounted routes and their schemas (server/openapi.py)."""
    return JSONResponse(document(request.app.routes, version()))


def create_app(settings: Settings, *, clock: Clock | None = None, store: Store | None = None,
               seeds: Callable[[], int] | None = None) -> "CampfireApp":
    """The app. ``clock``, ``store`` and ``seeds`` (where game seeds come from) are injectable
    for tests; by default the app opens ``settings.store``, uses wall time and OS randomness."""
    load_all()  # import every handler module now, so a broken one fails at start, not mid-game
    if seeds is None and settings.game_seed:
        seeds = _seed_sequence(settings.game_seed)
    metrics = Metrics()  # this app's own registry: two apps in one process never share a figure

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        own_store = store is None
        st = store if store is not None else await open_store(settings.store)
        clk = clock or RealClock()
        rooms = Rooms(st, clk, settings, nodes_for(st, settings.lease_seconds), seeds=seeds)
        formats = available()
        if "ogg" not in formats:
            log.warning("song clips: WAV only (install the 'media' extra, PyAV, for OGG/Opus and MP3)")
        clips = ClipTokens(await st.get_secret("media_clips", secrets.token_bytes(32)), ttl=settings.clip_ttl,
                           public_url=settings.public_url, formats=formats)
        rooms.local.public_data = clips.public_data
        svc = Services(settings, st, clk, await Auth.load(st), rooms, clips=clips, metrics=metrics)
        room_log = RoomLog()
        svc.webhooks = Dispatcher(st, webhook_store(st), clk, settings, on_attempt=metrics.webhook_attempt,
                                  on_store_error=Fanout(metrics, room_log).store_error)
        rooms.local.observer = Fanout(metrics, room_log, svc.webhooks)
        metrics.connections = lambda: len(svc.sessions)
        metrics.rooms = lambda: ((r.record.game, r.data["status"]) for r in list(rooms.rooms.values()))
        metrics.leases_held = lambda: len(getattr(rooms.nodes, "held", ()))  # Redis nodes; 0 on one node
        app.state.services = svc
        if settings.demo:
            from server.demo import banner, ensure_demo, play_links

            app_id, key = await ensure_demo(st, settings, with_activity=True)
            links = play_links(app.state.services.auth, settings, app_id, clk.now())
            print(banner(settings, app_id, key, links), flush=True)
        restored = await rooms.start()
        if restored:
            log.info("restored %d live rooms", restored)
        await svc.webhooks.start()
        try:
            async with metrics.running():
                yield
        finally:
            await svc.webhooks.close()
            await rooms.close()
            if own_store:
                await st.close()

    starlette = Starlette(
        routes=[
            Route("/healthz", healthz),
            Route("/metrics", metrics_endpoint),
            WebSocketRoute("/ws", websocket_endpoint),
            Route("/v1/openapi.json", openapi_json),
            Mount("/v1", routes=_rest_routes()),
            *console_pages(),
            *media_routes(settings.data_dir),
            *play_routes(settings),
        ],
        lifespan=lifespan,
        exception_handlers={HTTPException: http_error},
    )
    starlette.state.metrics = metrics
    return CampfireApp(starlette)


class CampfireApp:
    """The ASGI entry point: Starlette, with the server's own websocket ``send`` left in the
    scope for the direct send path (server/direct.py)."""

    def __init__(self, starlette: Starlette) -> None:
        self.starlette = starlette
        self.state = starlette.state
        self._http = RequestIds(starlette)  # HTTP requests get an id for the logs

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "websocket":
            scope[RAW_SEND] = send
            await self.starlette(scope, receive, send)
            return
        await self._http(scope, receive, send)
