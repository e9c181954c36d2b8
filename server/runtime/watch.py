"""Who watches which room on this node, and handing them events in sequence order.

The table is per node, not per room object: a room's watchers stay here whoever owns the
room. When this node owns it, events arrive from its own commits (no Redis round trip);
when another node owns it, they arrive from the room's event stream (server/relay). The
table remembers the last sequence number it delivered for each room, so an event that
comes twice (the stream and a take-over catching up) goes out once, and never out of order.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Protocol

from server.runtime.frames import EventFrame
from server.store import StoredEvent


class Watcher(Protocol):
    """Anything that follows rooms: a websocket session, in practice."""

    def may_see(self, to: Any) -> bool:
        """Whether an event with this audience ("all", "bots" or player ids) may reach it."""

    def send_event(self, frame: EventFrame) -> None:
        """Queue one event frame; must not block."""

    async def drained(self) -> None:
        """Return once the frames queued so far have gone out (or the watcher is closing):
        the back-pressure that lets a long resume go out in pages."""


@dataclass(eq=False, slots=True)
class RoomWatch:
    """The watchers of one room. ``delivered``: the last seq handed to them. Each watcher's
    value is its floor: it has already seen everything up to there."""

    delivered: int
    watchers: dict[Watcher, int] = field(default_factory=dict)


class WatchTable:
    def __init__(self) -> None:
        self.rooms: dict[str, RoomWatch] = {}
        self._by_watcher: dict[Watcher, set[str]] = {}

    def delivered(self, room_id: str) -> int | None:
        rw = self.rooms.get(room_id)
        return rw.delivered if rw is not None else None

    def publish(self, room_id: str, events: Iterable[StoredEvent]) -> None:
        """Hand committed events to the room's watchers; events already delivered are skipped."""
        rw = self.rooms.get(room_id)
        if rw is None:
            return
        for ev in events:
            if ev.seq <= rw.delivered:
                continue
            rw.delivered = ev.seq
            frame = EventFrame(room_id, ev)
            for watcher, floor in list(rw.watchers.items()):
                if ev.seq > floor and watcher.may_see(ev.to):
                    watcher.send_event(frame)

    def add(self, room_id: str, watcher: Watcher, floor: int, delivered: int) -> None:
        """Add ``watcher``, which has seen everything up to ``floor``. ``delivered`` is where the
        room's stream stands if this is its first watcher on this node."""
        rw = self.rooms.get(room_id)
        if rw is None:
            rw = self.rooms[room_id] = RoomWatch(delivered)
        rw.watchers[watcher] = floor
        self._by_watcher.setdefault(watcher, set()).add(room_id)

    def remove(self, room_id: str, watcher: Watcher) -> bool:
        """Stop ``watcher`` following the room; False if it was not."""
        rw = self.rooms.get(room_id)
        if rw is not None:
            rw.watchers.pop(watcher, None)
            if not rw.watchers:
                del self.rooms[room_id]
        rooms = self._by_watcher.get(watcher)
        if rooms is None or room_id not in rooms:
            return False
        rooms.discard(room_id)
        if not rooms:
            del self._by_watcher[watcher]
        return True

    def remove_all(self, watcher: Watcher) -> None:
        for room_id in list(self._by_watcher.get(watcher, ())):
            self.remove(room_id, watcher)

    def is_watching(self, watcher: Watcher, room_id: str) -> bool:
        return room_id in self._by_watcher.get(watcher, ())

    def watched(self) -> list[str]:
        return list(self.rooms)
