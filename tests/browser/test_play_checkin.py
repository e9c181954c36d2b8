"""The group's page: a member checks in with one tap, sees the streak and the month calendar,
and fills a missed day with a make-up card (docs/games/checkin.md, docs/play.md)."""
from __future__ import annotations

from playwright.async_api import expect

from sdk import Client
from server.clock import ManualClock
from server.run import EmbeddedServer
from tests.browser.play_helpers import Phone, no_sideways_scroll


async def test_a_member_checks_in_and_makes_up_a_missed_day_from_the_group_page(
        server: EmbeddedServer, clock: ManualClock, app_key: str, phone: Phone) -> None:
    async with Client(server.url, app_key) as bot:
        await bot.set_group("g1", {"lang": "en", "timezone": "UTC", "name": "Book club"})
        page = await phone()
        await page.goto(await bot.group_play_link("g1", "u1", "Alice"))  # 2026-01-01
        await expect(page.locator("h1.title")).to_have_text("Book club")
        await page.click("#checkin")
        await expect(page.locator("#streak")).to_contain_text("1-day streak")
        await expect(page.locator(".calendar .day.today")).to_have_class("day checked today")
        await expect(page.locator("#checkin")).to_be_disabled()
        await no_sideways_scroll(page)

        clock.jump(2 * 86400)  # 2026-01-03: the 2nd was missed
        await page.reload()  # the session (player_token_ttl, an hour) has run out meanwhile
        await expect(page.locator(".refused .reason")).to_have_text("Your session has expired.")
        await page.goto(await bot.group_play_link("g1", "u1", "Alice"))
        await expect(page.locator("#checkin")).to_be_enabled()
        await page.click("#checkin")
        await expect(page.locator("#streak")).to_contain_text("1-day streak")
        await expect(page.locator(".cards")).to_have_text("2 make-up cards")
        await page.click(".calendar button[data-day='2026-01-02']")
        await page.click("#makeup")
        await expect(page.locator("#streak")).to_contain_text("3-day streak")
        await expect(page.locator(".calendar [data-day='2026-01-02']")).to_have_class("day made_up")
        await expect(page.locator(".cards")).to_have_text("1 make-up cards")
        outcome = await bot.checkin("g1", "u1", "Alice")
        assert outcome.already and outcome.streak == 3  # the server agrees with the page
