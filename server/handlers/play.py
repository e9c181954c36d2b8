"""Frames for the play page: minting launch links (``play.link``) and registering a Telegram
bot for Web Apps (``play.telegram``). docs/play.md explains both paths."""
from __future__ import annotations

from typing import Any

from server.handlers import Context, handler
from server.play.exchange import TELEGRAM_KEY_SETTING
from server.play.links import KEY_PURPOSE, Launch, sign
from server.play.origin import base_url
from server.play.telegram import webapp_key
from server.protocol import ProtocolError
from server.validate import Field, Id, Int, Schema, Text

MAX_LINK_TTL = 7 * 24 * 3600


@handler("play.link", Schema(group=Id(required=False), room=Id(required=False), player=Id(required=False),
                             name=Text(64, required=False), ttl=Int(required=False, min=60),
                             compact=Field(bool, required=False, default=False)), bots_only=True)
async def play_link(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    """A launch link for one member (``player``), or without ``player`` a group ticket that
    opens only with Telegram Web App data. With ``room`` the page opens that room; without,
    the group's page (check-in, boards, the live room)."""
    svc = ctx.services
    ttl = data["ttl"] or svc.settings.play_link_ttl
    if ttl > MAX_LINK_TTL:
        raise ProtocolError("invalid_payload", f"'ttl' must be at most {MAX_LINK_TTL}", field="ttl")
    group = data["group"]
    if data["room"] is not None:
        record = await svc.rooms.record(ctx.principal.app, data["room"])  # unknown_room if not this app's
        if group is not None and record.group != group:
            raise ProtocolError("invalid_payload", f"room '{data['room']}' is not in group '{group}'",
                                field="room")
        group = record.group
    elif group is None:
        raise ProtocolError("invalid_payload", "name a 'room' or a 'group'", field="group")
    now = svc.clock.now()
    launch = Launch(app=ctx.principal.app, group=group, room=data["room"], player=data["player"],
                    name=data["name"], expires_at=int(now + ttl), key=ctx.principal.key)
    ticket = sign(svc.auth.derive(KEY_PURPOSE), launch, compact=data["compact"])
    # The address the bot reached us at, when no public_url is set (docs/play.md).
    ws = getattr(ctx.session, "ws", None)
    base = base_url(svc.settings, ws.headers if ws is not None else {}, ws.url.scheme if ws is not None else "http")
    path = f"/play/{data['room']}" if data["room"] else "/play/"
    return {"url": f"{base}{path}#{ticket}", "ticket": ticket, "expires_at": launch.expires_at}


@handler("play.telegram", Schema(bot_token=Text(200)), bots_only=True)
async def play_telegram(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    """Lets the page trust Telegram Web App data signed with this bot's token. Only the key
    Telegram's algorithm derives from the token is stored, never the token."""
    token = data["bot_token"].strip()
    if ":" not in token:
        raise ProtocolError("invalid_payload", "that does not look like a Telegram bot token", field="bot_token")
    store = ctx.services.store
    app = await store.get_app(ctx.principal.app)
    settings = dict(app.settings) if app else {}
    settings[TELEGRAM_KEY_SETTING] = webapp_key(token).hex()
    await store.update_app_settings(ctx.principal.app, settings)
    return {"telegram": True, "bot_id": token.split(":", 1)[0]}
