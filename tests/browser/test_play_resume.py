"""The page resumes exactly: after a reload (the session kept by the tab) and after the
connection drops while others play on (room.watch from the last sequence number seen)."""
from __future__ import annotations

from playwright.async_api import Page, expect

from sdk import Client
from server.clock import ManualClock
from server.run import EmbeddedServer
from tests.browser.play_helpers import Phone, open_members

QUIZ = {"questions": 2, "seconds": 20, "reveal_seconds": 0}


async def _screen(page: Page) -> dict[str, str]:
    """What the quiz screen says, less the countdown's digits (wall time passes in a browser)."""
    quiz = page.locator(".quiz")
    return {"phase": await quiz.get_attribute("data-phase") or "", "index": await quiz.get_attribute("data-index") or "",
            "question": await page.locator(".quiz .q-text").first.inner_text(),
            "mine": await page.locator(".quiz .mine").inner_text(),
            "status": await page.locator(".quiz > .status").inner_text(),
            "scores": await page.locator(".scores").inner_text()}


async def _answer(page: Page) -> None:
    if await page.locator(".choice").count():
        await page.locator(".choice").nth(1).click()
    else:
        await page.fill("input.answer", "a guess")
        await page.click(".say button")
    await expect(page.locator(".quiz .mine")).to_be_visible()


async def test_a_reload_mid_question_shows_exactly_the_same_screen(
        server: EmbeddedServer, clock: ManualClock, app_key: str, phone: Phone) -> None:
    async with Client(server.url, app_key) as bot:
        await bot.set_group("g1", {"lang": "en"})
        room = await bot.create_room("g1", "quiz", QUIZ)
        pages = await open_members(bot, phone, room.id, [("u1", "Alice"), ("u2", "Bob")])
        alice = pages["u1"]
        await bot.start(room.id)
        await expect(alice.locator(".quiz[data-phase='question']")).to_be_visible()
        await _answer(alice)
        before = await _screen(alice)
        await alice.reload()
        await expect(alice.locator(".quiz .mine")).to_be_visible()
        assert await _screen(alice) == before
        assert "#" not in alice.url  # the link's ticket is gone from the address


async def test_a_member_cut_off_mid_game_catches_up_from_the_last_event_seen(
        server: EmbeddedServer, clock: ManualClock, app_key: str, phone: Phone) -> None:
    async with Client(server.url, app_key) as bot:
        await bot.set_group("g1", {"lang": "en"})
        room = await bot.create_room("g1", "quiz", QUIZ)
        pages = await open_members(bot, phone, room.id, [("u1", "Alice"), ("u2", "Bob")])
        alice, bob = pages["u1"], pages["u2"]
        await bot.start(room.id)
        await expect(bob.locator(".quiz[data-index='0']")).to_be_visible()
        watches: list[str] = []
        bob.on("websocket", lambda ws: ws.on("framesent", lambda f: watches.append(f) if "room.watch" in f else None))
        for session in list(server.services.sessions):  # the network drops under Bob
            if session.principal is not None and session.principal.player == "u2":
                await session.ws.close()
        await expect(bob.locator("#net")).to_be_visible()
        await _answer(alice)  # the game goes on without Bob ...
        await clock.advance(21)  # ... the question times out and the next one is asked
        await expect(alice.locator(".quiz[data-index='1']")).to_be_visible()
        await expect(bob.locator(".quiz[data-index='1']")).to_be_visible()  # Bob is back, caught up
        await expect(bob.locator("#net")).to_be_hidden()
        assert len(watches) == 1 and '"after":' in watches[0]  # resumed from the seq it had seen
        assert await bob.locator(".scores .pts").all_inner_texts() == await alice.locator(".scores .pts").all_inner_texts()
