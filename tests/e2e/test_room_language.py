"""Content never mixes languages unless the group asks: a room takes its language from the
group's settings, and its quiz questions and spy words follow the room's language."""
from __future__ import annotations

from sdk import Client
from server.run import EmbeddedServer


def _state(server: EmbeddedServer, room: str) -> dict:
    return server.services.rooms.rooms[room].data


async def test_a_quiz_in_an_english_group_asks_only_english_questions(server: EmbeddedServer, app_key: str) -> None:
    async with Client(server.url, app_key) as bot:
        await bot.set_group("g-en", {"lang": "en"})
        room = await bot.create_room("g-en", "quiz", {"questions": 10})
        assert room.lang == "en" and room.config["lang"] == "en"
        await bot.join(room.id, "u1", "Ann")
        await bot.start(room.id)
        langs = {q["lang"] for q in _state(server, room.id)["state"]["questions"]}
        assert langs == {"en"}


async def test_spy_words_follow_the_rooms_language_by_default(server: EmbeddedServer, app_key: str) -> None:
    async with Client(server.url, app_key) as bot:
        room = await bot.create_room("g-zh", "spy", lang="zh")
        assert room.config["lang"] == "zh"


async def test_a_group_that_asks_for_mixed_questions_gets_them(server: EmbeddedServer, app_key: str) -> None:
    async with Client(server.url, app_key) as bot:
        room = await bot.create_room("g-mix", "quiz", {"questions": 10, "lang": "any"}, lang="zh")
        assert room.config["lang"] == "any"
