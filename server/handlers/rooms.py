"""Frames that create, run and watch rooms.

Tenancy: every lookup goes through ``rooms.get(app, id)``, which refuses a room of another
app as if it did not exist. Members (player tokens) act only as themselves and only in
their token's group; bots act for any member of their app's groups.
"""
from __future__ import annotations

from typing import Any

from server.handlers import Context, handler
from server.protocol import ProtocolError
from server.rooms import Room
from server.validate import Field, Id, Int, Map, Schema, Text


async def _room(ctx: Context, room_id: str) -> Room:
    room = await ctx.services.rooms.get(ctx.principal.app, room_id)
    p = ctx.principal
    if not p.is_bot and room.record.group != p.group:
        raise ProtocolError("unknown_room", f"no room '{room_id}'")
    return room


def _acting_player(ctx: Context, player: str | None, name: str | None = None) -> tuple[str, str]:
    """Bots name the member they relay for; members are always themselves."""
    p = ctx.principal
    if p.is_bot:
        if not player:
            raise ProtocolError("invalid_payload", "'player' is required when a bot acts for a member",
                                field="player")
        return player, name or player
    if player is not None and player != p.player:
        raise ProtocolError("forbidden", "a member can only act as themselves")
    assert p.player is not None
    return p.player, name or p.name or p.player


@handler("room.create", Schema(group=Id(), game=Id(), config=Map(required=False),
                               lang=Field(str, required=False, max_len=8)), bots_only=True)
async def create(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    svc = ctx.services
    lang = data["lang"] or (await svc.store.get_group_settings(ctx.principal.app, data["group"])).get(
        "lang", svc.settings.default_lang)
    room = await svc.rooms.create(ctx.principal.app, data["group"], data["game"], data["config"] or {}, lang)
    if ctx.session is not None:
        await svc.rooms.watch(room, ctx.session, room.data["seq"])
    return {"room": room.describe()}


@handler("room.get", Schema(room=Id()))
async def get(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    return {"room": (await _room(ctx, data["room"])).describe()}


@handler("room.list", Schema(group=Id(required=False), live=Field(bool, required=False, default=False)))
async def list_rooms(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    p = ctx.principal
    group = data["group"] if p.is_bot else p.group
    records = await ctx.services.store.list_rooms(p.app, group, live_only=data["live"])
    out = []
    for record in records:
        room = ctx.services.rooms.rooms.get(record.id)
        out.append(room.describe() if room else {
            "id": record.id, "group": record.group, "game": record.game, "status": record.status,
            "round": record.round})
    return {"rooms": out}


@handler("room.join", Schema(room=Id(), player=Id(required=False), name=Text(64, required=False)))
async def join(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    room = await _room(ctx, data["room"])
    player, name = _acting_player(ctx, data["player"], data["name"])
    await ctx.services.rooms.join(room, player, name)
    if ctx.session is not None and room.id not in ctx.session.watching:
        await ctx.services.rooms.watch(room, ctx.session, room.data["seq"])
    return {"room": room.describe()}


@handler("room.leave", Schema(room=Id(), player=Id(required=False)))
async def leave(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    room = await _room(ctx, data["room"])
    player, _ = _acting_player(ctx, data["player"])
    await ctx.services.rooms.leave(room, player)
    return {"room": room.describe()}


@handler("room.start", Schema(room=Id()), bots_only=True)
async def start(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    room = await _room(ctx, data["room"])
    await ctx.services.rooms.start(room)
    return {"room": room.describe()}


@handler("room.act", Schema(room=Id(), player=Id(required=False), action=Map()))
async def act(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    room = await _room(ctx, data["room"])
    player, _ = _acting_player(ctx, data["player"])
    events = await ctx.services.rooms.act(room, player, data["action"])
    return {"seq": events[-1].seq if events else room.data["seq"]}


@handler("room.view", Schema(room=Id(), player=Id(required=False)))
async def view(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    room = await _room(ctx, data["room"])
    p = ctx.principal
    viewer = data["player"] if p.is_bot else p.player
    if not p.is_bot and data["player"] not in (None, p.player):
        raise ProtocolError("forbidden", "a member can only see their own view")
    state = room.data["state"]
    game_view = room.game.view(state, viewer) if state is not None else None
    return {"room": room.describe(), "view": game_view}


@handler("room.watch", Schema(room=Id(), after=Int(required=False, default=None, min=0)))
async def watch(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    room = await _room(ctx, data["room"])
    assert ctx.session is not None
    after = room.data["seq"] if data["after"] is None else data["after"]
    last = await ctx.services.rooms.watch(room, ctx.session, after)
    return {"room": room.describe(), "seq": last}


@handler("room.unwatch", Schema(room=Id()))
async def unwatch(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    room = await _room(ctx, data["room"])
    assert ctx.session is not None
    if room.id not in ctx.session.watching:
        raise ProtocolError("not_watching", "this connection does not watch that room")
    ctx.services.rooms.unwatch(room, ctx.session)
    return {}


@handler("room.announce", Schema(room=Id(), data=Map()), bots_only=True)
async def announce(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    room = await _room(ctx, data["room"])
    events = await ctx.services.rooms.announce(room, data["data"])
    return {"seq": events[-1].seq}


@handler("room.close", Schema(room=Id()), bots_only=True)
async def close(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    room = await _room(ctx, data["room"])
    await ctx.services.rooms.close_room(room)
    return {"room": room.describe()}
