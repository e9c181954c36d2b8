"""One event as a websocket frame, encoded at most once per format however many watchers get it."""
from __future__ import annotations

from typing import Any

import msgpack

from server.direct import frame_payload
from server.protocol import encode_text
from server.store import StoredEvent


class EventFrame:
    """An event of a room, ready to send: every encoding is built on first use and shared."""

    __slots__ = ("room", "event", "_binary", "_text", "_framed_binary", "_framed_text")

    def __init__(self, room: str, event: StoredEvent) -> None:
        self.room = room
        self.event = event
        self._binary: bytes | None = None
        self._text: str | None = None
        self._framed_binary: bytes | None = None
        self._framed_text: bytes | None = None

    def frame(self) -> dict[str, Any]:
        ev = self.event
        data: dict[str, Any] = {"room": self.room, "seq": ev.seq, "kind": ev.kind, "data": ev.data}
        if ev.to != "all":
            data["to"] = ev.to
        return {"type": "event", "data": data}

    def binary(self) -> bytes:
        if self._binary is None:
            self._binary = msgpack.packb(self.frame(), use_bin_type=True)
        return self._binary

    def text(self) -> str:
        if self._text is None:
            self._text = encode_text(self.frame())
        return self._text

    def framed_binary(self) -> bytes:
        """The whole websocket frame, for writing straight to every member's socket."""
        if self._framed_binary is None:
            self._framed_binary = frame_payload(self.binary())
        return self._framed_binary

    def framed_text(self) -> bytes:
        if self._framed_text is None:
            self._framed_text = frame_payload(self.text())
        return self._framed_text
