"""The server's public base URL, and whether a browser's ``Origin`` may open the websocket.

``public_url`` (a setting) is the address members' browsers use, e.g. https://play.example.com
behind a TLS proxy. Left empty, the base is the address each request came to (its ``Host``
header), which is right for a server reached directly (``serve --demo`` on one machine, tests).

Why check ``Origin``: a browser sends it on every websocket handshake and lets any page open a
websocket to any host. Without the check, a hostile page a member visits could talk to Campfire
with whatever the page can get hold of (cross-site websocket hijacking). Bots and the SDK send
no ``Origin`` and are not affected.
"""
from __future__ import annotations

import re
from typing import Mapping
from urllib.parse import urlsplit

from server.config import Settings

_HOST = re.compile(r"^[A-Za-z0-9.\-]+(:[0-9]{1,5})?$|^\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?$")


def request_host(headers: Mapping[str, str]) -> str | None:
    """The ``Host`` header if it is a plain host[:port] (it ends up in URLs and headers)."""
    host = headers.get("host", "")
    return host if _HOST.match(host) else None


def base_url(settings: Settings, headers: Mapping[str, str], scheme: str = "http") -> str:
    """Where the play page lives, without a trailing slash."""
    if settings.public_url:
        return settings.public_url.rstrip("/")
    host = request_host(headers) or f"{settings.host}:{settings.port}"
    return f"{'https' if scheme in ('https', 'wss') else 'http'}://{host}"


def websocket_origin(base: str) -> str:
    """The ws:// or wss:// origin matching an http(s) base URL (for connect-src)."""
    parts = urlsplit(base)
    return ("wss" if parts.scheme == "https" else "ws") + "://" + parts.netloc


def origin_allowed(settings: Settings, headers: Mapping[str, str]) -> bool:
    """No ``Origin`` (a bot): allowed. Otherwise it must be the public base URL's origin, or,
    with no ``public_url`` set, the origin of the host the browser connected to."""
    origin = headers.get("origin")
    if origin is None:
        return True
    origin = origin.rstrip("/").lower()
    if settings.public_url:
        parts = urlsplit(settings.public_url)
        return origin == f"{parts.scheme}://{parts.netloc}".lower()
    host = request_host(headers)
    return host is not None and origin in (f"http://{host}".lower(), f"https://{host}".lower())
