"""Read, change, write back: one stored record changed atomically by many requests at once
(docs/ARCHITECTURE.md, principle 9).

The stores version every record that is changed this way (settings, check-in records): a
write names the version it read and is refused with ``Conflict`` when another write landed
in between, so no change ever overwrites one it did not see. :func:`change_atomically`
turns that into a rule callers can rely on: it reads, runs the caller's change on what it
read, writes, and on a conflict reads again and re-runs the change on the fresh record (a
make-up card counted against the check-in that just landed, not against the record from
before it). A change that keeps losing gives up with ``conflict`` and saves nothing; it
never reports a save that did not happen.
"""
from __future__ import annotations

from typing import Awaitable, Callable, TypeVar

from server.protocol import ProtocolError
from server.store import Conflict

T = TypeVar("T")

# Each conflict means another write landed, so n requests racing for one record all land
# within n attempts; this bounds a pathological storm, not a normal burst.
ATTEMPTS = 64


async def change_atomically(attempt: Callable[[], Awaitable[T]], attempts: int = ATTEMPTS) -> T:
    """Run ``attempt`` (read, compute, versioned write) until its write lands. ``attempt``
    must read afresh each time and may raise ProtocolError to refuse (nothing written)."""
    for _ in range(attempts):
        try:
            return await attempt()
        except Conflict:
            continue
    raise ProtocolError("conflict", "the record kept changing under this request; nothing was saved, "
                        "please retry")
