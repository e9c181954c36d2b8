"""Credentials re-checked while connections stay open (docs/PROTOCOL.md, "Revocation").

A key is checked at ``hello`` and a member token is checked at ``hello`` and at every REST
call, but a websocket lives on after that. Every ``CHECK_SECONDS`` this node looks again at
the credentials of its open connections: a connection whose key was revoked (``campfire apps
revoke``, from any process), or whose member token was minted with a now-revoked key, is told
(``key_revoked``) and closed with 1008; a member whose token has expired is told
(``unauthorized``) and closed the same way.

Why a periodic look at the store rather than a message: revocation is written to the store by
the CLI, another process, and every node of a cluster reads the same store, so each node's
check reaches its own connections with no extra channel to keep; the bound is one period.
The check costs one store read per distinct key with open connections, not per connection.
It runs on the injected clock, armed only while connections are open, so tests drive it by
moving a ManualClock.
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Iterable, Protocol

from server.protocol import ProtocolError

if TYPE_CHECKING:
    from server.auth import Auth, Principal
    from server.clock import Clock, TimerHandle

CHECK_SECONDS = 10.0


class Checked(Protocol):
    """An open connection, as this module sees it (server/session.py)."""

    principal: "Principal | None"

    def end(self, err: ProtocolError) -> None:
        """Send ``err`` and close the connection (with the close code of its error code)."""


class CredentialCheck:
    def __init__(self, auth: "Auth", clock: "Clock", connections: Iterable[Any],
                 every: float = CHECK_SECONDS) -> None:
        self.auth = auth
        self.clock = clock
        self.connections = connections
        self.every = every
        self._timer: "TimerHandle | None" = None

    def arm(self) -> None:
        """Make sure a check is due within one period (called when a connection says hello)."""
        if self._timer is None:
            self._timer = self.clock.call_at(self.clock.now() + self.every, self._due)

    async def _due(self) -> None:
        self._timer = None
        try:
            await self.check()
        except Exception:  # the store is unreachable, say: check again next period, never stop
            logging.getLogger("campfire.credentials").warning("credential re-check failed; retrying",
                                                              exc_info=True)
        if any(getattr(c, "principal", None) is not None for c in list(self.connections)):
            self.arm()

    async def check(self) -> int:
        """Look at every open connection's credentials now; returns how many were ended."""
        now = self.clock.now()
        live: dict[tuple[str, str], bool] = {}
        ended = 0
        for conn in list(self.connections):
            p: "Principal | None" = getattr(conn, "principal", None)
            if p is None:
                continue
            err = await self._problem(p, now, live)
            if err is not None:
                conn.end(err)
                ended += 1
        return ended

    async def _problem(self, p: "Principal", now: float, live: dict[tuple[str, str], bool]) -> ProtocolError | None:
        if p.expires is not None and p.expires < now:
            return ProtocolError("unauthorized", "your player token has expired: connect again with a new one",
                                 fatal=True)
        if p.key is None:
            return None
        cached = live.get((p.app, p.key))
        if cached is None:
            cached = live[(p.app, p.key)] = await self.auth.key_live(p.app, p.key)
        if not cached:
            what = "API key" if p.is_bot else "key that minted your player token"
            return ProtocolError("key_revoked", f"the {what} has been revoked", fatal=True)
        return None
