"""The rooms as the rest of the server sees them: by id, wherever they live.

Handlers and REST call these methods with the caller's app (the tenant wall) and, for a
member, their group. A room this node owns is served here (``LocalRooms``); a room owned by
another node is reached through the relay; a room nobody owns is taken over on demand.
"""
from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any, Callable

from server.clock import Clock
from server.nodes import Nodes, SingleNode
from server.protocol import ProtocolError
from server.runtime.local import LocalRooms, NotHere
from server.runtime.room import Room
from server.runtime.watch import Watcher, WatchTable
from server.store import RoomRecord, Store

if TYPE_CHECKING:
    from server.config import Settings

log = logging.getLogger("campfire.rooms")

ROUTE_ATTEMPTS = 5  # a room that moves this many times during one request answers `unavailable`


def _unknown(room_id: str) -> ProtocolError:
    return ProtocolError("unknown_room", f"no room '{room_id}'")


class Rooms:
    def __init__(self, store: Store, clock: Clock, settings: "Settings", nodes: Nodes | None = None,
                 seeds: Callable[[], int] | None = None) -> None:
        self.store = store
        self.clock = clock
        self.settings = settings
        self.nodes: Nodes = nodes or SingleNode()
        self.watchers = WatchTable()
        self.local = LocalRooms(store, clock, settings, self.watchers, seeds)
        self._loading: dict[str, asyncio.Lock] = {}

    @property
    def rooms(self) -> dict[str, Room]:
        """The rooms this node owns right now."""
        return self.local.rooms

    # --- lifecycle -------------------------------------------------------------------
    async def restore(self) -> int:
        """Load every live room from the store and re-arm its timer (after a restart)."""
        count = 0
        for record in await self.store.live_rooms():
            epoch = await self.nodes.acquire(record.id)
            if epoch is None:
                continue
            await self.local.load(record, epoch)
            count += 1
        return count

    async def close(self) -> None:
        await self.local.close()

    # --- finding a room --------------------------------------------------------------
    async def _owned(self, app: str, room_id: str) -> Room | None:
        """The room if this node owns it (loading it if nobody does); None if another node does."""
        room = self.local.rooms.get(room_id)
        if room is not None:
            if room.record.app != app:
                raise _unknown(room_id)
            return room
        lock = self._loading.setdefault(room_id, asyncio.Lock())
        try:
            async with lock:
                room = self.local.rooms.get(room_id)
                if room is not None:
                    return await self._owned(app, room_id)
                record = await self.store.get_room(app, room_id)
                if record is None:
                    raise _unknown(room_id)
                epoch = await self.nodes.acquire(room_id)
                if epoch is None:
                    return None
                return await self.local.load(record, epoch)
        finally:
            if not lock.locked() and self._loading.get(room_id) is lock:
                del self._loading[room_id]

    @staticmethod
    def _check(room: Room, app: str, group: str | None) -> None:
        if room.record.app != app or (group is not None and room.record.group != group):
            raise _unknown(room.id)

    async def call(self, app: str, room_id: str, op: str, args: dict[str, Any] | None = None,
                   group: str | None = None) -> dict[str, Any]:
        """Run ``op`` on the room wherever it lives. ``group``: a member's group (None for bots)."""
        for _ in range(ROUTE_ATTEMPTS):
            room = await self._owned(app, room_id)
            if room is None:
                raise ProtocolError("unavailable", "the room is on another node; retry")
            self._check(room, app, group)
            try:
                return await self.local.perform(room, op, args or {})
            except NotHere:
                continue
        raise ProtocolError("unavailable", "the room is moving between nodes; retry")

    # --- the operations --------------------------------------------------------------
    async def create(self, app: str, group: str, game: str, config: dict[str, Any], lang: str) -> dict[str, Any]:
        room_id = self.local.new_room_id()
        room = self.local.new_room(app, group, game, config, lang, 0, room_id)
        if self.settings.one_game_per_group:
            live = await self.store.list_rooms(app, group, live_only=True)
            if live:
                raise ProtocolError("group_busy", f"group '{group}' already has an active room",
                                    room=live[0].id)
        epoch = await self.nodes.acquire(room_id)
        if epoch is None:  # a fresh id: cannot be held elsewhere
            raise ProtocolError("unavailable", "could not take the new room's lease; retry")
        room.epoch = epoch
        await self.local.create(room)
        return room.describe()

    async def describe(self, app: str, room_id: str, group: str | None = None) -> dict[str, Any]:
        return (await self.call(app, room_id, "describe", group=group))["room"]

    async def view(self, app: str, room_id: str, viewer: str | None, group: str | None = None) -> dict[str, Any]:
        return await self.call(app, room_id, "view", {"viewer": viewer}, group)

    async def list(self, app: str, group: str | None, live_only: bool = False) -> list[dict[str, Any]]:
        """The app's rooms (of one group, or live only): described in full where this node owns them."""
        out = []
        for record in await self.store.list_rooms(app, group, live_only=live_only):
            room = self.local.rooms.get(record.id)
            out.append(room.describe() if room is not None else {
                "id": record.id, "group": record.group, "game": record.game, "status": record.status,
                "round": record.round})
        return out

    async def record(self, app: str, room_id: str, group: str | None = None) -> RoomRecord:
        """The room's record (for reads that go straight to the store, like its event log)."""
        room = self.local.rooms.get(room_id)
        record = room.record if room is not None else await self.store.get_room(app, room_id)
        if record is None or record.app != app or (group is not None and record.group != group):
            raise _unknown(room_id)
        return record

    # --- watching --------------------------------------------------------------------
    async def watch(self, app: str, room_id: str, watcher: Watcher, after: int | None,
                    group: str | None = None) -> dict[str, Any]:
        """Follow the room from ``after`` (None: from now): {"room": …, "seq": last seq}."""
        for _ in range(ROUTE_ATTEMPTS):
            room = await self._owned(app, room_id)
            if room is None:
                raise ProtocolError("unavailable", "the room is on another node; retry")
            self._check(room, app, group)
            try:
                last = await self.local.watch(room, watcher, room.data["seq"] if after is None else after)
            except NotHere:
                continue
            return {"room": room.describe(), "seq": last}
        raise ProtocolError("unavailable", "the room is moving between nodes; retry")

    def unwatch(self, room_id: str, watcher: Watcher) -> bool:
        return self.watchers.remove(room_id, watcher)

    def unwatch_all(self, watcher: Watcher) -> None:
        self.watchers.remove_all(watcher)

    def is_watching(self, watcher: Watcher, room_id: str) -> bool:
        return self.watchers.is_watching(watcher, room_id)
