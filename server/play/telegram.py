"""Telegram Web Apps: checking the ``initData`` a Telegram client hands the page.

When a Telegram bot opens the play page as a Web App, the Telegram client appends
``#tgWebAppData=<initData>`` to the URL. ``initData`` is a query string signed by Telegram
with the bot's token, as Telegram documents ("Validating data received via the Mini App"):

    secret_key       = HMAC_SHA256(key="WebAppData", message=bot_token)
    data_check_string = every field except ``hash``, as ``key=value``, sorted, joined by "\\n"
    valid             = hex(HMAC_SHA256(key=secret_key, message=data_check_string)) == hash

so a valid ``initData`` proves which Telegram user opened the page, and the bot need not mint a
link per member. The server never needs the bot token itself: it keeps only ``secret_key``
(``webapp_key``), which can check (or forge) Web App data but cannot drive the bot.

``auth_date`` must be recent (``max_age``): a captured ``initData`` is not a credential forever.
"""
from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from urllib.parse import parse_qsl

from server.play.links import LinkRefused

MAX_INIT_DATA_CHARS = 4096


@dataclass(frozen=True, slots=True)
class TelegramUser:
    """The member Telegram vouches for: ``id`` is Telegram's user id, as a string (the member id
    the chat bridges use for Telegram)."""

    id: str
    name: str
    language: str | None
    start_param: str | None


def webapp_key(bot_token: str) -> bytes:
    """The secret Telegram's algorithm derives from a bot token (what the server stores)."""
    return hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()


def check_init_data(init_data: object, key: bytes, now: float, max_age: float) -> TelegramUser:
    """The user a Web App's ``initData`` names, or LinkRefused ``telegram_invalid`` (not signed by
    this bot's token, altered, malformed, no user) or ``telegram_expired`` (``auth_date`` older
    than ``max_age`` seconds)."""
    if not isinstance(init_data, str) or not init_data or len(init_data) > MAX_INIT_DATA_CHARS:
        raise LinkRefused("telegram_invalid", "no Telegram Web App data")
    try:
        fields = dict(parse_qsl(init_data, keep_blank_values=True, strict_parsing=True))
    except ValueError:
        raise LinkRefused("telegram_invalid", "Telegram Web App data is malformed") from None
    given = fields.pop("hash", "")
    check_string = "\n".join(f"{k}={v}" for k, v in sorted(fields.items()))
    expected = hmac.new(key, check_string.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise LinkRefused("telegram_invalid", "Telegram Web App data is not signed by this app's bot")
    try:
        auth_date = int(fields["auth_date"])
        user = json.loads(fields["user"])
        user_id = int(user["id"])
    except (KeyError, ValueError, TypeError):
        raise LinkRefused("telegram_invalid", "Telegram Web App data names no user") from None
    if now - auth_date > max_age:
        raise LinkRefused("telegram_expired", "this Telegram Web App session is too old: open it again")
    name = " ".join(str(user.get(k) or "") for k in ("first_name", "last_name")).strip()
    name = name or str(user.get("username") or user_id)
    lang = user.get("language_code")
    return TelegramUser(id=str(user_id), name=name[:64], language=lang if isinstance(lang, str) else None,
                        start_param=fields.get("start_param"))
