"""Campfire for Telegram groups, with aiogram 3.

Run: TELEGRAM_TOKEN=... CAMPFIRE_URL=ws://127.0.0.1:8765/ws CAMPFIRE_KEY=cf_... python campfire_bot.py

Every text message in a group goes to the Campfire chat bridge; whatever the bridge says
is sent back with ``bot.send_message``. Private messages (a player's word in Who's the
Spy) go to the member's own chat with the bot, which Telegram allows only once the member
has opened the bot and pressed Start.
"""
from __future__ import annotations

import asyncio
import logging
import os
import re
import sys
from pathlib import Path
from typing import Awaitable, Callable

from aiogram import Bot, Dispatcher, F, Router
from aiogram.enums import ChatType, MessageEntityType
from aiogram.filters import Command
from aiogram.types import BotCommand, BotCommandScopeAllGroupChats, BufferedInputFile, InlineKeyboardMarkup, Message

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the SDK, when run from a checkout

from sdk import Client  # noqa: E402
from sdk.bridge import COMMANDS, Bridge, DeliveryFailed, IncomingMessage, OutgoingMessage, fetch_media  # noqa: E402
from sdk.bridge.commands import help_text  # noqa: E402

# A button under a group message (the play page as a Web App, when the server offers one):
# return None for plain text. Left as a hook for the play page's launch links.
Keyboard = Callable[[OutgoingMessage], Awaitable[InlineKeyboardMarkup | None]]

router = Router(name="campfire")
router.message.filter(F.chat.type.in_({ChatType.GROUP, ChatType.SUPERGROUP}), F.text)
_BOT_SUFFIX = re.compile(r"^(/\w+)@(\w+)")  # "/quiz@my_bot" in groups with several bots

# Telegram's command menu: the bridge's English slash commands, described per language.
MENU = [c for c in COMMANDS if any(w.startswith("/") for w in c.en)]
SLASH = [next(w for w in c.en if w.startswith("/"))[1:] for c in MENU]


async def _incoming(message: Message, bot: Bot) -> IncomingMessage | None:
    user = message.from_user
    if user is None or user.is_bot:
        return None
    addressed = _BOT_SUFFIX.match(message.text or "")
    if addressed and addressed.group(2).casefold() != ((await bot.me()).username or "").casefold():
        return None  # "/checkin@another_bot": that bot's command, not ours
    mentions = tuple(str(e.user.id) for e in (message.entities or ())
                     if e.type == MessageEntityType.TEXT_MENTION and e.user is not None)
    text = _BOT_SUFFIX.sub(r"\1", message.text or "")
    return IncomingMessage(str(message.chat.id), str(user.id), user.full_name, text, mentions)


@router.message(Command(*SLASH))  # /quiz, /quiz@this_bot (aiogram checks the mention is us), /board quiz
async def on_command(message: Message, bot: Bot, bridge: Bridge) -> None:
    incoming = await _incoming(message, bot)
    if incoming is not None:
        await bridge.handle(incoming)


@router.message()
async def on_group_text(message: Message, bot: Bot, bridge: Bridge) -> None:
    """Everything else: answers ("A"), descriptions, guesses and the Chinese commands (答题)."""
    incoming = await _incoming(message, bot)
    if incoming is not None:
        await bridge.handle(incoming)


async def set_commands(bot: Bot) -> None:
    """Fill Telegram's command menu for groups, in English and (for Chinese clients) Chinese."""
    scope = BotCommandScopeAllGroupChats()
    for lang in ("en", "zh"):
        commands = [BotCommand(command=name, description=help_text(c, lang)) for name, c in zip(SLASH, MENU)]
        await bot.set_my_commands(commands, scope=scope, language_code=None if lang == "en" else lang)


def sender(bot: Bot, keyboard: Keyboard | None = None) -> Callable[[OutgoingMessage], Awaitable[None]]:
    async def send(out: OutgoingMessage) -> None:
        chat_id = int(out.member) if out.private and out.member else int(out.group)
        if out.attachment:
            # A song clip: OGG/Opus goes out as a voice message. Telegram fetches a public
            # https link itself; a server it cannot reach (a local demo) is uploaded.
            voice = out.attachment if out.attachment.startswith("https://") else BufferedInputFile(
                await fetch_media(out.attachment), f"clip.{out.attachment_type or 'ogg'}")
            if out.attachment_type == "ogg":
                await bot.send_voice(chat_id, voice, caption=out.text[:1024])
            else:
                await bot.send_audio(chat_id, voice, caption=out.text[:1024])
            return
        markup = await keyboard(out) if keyboard is not None and not out.private else None
        await bot.send_message(chat_id, out.text, reply_markup=markup)

    return send


def report_failure(failure: DeliveryFailed) -> None:
    """A message Telegram would not take even after waiting: log it (a real bot might alert)."""
    logging.getLogger("campfire.example").error("not delivered to %s: %s (%r)", failure.message.destination,
                                                failure.message.text[:80], failure.error)


def build(bot: Bot, client: Client, *, lang: str = "zh", rate: float | None = None, burst: int | None = None,
          media_base: str | None = None) -> tuple[Dispatcher, Bridge]:
    """The dispatcher with the Campfire router, and the bridge it hands to handlers. The pace
    defaults to Telegram's group limit (20 messages a minute); clips come as OGG/Opus."""
    bridge = Bridge(client, lang=lang, platform="telegram", rate=rate, burst=burst, media_base=media_base,
                    on_delivery_failed=report_failure)
    dp = Dispatcher(bridge=bridge)  # workflow data: injected into handlers as `bridge`
    dp.include_router(router)
    return dp, bridge


async def main() -> None:
    bot = Bot(os.environ["TELEGRAM_TOKEN"])
    async with Client(os.environ.get("CAMPFIRE_URL", "ws://127.0.0.1:8765/ws"), os.environ["CAMPFIRE_KEY"]) as client:
        rate = os.environ.get("CAMPFIRE_RATE")
        dp, bridge = build(bot, client, lang=os.environ.get("CAMPFIRE_LANG", "zh"),
                           rate=float(rate) if rate else None, media_base=os.environ.get("CAMPFIRE_HTTP"))
        await set_commands(bot)
        relay = asyncio.create_task(bridge.run(sender(bot)))
        try:
            await dp.start_polling(bot)
        finally:
            relay.cancel()
            await bridge.close()


if __name__ == "__main__":
    asyncio.run(main())
