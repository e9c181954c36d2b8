"""Everything a handler may use, created once when the app starts (no module globals)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from server.auth import Auth
from server.clock import Clock
from server.config import Settings
from server.rooms import RoomManager
from server.store import Store

if TYPE_CHECKING:
    from server.session import Session


@dataclass(eq=False)
class Services:
    settings: Settings
    store: Store
    clock: Clock
    auth: Auth
    rooms: RoomManager
    sessions: set["Session"] = field(default_factory=set)
