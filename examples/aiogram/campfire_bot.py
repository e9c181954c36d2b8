"""Campfire for Telegram groups, with aiogram 3.

Run: TELEGRAM_TOKEN=... CAMPFIRE_URL=ws://127.0.0.1:8765/ws CAMPFIRE_KEY=cf_... python campfire_bot.py

Every text message in a group goes to the Campfire chat bridge; whatever the bridge says
is sent back with ``bot.send_message``. Private messages (a player's word in Who's the
Spy) go to the member's own chat with the bot, which Telegram allows only once the member
has opened the bot and pressed Start.
"""
from __future__ import annotations

import asyncio
import os
import re
import sys
from pathlib import Path
from typing import Awaitable, Callable

from aiogram import Bot, Dispatcher, F, Router
from aiogram.enums import ChatType, MessageEntityType
from aiogram.types import Message

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the SDK, when run from a checkout

from sdk import Client  # noqa: E402
from sdk.bridge import Bridge, IncomingMessage, OutgoingMessage  # noqa: E402

router = Router(name="campfire")
_BOT_SUFFIX = re.compile(r"^(/\w+)@\w+")  # "/quiz@my_bot" in groups with several bots


@router.message(F.chat.type.in_({ChatType.GROUP, ChatType.SUPERGROUP}), F.text)
async def on_group_text(message: Message, bridge: Bridge) -> None:
    user = message.from_user
    if user is None or user.is_bot:
        return
    mentions = tuple(str(e.user.id) for e in (message.entities or ())
                     if e.type == MessageEntityType.TEXT_MENTION and e.user is not None)
    text = _BOT_SUFFIX.sub(r"\1", message.text or "")
    await bridge.handle(IncomingMessage(str(message.chat.id), str(user.id), user.full_name, text, mentions))


def sender(bot: Bot) -> Callable[[OutgoingMessage], Awaitable[None]]:
    async def send(out: OutgoingMessage) -> None:
        chat_id = int(out.member) if out.private and out.member else int(out.group)
        await bot.send_message(chat_id, out.text)

    return send


def build(bot: Bot, client: Client, *, lang: str = "zh", rate: float = 1.0, burst: int = 2) -> tuple[Dispatcher, Bridge]:
    """The dispatcher with the Campfire router, and the bridge it hands to handlers."""
    bridge = Bridge(client, lang=lang, rate=rate, burst=burst)
    dp = Dispatcher(bridge=bridge)  # workflow data: injected into handlers as `bridge`
    dp.include_router(router)
    return dp, bridge


async def main() -> None:
    bot = Bot(os.environ["TELEGRAM_TOKEN"])
    async with Client(os.environ.get("CAMPFIRE_URL", "ws://127.0.0.1:8765/ws"), os.environ["CAMPFIRE_KEY"]) as client:
        dp, bridge = build(bot, client, lang=os.environ.get("CAMPFIRE_LANG", "zh"),
                           rate=float(os.environ.get("CAMPFIRE_RATE", "1.0")))
        relay = asyncio.create_task(bridge.run(sender(bot)))
        try:
            await dp.start_polling(bot)
        finally:
            relay.cancel()
            await bridge.close()


if __name__ == "__main__":
    asyncio.run(main())
