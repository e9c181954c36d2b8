"""The README's picture of the play page comes from here: a quiz question on a 360 px phone, after
a teammate has answered (docs/img/play-quiz.png). The test always takes it and checks it stays
small; with CAMPFIRE_UPDATE_SCREENSHOTS=1 it also replaces the committed one."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from playwright.async_api import Browser, expect

from sdk import Client
from server.run import EmbeddedServer
from tests.browser.plugin import PHONE, SCREENSHOTS, new_context

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "docs" / "img" / "play-quiz.png"
MAX_BYTES = 60_000


async def test_the_readme_screenshot_of_a_quiz_on_a_phone_stays_small(
        server: EmbeddedServer, app_key: str, browser: Browser) -> None:
    async with Client(server.url, app_key) as bot:
        await bot.set_group("g1", {"lang": "en", "name": "Book club"})
        room = await bot.create_room("g1", "quiz", {"questions": 5, "seconds": 20, "lang": "en"})
        for member, name in (("u2", "Bob"), ("u3", "Carol")):
            await bot.join(room.id, member, name)
        context = await new_context(browser, phone=True, viewport={"width": PHONE["width"], "height": 640},
                                    device_scale_factor=1)
        page = await context.new_page()
        await page.goto(await bot.play_link(room.id, "u1", "Alice"))
        await page.click("#join")
        await bot.start(room.id)
        await expect(page.locator(".quiz[data-phase='question']")).to_be_visible()
        await bot.act(room.id, {"answer": 0}, player="u2")
        await expect(page.locator(".quiz > .status")).to_have_text("Answered 1/3")
        if not await page.locator(".choice").count():
            await page.fill("input.answer", "Au")  # typed, not sent yet
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shot = SCREENSHOTS / "play-quiz.png"
        await page.screenshot(path=str(shot))
        assert shot.stat().st_size < MAX_BYTES
        if os.environ.get("CAMPFIRE_UPDATE_SCREENSHOTS") == "1":
            COMMITTED.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(shot, COMMITTED)
        assert COMMITTED.exists() and COMMITTED.stat().st_size < MAX_BYTES
