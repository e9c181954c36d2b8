"""Campfire for Discord servers, with discord.py 2.

Run: DISCORD_TOKEN=... CAMPFIRE_URL=ws://127.0.0.1:8765/ws CAMPFIRE_KEY=cf_... python campfire_bot.py

Each text channel is one Campfire "group": a game runs per channel, check-ins and
leaderboards are per channel too. Private messages (a player's word in Who's the Spy)
go out as DMs. Needs the Message Content intent (Developer Portal → Bot → Privileged
Gateway Intents), or the bot cannot read answers.
"""
from __future__ import annotations

import asyncio
import os
import re
import sys
from pathlib import Path

import discord

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the SDK, when run from a checkout

from sdk import Client  # noqa: E402
from sdk.bridge import Bridge, IncomingMessage, OutgoingMessage  # noqa: E402

_MENTION = re.compile(r"<@!?(\d+)>")


class CampfireBot(discord.Client):
    def __init__(self, campfire: Client, *, lang: str = "zh", rate: float = 1.0, burst: int = 2) -> None:
        intents = discord.Intents.default()
        intents.message_content = True
        super().__init__(intents=intents)
        self.bridge = Bridge(campfire, lang=lang, rate=rate, burst=burst)
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
        else:
            await self.get_partial_messageable(int(out.group)).send(out.text)


async def main() -> None:
    async with Client(os.environ.get("CAMPFIRE_URL", "ws://127.0.0.1:8765/ws"), os.environ["CAMPFIRE_KEY"]) as campfire:
        bot = CampfireBot(campfire, lang=os.environ.get("CAMPFIRE_LANG", "en"),
                          rate=float(os.environ.get("CAMPFIRE_RATE", "1.0")))
        async with bot:
            await bot.start(os.environ["DISCORD_TOKEN"])


if __name__ == "__main__":
    asyncio.run(main())
