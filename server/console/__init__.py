"""``/console``: the operators' page (static HTML, CSS and JS served from this package) and
the REST it reads (server/console/api.py). No CDN and nothing fetched at run time; a strict
Content-Security-Policy allows only this server's own script, style and API."""
from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

STATIC = Path(__file__).parent / "static"
FILES = {"console.js": "text/javascript", "console.css": "text/css"}
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'none'; frame-ancestors 'none'; base-uri 'none'")
HEADERS = {"content-security-policy": CSP, "x-content-type-options": "nosniff", "referrer-policy": "no-referrer",
           "cache-control": "no-cache"}


async def page(request: Request) -> Response:
    return FileResponse(STATIC / "console.html", media_type="text/html; charset=utf-8", headers=HEADERS)


async def static(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in FILES:  # a fixed list: no path from the URL ever reaches the file system
        return Response("not found", status_code=404, headers=HEADERS)
    return FileResponse(STATIC / name, media_type=FILES[name], headers=HEADERS)


def page_routes() -> list[Route]:
    return [Route("/console", page), Route("/console/", page), Route("/console/static/{name}", static)]
