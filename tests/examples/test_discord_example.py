"""The discord.py example: constructed Messages dispatched through the client's own event
machinery (``dispatch("message")`` → ``on_message``), its HTTP client replaced by one that
records the REST calls, against a real Campfire server."""
from __future__ import annotations

import asyncio
import importlib.util
import itertools
from pathlib import Path
from typing import Any

import discord  # noqa: E402
import pytest
from discord.http import Route  # noqa: E402
from example_helpers import Outbox, Sent, play_quiz, start_spy_with_four  # noqa: E402

from sdk import Client  # noqa: E402

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "discord" / "campfire_bot.py"
GUILD_ID, CHANNEL_ID, BOT_ID = 9000, 9100, 1
USERS = {"111": "Alice", "222": "Bob", "333": "Carol", "444": "Dave"}
_ids = itertools.count(50_000)


def _load_example() -> Any:
    spec = importlib.util.spec_from_file_location("campfire_discord_example", EXAMPLE)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _user(uid: int, name: str, bot: bool = False) -> dict[str, Any]:
    return {"id": str(uid), "username": name, "global_name": name, "discriminator": "0", "avatar": None,
            "bot": bot}


def _message(channel_id: int, author: dict[str, Any], content: str, guild: bool = True) -> dict[str, Any]:
    data = {"id": str(next(_ids)), "channel_id": str(channel_id), "author": author, "content": content,
            "timestamp": "2026-01-01T00:00:00+00:00", "edited_timestamp": None, "tts": False,
            "mention_everyone": False, "mentions": [], "mention_roles": [], "attachments": [], "embeds": [],
            "pinned": False, "type": 0}
    if guild:
        data["guild_id"] = str(GUILD_ID)
    return data


def install_recording_http(client: discord.Client, outbox: Outbox) -> None:
    """Discord's REST API, as far as the example uses it: send a message, open a DM."""
    dm_channels: dict[str, str] = {}

    async def request(route: Route, **kwargs: Any) -> Any:
        if route.method == "POST" and route.path == "/users/@me/channels":
            user = str(kwargs["json"]["recipient_id"])
            channel = dm_channels.setdefault(user, str(next(_ids)))
            return {"id": channel, "type": 1, "recipients": [_user(int(user), USERS.get(user, user))]}
        if route.method == "POST" and route.path == "/channels/{channel_id}/messages":
            channel = str(route.channel_id)
            dm_for = next((u for u, c in dm_channels.items() if c == channel), None)
            text = kwargs["json"]["content"]
            await outbox.add(Sent(dm_for or channel, text, private=dm_for is not None))
            return _message(int(channel), _user(BOT_ID, "campfire", bot=True), text, guild=dm_for is None)
        raise AssertionError(f"unexpected Discord call {route.method} {route.path}")

    client.http.request = request  # type: ignore[method-assign]


def channel_message(client: discord.Client, member: str, text: str) -> discord.Message:
    state = client._connection
    guild = state._get_guild(GUILD_ID)
    channel = guild.get_channel(CHANNEL_ID)
    return discord.Message(state=state, channel=channel, data=_message(CHANNEL_ID, _user(int(member), USERS[member]), text))


@pytest.fixture
async def discord_bot(server, app_key):
    example = _load_example()
    outbox = Outbox()
    async with Client(server.url, app_key) as campfire:
        bot = example.CampfireBot(campfire, lang="zh", rate=1000.0, burst=1000)
        await bot._async_setup_hook()
        install_recording_http(bot, outbox)
        state = bot._connection
        guild = discord.Guild(data={"id": str(GUILD_ID), "name": "Campfire test", "channels": [
            {"id": str(CHANNEL_ID), "type": 0, "name": "games", "position": 0, "guild_id": str(GUILD_ID)}]},
            state=state)
        state._add_guild(guild)
        await bot.setup_hook()

        async def say(member: str, text: str) -> None:
            bot.dispatch("message", channel_message(bot, member, text))
            handlers = [t for t in asyncio.all_tasks() if t.get_name() == "discord.py: on_message"]
            await asyncio.gather(*handlers)

        yield say, outbox
        if bot._relay:
            bot._relay.cancel()
        await bot.bridge.close()


async def test_a_whole_quiz_and_a_checkin_in_a_discord_channel(discord_bot, clock) -> None:
    say, outbox = discord_bot
    final = await play_quiz(say, outbox, clock, questions=5)
    assert final.chat == str(CHANNEL_ID)
    assert "Alice" in final.text and "Bob" in final.text
    await say("222", "签到")
    assert (await outbox.expect("Bob：签到成功")).chat == str(CHANNEL_ID)


async def test_spy_words_arrive_as_direct_messages(discord_bot, clock) -> None:
    say, outbox = discord_bot
    words = await start_spy_with_four(say, outbox, fourth_seat="4号Dave")
    assert set(words) == set(USERS)
