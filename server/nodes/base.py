"""The node layer's contract (``Nodes``) and the single embedded node."""
from __future__ import annotations

import secrets
from typing import Awaitable, Callable, Protocol

LostFn = Callable[[str], Awaitable[None]]


class Nodes(Protocol):
    """What the room runtime asks of the node layer."""

    node_id: str
    shared: bool  # several nodes may share the store (rooms can live elsewhere)

    async def start(self, on_lost: LostFn) -> None:
        """Begin renewing leases; ``on_lost(room_id)`` is awaited for a lease this node lost."""

    async def close(self) -> None:
        """Stop renewing and give every lease back (a clean shutdown hands rooms on at once)."""

    async def acquire(self, room_id: str) -> tuple[int | None, str | None]:
        """Take the room's lease: (the fencing epoch, None), or (None, the owner) when another
        node holds it."""

    async def owner(self, room_id: str) -> str | None:
        """The node holding the room's lease, or None when nobody does."""

    async def release(self, room_id: str) -> None:
        """Give the lease back (this node stops serving the room)."""

    def forget(self, room_id: str) -> None:
        """Stop renewing the room's lease without a round trip (it was lost)."""

    async def unleased_live(self) -> set[str]:
        """The live rooms no node holds: what a sweep takes over."""

    async def alive(self, node_id: str) -> bool:
        """Whether that node is still renewing its leases."""


def new_node_id() -> str:
    return "node_" + secrets.token_hex(5)


class SingleNode:
    """The embedded mode: one process, owner of every room, epoch 0, nothing to renew."""

    shared = False

    def __init__(self) -> None:
        self.node_id = new_node_id()

    async def start(self, on_lost: LostFn) -> None:
        return None

    async def close(self) -> None:
        return None

    async def acquire(self, room_id: str) -> tuple[int | None, str | None]:
        return 0, None

    async def owner(self, room_id: str) -> str | None:
        return self.node_id

    async def release(self, room_id: str) -> None:
        return None

    def forget(self, room_id: str) -> None:
        return None

    async def unleased_live(self) -> set[str]:
        return set()

    async def alive(self, node_id: str) -> bool:
        return node_id == self.node_id

