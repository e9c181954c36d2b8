"""Frames that create, run and watch rooms.

Tenancy: every room operation names the caller's app, and a member's group, to
``services.rooms`` (server/runtime), which refuses a room of another app or group as if it
did not exist, wherever the room lives. Members (player tokens) act only as themselves and
only in their token's group; bots act for any member of their app's groups.
"""
from __future__ import annotations

from typing import Any

from server import access
from server.handlers import Context, handler
from server.protocol import ProtocolError
from server.validate import Field, Id, Int, Map, Schema, Text


def _group(ctx: Context) -> str | None:
    return access.room_group(ctx.principal)


def _acting_player(ctx: Context, player: str | None, name: str | None = None) -> tuple[str, str]:
    return access.acting_member(ctx.principal, player, name)


async def _call(ctx: Context, room: str, op: str, args: dict[str, Any] | None = None) -> dict[str, Any]:
    return await ctx.services.rooms.call(ctx.principal.app, room, op, args, _group(ctx))


@handler("room.create", Schema(group=Id(), game=Id(), config=Map(required=False),
                               lang=Field(str, required=False, max_len=8), key=Id(required=False)), bots_only=True)
async def create(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    svc = ctx.services
    app = ctx.principal.app
    lang = data["lang"] or (await svc.store.get_group_settings(app, data["group"])).get(
        "lang", svc.settings.default_lang)
    room = await svc.rooms.create(app, data["group"], data["game"], data["config"] or {}, lang, key=data["key"])
    if ctx.session is not None:
        await svc.rooms.watch(app, room["id"], ctx.session, room["seq"])
    return {"room": room}


@handler("room.get", Schema(room=Id()))
async def get(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    return await _call(ctx, data["room"], "describe")


@handler("room.list", Schema(group=Id(required=False), live=Field(bool, required=False, default=False)))
async def list_rooms(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    p = ctx.principal
    group = data["group"] if p.is_bot else access.room_group(p)
    return {"rooms": await ctx.services.rooms.list(p.app, group, live_only=data["live"])}


@handler("room.join", Schema(room=Id(), player=Id(required=False), name=Text(64, required=False)))
async def join(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    player, name = _acting_player(ctx, data["player"], data["name"])
    out = await _call(ctx, data["room"], "join", {"player": player, "name": name})
    rooms = ctx.services.rooms
    if ctx.session is not None and not rooms.is_watching(ctx.session, data["room"]):
        await rooms.watch(ctx.principal.app, data["room"], ctx.session, out["room"]["seq"], _group(ctx))
    return out


@handler("room.leave", Schema(room=Id(), player=Id(required=False)))
async def leave(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    player, _ = _acting_player(ctx, data["player"])
    return await _call(ctx, data["room"], "leave", {"player": player})


@handler("room.start", Schema(room=Id()), bots_only=True)
async def start(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    return await _call(ctx, data["room"], "start")


@handler("room.act", Schema(room=Id(), player=Id(required=False), action=Map()))
async def act(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    player, _ = _acting_player(ctx, data["player"])
    return await _call(ctx, data["room"], "act", {"player": player, "action": data["action"]})


@handler("room.view", Schema(room=Id(), player=Id(required=False)))
async def view(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    viewer = access.viewer(ctx.principal, data["player"])
    return await _call(ctx, data["room"], "view", {"viewer": viewer})


@handler("room.watch", Schema(room=Id(), after=Int(required=False, default=None, min=0)))
async def watch(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    assert ctx.session is not None
    out = await ctx.services.rooms.watch(ctx.principal.app, data["room"], ctx.session, data["after"], _group(ctx))
    if out.get("behind"):  # the log no longer holds what it missed: the snapshot view instead
        viewer = access.viewer(ctx.principal, None)
        out["view"] = (await _call(ctx, data["room"], "view", {"viewer": viewer}))["view"]
    return out


@handler("room.unwatch", Schema(room=Id()))
async def unwatch(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    assert ctx.session is not None
    await ctx.services.rooms.record(ctx.principal.app, data["room"], _group(ctx))
    if not ctx.services.rooms.unwatch(data["room"], ctx.session):
        raise ProtocolError("not_watching", "this connection does not watch that room")
    return {}


@handler("room.announce", Schema(room=Id(), data=Map()), bots_only=True)
async def announce(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    return await _call(ctx, data["room"], "announce", {"data": data["data"]})


@handler("room.close", Schema(room=Id()), bots_only=True)
async def close(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    return await _call(ctx, data["room"], "close")
