"""Campfire for Discord servers, with discord.py 2.

Run: DISCORD_TOKEN=... CAMPFIRE_URL=ws://127.0.0.1:8765/ws CAMPFIRE_KEY=cf_... python campfire_bot.py

Each text channel is one Campfire "group": a game runs per channel, check-ins and
leaderboards are per channel too. Private messages (a player's word in Who's the Spy)
go out as DMs. Needs the Message Content intent (Developer Portal → Bot → Privileged
Gateway Intents), or the bot cannot read answers.
"""
from __future__ import annotations

import asyncio
import io
import os
import re
import sys
from pathlib import Path

import discord

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the SDK, when run from a checkout

from sdk import Client  # noqa: E402
from sdk.bridge import Bridge, IncomingMessage, OutgoingMessage, fetch_media  # noqa: E402

_MENTION = re.compile(r"<@!?(\d+)>")


class CampfireBot(discord.Client):
    def __init__(self, campfire: Client, *, lang: str = "zh", rate: float | None = None, burst: int | None = None,
                 media_base: str | None = None) -> None:
        intents = discord.Intents.default()
        intents.message_content = True
        super().__init__(intents=intents)
        # The pace defaults to a channel's message bucket (5 per 5 s); clips come as MP3.
        self.bridge = Bridge(campfire, lang=lang, platform="discord", rate=rate, burst=burst, media_base=media_base)
        self._relay: asyncio.Task[None] | None = None

    async def setup_hook(self) -> None:
        self._relay = asyncio.create_task(self.bridge.run(self.deliver))

    async def close(self) -> None:
        if self._relay is not None:
            self._relay.cancel()
        await self.bridge.close()
        await super().close()

    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or message.guild is None:
            return
        # "<@123>" reads as "@123" so "投 @someone" / "vote @someone" find the mention.
        text = _MENTION.sub(lambda m: "@" + m.group(1), message.content)
        mentions = tuple(str(u.id) for u in message.mentions)
        await self.bridge.handle(IncomingMessage(str(message.channel.id), str(message.author.id),
                                                 message.author.display_name, text, mentions))

    async def deliver(self, out: OutgoingMessage) -> None:
        if out.private and out.member:
            dm = await self.create_dm(discord.Object(id=int(out.member)))
            await dm.send(out.text)
            return
        channel = self.get_partial_messageable(int(out.group))
        if out.attachment:
            # A song clip: Discord takes no links as attachments, so upload the bytes (MP3 plays inline).
            data = await fetch_media(out.attachment)
            await channel.send(out.text, file=discord.File(io.BytesIO(data), f"clip.{out.attachment_type or 'mp3'}"))
            return
        await channel.send(out.text)


async def main() -> None:
    async with Client(os.environ.get("CAMPFIRE_URL", "ws://127.0.0.1:8765/ws"), os.environ["CAMPFIRE_KEY"]) as campfire:
        rate = os.environ.get("CAMPFIRE_RATE")
        bot = CampfireBot(campfire, lang=os.environ.get("CAMPFIRE_LANG", "en"), rate=float(rate) if rate else None,
                          media_base=os.environ.get("CAMPFIRE_HTTP"))
        async with bot:
            await bot.start(os.environ["DISCORD_TOKEN"])


if __name__ == "__main__":
    asyncio.run(main())
