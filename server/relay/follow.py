"""Following rooms owned elsewhere: their events, from their streams, in sequence order.

  P ev:ROOM  stream  entry id ``<seq>-0`` (written by the owner's commit script)

One loop per node: XREAD BLOCK over the event streams of every room that has watchers here
but is owned by another node, each from the last seq delivered here. Entries come in id
order, which is sequence order, so nothing is skipped; the watch table drops anything it
already delivered. The set of rooms is asked for again after every read (a short block),
so a room taken over here or newly watched joins or leaves the loop within a beat.
"""
from __future__ import annotations

import asyncio
import json
import logging
from typing import Callable

import redis.asyncio as aioredis

from server.store import StoredEvent

log = logging.getLogger("campfire.relay")

BLOCK_MS = 250
BATCH = 500


def _s(v: object) -> str:
    return v.decode() if isinstance(v, bytes) else str(v)


class Follower:
    def __init__(self, db: aioredis.Redis, prefix: str,
                 rooms: Callable[[], dict[str, int]],
                 deliver: Callable[[str, list[StoredEvent]], None]) -> None:
        """``rooms()``: {room id: last seq delivered} to follow; ``deliver(room, events)``."""
        self.db = db
        self.p = prefix
        self.rooms = rooms
        self.deliver = deliver
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._loop())

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass

    def wake(self) -> None:
        """The set of followed rooms changed."""
        self._wake.set()

    async def _loop(self) -> None:
        while True:
            self._wake.clear()
            wanted = self.rooms()
            if not wanted:
                try:
                    await asyncio.wait_for(self._wake.wait(), 1.0)
                except TimeoutError:
                    pass
                continue
            streams = {f"{self.p}ev:{room}": f"{seq}-0" for room, seq in wanted.items()}
            try:
                found = await self.db.xread(streams, count=BATCH, block=BLOCK_MS)  # type: ignore[arg-type]
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("could not follow room events; retrying", exc_info=True)
                await asyncio.sleep(0.2)
                continue
            for key, entries in found or []:
                room = _s(key)[len(self.p) + 3:]
                events = [StoredEvent(int(_s(eid).split("-")[0]), _s(f[b"k"]), json.loads(f[b"d"]),
                                      json.loads(f[b"t"]), float(f[b"a"])) for eid, f in entries]
                try:
                    self.deliver(room, events)
                except Exception:
                    log.exception("delivering events of room %s failed", room)
