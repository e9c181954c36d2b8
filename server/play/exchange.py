"""``POST /play/session``: a launch link (or a Telegram Web App's ``initData``) in, a player
token out.

The page calls this the moment it opens and then forgets the link, so the long-lived
credential it keeps (a player token, server/auth.py) never travels in a URL. The token's
lifetime is the server's ``player_token_ttl``: a link opened at the last second still gives
a full session. Every refusal is a stable code the page shows as a clear message.
"""
from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl

from server.play.links import KEY_PURPOSE, Launch, LinkRefused, read
from server.play.telegram import TelegramUser, check_init_data
from server.services import Services

TELEGRAM_KEY_SETTING = "telegram_webapp_key"
_ROOM_ID = re.compile(r"^[A-Za-z0-9_\-]{1,64}$")


async def open_session(svc: Services, body: dict[str, Any]) -> dict[str, Any]:
    """The session a launch opens, or LinkRefused. ``body``: ``link`` (the ticket), ``room``
    (the room in the page's address, if any) and ``telegram`` (initData, if opened by Telegram)."""
    now = svc.clock.now()
    init_data = body.get("telegram")
    ticket = body.get("link") or (_start_param(init_data) if init_data else None)
    if not ticket:
        raise LinkRefused("link_invalid", "open this page from the link the bot sent you")
    launch = read(svc.auth.derive(KEY_PURPOSE), ticket, now)
    room = body.get("room")
    if room is not None and (not isinstance(room, str) or not _ROOM_ID.match(room) or room != launch.room):
        raise LinkRefused("link_wrong_room", "this link is for another game: use the link sent for this one")
    player, name = launch.player, launch.name
    if player is None:
        user = await _telegram_user(svc, launch, init_data, now)
        player, name = user.id, user.name
    settings = await svc.store.get_group_settings(launch.app, launch.group)
    ttl = svc.settings.player_token_ttl
    if launch.key is not None and not await svc.auth.key_live(launch.app, launch.key):
        raise LinkRefused("link_invalid", "the bot's key that made this link has been revoked")
    token = svc.auth.mint(launch.app, launch.group, player, name, ttl, now, kid=launch.key)
    return {"token": token, "expires_at": now + ttl, "app": launch.app, "group": launch.group,
            "room": launch.room, "player": player, "name": name,
            "group_name": settings.get("name"), "lang": settings.get("lang") or svc.settings.default_lang}


async def _telegram_user(svc: Services, launch: Launch, init_data: Any, now: float) -> TelegramUser:
    """A group ticket names no member: Telegram's signed ``initData`` must say who it is."""
    if not init_data:
        raise LinkRefused("link_invalid", "this link opens only inside Telegram")
    app = await svc.store.get_app(launch.app)
    key_hex = (app.settings if app else {}).get(TELEGRAM_KEY_SETTING)
    if not key_hex:
        raise LinkRefused("telegram_invalid", "this app has not set up Telegram Web Apps")
    return check_init_data(init_data, bytes.fromhex(key_hex), now, svc.settings.telegram_max_age)


def _start_param(init_data: Any) -> str | None:
    """The ticket a Telegram direct link carries (``startapp=``), read before the signature is
    checked only to learn which app's key checks it; the ticket is itself signed by us."""
    if not isinstance(init_data, str):
        return None
    try:
        return dict(parse_qsl(init_data, keep_blank_values=True)).get("start_param")
    except ValueError:
        return None
