"""With ``play_links``, the bridge sends each member who opens or joins a game their own play-page
link, privately; the link opens that room as that member (docs/play.md)."""
from __future__ import annotations

import asyncio
from typing import AsyncIterator

import httpx
import pytest

from sdk import Client
from sdk.bridge import Bridge
from server.run import EmbeddedServer
from tests.bridge.conftest import Chat, FakeTime


@pytest.fixture
async def linked_chat(bot: Client, fake_time: FakeTime) -> AsyncIterator[Chat]:
    bridge = Bridge(bot, lang="en", burst=1000, clock=fake_time.clock, sleep=fake_time.sleep, play_links=True)
    c = Chat(bridge)
    task = asyncio.create_task(bridge.run(c.send))
    yield c
    task.cancel()
    await bridge.close()


async def test_opening_and_joining_a_game_send_each_member_a_private_link_to_the_room(
        linked_chat: Chat, server: EmbeddedServer) -> None:
    await linked_chat.say("alice", "/quiz")
    to_alice = await linked_chat.expect("/play/room_", private_to="alice")
    await linked_chat.say("bob", "/join")
    to_bob = await linked_chat.expect("/play/room_", private_to="bob")
    assert not [m for m in linked_chat.sent if "/play/" in m.text and not m.private]  # never to the group
    for message, member in ((to_alice, "alice"), (to_bob, "bob")):
        url = message.text.split(": ", 1)[1]
        room = url.split("/play/", 1)[1].split("#", 1)[0]
        async with httpx.AsyncClient(base_url=server.http) as http:
            session = (await http.post("/play/session", json={"link": url.split("#", 1)[1], "room": room})).json()
        assert (session["player"], session["room"]) == (member, room)


async def test_without_play_links_the_bridge_sends_no_link(chat: Chat) -> None:
    await chat.say("alice", "答题")
    await chat.expect("答题开房啦")
    await chat.say("bob", "加入")
    await chat.expect("2号Bob 加入")
    assert not [m for m in chat.sent if "/play/" in m.text]
