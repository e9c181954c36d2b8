"""Everything a handler may use, created once when the app starts (no module globals)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from server.auth import Auth
from server.clips import ClipTokens
from server.clock import Clock
from server.config import Settings
from server.credentials import CredentialCheck
from server.metrics import Metrics
from server.runtime import Rooms
from server.store import Store

if TYPE_CHECKING:
    from server.webhooks import Dispatcher


@dataclass(eq=False)
class Services:
    settings: Settings
    store: Store
    clock: Clock
    auth: Auth
    rooms: Rooms
    clips: ClipTokens | None = None  # song clip links (server/clips.py)
    sessions: set[Any] = field(default_factory=set)  # the open connections (server/session.py)
    credentials: CredentialCheck = field(init=False)  # re-checks the open connections' credentials
    metrics: Metrics = field(default_factory=Metrics)  # server/metrics.py: one registry per app
    webhooks: "Dispatcher | None" = None  # server/webhooks (set by the app)

    def __post_init__(self) -> None:
        self.credentials = CredentialCheck(self.auth, self.clock, self.sessions)
