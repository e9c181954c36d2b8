"""Logs worth reading: one line per moment that matters, as text or as JSON, each carrying the
ids an operator searches by (app, group, room, request, session).

Why contextvars for the request id: a REST request's id is set once by ``RequestIds`` and every
log line written while serving it carries the id, without threading it through every call.
Ids specific to a moment (app, group, room) go in ``extra=``; the JSON formatter writes every
extra field it knows, the text formatter appends them as ``key=value``.
"""
from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import secrets
import sys
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.observe import RoomObserver, RoomView

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("campfire_request_id", default=None)

FIELDS = ("app", "group", "room", "game", "session", "member", "key_prefix", "code", "webhook", "event",
          "operation", "cause", "status", "path", "method", "reason")
FORMATS = ("text", "json")

room_log = logging.getLogger("campfire.rooms")
auth_log = logging.getLogger("campfire.auth")
store_log = logging.getLogger("campfire.store")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the known ids, and the traceback."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(), "logger": record.name, "message": record.getMessage(),
        }
        rid = request_id.get()
        if rid:
            out["request"] = rid
        for name in FIELDS:
            value = record.__dict__.get(name)
            if value is not None:
                out[name] = value
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """The classic line, followed by the known ids as key=value."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        ids = [f"{name}={record.__dict__[name]}" for name in FIELDS if record.__dict__.get(name) is not None]
        rid = request_id.get()
        if rid:
            ids.insert(0, f"request={rid}")
        if not ids:
            return line
        head, sep, rest = line.partition("\n")  # keep a traceback below the ids
        return f"{head}  [{' '.join(ids)}]{sep}{rest}"


def setup_logging(level: str = "info", fmt: str = "text") -> None:
    """The process's log output: stderr, one handler, ``fmt`` ``text`` or ``json``."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())


class RequestIds:
    """ASGI middleware: each HTTP request gets an id (the caller's ``X-Request-Id`` if it sent a
    sane one), echoed in the response and present on every log line written meanwhile."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1")
        rid = given if given and len(given) <= 64 and given.replace("-", "").replace("_", "").isalnum() \
            else secrets.token_hex(8)
        token = request_id.set(rid)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", rid.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            request_id.reset(token)


def _ids(room: RoomView) -> dict[str, Any]:
    return {"app": room.record.app, "group": room.record.group, "room": room.id, "game": room.record.game}


class RoomLog(RoomObserver):
    """Logs each room's life: created, started, finished, expired; and store failures with their cause."""

    def room_created(self, room: RoomView) -> None:
        room_log.info("room created", extra=_ids(room))

    def room_started(self, room: RoomView) -> None:
        players = len(room.data.get("players") or ())
        room_log.info("room started with %d players", players, extra=_ids(room))

    def room_finished(self, room: RoomView, result: dict[str, Any]) -> None:
        room_log.info("room finished, round %s", room.data.get("round"), extra=_ids(room))

    def room_expired(self, room: RoomView, reason: str) -> None:
        room_log.info("room expired: %s", reason, extra={**_ids(room), "reason": reason})

    def store_error(self, operation: str, exc: BaseException) -> None:
        store_log.error("store failed during %s: %s", operation, exc, exc_info=exc,
                        extra={"operation": operation, "cause": f"{type(exc).__name__}: {exc}"})


def auth_failure(transport: str, code: str, message: str, *, app: str | None = None,
                 session: str | None = None, peer: str | None = None) -> None:
    auth_log.warning("%s credential refused (%s): %s%s", transport, code, message, f" from {peer}" if peer else "",
                     extra={"code": code, "app": app, "session": session})


def key_used(transport: str, app: str, key_prefix: str, *, session: str | None = None) -> None:
    """A key authenticated something: info for websockets (once per connection), debug for REST
    (once per request would drown the log)."""
    level = logging.INFO if transport == "ws" else logging.DEBUG
    auth_log.log(level, "%s authenticated with key %s…", transport, key_prefix,
                 extra={"app": app, "key_prefix": key_prefix, "session": session})
