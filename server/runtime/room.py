"""One live room as its owner node holds it in memory."""
from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from games.registry import get_game
from server.clock import TimerHandle
from server.store import RoomRecord, StoredEvent

RECENT_EVENTS = 512  # events kept in memory per room for fast resume; older ones come from the store


@dataclass(eq=False)
class Room:
    """``data`` is the persistable part (see server/room_logic.py); the rest is runtime.
    ``epoch`` is the fencing epoch this node holds the room under (0 on a single node);
    ``dropped`` is set when the node lets the room go, so work queued on its lock stops."""

    record: RoomRecord
    data: dict[str, Any]
    epoch: int = 0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    recent: deque[StoredEvent] = field(default_factory=lambda: deque(maxlen=RECENT_EVENTS))
    timer: TimerHandle | None = None
    timer_at: float | None = None
    dropped: bool = False

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def game(self) -> Any:
        return get_game(self.record.game)

    def describe(self) -> dict[str, Any]:
        return {
            "id": self.id, "group": self.record.group, "game": self.record.game,
            "status": self.data["status"], "round": self.data["round"], "seq": self.data["seq"],
            "players": [{"player": p, "name": n} for p, n in self.data["players"]],
            "config": self.data["config"], "lang": self.data["lang"],
        }
