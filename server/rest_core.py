"""REST under /v1 for what a bot or an operator reads without a socket."""
from __future__ import annotations

import re
from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from games.registry import list_games
from server import access
from server.auth import Principal
from server.handlers.misc import update_group_settings
from server.openapi import describe
from server.protocol import ProtocolError
from server.rest import endpoint, json_body, query_params, require_bot, services
from server.validate import Id, Int, Schema, Text

_own_group = access.group
MONTH = re.compile(r"(\d{4})-(\d{2})")


ROOMS_QUERY = Schema(group=Id(required=False), live=Text(5, required=False), status=Text(16, required=False))
EVENTS_QUERY = Schema(after=Int(required=False, default=0, min=0, max=1 << 62),
                      limit=Int(required=False, default=500, min=1, max=5000))
CHECKIN_QUERY = Schema(month=Text(7, required=False))
GROUP_SETTINGS_BODY = {"type": "object", "maxProperties": 50,
                       "description": "group settings to merge in (docs/PROTOCOL.md, group.set)"}
APP_RESPONSE = {"type": "object", "required": ["app", "role", "read_only"], "properties": {
    "app": {"type": "object", "required": ["id", "name", "created_at"], "properties": {
        "id": {"type": "string"}, "name": {"type": "string"}, "created_at": {"type": "number"}}},
    "role": {"type": "string", "enum": ["bot", "player"]}, "read_only": {"type": "boolean"}}}
ROOMS_RESPONSE = {"type": "object", "required": ["rooms"], "properties": {"rooms": {"type": "array", "items": {
    "type": "object", "required": ["id", "group", "game", "status"]}}}}
EVENTS_RESPONSE = {"type": "object", "required": ["events"], "properties": {"events": {"type": "array", "items": {
    "type": "object", "required": ["seq", "kind", "data", "at"]}}}}
TOKEN_RESPONSE = {"type": "object", "required": ["token", "expires_at"],
                  "properties": {"token": {"type": "string"}, "expires_at": {"type": "number"}}}
GROUP_RESPONSE = {"type": "object", "required": ["group", "settings"],
                  "properties": {"group": {"type": "string"}, "settings": {"type": "object"}}}


@describe("The app the credential belongs to, and its role", auth="member", response=APP_RESPONSE)
@endpoint
async def get_app(request: Request, who: Principal) -> Any:
    app = await services(request).store.get_app(who.app)
    assert app is not None
    return {"app": {"id": app.id, "name": app.name, "created_at": app.created_at}, "role": who.role,
            "read_only": who.read_only}


@describe("The games this server runs, with their settings", auth="member")
@endpoint
async def get_games(request: Request, who: Principal) -> Any:
    return {"games": list_games()}


@describe("The app's rooms (a member: their group's)", auth="member", query=ROOMS_QUERY, response=ROOMS_RESPONSE,
          tag="rooms")
@endpoint
async def get_rooms(request: Request, who: Principal) -> Any:
    q = query_params(request, ROOMS_QUERY)
    group = q["group"] if who.is_bot else who.group
    live = (q["live"] or "false").lower() in ("1", "true", "yes")
    rooms = await services(request).rooms.list(who.app, group, live_only=live)
    return {"rooms": [r for r in rooms if q["status"] is None or r["status"] == q["status"]]}


@describe("One room and the caller's view of it", auth="member", tag="rooms")
@endpoint
async def get_room(request: Request, who: Principal) -> Any:
    # The same rule as room.view: a room of another group is, to a member, no room at all.
    return await services(request).rooms.view(who.app, request.path_params["room"], who.player,
                                              access.room_group(who))


@describe("A room's event log after a sequence number", auth="operator", query=EVENTS_QUERY,
          response=EVENTS_RESPONSE, tag="rooms")
@endpoint
async def get_room_events(request: Request, who: Principal) -> Any:
    require_bot(who)
    svc = services(request)
    room = await svc.rooms.record(who.app, request.path_params["room"])
    q = query_params(request, EVENTS_QUERY)
    events = await svc.store.read_events(room.id, q["after"], q["limit"])
    return {"events": [{"seq": e.seq, "kind": e.kind, "data": e.data, "to": e.to, "at": e.at} for e in events]}


@describe("A member's check-in streak and month calendar", auth="member", query=CHECKIN_QUERY, tag="checkins")
@endpoint
async def get_checkin(request: Request, who: Principal) -> Any:
    from games import checkin as rules

    group = request.path_params["group"]
    member = access.member_record(who, group, request.path_params["member"])
    svc = services(request)
    settings = await svc.store.get_group_settings(who.app, group)
    cfg = rules.CheckinConfig.from_settings({"timezone": settings.get("timezone", svc.settings.default_timezone),
                                             **settings.get("checkin", {})})
    today = rules.local_day(svc.clock.now(), cfg.timezone)
    month = query_params(request, CHECKIN_QUERY)["month"]  # YYYY-MM
    year, mon = today.year, today.month
    if month:
        # The same bounds as checkin.calendar's year and month (docs/PROTOCOL.md, "Limits").
        match = MONTH.fullmatch(month)
        if match is None or not 2000 <= int(match[1]) <= 2100 or not 1 <= int(match[2]) <= 12:
            raise ProtocolError("invalid_payload", "'month' must look like 2026-11 (years 2000..2100)",
                                field="month")
        year, mon = int(match[1]), int(match[2])
    record = await svc.store.get_checkin(who.app, group, member)
    current, longest = rules.streaks((record or {}).get("days", []), today)
    return {"member": member, "streak": current, "longest": longest,
            "total_points": (record or {}).get("total_points", 0),
            **rules.calendar(record, year, mon, today, cfg)}


TOKEN_BODY = Schema(group=Id(), player=Id(), name=Text(64, required=False), ttl=Int(required=False, min=60))


@describe("Mint a player token for a member of a group", auth="bot", body=TOKEN_BODY, response=TOKEN_RESPONSE,
          tag="tokens", writes=True)
@endpoint
async def post_token(request: Request, who: Principal) -> Any:
    require_bot(who)
    svc = services(request)
    body = TOKEN_BODY(await json_body(request))
    ttl = body["ttl"] or svc.settings.player_token_ttl
    if ttl > svc.settings.max_player_token_ttl:
        raise ProtocolError("invalid_payload", f"'ttl' must be at most {svc.settings.max_player_token_ttl}",
                            field="ttl")
    now = svc.clock.now()
    return {"token": svc.auth.mint(who.app, body["group"], body["player"], body["name"], ttl, now, who.key),
            "expires_at": now + ttl}


@describe("A group's settings (GET); merge new ones in (PUT, the app's key)", auth="member",
          body=GROUP_SETTINGS_BODY, response=GROUP_RESPONSE, tag="groups")
@endpoint
async def group_settings(request: Request, who: Principal) -> Any:
    group = request.path_params["group"]
    _own_group(who, group)
    store = services(request).store
    if request.method == "PUT":
        require_bot(who)
        body = await json_body(request)
        return {"group": group, "settings": await update_group_settings(store, who.app, group, body)}
    return {"group": group, "settings": await store.get_group_settings(who.app, group)}


def routes() -> list[Route]:
    return [
        Route("/app", get_app),
        Route("/games", get_games),
        Route("/rooms", get_rooms),
        Route("/rooms/{room}", get_room),
        Route("/rooms/{room}/events", get_room_events),
        Route("/checkins/{group}/{member}", get_checkin),
        Route("/tokens", post_token, methods=["POST"]),
        Route("/groups/{group}", group_settings, methods=["GET", "PUT"]),
    ]
