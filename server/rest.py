"""Helpers shared by the REST endpoints under /v1: authentication and error bodies.

REST uses the same error codes as the websocket; each code maps to one HTTP status.
"""
from __future__ import annotations

import functools
import logging
from typing import TYPE_CHECKING, Any, Awaitable, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from server import access
from server.logs import auth_failure, key_used
from server.metrics import AUTH_FAILURES
from server.protocol import ProtocolError, dumps_json, loads_json
from server.readonly import check_method
from server.store import store_unreachable

if TYPE_CHECKING:
    from server.auth import Principal
    from server.services import Services
    from server.validate import Schema

log = logging.getLogger("campfire.rest")

STATUS: dict[str, int] = {
    "unauthorized": 401, "key_revoked": 401, "forbidden": 403, "unknown_room": 404,
    "unknown_game": 404, "unknown_group": 404, "not_found": 404, "invalid_payload": 400, "bad_frame": 400,
    "invalid_config": 400, "invalid_day": 400, "wrong_status": 409, "group_busy": 409,
    "conflict": 409,
    "rate_limited": 429, "frame_too_large": 413, "internal": 500,
    "unavailable": 503,
    "link_invalid": 403, "link_expired": 410, "link_wrong_room": 403, "telegram_invalid": 403, "telegram_expired": 410,
}


def services(request: Request) -> "Services":
    return request.app.state.services


async def principal(request: Request) -> "Principal":
    """Bots send ``Authorization: Bearer <api key>``; members may send a player token."""
    header = request.headers.get("authorization", "")
    scheme, _, credential = header.partition(" ")
    if scheme.lower() != "bearer" or not credential:
        raise ProtocolError("unauthorized", "send 'Authorization: Bearer <api key or player token>'")
    svc = services(request)
    if credential.startswith("cfp_"):
        return await svc.auth.player(credential.strip(), svc.clock.now())
    return await svc.auth.bot(credential.strip())


class SafeJSONResponse(JSONResponse):
    """JSON that every reader accepts: a non-finite number goes out as null instead of failing
    the response (Starlette's encoder refuses NaN and infinities with a plain-text 500)."""

    def render(self, content: Any) -> bytes:
        return dumps_json(content, indent=None, separators=(",", ":")).encode("utf-8")


def error_response(err: ProtocolError) -> JSONResponse:
    return SafeJSONResponse({"error": err.payload()}, status_code=STATUS.get(err.code, 400))


async def json_body(request: Request, max_bytes: int = 1 << 20) -> dict[str, Any]:
    raw = await request.body()
    if len(raw) > max_bytes:
        raise ProtocolError("frame_too_large", f"request body is larger than {max_bytes} bytes")
    try:
        body = loads_json(raw or b"{}")
    except ValueError as exc:  # NaN/Infinity and lone surrogates included (docs/PROTOCOL.md, "Limits")
        raise ProtocolError("bad_frame", f"request body is not valid JSON: {exc}"[:200]) from None
    if not isinstance(body, dict):
        raise ProtocolError("bad_frame", "request body must be a JSON object")
    return body


Endpoint = Callable[[Request, "Principal"], Awaitable[Any]]


def endpoint(fn: Endpoint) -> Callable[[Request], Awaitable[Response]]:
    """Authenticate, call ``fn``, and turn its result or ProtocolError into JSON. A read-only
    operator key is refused anything but GET; a failure of our own is a JSON ``internal``."""

    @functools.wraps(fn)
    async def wrapper(request: Request) -> Response:
        try:
            who = await principal(request)
            check_method(who, request.method)
            if who.is_bot:
                key_used("rest", who.app, who.key_prefix or "")
            result = await fn(request, who)
        except ProtocolError as err:
            _observe(request, err)
            return error_response(err)
        except Exception as exc:
            if store_unreachable(exc):
                unavailable = ProtocolError("unavailable", "the store is unreachable just now; retry")
                _observe(request, unavailable)
                return error_response(unavailable)
            log.exception("REST %s %s failed", request.method, request.url.path)
            failure = ProtocolError("internal", "the server failed on this request")
            _observe(request, failure)
            return error_response(failure)
        return result if isinstance(result, Response) else SafeJSONResponse(result)

    return wrapper


require_bot = access.bot_only


def query_params(request: Request, schema: "Schema") -> dict[str, Any]:
    """The query string checked by ``schema``: integer fields parsed, unknown names refused."""
    raw: dict[str, Any] = {}
    for name, value in request.query_params.items():
        field = schema.fields.get(name)
        if field is not None and field.kind is int:
            try:
                raw[name] = int(value)
            except ValueError:
                raise ProtocolError("invalid_payload", f"'{name}' must be an integer", field=name) from None
        else:
            raw[name] = value
    return schema(raw)


def _observe(request: Request, err: ProtocolError) -> None:
    metrics = getattr(services(request), "metrics", None)  # (tests may mount REST without the whole app)
    if metrics is not None:
        metrics.error("rest", err.code)
    if err.code in AUTH_FAILURES:
        auth_failure("rest", err.code, err.message, peer=request.client.host if request.client else None)


def int_param(request: Request, name: str, default: int, lo: int, hi: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ProtocolError("invalid_payload", f"'{name}' must be an integer", field=name) from None
    if not lo <= value <= hi:
        raise ProtocolError("invalid_payload", f"'{name}' must be between {lo} and {hi}", field=name)
    return value
