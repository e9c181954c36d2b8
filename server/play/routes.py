"""The play page's HTTP routes: the page, its static files, and the session exchange.

- ``GET /play``, ``GET /play/{room}``: the page (one HTML shell; the script reads the room
  from the address and the launch ticket from the fragment).
- ``GET /play/static/{name}``: the page's CSS and JavaScript modules, from ``static/``, held in
  memory with a gzip copy (the whole page is a few tens of KB; slow phone networks matter).
- ``POST /play/session``: a launch link or Telegram ``initData`` for a player token
  (server/play/exchange.py).

Every response carries a strict Content-Security-Policy: scripts and styles only from this
origin (no inline code, so injected markup cannot run), network only to this origin's
websocket, no framing except by Telegram's web client (which shows Web Apps in a frame).
"""
from __future__ import annotations

import gzip
import hashlib
import json
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from server.config import Settings
from server.play.exchange import open_session
from server.play.links import LinkRefused
from server.play.origin import base_url, websocket_origin
from server.rest import STATUS  # the HTTP status of each error code, shared with /v1

STATIC = Path(__file__).with_name("static")
MAX_BODY_BYTES = 8192
TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
         ".html": "text/html; charset=utf-8", ".png": "image/png", ".svg": "image/svg+xml"}


@dataclass(frozen=True, slots=True)
class Asset:
    body: bytes
    gzipped: bytes
    content_type: str
    etag: str


def load_assets(folder: Path = STATIC) -> dict[str, Asset]:
    """Every file of the page, by its path under ``static/`` (read once: a missing or
    unreadable file fails at start, not on a member's phone)."""
    assets = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            body = path.read_bytes()
            kind = TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            assets[path.relative_to(folder).as_posix()] = Asset(
                body, gzip.compress(body, 9, mtime=0), kind, '"' + hashlib.sha256(body).hexdigest()[:16] + '"')
    return assets


def security_headers(settings: Settings, request: Request) -> dict[str, str]:
    ws = websocket_origin(base_url(settings, request.headers, request.url.scheme))
    csp = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
           f"media-src 'self' https:; connect-src 'self' {ws}; base-uri 'none'; form-action 'none'; "
           "frame-ancestors 'self' https://web.telegram.org")
    return {"Content-Security-Policy": csp, "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer"}


def play_routes(settings: Settings) -> list[Route]:
    assets = load_assets()

    def send(request: Request, asset: Asset, cache: str) -> Response:
        headers = {**security_headers(settings, request), "Cache-Control": cache, "ETag": asset.etag,
                   "Vary": "Accept-Encoding"}
        if request.headers.get("if-none-match") == asset.etag:
            return Response(status_code=304, headers=headers)
        if "gzip" in request.headers.get("accept-encoding", ""):
            return Response(asset.gzipped, media_type=asset.content_type,
                            headers={**headers, "Content-Encoding": "gzip"})
        return Response(asset.body, media_type=asset.content_type, headers=headers)

    async def page(request: Request) -> Response:
        # no-store: the shell is tiny, and a stale one could load mismatched modules.
        return send(request, assets["index.html"], "no-store")

    async def static(request: Request) -> Response:
        asset = assets.get(request.path_params["name"])
        if asset is None:
            return Response("not found", status_code=404, media_type="text/plain")
        return send(request, asset, "no-cache")  # revalidated by ETag: never a stale module

    async def session(request: Request) -> Response:
        headers = {**security_headers(settings, request), "Cache-Control": "no-store"}
        try:
            body = await _json(request)
            reply = await open_session(request.app.state.services, body)
        except LinkRefused as refused:
            return JSONResponse({"error": {"code": refused.code, "message": refused.message}},
                                status_code=STATUS.get(refused.code, 400), headers=headers)
        return JSONResponse(reply, headers=headers)

    return [
        Route("/play", page, methods=["GET"]),
        Route("/play/", page, methods=["GET"]),
        Route("/play/session", session, methods=["POST"]),
        Route("/play/static/{name:path}", static, methods=["GET"]),
        Route("/play/{room}", page, methods=["GET"]),
    ]


async def _json(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if len(raw) > MAX_BODY_BYTES:
        raise LinkRefused("bad_frame", "request body too large")
    try:
        body = json.loads(raw or b"{}")
    except ValueError:
        raise LinkRefused("bad_frame", "request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise LinkRefused("bad_frame", "request body must be a JSON object")
    return body
