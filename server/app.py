"""The Starlette application: /healthz, the websocket at /ws, REST under /v1, media, the play page."""
from __future__ import annotations

import contextlib
import importlib
import logging
import random
import secrets
from typing import Any, AsyncIterator, Callable

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.websockets import WebSocket

from server.auth import Auth
from server.clips import ClipTokens
from server.clock import Clock, RealClock
from server.config import Settings
from server.direct import RAW_SEND
from server.handlers import load_all
from server.media import media_routes
from server.nodes import nodes_for
from server.play.origin import origin_allowed
from server.play.routes import play_routes
from server.runtime import Rooms
from server.services import Services
from server.session import Session
from server.store import Store, open_store
from server.transcode import available

log = logging.getLogger("campfire")

# Modules exposing routes() -> list[Route], mounted under /v1.
REST_MODULES = ["server.rest_core", "server.rest_stats"]


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


def create_app(settings: Settings, *, clock: Clock | None = None, store: Store | None = None,
               seeds: Callable[[], int] | None = None) -> "CampfireApp":
    """The app. ``clock``, ``store`` and ``seeds`` (where game seeds come from) are injectable
    for tests; by default the app opens ``settings.store``, uses wall time and OS randomness."""
    load_all()  # import every handler module now, so a broken one fails at start, not mid-game
    if seeds is None and settings.game_seed:
        seeds = _seed_sequence(settings.game_seed)

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
        app.state.services = Services(settings, st, clk, await Auth.load(st), rooms, clips=clips)
        if settings.demo:
            from server.demo import banner, ensure_demo, play_links

            app_id, key = await ensure_demo(st, settings)
            links = play_links(app.state.services.auth, settings, app_id, clk.now())
            print(banner(settings, app_id, key, links), flush=True)
        restored = await rooms.start()
        if restored:
            log.info("restored %d live rooms", restored)
        try:
            yield
        finally:
            await rooms.close()
            if own_store:
                await st.close()

    starlette = Starlette(
        routes=[
            Route("/healthz", healthz),
            WebSocketRoute("/ws", websocket_endpoint),
            Mount("/v1", routes=_rest_routes()),
            *media_routes(settings.data_dir),
            *play_routes(settings),
        ],
        lifespan=lifespan,
    )
    return CampfireApp(starlette)


class CampfireApp:
    """The ASGI entry point: Starlette, with the server's own websocket ``send`` left in the
    scope for the direct send path (server/direct.py)."""

    def __init__(self, starlette: Starlette) -> None:
        self.starlette = starlette
        self.state = starlette.state

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "websocket":
            scope[RAW_SEND] = send
        await self.starlette(scope, receive, send)
