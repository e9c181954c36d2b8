"""Websocket frame handlers, one module per area, registered by frame type.

A handler is ``async def fn(ctx: Context, data: dict) -> dict | None``; ``data`` has
already passed its Schema. Raising ProtocolError sends an error frame and keeps the
connection; returning sends an ``ok`` reply with the returned map.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Awaitable, Callable

from server.validate import Schema

if TYPE_CHECKING:
    from server.auth import Principal
    from server.runtime import Watcher
    from server.services import Services


@dataclass(slots=True)
class Context:
    principal: "Principal"
    services: "Services"
    session: "Watcher | None"  # the connection, when the frame came over a websocket


HandlerFn = Callable[[Context, dict[str, Any]], Awaitable[dict[str, Any] | None]]


@dataclass(frozen=True, slots=True)
class Route:
    schema: Schema
    fn: HandlerFn
    bots_only: bool


ROUTES: dict[str, Route] = {}

# Modules whose import registers handlers. Add yours here.
MODULES: list[str] = [
    "server.handlers.rooms",
    "server.handlers.checkin",
    "server.handlers.misc",
    "server.handlers.stats",
    "server.handlers.play",
]


def handler(frame_type: str, schema: Schema, *, bots_only: bool = False) -> Callable[[HandlerFn], HandlerFn]:
    def register(fn: HandlerFn) -> HandlerFn:
        if frame_type in ROUTES:
            raise RuntimeError(f"two handlers for '{frame_type}'")
        ROUTES[frame_type] = Route(schema, fn, bots_only)
        return fn

    return register


def load_all() -> dict[str, Route]:
    for name in MODULES:
        importlib.import_module(name)
    return ROUTES
