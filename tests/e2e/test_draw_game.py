"""Draw & guess (你画我猜) through the real server: every member on their own connection,
strokes relayed in sequence, a late watcher redraws the whole picture from the log, and
no frame a guesser receives carries the word before they guessed it or the turn ended."""
from __future__ import annotations

import json
from typing import Any

import pytest

from games.draw import strokes as S
from sdk import Client
from server.clock import ManualClock
from server.run import EmbeddedServer
from tests.conftest import RawClient

MEMBERS = [("ann", "Ann"), ("bo", "Bo"), ("cy", "Cy")]


async def members(connect: Any, bot: Client, room: str) -> dict[str, RawClient]:
    """Each member on a JSON connection of their own (as the play page is), joined and watching."""
    out = {}
    for player, name in MEMBERS:
        raw = await connect(binary=False)
        token = await bot.mint_token("g1", player, name)
        assert (await raw.hello(token=token))["type"] == "welcome"
        assert (await raw.request("room.join", {"room": room}))["type"] == "ok"
        assert (await raw.request("room.watch", {"room": room, "after": 0}))["type"] == "ok"
        out[player] = raw
    return out


def secret_frames(raw: RawClient, word: str) -> list[dict[str, Any]]:
    """Frames that name ``word`` and came before this member was allowed to know it."""
    leaks = []
    for frame in raw.frames:
        data = frame.get("data") or {}
        if frame["type"] == "event" and data.get("kind") in ("you_guessed", "turn_over", "your_word"):
            break
        if word in json.dumps(frame, ensure_ascii=False):
            leaks.append(frame)
    return leaks


async def start_turn(bot: Client, clients: dict[str, RawClient], room: str) -> str:
    """Start the game; the drawer (ann) picks the first word. Returns the word."""
    await bot.start(room)
    await clients["ann"].drain()
    offer = clients["ann"].events("choose_word")
    assert offer, "the drawer was offered words"
    reply = await clients["ann"].request("room.act", {"room": room, "action": {"type": "choose", "index": 0}})
    assert reply["type"] == "ok"
    return str(offer[0]["data"]["options"][0])


@pytest.fixture
def seed_base() -> int:
    return 11


async def test_guessers_never_receive_the_word_before_they_guess_it_or_the_turn_ends(
        seeded_server: EmbeddedServer, connect: Any, clock: ManualClock, app_key: str) -> None:
    async with Client(seeded_server.url, app_key) as bot:
        for _ in range(4):
            room = (await bot.create_room("g1", "draw", {"draw_seconds": 40, "reveal_seconds": 0})).id
            clients = await members(connect, bot, room)
            word = await start_turn(bot, clients, room)
            ann, bo, cy = clients["ann"], clients["bo"], clients["cy"]
            await ann.request("room.act", {"room": room, "action": {"type": "stroke", "new": True, "p": [1, 2, 3, 4]}})
            await bo.request("room.act", {"room": room, "action": {"type": "guess", "text": "汽车"}})
            await cy.request("room.act", {"room": room, "action": {"type": "guess", "text": f"我猜是{word}吧"}})
            await clock.advance(20)  # a hint
            await bo.request("room.act", {"room": room, "action": {"type": "guess", "text": word}})
            await clock.advance(21)  # the turn ends for cy by time
            for raw in clients.values():
                await raw.drain()
            assert secret_frames(bo, word) == [] and secret_frames(cy, word) == []
            assert any(e["data"].get("word") == word for e in bo.events("you_guessed"))
            assert any(e["data"].get("word") == word for e in cy.events("turn_over"))
            assert all(f["data"]["kind"] != "guess" or word not in f["data"]["data"]["text"]
                       for f in bo.frames if f["type"] == "event")
            await bot.close_room(room)


async def test_a_late_watcher_redraws_the_whole_picture_from_the_log(
        seeded_server: EmbeddedServer, connect: Any, app_key: str) -> None:
    async with Client(seeded_server.url, app_key) as bot:
        room = (await bot.create_room("g1", "draw")).id
        clients = await members(connect, bot, room)
        await start_turn(bot, clients, room)
        ann = clients["ann"]
        for action in ({"type": "stroke", "new": True, "c": 2, "w": 8, "p": [10, 10, 20, 20]},
                       {"type": "stroke", "p": [30, 30]},
                       {"type": "stroke", "new": True, "p": [500, 500]},
                       {"type": "undo"},
                       {"type": "stroke", "new": True, "c": 5, "p": [700, 100, 710, 120]}):
            assert (await ann.request("room.act", {"room": room, "action": action}))["type"] == "ok"
        late = await connect(binary=False)
        token = await bot.mint_token("g1", "dee", "Dee")
        await late.hello(token=token)
        await late.request("room.watch", {"room": room, "after": 0})
        await late.drain()
        picture: dict[str, Any] = {"strokes": [], "points": 0}
        for event in late.events("stroke"):
            S.apply(picture, event["data"])
        view = (await late.request("room.view", {"room": room}))["data"]["view"]
        assert picture["strokes"] == view["picture"] == [
            {"c": 2, "w": 8, "p": [10, 10, 20, 20, 30, 30]}, {"c": 5, "w": 4, "p": [700, 100, 710, 120]}]


async def test_a_bad_stroke_is_refused_and_the_room_plays_on(
        seeded_server: EmbeddedServer, connect: Any, app_key: str) -> None:
    async with Client(seeded_server.url, app_key) as bot:
        room = (await bot.create_room("g1", "draw")).id
        clients = await members(connect, bot, room)
        word = await start_turn(bot, clients, room)
        ann, bo = clients["ann"], clients["bo"]
        bad = await ann.request("room.act", {"room": room, "action": {"type": "stroke", "p": [1, 2] * 65}})
        assert bad["type"] == "error" and bad["data"]["code"] == "stroke_too_long"
        right = await bo.request("room.act", {"room": room, "action": {"type": "guess", "text": word}})
        assert right["type"] == "ok"
