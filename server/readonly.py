"""The read-only operator key's one rule, for both transports: it may read everything of its
app and change nothing.

Why an allowlist of frames rather than a list of writes: a frame type added later is refused
to read-only keys until someone decides it only reads (tests/ops/test_read_only.py checks every
registered frame is classified). REST is simpler: only GET and HEAD read.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from server.protocol import ProtocolError

if TYPE_CHECKING:
    from server.auth import Principal

READ_FRAMES = frozenset({
    "ping", "games.list", "group.get", "room.get", "room.list", "room.view", "room.watch", "room.unwatch",
    "board.top", "board.rank", "board.around", "board.within", "board.list",
    "activity.top", "activity.member", "health.group", "health.groups", "health.settings", "checkin.calendar",
})
WRITE_FRAMES = frozenset({
    "checkin", "checkin.makeup", "group.set", "room.create", "room.join", "room.leave", "room.start", "room.act",
    "room.announce", "room.close", "board.op", "activity.report", "token.mint", "health.settings.set",
    "group.members", "play.link", "play.telegram",  # launch links and tickets are credentials: minted by bots
})
READ_METHODS = frozenset({"GET", "HEAD"})


def check_frame(who: "Principal", kind: str) -> None:
    if who.read_only and kind not in READ_FRAMES:
        raise ProtocolError("forbidden", f"a read-only operator key cannot send '{kind}'")


def check_method(who: "Principal", method: str) -> None:
    if who.read_only and method not in READ_METHODS:
        raise ProtocolError("forbidden", "a read-only operator key can only read (GET)")
