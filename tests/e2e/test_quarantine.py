"""A room that cannot be restored is quarantined while every other room starts (issue 10, item 6;
docs/operators.md, "Room lifetimes"): logged, listed by ``GET /v1/rooms?status=quarantined`` and
by ``campfire rooms quarantined``, and no longer holding its group."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import httpx

from sdk import Client
from server.clock import ManualClock
from server.config import Settings
from server.run import EmbeddedServer
from server.store import Store

ROOT = Path(__file__).resolve().parents[2]


async def test_a_room_that_cannot_be_restored_is_quarantined_while_the_others_start(
        settings: Settings, clock: ManualClock, store: Store, app_key: str) -> None:
    async with EmbeddedServer(settings, clock=clock, store=store).running() as first:
        async with Client(first.url, app_key) as bot:
            poisoned = await bot.create_room("g1", "quiz", {"questions": 1})
            healthy = await bot.create_room("g2", "quiz", {"questions": 1})
    with sqlite3.connect(settings.store) as db:  # a snapshot no decoder accepts
        db.execute("UPDATE room_snapshots SET snapshot = x'c1' WHERE room = ?", (poisoned.id,))

    async with EmbeddedServer(settings, clock=clock, store=store).running() as second:
        assert healthy.id in second.services.rooms.rooms
        assert poisoned.id not in second.services.rooms.rooms
        async with httpx.AsyncClient(base_url=second.http) as http:
            listed = await http.get("/v1/rooms", params={"status": "quarantined"},
                                    headers={"Authorization": f"Bearer {app_key}"})
        assert [r["id"] for r in listed.json()["rooms"]] == [poisoned.id]
        async with Client(second.url, app_key) as bot:
            await bot.create_room("g1", "quiz", {"questions": 1})  # the group is free again

    cli = subprocess.run([sys.executable, "-m", "server.cli", "rooms", "quarantined", "--json",
                          "--store", settings.store], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert cli.returncode == 0, cli.stderr
    assert [r["room"] for r in json.loads(cli.stdout)["rooms"]] == [poisoned.id]
