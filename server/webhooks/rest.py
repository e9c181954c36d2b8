"""REST under /v1/webhooks: register, list (with each hook's last delivery), delete, and read
a hook's recent deliveries. Bots only; the secret is returned once, at creation."""
from __future__ import annotations

import ipaddress
import secrets
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from server.auth import Principal
from server.openapi import describe
from server.protocol import ProtocolError
from server.rest import endpoint, json_body, query_params, require_bot, services
from server.validate import Field, Int, Schema, Text
from server.webhooks.dispatch import EVENTS, Dispatcher
from server.webhooks.signing import new_secret

MAX_HOOKS = 20
HOOK_BODY = Schema(url=Text(2000), events=Field(list, max_len=len(EVENTS)), description=Text(200, required=False))
LOCAL_HOSTS = {"localhost"}
DELIVERIES_QUERY = Schema(limit=Int(required=False, default=20, min=1, max=100))
DELIVERY = {"type": "object", "required": ["id", "event", "event_id", "state", "attempts"], "properties": {
    "id": {"type": "string"}, "event": {"type": "string", "enum": list(EVENTS)}, "event_id": {"type": "string"},
    "state": {"type": "string", "enum": ["pending", "delivered", "failed"]}, "attempts": {"type": "integer"},
    "last_status": {"type": ["integer", "null"]}, "last_error": {"type": ["string", "null"]},
    "last_at": {"type": ["number", "null"]}, "next_at": {"type": ["number", "null"]},
    "created_at": {"type": ["number", "null"]}}}
HOOK = {"type": "object", "required": ["id", "url", "events", "created_at"], "properties": {
    "id": {"type": "string"}, "url": {"type": "string"}, "events": {"type": "array", "items": {"type": "string"}},
    "description": {"type": "string"}, "created_at": {"type": "number"},
    "last_delivery": {"oneOf": [DELIVERY, {"type": "null"}]}}}
HOOKS_RESPONSE = {"type": "object", "required": ["webhooks"], "properties": {"webhooks": {"type": "array",
                                                                                         "items": HOOK}}}
CREATED_RESPONSE = {"type": "object", "required": ["webhook", "secret"],
                    "properties": {"webhook": HOOK, "secret": {"type": "string"}}}
DELIVERIES_RESPONSE = {"type": "object", "required": ["webhook", "deliveries"], "properties": {
    "webhook": {"type": "string"}, "deliveries": {"type": "array", "items": DELIVERY}}}


def _dispatcher(request: Request) -> Dispatcher:
    dispatcher = services(request).webhooks
    if dispatcher is None:  # (an app always sets it; a REST-only test mount might not)
        raise ProtocolError("internal", "webhooks are not running on this server")
    return dispatcher


def check_url(url: str) -> str:
    """HTTPS anywhere; plain HTTP only to this machine (development and tests)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme == "https" and host:
        return url
    if parts.scheme == "http" and host:
        if host in LOCAL_HOSTS:
            return url
        try:
            if ipaddress.ip_address(host).is_loopback:
                return url
        except ValueError:
            pass
        raise ProtocolError("invalid_payload", "webhook URLs must use https (http only for localhost)", field="url")
    raise ProtocolError("invalid_payload", "'url' must be an absolute http(s) URL", field="url")


def check_events(events: list[Any]) -> list[str]:
    if not events:
        raise ProtocolError("invalid_payload", "'events' must name at least one event", field="events")
    for event in events:
        if event not in EVENTS:
            raise ProtocolError("invalid_payload", f"'events' may hold {', '.join(EVENTS)}; not {event!r}",
                                field="events")
    return sorted(set(events))


def public(hook: dict[str, Any], last: dict[str, Any] | None = None) -> dict[str, Any]:
    """A hook as REST shows it: never its secret; with its last delivery's outcome."""
    out = {k: hook[k] for k in ("id", "url", "events", "description", "created_at")}
    out["last_delivery"] = delivery_view(last) if last else None
    return out


def delivery_view(d: dict[str, Any]) -> dict[str, Any]:
    return {k: d.get(k) for k in ("id", "event", "event_id", "state", "attempts", "last_status", "last_error",
                                  "last_at", "next_at", "created_at")}


@describe("The app's webhooks, each with its last delivery", auth="operator", response=HOOKS_RESPONSE, tag="webhooks")
@endpoint
async def list_hooks(request: Request, who: Principal) -> Any:
    require_bot(who)
    hooks = _dispatcher(request).hooks
    out = []
    for hook in await hooks.list_hooks(who.app):
        last = await hooks.deliveries(who.app, hook["id"], 1)
        out.append(public(hook, last[0] if last else None))
    return {"webhooks": out}


@describe("Register a webhook; the reply carries its signing secret, shown this once", auth="bot", body=HOOK_BODY,
          response=CREATED_RESPONSE, status=201, tag="webhooks", writes=True)
@endpoint
async def create_hook(request: Request, who: Principal) -> Any:
    require_bot(who)
    body = HOOK_BODY(await json_body(request))
    svc = services(request)
    hooks = _dispatcher(request).hooks
    if len(await hooks.list_hooks(who.app)) >= MAX_HOOKS:
        raise ProtocolError("invalid_payload", f"an app may register at most {MAX_HOOKS} webhooks")
    hook: dict[str, Any] = {"id": "wh_" + secrets.token_hex(6), "app": who.app, "url": check_url(body["url"]),
            "events": check_events(body["events"]), "description": body["description"] or "",
            "secret": new_secret(), "created_at": svc.clock.now(), "active": True}
    await hooks.put_hook(hook)
    if "group.cooling" in hook["events"]:
        _dispatcher(request).watch_cooling()
    return JSONResponse({"webhook": public(hook), "secret": hook["secret"]}, status_code=201)


async def _hook(request: Request, who: Principal) -> dict[str, Any]:
    hook_id = request.path_params["hook"]
    for hook in await _dispatcher(request).hooks.list_hooks(who.app):
        if hook["id"] == hook_id:
            return hook
    raise ProtocolError("not_found", f"no webhook '{hook_id}'")


@describe("Delete a webhook and its queued deliveries", auth="bot", tag="webhooks", writes=True)
@endpoint
async def delete_hook(request: Request, who: Principal) -> Any:
    require_bot(who)
    hook = await _hook(request, who)
    await _dispatcher(request).hooks.delete_hook(who.app, hook["id"])
    return {"deleted": hook["id"]}


@describe("A webhook's recent deliveries, newest first", auth="operator", query=DELIVERIES_QUERY,
          response=DELIVERIES_RESPONSE, tag="webhooks")
@endpoint
async def hook_deliveries(request: Request, who: Principal) -> Any:
    require_bot(who)
    hook = await _hook(request, who)
    limit = query_params(request, DELIVERIES_QUERY)["limit"]
    items = await _dispatcher(request).hooks.deliveries(who.app, hook["id"], limit)
    return {"webhook": hook["id"], "deliveries": [delivery_view(d) for d in items]}


def routes() -> list[Route]:
    return [
        Route("/webhooks", list_hooks, methods=["GET"]),
        Route("/webhooks", create_hook, methods=["POST"]),
        Route("/webhooks/{hook}", delete_hook, methods=["DELETE"]),
        Route("/webhooks/{hook}/deliveries", hook_deliveries, methods=["GET"]),
    ]
