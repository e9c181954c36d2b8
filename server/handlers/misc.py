"""Small frames: ping, the games catalogue, group settings and player tokens."""
from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from games.registry import list_games
from server import access
from server.handlers import Context, handler
from server.protocol import ProtocolError
from server.records import change_atomically
from server.store import Store
from server.validate import Field, Id, Int, Map, Schema, Text, check_free_form

GROUP_SETTINGS = {"timezone": str, "lang": str, "script": str, "checkin": dict, "name": str, "recent": dict,
                  "health": dict, "roster": dict}
MAX_RECENT_WINDOW = 1000


@handler("ping", Schema(t=Field((int, float, str), required=False)))
async def ping(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    return {"t": data["t"], "now": ctx.services.clock.now()}


@handler("games.list", Schema())
async def games(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    return {"games": list_games()}


@handler("token.mint", Schema(group=Id(), player=Id(), name=Text(64, required=False),
                              ttl=Int(required=False, min=60)), bots_only=True)
async def mint(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    svc = ctx.services
    ttl = data["ttl"] or svc.settings.player_token_ttl
    if ttl > svc.settings.max_player_token_ttl:
        raise ProtocolError("invalid_payload", f"'ttl' must be at most {svc.settings.max_player_token_ttl}",
                            field="ttl")
    now = svc.clock.now()
    token = svc.auth.mint(ctx.principal.app, data["group"], data["player"], data["name"], ttl, now,
                           ctx.principal.key)
    return {"token": token, "expires_at": now + ttl}


def check_group_settings(settings: dict[str, Any]) -> dict[str, Any]:
    check_free_form("settings", settings)  # a REST body reaches here without a Schema
    for key, value in settings.items():
        kind = GROUP_SETTINGS.get(key)
        if kind is None:
            raise ProtocolError("invalid_payload", f"unknown group setting '{key}'", field=key)
        if not isinstance(value, kind):
            raise ProtocolError("invalid_payload", f"'{key}' must be {kind.__name__}", field=key)
    if "timezone" in settings:
        try:
            ZoneInfo(settings["timezone"])
        except (ZoneInfoNotFoundError, ValueError):
            raise ProtocolError("invalid_payload", f"unknown timezone '{settings['timezone']}'",
                                field="timezone") from None
    for game, window in settings.get("recent", {}).items():
        if not isinstance(window, int) or isinstance(window, bool) or not 0 <= window <= MAX_RECENT_WINDOW:
            raise ProtocolError("invalid_payload", f"recent.{game} must be a whole number 0..{MAX_RECENT_WINDOW}",
                                field="recent")
    if "health" in settings:
        from server.scoring.health_settings import validate

        try:
            settings["health"] = {k: v for k, v in validate(settings["health"]).items() if v is not None}
        except ValueError as exc:
            raise ProtocolError("invalid_payload", f"health: {exc.args[1]}", field="health") from None
    if "lang" in settings and settings["lang"] not in ("zh", "en"):
        raise ProtocolError("invalid_payload", "'lang' must be 'zh' or 'en'", field="lang")
    if "script" in settings and settings["script"] not in ("simplified", "traditional"):
        raise ProtocolError("invalid_payload", "'script' must be 'simplified' or 'traditional'", field="script")
    if "checkin" in settings:
        from games.base import ConfigError
        from games.checkin import CheckinConfig

        try:
            CheckinConfig.from_settings({"timezone": settings.get("timezone", "Asia/Shanghai"),
                                         **settings["checkin"]})
        except ConfigError as exc:
            raise ProtocolError("invalid_payload", f"checkin: {exc}", field="checkin",
                                problems=exc.problems) from None
    return settings


@handler("group.get", Schema(group=Id()))
async def group_get(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    p = ctx.principal
    access.group(p, data["group"])
    return {"group": data["group"], "settings": await ctx.services.store.get_group_settings(p.app, data["group"])}


@handler("group.set", Schema(group=Id(), settings=Map()), bots_only=True)
async def group_set(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    merged = await update_group_settings(ctx.services.store, ctx.principal.app, data["group"], data["settings"])
    return {"group": data["group"], "settings": merged}


async def update_group_settings(store: Store, app: str, group: str, changes: dict[str, Any]) -> dict[str, Any]:
    """Merge ``changes`` into the group's settings, checked, in one atomic change: two bots
    setting different keys at once both keep theirs (server/records.py)."""
    async def attempt() -> dict[str, Any]:
        current, version = await store.load_group_settings(app, group)
        merged = check_group_settings({**current, **changes})
        await store.set_group_settings(app, group, merged, version=version)
        return merged

    return await change_atomically(attempt)
