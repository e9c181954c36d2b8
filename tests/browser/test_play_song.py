"""The play page plays a song round: the clip plays in an <audio> element from the server's
media route, a wrong title is refused kindly, the right one wins the round (docs/games/song.md)."""
from __future__ import annotations

from playwright.async_api import expect

from sdk import Client
from server.clock import ManualClock
from server.run import EmbeddedServer
from tests.browser.play_helpers import Phone, open_members


async def test_a_member_hears_the_clip_gets_a_hint_and_names_the_song_on_the_page(
        server: EmbeddedServer, clock: ManualClock, app_key: str, phone: Phone) -> None:
    async with Client(server.url, app_key) as bot:
        await bot.set_group("g1", {"lang": "en"})
        room = await bot.create_room("g1", "song", {"rounds": 1, "reveal_seconds": 0})
        pages = await open_members(bot, phone, room.id, [("u1", "Alice"), ("u2", "Bob")])
        alice = pages["u1"]
        await bot.start(room.id)

        audio = alice.locator("audio.clip")
        await expect(audio).to_have_count(1)
        src = await audio.evaluate("a => a.currentSrc || a.src")
        assert "/media/clip/" in src  # a signed link that names no song (server/clips.py)
        response = await alice.request.get(src)
        assert response.status == 200 and response.headers["content-type"] == "audio/wav"
        body = await response.body()
        assert body[:4] == b"RIFF" and body[8:12] == b"WAVE"
        # Chromium itself decodes the clip: its length becomes known.
        await alice.wait_for_function("document.querySelector('audio.clip').readyState >= 1")
        assert await audio.evaluate("a => a.duration") > 1

        await clock.advance(11)  # the first hint is due after hint_seconds (10)
        await expect(alice.locator(".hints li")).to_have_count(1)
        await alice.fill("input.answer", "definitely not this title")
        await alice.click(".say button")
        await expect(alice.locator(".toast.error")).to_have_text("Not that one, try again")

        # The answer, read from the room's state on the server (the page never had it).
        title = server.services.rooms.local.rooms[room.id].data["state"]["songs"][0]["title"]
        await alice.fill("input.answer", title.get("en") or title["zh"])
        await alice.click(".say button")
        for page in pages.values():
            await expect(page.locator(".reveal .answer-line")).to_have_text("Alice (me) got it!" if page is alice
                                                                           else "Alice got it!")
            await expect(page.locator(".final li").first).to_contain_text("Alice")
