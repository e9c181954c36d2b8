"""README's promise: ``campfire serve --demo`` prints a play link that works in a browser on the
same machine (a real server process, a real Chromium)."""
from __future__ import annotations

import asyncio
import os
import re
import socket
import sys
from pathlib import Path

from playwright.async_api import expect

from tests.browser.play_helpers import Phone

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_the_demo_banner_prints_a_play_link_that_opens_the_group_page(tmp_path: Path, phone: Phone) -> None:
    env = {**os.environ, "CAMPFIRE_DATA_DIR": str(tmp_path / "data")}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "server.cli", "serve", "--demo", "--port", str(_free_port()),
        "--store", str(tmp_path / "demo.db"), "--log-level", "warning",
        cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    try:
        assert proc.stdout is not None
        link = None
        while link is None:
            line = (await asyncio.wait_for(proc.stdout.readline(), 30)).decode()
            assert line, "the server exited before printing a play link"
            found = re.search(r"play page as Alice .*: (http://\S+)", line)
            link = found.group(1) if found else None
        page = await phone()
        await page.goto(link)
        await expect(page.locator("#who")).to_have_text("Alice")
        await page.click("#checkin")
        await expect(page.locator("#checkin")).to_be_disabled()
        await expect(page.locator(".calendar .today")).to_have_class(re.compile(r"\bchecked\b"))
    finally:
        proc.terminate()
        await proc.wait()
