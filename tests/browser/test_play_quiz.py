"""The play page plays a quiz: two members open their launch links on phones, join, answer
every question by tapping or typing, and see the reveal and the final ranking (docs/play.md)."""
from __future__ import annotations

from typing import Awaitable, Callable

from playwright.async_api import Page, expect

from sdk import Client
from server.clock import ManualClock
from server.run import EmbeddedServer


async def _answer(page: Page, text: str) -> None:
    choices = page.locator(".choice")
    if await choices.count():
        await choices.first.click()
    else:
        await page.fill("input.answer", text)
        await page.click(".say button")


async def test_two_members_play_a_quiz_to_the_end_from_launch_links(
        server: EmbeddedServer, clock: ManualClock, app_key: str, phone: Callable[[], Awaitable[Page]]) -> None:
    async with Client(server.url, app_key) as bot:
        await bot.set_group("g1", {"lang": "en"})
        room = await bot.create_room("g1", "quiz", {"questions": 3, "seconds": 20, "reveal_seconds": 0})
        alice, bob = await phone(), await phone()
        await alice.goto(await bot.play_link(room.id, "u1", "Alice"))
        await bob.goto(await bot.play_link(room.id, "u2", "Bob"))
        await alice.click("#join")
        await bob.click("#join")
        await expect(alice.locator(".players li")).to_have_count(2)
        await bot.start(room.id)
        for n in range(3):
            for page in (alice, bob):
                await expect(page.locator(f".quiz[data-index='{n}'][data-phase='question']")).to_be_visible()
            await clock.advance(1)
            await _answer(alice, "x")
            await _answer(bob, "y")
        over = await bot.next_event("game_over", timeout=5)
        assert over.result is not None
        final = {p.player: p.score for p in over.result.players}
        for page in (alice, bob):
            await expect(page.locator(".final")).to_be_visible()
            ranked = page.locator(".final li")
            await expect(ranked).to_have_count(2)
        first = alice.locator(".final li").first
        winner = max(final, key=lambda p: final[p])
        await expect(first.locator(".pts")).to_have_text(str(final[winner]))
