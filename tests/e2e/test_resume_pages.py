"""A resume longer than a connection's send queue (issue 10, item 7; docs/PROTOCOL.md, Resume):
the missed events are served in pages, each sent once the reader has taken the last, so a reader
that keeps up receives all of them, in order, and stays connected."""
from __future__ import annotations

import asyncio
import random
from pathlib import Path
from typing import AsyncIterator

import pytest
import websockets

from sdk import Client
from server.auth import create_app
from server.clock import ManualClock
from server.config import Settings
from server.run import EmbeddedServer
from server.store import Store, open_store
from tests.conftest import RawClient

MISSED = 4_000
TEXT = "篝火" * 400  # about 2.4 KB an event: the resume is far larger than the socket buffers


@pytest.fixture
async def busy_server(tmp_path: Path, clock: ManualClock) -> AsyncIterator[EmbeddedServer]:
    """Rate limits raised so the bot can write 4,000 announcements quickly; the send queue
    keeps its default (1,000 frames), smaller than the resume."""
    settings = Settings(host="127.0.0.1", port=0, store=str(tmp_path / "c.db"), data_dir=str(tmp_path / "data"),
                        frames_per_second=1e6, frame_burst=1_000_000)
    store: Store = await open_store(settings.store)
    seeds = random.Random(3).getrandbits
    srv = EmbeddedServer(settings, clock=clock, store=store, seeds=lambda: seeds(62))
    try:
        async with srv.running():
            yield srv
    finally:
        await store.close()


async def test_a_4000_event_resume_reaches_a_fast_reader_whole_and_in_order(busy_server: EmbeddedServer) -> None:
    assert busy_server.settings.send_queue_frames < MISSED
    _, key = await create_app(busy_server.services.store, "pages-bot")
    async with Client(busy_server.url, key) as bot:
        room = await bot.create_room("g1", "quiz", {"questions": 1})
        for start in range(0, MISSED, 500):
            await asyncio.gather(*(bot.request("room.announce", {"room": room.id, "data": {"n": n, "text": TEXT}})
                                   for n in range(start, start + 500)))

    reader = RawClient(await websockets.connect(busy_server.url, max_size=None))
    await reader.hello(key=key)
    reply = await reader.request("room.watch", {"room": room.id, "after": 0})
    last = reply["data"]["seq"]
    while len(reader.events()) < last:
        await reader.recv(timeout=30)
    assert [e["seq"] for e in reader.events()] == list(range(1, last + 1))
    assert sorted(e["data"]["n"] for e in reader.events() if e["kind"] == "announce") == list(range(MISSED))
    assert (await reader.request("ping", {}))["type"] == "ok"  # still connected
    await reader.close()
