"""The play page plays Who's the Spy: four members on phones see only their own word, describe
in turn, vote by tapping a player, go through a PK after a tied vote, and see the final reveal
(docs/games/spy.md, docs/play.md)."""
from __future__ import annotations

from playwright.async_api import Page, expect

from sdk import Client
from server.clock import ManualClock
from server.run import EmbeddedServer
from tests.browser.play_helpers import Phone, no_sideways_scroll, open_members

MEMBERS = [("u1", "Alice"), ("u2", "Bob"), ("u3", "Carol"), ("u4", "Dave")]


async def _describe(bot: Client, pages: dict[str, Page], n: int) -> None:
    """Whoever's turn the server announces describes through their own page."""
    for _ in range(n):
        turn = (await bot.next_event("turn", timeout=5)).data["player"]
        page = pages[turn]
        await expect(page.locator("#turn.mine")).to_be_visible()
        await page.fill("input.answer", f"something you would find at home, says {turn}")
        await page.click(".say button")


async def _vote(pages: dict[str, Page], votes: dict[str, str]) -> None:
    for voter, target in votes.items():
        button = pages[voter].locator(f".vote button[data-player='{target}']")
        await button.click()
        # voted (or, for the last voter, the vote is over): either way no more buttons
        await expect(pages[voter].locator(".vote button")).to_have_count(0)


async def test_four_members_play_whos_the_spy_with_a_pk_and_a_vote_to_the_end(
        server: EmbeddedServer, clock: ManualClock, app_key: str, phone: Phone) -> None:
    async with Client(server.url, app_key) as bot:
        await bot.set_group("g1", {"lang": "en"})
        room = await bot.create_room("g1", "spy", {"lang": "en", "blanks": 0, "spies": 1})
        pages = await open_members(bot, phone, room.id, MEMBERS)
        await bot.start(room.id)
        words: dict[str, str] = {}
        for _ in MEMBERS:
            event = await bot.next_event("your_word", timeout=5)
            assert isinstance(event.to, list)
            words[event.to[0]] = event.data["word"]
        for member, page in pages.items():
            await expect(page.locator("#my-word .word")).to_have_text(words[member])
            others = {w for m, w in words.items() if w != words[member]}
            for word in others:  # the other side's word is nowhere on this member's screen
                assert word not in await page.locator("body").inner_text()
        counts: dict[str, int] = {}
        for w in words.values():
            counts[w] = counts.get(w, 0) + 1
        spy = next(m for m, w in words.items() if counts[w] == 1)
        civilians = [m for m, _ in MEMBERS if m != spy]
        await no_sideways_scroll(pages[spy])

        await _describe(bot, pages, 4)
        # A 2-2 tie between the spy and a civilian: to a PK.
        c1, c2, c3 = civilians
        await _vote(pages, {c1: spy, c2: c3, spy: c3, c3: spy})
        for page in pages.values():
            await expect(page.locator(".spy[data-phase='pk_describe']")).to_be_visible()
        await _describe(bot, pages, 2)
        for page in (pages[spy], pages[c3]):  # the tied players do not vote in the PK
            await expect(page.locator(".spy[data-phase='pk_vote']")).to_be_visible()
            assert await page.locator(".vote button").count() == 0
        await _vote(pages, {c1: spy, c2: spy})

        for page in pages.values():
            await expect(page.locator("#winner")).to_have_text("Civilians win")
            await expect(page.locator(".roles")).to_contain_text("spy")
        over = await bot.next_event("game_over", timeout=5)
        assert over.result is not None and {p.player for p in over.result.players if p.won} == set(civilians)
